"""Example application."""
