"""The subcommands of `house-rules`, one module each: `HELP`, `arguments(parser)` and `run(invocation)`."""
