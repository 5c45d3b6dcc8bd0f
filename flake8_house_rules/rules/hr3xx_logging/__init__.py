"""HR3xx: logging rules for structlog, loguru and the standard library."""
