"""HR0xx: general hygiene rules (docstrings, prints, comments, names, imports, function size)."""
