"""Core helpers."""
