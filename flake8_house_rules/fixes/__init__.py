"""Fixes: the `Edit`/`Fix` model rules attach to violations, edit builders, and applying fixes to a module.

- `model.py`: `Edit` (content, start, end) and `Fix` (applicability, message, edits);
- `edits.py`: edits from the AST's exact positions (`replace`, `insert_at`, `import_name`), used by rules;
- `apply.py`: `apply_fixes` (one round of non-overlapping edits) and `fix_source` (rounds until nothing is
  left, then the result verified to parse on the target Python).
"""

from __future__ import annotations

from flake8_house_rules.fixes.model import Applicability, Edit, Fix

__all__ = ["Applicability", "Edit", "Fix"]
