"""Pausing Python's cyclic garbage collector over work that builds many objects and no cycles.

At reference scale (``python -m bench.run``), paused over the whole of the work: ``coord export`` 10.2 s →
5.8 s, ``coord matrix --format csv`` 2.0 s → 1.4 s, planning the matrix import 4.1 s → 3.5 s, ``coord verify``
0.89 s → 0.79 s. ``coord apply`` gained nothing (its time is in SQLite), so it is not paused. Rendering a batch
is never paused: WeasyPrint's boxes point at their parents, and 100 PDFs would hold every one of those cycles.
The one PDF of ``coord report`` is (``render.report``: its layout and drawing 0.94 s → 0.85 s, 0.7 MB more at
the peak).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """No cyclic collection inside: the snapshot of the reference store holds 176,000 tuples, lists and dicts
    the collector tracks, and it walked them again each time a generation filled (``coord check``: the snapshot
    0.53 s → 0.37 s, the rules 1.00 s → 0.77 s). They hold no cycles, so nothing is left for it to find; it runs
    again after the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
