"""Generator of realistic demo and benchmark workspaces (organisation, customers, cases, timelines).

Use :func:`generate_workspace`; the same seed and anchor always produce the
same database content.
"""

from __future__ import annotations

from core.generator.workspace import GenerationReport, WorkspaceNotEmptyError, generate_workspace

__all__ = ["GenerationReport", "WorkspaceNotEmptyError", "generate_workspace"]
