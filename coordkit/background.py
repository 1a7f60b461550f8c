"""Work done beside a command in a second process, on the second core of the two its targets are set for.

``coord check`` of the reference store spends 0.5 s of its 2.1 s hashing the 113,001 events of the chain, and
none of its rules needs that work; ``coord report`` draws its charts while WeasyPrint loads. The second process
is started with ``spawn`` (a fresh interpreter, the same on Linux, macOS and Windows, and nothing of the
parent's open database handed over), so it costs about 0.05 s to start: worth it only for work that takes
several times that.

A worker never changes a result, only when it arrives: if the process cannot start, dies or sends back
something that does not arrive whole, the same function runs here instead. A ``CoordError`` it raises is
the user's to see and is raised here as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from coordkit.errors import CoordError

T = TypeVar("T")


class Background(Generic[T]):
    """``function(*args)`` started in a second process now; ``result()`` waits for it.

    ``function`` must be importable by name (a module-level function) and its arguments and result picklable.
    """

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._function, self._args = function, args
        self._pool: Any = None
        self._future: Any = None
        try:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
            self._future = self._pool.submit(function, *args)
        except Exception:  # no processes here (a sandbox, a frozen build): the work is done in result()
            self._close()

    def result(self) -> T:
        """What ``function(*args)`` returned, from the worker, or computed here when the worker failed."""
        future, self._future = self._future, None
        if future is None:
            return self._function(*self._args)
        try:
            return future.result()  # type: ignore[no-any-return]
        except CoordError:
            raise
        except Exception:  # the worker died or its answer did not unpickle: the same work, here
            return self._function(*self._args)
        finally:
            self._close()

    def _close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
