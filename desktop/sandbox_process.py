"""``handoff sandbox zendesk`` in a child process: started, its address read, stopped.

The demo and the sync benchmark run the sandbox helpdesk in its own process, so serving it never
competes with the window (or the measured client) for this interpreter.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from core.remote.connections import ConnectionDraft
from core.remote.dtos import AuthMethod

STOP_TIMEOUT_S = 30
_READY_LINE = re.compile(
    r"^(?P<url>https?://\S+) email=(?P<email>\S+) token=(?P<token>\S+)(?: ca=(?P<ca>\S+))?$"
)


@dataclass(frozen=True)
class RunningSandbox:
    """Where the sandbox answers and the agent credentials it accepts."""

    url: str
    email: str
    token: str
    ca_bundle: str | None

    def connection_draft(self, name: str) -> ConnectionDraft:
        """A Zendesk connection called ``name`` to this sandbox (its token is not part of it)."""
        return ConnectionDraft(
            name=name,
            kind="zendesk",
            base_url=self.url,
            auth_method=AuthMethod.API_TOKEN,
            account_email=self.email,
            ca_bundle=self.ca_bundle,
        )


def handoff_command(*arguments: str) -> list[str]:
    """The command line running ``handoff ARGUMENTS`` with this installation (frozen or not)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *arguments]
    return [sys.executable, "-m", "desktop", *arguments]


@contextmanager
def running_sandbox(arguments: Sequence[str]) -> Iterator[RunningSandbox]:
    """``handoff sandbox zendesk ARGUMENTS`` until the block ends (RuntimeError if it fails to start)."""
    with tempfile.TemporaryFile(mode="w+") as errors:  # a file: a chatty child never blocks on a pipe
        process = subprocess.Popen(
            handoff_command("sandbox", "zendesk", *arguments),
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert process.stdout is not None
        try:
            found = _READY_LINE.match(process.stdout.readline().strip())
            if found is None:
                _stop(process)
                errors.seek(0)
                raise RuntimeError(f"the sandbox helpdesk did not start: {errors.read().strip()[-500:]}")
            yield RunningSandbox(found["url"], found["email"], found["token"], found["ca"])
        finally:
            _stop(process)
            process.stdout.close()


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
