"""Work done beside a command in a second process, on the second core of the two its targets are set for.

``coord check`` of the reference store spent 0.7 s of its 2.1 s verifying the store (0.45 s of it hashing the
113,001 events of the chain), and none of its rules needs that work. The second process is a fresh interpreter
(``python -m coordkit.background``: the same on Linux, macOS and Windows, and nothing of the parent's open
database handed over) that reads the function and its arguments pickled on stdin and writes the result on
stdout. A round trip of nothing takes 0.04 s here; ``multiprocessing``'s spawn took 0.05–0.07 s and then
imports the parent's main module (coord's command line, 0.06 s) again. So it is worth it only for work that
takes several times that.

A worker never changes a result, only when it arrives: if the process cannot start, dies or sends back
something that does not unpickle, the same function runs here instead. A ``CoordError`` it raises is the
user's to see and is raised here as it is.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any, BinaryIO, Generic, TypeVar

from coordkit.errors import CoordError

T = TypeVar("T")


class Background(Generic[T]):
    """``function(*args)`` started in a second process now, speaking the language this one speaks (a refusal
    or a finding it words reads as it would here); ``result()`` waits for it.

    ``function`` must be importable by name (a module-level function), its arguments and result picklable.
    Used as a context manager, a worker whose result was never asked for is stopped on the way out.
    """

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._function, self._args = function, args
        self._process: subprocess.Popen[bytes] | None = None
        self.elsewhere = False  # the result came from the second process (tests look)
        self._done = False
        self._value: Any = None
        try:
            from coordkit.i18n import language

            request = (function.__module__, function.__qualname__, args, language())
            request_bytes = pickle.dumps(request, pickle.HIGHEST_PROTOCOL)
            self._process = subprocess.Popen(
                [sys.executable, "-m", "coordkit.background"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a failure is seen again, with its message, when the work runs here
            )
            assert self._process.stdin is not None
            self._process.stdin.write(request_bytes)
            self._process.stdin.close()
        except Exception:  # no second process here (a sandbox, a frozen build): result() does the work
            self.stop()

    def result(self) -> T:
        """What ``function(*args)`` returned, from the worker, or computed here when the worker failed; asked
        again, the same object."""
        if not self._done:
            self._value = self._receive()
            self._done = True
        return self._value

    def _receive(self) -> T:
        process, self._process = self._process, None
        if process is None:
            return self._function(*self._args)
        try:
            assert process.stdout is not None
            answer = process.stdout.read()
            process.wait()
            ok, value = pickle.loads(answer) if process.returncode == 0 else (False, None)
        except Exception:  # it died, or its answer does not unpickle: the same work, here
            ok, value = False, None
        finally:
            _end(process)
        if ok:
            self.elsewhere = True
            return value  # type: ignore[return-value]
        if isinstance(value, CoordError):
            raise value
        return self._function(*self._args)

    def stop(self) -> None:
        """Stop the worker if it still runs (its result is not wanted)."""
        process, self._process = self._process, None
        if process is not None:
            _end(process)

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def _end(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


def serve(source: BinaryIO, target: BinaryIO) -> None:
    """The worker's side: one pickled request in, ``(True, result)`` or ``(False, CoordError)`` out."""
    import importlib

    from coordkit.i18n import set_language

    module, name, args, lang = pickle.load(source)
    set_language(lang)
    function: Any = importlib.import_module(module)
    for part in name.split("."):
        function = getattr(function, part)
    try:
        answer = (True, function(*args))
    except CoordError as error:
        answer = (False, error)
    target.write(pickle.dumps(answer, pickle.HIGHEST_PROTOCOL))
    target.flush()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
