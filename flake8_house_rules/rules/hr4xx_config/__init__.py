"""HR4xx: configuration through pydantic-settings, secrets, and pydantic v2 models."""
