"""Project pattern rules, HR900-HR999: house rules a team declares as ast-grep patterns, with no Python.

```toml
[tool.flake8-house-rules.patterns.HR901]
name = "legacy-client-call"
message = "use the shared client instead of legacy_client()"
pattern = "legacy_client($$$ARGS)"
```

- `spec.py` reads and validates declarations (pyproject.toml and the `hr-pattern-file` file) into frozen
  `PatternSpec`s, which `build_config` puts in `Config.patterns`;
- `grep.py` is the only module that imports ast-grep: compile checks, the names a rule needs, parsing;
- `rules.py` turns each declaration into a `Rule` subclass for the engine (`pattern_rules`, `all_rules`).

Front ends call `all_rules(config)` for the rules of a configuration. Importing this package does not import
ast-grep: a project without pattern rules never pays for it. See docs/patterns.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flake8_house_rules.patterns.rules import PatternRule, all_rules, pattern_page, pattern_rules
    from flake8_house_rules.patterns.spec import PatternSpec, load_pattern_specs

__all__ = ["PatternRule", "PatternSpec", "all_rules", "load_pattern_specs", "pattern_page", "pattern_rules"]

#: Where each name lives: a name is imported from its module when first asked (PEP 562), so reading the
#: configuration (`config.py` needs only `spec`) does not load the rule machinery a cached run never uses.
_HOMES = {
    "PatternRule": "rules",
    "all_rules": "rules",
    "pattern_page": "rules",
    "pattern_rules": "rules",
    "PatternSpec": "spec",
    "load_pattern_specs": "spec",
}


def __getattr__(name: str) -> Any:  # Any: a class or a function of the package
    """The package's names, imported from their modules on first use."""
    home = _HOMES.get(name)
    if home is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
