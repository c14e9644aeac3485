"""Machine-made timeline content: multi-line log excerpts and attachment descriptions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from random import Random

from core.generator.catalog import AreaProfile, Scenario
from core.generator.slots import Slots

_ROUTINE_LINES: tuple[str, ...] = (
    "request completed status=200 duration_ms={ms}",
    "health check ok latency_ms={ms}",
    "cache refresh completed keys={n}",
    "worker heartbeat ok queue_depth={n}",
    "retrying operation attempt={k}/3",
    "connection pool stats active={n} idle={k}",
)

_CUSTOMER_FILES: tuple[tuple[str, str, int, int], ...] = (
    # filename template, content type, size range in bytes
    ("screenshot_{date}.png", "image/png", 80_000, 2_500_000),
    ("error_message.png", "image/png", 40_000, 900_000),
    ("har_capture_{date}.har", "application/json", 300_000, 12_000_000),
    ("{file}", "text/csv", 20_000, 8_000_000),
    ("screen_recording.mp4", "video/mp4", 2_000_000, 40_000_000),
    ("console_log.txt", "text/plain", 2_000, 200_000),
    ("{invoice}.pdf", "application/pdf", 40_000, 400_000),
)
_SPECIALIST_FILES: tuple[tuple[str, str, int, int], ...] = (
    ("support_bundle_{tenant}_{date}.zip", "application/zip", 1_000_000, 60_000_000),
    ("trace_{req_id}.json", "application/json", 10_000, 900_000),
    ("repro_steps.md", "text/markdown", 1_000, 12_000),
    ("config_diff.txt", "text/plain", 1_000, 40_000),
)


def human_size(size: int) -> str:
    """``size`` bytes as people write it (12 KB, 3.4 MB)."""
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{max(1, size // 1000)} KB"


class Diagnostics:
    """Renders log excerpts and attachments for a case."""

    def __init__(self, rng: Random) -> None:
        self._rng = rng

    def log_excerpt(self, profile: AreaProfile, scenario: Scenario, slots: Slots, at: datetime) -> str:
        """A few log lines with timestamps and levels, ending shortly before ``at``."""
        rng = self._rng
        count = rng.randint(3, 7)
        moment = at - timedelta(seconds=rng.randint(30, 900))
        lines = [f"Log excerpt ({profile.name}, tenant {slots['tenant']}):"]
        telling = list(scenario.logs)
        for _ in range(count):
            moment += timedelta(milliseconds=rng.randint(5, 40_000))
            logger = profile.logger[int(rng.random() * len(profile.logger))]
            if telling and rng.random() < 0.5:
                message = slots.fill(telling.pop(int(rng.random() * len(telling))))
                level = "ERROR" if rng.random() < 0.6 else "WARN"
            else:
                template = _ROUTINE_LINES[int(rng.random() * len(_ROUTINE_LINES))]
                message = template.format(ms=rng.randint(3, 900), n=rng.randint(1, 400), k=rng.randint(1, 3))
                level = "INFO"
            lines.append(f"{moment.isoformat(timespec='milliseconds')}Z {level:<5} [{logger}] {message}")
        return "\n".join(lines)

    def attachment(self, slots: Slots, *, from_customer: bool) -> tuple[str, str]:
        """(body text, meta JSON with filename, size_bytes and content_type) of an attached file."""
        rng = self._rng
        files = _CUSTOMER_FILES if from_customer else _SPECIALIST_FILES
        template, content_type, low, high = files[int(rng.random() * len(files))]
        filename = slots.fill(template)
        size = rng.randint(low, high)
        meta = json.dumps({"filename": filename, "size_bytes": size, "content_type": content_type})
        return f"Attached {filename} ({human_size(size)})", meta
