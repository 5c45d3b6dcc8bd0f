"""`python -m flake8_house_rules`: the `house-rules` command, as `python -m ruff` runs ruff."""

from flake8_house_rules.cli.app import main

raise SystemExit(main())
