"""``handoff sandbox zendesk`` as a user runs it: one line to connect with, then serving until stopped."""

from __future__ import annotations

import signal
import ssl
import subprocess
import sys

import httpx
import pytest

COMMAND = [sys.executable, "-m", "desktop", "sandbox", "zendesk", "--cases", "5"]


def start(*extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*COMMAND, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    )


def parse_line(line: str) -> tuple[str, dict[str, str]]:
    """The base URL and the ``key=value`` items of the line the command prints."""
    base_url, *items = line.split()
    return base_url, dict(item.split("=", 1) for item in items)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_the_printed_line_is_enough_to_connect_and_a_signal_stops_it_cleanly(stop_signal: int) -> None:
    process = start()
    try:
        assert process.stdout is not None
        base_url, items = parse_line(process.stdout.readline())
        response = httpx.get(
            f"{base_url}/api/v2/users/me.json",
            auth=(f"{items['email']}/token", items["token"]),
            verify=ssl.create_default_context(cafile=items["ca"]),
        )
        process.send_signal(stop_signal)
        status = process.wait(timeout=30)
    finally:
        process.kill()
        process.communicate()

    assert base_url.startswith("https://127.0.0.1:")
    assert response.status_code == 200
    assert response.json()["user"]["email"] == items["email"]
    assert status == 0


def test_http_mode_prints_a_plain_url_without_a_certificate() -> None:
    process = start("--http", "--faults", "500=1")
    try:
        assert process.stdout is not None
        base_url, items = parse_line(process.stdout.readline())
        response = httpx.get(
            f"{base_url}/api/v2/users/me.json", auth=(f"{items['email']}/token", items["token"])
        )
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.communicate()

    assert base_url.startswith("http://127.0.0.1:")
    assert "ca" not in items
    assert response.status_code == 500  # the faults given on the command line apply


def test_a_bad_fault_spec_is_refused_with_a_message() -> None:
    result = subprocess.run([*COMMAND, "--faults", "404=1"], capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert "unknown fault '404'" in result.stderr
