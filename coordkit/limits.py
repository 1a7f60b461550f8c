"""How big things may be: each limit stops a mistake (or a hostile file) from filling memory or disk.

The README lists them; a value over a limit is refused with one line naming it.
"""

from __future__ import annotations

SCAN_BYTES = 1024 * 1024 * 1024  # a scan of a signed paper: a 400 MB colour scan of 30 pages fits
