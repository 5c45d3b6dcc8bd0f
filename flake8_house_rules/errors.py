"""The pack's configuration error, in a module of its own so that every reader of configuration can raise it.

`config.py` (options), `sources.py` (finding and reading the files) and `patterns/spec.py` (pattern rule
declarations) all raise `ConfigError`; none of them needs another to do so, and `config.py` may import the
pattern specs it loads without an import cycle.
"""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration value the pack cannot use; the message names the option, where it came from, and the value."""
