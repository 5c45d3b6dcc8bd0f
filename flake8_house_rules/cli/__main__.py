"""`python -m flake8_house_rules.cli`: the `house-rules` command."""

from flake8_house_rules.cli.app import main

raise SystemExit(main())
