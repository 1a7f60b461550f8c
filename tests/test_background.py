"""coordkit.background: work in a second process that never changes a result, only when it arrives."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coordkit.background import Background
from coordkit.errors import Refused
from tests import background_work as work


@pytest.fixture(autouse=True)
def importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second process imports ``tests.background_work`` by name, as it imports coordkit's own functions."""
    here = str(Path(__file__).parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")])))


def test_the_result_comes_from_another_process() -> None:
    job = Background(work.pid_and_sum, 1, 2, 3)
    pid, total = job.result()
    assert total == 6 and pid != os.getpid() and job.elsewhere


def test_a_refusal_in_the_worker_is_raised_here_as_it_is() -> None:
    with pytest.raises(Refused, match=r"^refused in the worker$"):
        Background(work.refuse, os.getpid()).result()


@pytest.mark.parametrize("function", [work.die_in_worker, work.unpicklable_in_worker])
def test_a_worker_that_fails_is_replaced_by_the_same_work_here(function: object) -> None:
    job = Background(function, os.getpid())  # type: ignore[arg-type]
    assert job.result() == "done here" and not job.elsewhere


def test_no_second_process_means_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("coordkit.background.sys.executable", "/nonexistent/python")
    job = Background(work.pid_and_sum, 4, 5)
    assert job.result() == (os.getpid(), 9) and not job.elsewhere


def test_a_worker_whose_result_is_not_wanted_is_stopped() -> None:
    started = time.monotonic()
    with Background(work.sleep, 60) as job:
        process = job._process
        assert process is not None
    assert process.poll() is not None and time.monotonic() - started < 30


def test_a_result_asked_for_twice_is_the_one_answer() -> None:
    job = Background(work.pid_and_sum, 7)
    first = job.result()
    assert job.result() is first and first[0] != os.getpid()


def test_the_worker_speaks_the_language_this_process_speaks() -> None:
    """``--lang zh`` is no environment variable the worker would inherit: Background hands the language over."""
    from coordkit.i18n import set_language

    set_language("zh")
    try:
        job = Background(work.speaks)
        assert job.result() == "zh" and job.elsewhere
    finally:
        set_language(None)
