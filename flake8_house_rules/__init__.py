"""flake8-house-rules: a team's written Python house style as flake8 errors (codes `HR###`)."""

__version__ = "0.1.0"
