"""Connectors: one sub-package per helpdesk, each mapping its API to :mod:`core.remote.dtos`."""
