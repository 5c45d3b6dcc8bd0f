"""HR8xx: tests."""
