"""HR7xx: errors and exceptions."""
