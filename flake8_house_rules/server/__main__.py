"""`python -m flake8_house_rules.server` runs the language server over stdio."""

import sys

from flake8_house_rules.server import main

sys.exit(main())
