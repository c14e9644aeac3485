"""One module per ``handoff`` subcommand, each with ``register(subparsers)``."""
