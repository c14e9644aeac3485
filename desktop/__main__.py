"""``python -m desktop``: the same as the ``handoff`` command."""

from desktop.cli import main

raise SystemExit(main())
