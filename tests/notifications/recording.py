"""An SMS backend for the worker tests that records every call, duplicates
included (FileSms would hide a duplicate by honouring the key)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path


class RecordingSms:
    def send(self, message) -> None:
        delay = float(os.environ.get("SMS_RECORD_DELAY", "0"))
        if delay:
            time.sleep(delay)  # a provider's round trip: where a crash is likely to land
        line = json.dumps({"key": message.key, "pid": os.getpid()}) + "\n"
        with Path(os.environ["SMS_RECORD_PATH"]).open("a", encoding="utf-8") as handle:
            handle.write(line)


def recorded_keys(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [json.loads(line)["key"] for line in path.read_text().splitlines() if line.strip()]
