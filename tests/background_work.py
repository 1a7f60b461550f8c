"""Functions a test runs in ``coordkit.background``'s second process (it imports them by name)."""

from __future__ import annotations

import os
import time

from coordkit.errors import Refused


def pid_and_sum(*numbers: int) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def refuse(parent: int) -> None:
    raise Refused(f"refused in {'the worker' if os.getpid() != parent else 'this process'}")


def die_in_worker(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(3)
    return "done here"


def unpicklable_in_worker(parent: int) -> object:
    return (lambda: None) if os.getpid() != parent else "done here"


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def speaks() -> str:
    from coordkit.i18n import language

    return language()
