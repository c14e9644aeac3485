"""``python -m desktop``: the same as the ``handoff`` command (also the frozen build's entry point)."""

import multiprocessing

from desktop.cli import main

if __name__ == "__main__":
    # A frozen build started as a worker process (the SLA refresh of a large workspace) runs
    # the worker here instead of the command line.
    multiprocessing.freeze_support()
    raise SystemExit(main())
