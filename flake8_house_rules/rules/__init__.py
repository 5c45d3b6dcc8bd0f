"""The rules, one class per rule, in one folder per family (`hr1xx_typing`, `hr2xx_async`, ...)."""
