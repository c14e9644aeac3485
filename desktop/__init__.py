"""Entry points and composition root: the ``handoff`` CLI, the GUI bootstrap and the Qt bridge."""
