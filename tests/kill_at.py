"""Run coord and SIGKILL it right after the N-th call of ``os.write``, ``os.fsync`` or ``os.replace``.

For the kill tests in test_robustness.py: ``python tests/kill_at.py write 3 export -o ws.yaml``
dies after the third 1 KB chunk of the export reached the disk, as if the
power went or someone ran ``kill -9`` at that moment. Exit status -9 then.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def main() -> None:
    event, count, *args = sys.argv[1:]
    target = int(count)
    from coordkit import files

    files.CHUNK = 1024  # many small writes: room to die in the middle of one file
    original = getattr(os, event)
    calls = 0

    def then_die(*a: Any, **k: Any) -> Any:
        nonlocal calls
        result = original(*a, **k)
        calls += 1
        if calls == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(os, event, then_die)
    from coordkit.cli.app import app

    app(args, prog_name="coord")


if __name__ == "__main__":
    main()
