"""HR1xx: typing rules (modern annotation syntax, complete annotations, explained escapes)."""
