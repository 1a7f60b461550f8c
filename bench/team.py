"""What row-level security costs a team store: PostgreSQL writes and reads as a party member, policies on vs off.

    COORD_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python -m bench.team

The database named is emptied (its public schema dropped) and filled with ``--parties``
stakeholders, two contacts and a representative each; the login ``ct_bench`` (made here,
dropped at the end) is a party member of one of them. In rounds, with the policies on
and with them disabled, each in turn first (``ALTER TABLE … DISABLE ROW LEVEL SECURITY``;
grants and triggers stay), it times a *write* (``coord stakeholder edit`` of its own party: an
UPDATE, contacts and representatives rewritten, one event) and a *read* (the whole
register with contacts and representatives) in-process, over its own connection.
Prints the medians and the on/off ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Sequence

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

LOGIN = "ct_bench"


def _admin(url: str, *statements: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def setup(url: str, parties: int) -> str:
    """A team store with ``parties`` parties; returns the party member's URL."""
    from coordkit.services.members import add_member
    from coordkit.services.stakeholders import add_stakeholder
    from coordkit.services.workspace import enable_team
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import locate

    _admin(url, "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public", f"DROP ROLE IF EXISTS {LOGIN}")
    store = open_store(locate(url), create=True)
    try:
        enable_team(store)
        with store.write() as conn:
            for number in range(parties):
                add_stakeholder(
                    conn,
                    key=f"party-{number:04d}",
                    name=f"Party {number}",
                    kind="resident-group",
                    address=f"{number} Liede Road",
                    contacts=[("phone", f"+86 20 {number:08d}"), ("email", f"p{number}@example.org")],
                    representatives=[(f"Rep {number}", "Director")],
                )
            add_member(conn, login=LOGIN, kind="party", party="party-0000", password="bench")
    finally:
        store.dispose()
    return make_url(url).set(username=LOGIN, password="bench").render_as_string(hide_password=False)


def timed(url: str, operations: int, write: bool) -> list[float]:
    from coordkit.services.stakeholders import edit_stakeholder, list_stakeholders
    from coordkit.storage.engine import open_store
    from coordkit.storage.location import locate

    store = open_store(locate(url))
    times = []
    try:
        for number in range(operations + 1):  # the first one connects: not counted
            started = time.perf_counter()
            if write:
                with store.write() as conn:
                    edit_stakeholder(conn, key="party-0000", address=f"{number} Liede Road, room {time.time_ns()}")
            else:
                with store.read() as conn:
                    list_stakeholders(conn)
            times.append(time.perf_counter() - started)
    finally:
        store.dispose()
    return times[1:]


def main(argv: Sequence[str] | None = None) -> dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("COORD_BENCH_DATABASE_URL"))
    parser.add_argument("--parties", type=int, default=500)
    parser.add_argument("--operations", type=int, default=10, help="writes and reads per round")
    parser.add_argument("--rounds", type=int, default=20, help="rounds, each policies on and off (in turn first)")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("give --url or COORD_BENCH_DATABASE_URL (a PostgreSQL database this may empty)")
    member = setup(args.url, args.parties)
    found: dict[str, list[float]] = {"write on": [], "write off": [], "read on": [], "read off": []}
    try:
        for number in range(args.rounds):
            for state in ("on", "off") if number % 2 == 0 else ("off", "on"):
                verb = "ENABLE" if state == "on" else "DISABLE"
                from coordkit.storage.team import RLS_TABLES

                _admin(args.url, *(f"ALTER TABLE {t} {verb} ROW LEVEL SECURITY" for t in RLS_TABLES))
                found[f"write {state}"] += timed(member, args.operations, write=True)
                found[f"read {state}"] += timed(member, args.operations, write=False)
    finally:
        _admin(args.url, "DROP SCHEMA IF EXISTS public CASCADE", "CREATE SCHEMA public", f"DROP ROLE IF EXISTS {LOGIN}")
    medians = {name: statistics.median(values) * 1000 for name, values in found.items()}
    print(f"| figure ({args.parties} parties, party member's connection) | RLS on (ms) | RLS off (ms) | on/off |")
    print("|---|---|---|---|")
    for kind in ("write", "read"):
        on, off = medians[f"{kind} on"], medians[f"{kind} off"]
        print(f"| {kind} | {on:.2f} | {off:.2f} | {on / off:.2f}× |")
    return medians


if __name__ == "__main__":
    main()
