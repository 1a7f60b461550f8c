"""Find the store the way git finds ``.git``.

Order: ``--db`` (a path or a SQLAlchemy URL), then ``COORD_DB``, then
``COORD_DATABASE_URL``, then the nearest ``coord.db`` in the current folder or
its parents.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from coordkit.errors import StoreError

STORE_FILE = "coord.db"


@dataclass(frozen=True)
class StoreLocation:
    """A store's address: ``path`` for SQLite files, ``url`` for everything."""

    url: str
    path: Path | None
    root: Path  # the workspace folder: coord.toml, templates/, agreements/
    source: str

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")

    @property
    def display(self) -> str:
        if self.path is not None:
            return str(self.path)
        return _hide_password(self.url)


def _hide_password(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in creds else url
    return url


def server_url(url: str) -> str:
    """Normalise a server URL: plain ``postgresql://`` means the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def from_path(path: Path, source: str) -> StoreLocation:
    path = path.expanduser().absolute()
    if path.is_dir():
        path = path / STORE_FILE
    return StoreLocation(url=f"sqlite:///{path}", path=path, root=path.parent, source=source)


def from_url(url: str, source: str, cwd: Path) -> StoreLocation:
    if url.startswith("sqlite:///"):
        return from_path(Path(url.removeprefix("sqlite:///")), source)
    return StoreLocation(url=server_url(url), path=None, root=cwd, source=source)


def locate(db: str | None = None, *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> StoreLocation:
    """Where the store is; raises ``StoreError`` with the way out when there is none."""
    env = os.environ if env is None else env
    cwd = (cwd or Path.cwd()).absolute()
    for value, source in ((db, "--db"), (env.get("COORD_DB"), "COORD_DB")):
        if value:
            if "://" in value:
                return from_url(value, source, cwd)
            return from_path(Path(value), source)
    url = env.get("COORD_DATABASE_URL")
    if url:
        return from_url(url, "COORD_DATABASE_URL", cwd)
    for folder in (cwd, *cwd.parents):
        candidate = folder / STORE_FILE
        if candidate.is_file():
            return from_path(candidate, "found")
    raise StoreError(
        f"no coord store in {cwd} or any folder above it; run 'coord init' to make one here, or pass --db PATH"
    )


def for_init(directory: Path | None, db: str | None, env: Mapping[str, str] | None = None) -> StoreLocation:
    """Where ``coord init`` makes the store: DIR, else --db/COORD_DB/URL, else here."""
    env = os.environ if env is None else env
    cwd = Path.cwd().absolute()
    if directory is not None:
        return from_path(directory / STORE_FILE if directory.suffix != ".db" else directory, "init")
    for value, source in ((db, "--db"), (env.get("COORD_DB"), "COORD_DB")):
        if value:
            return from_url(value, source, cwd) if "://" in value else from_path(Path(value), source)
    url = env.get("COORD_DATABASE_URL")
    if url:
        return from_url(url, "COORD_DATABASE_URL", cwd)
    return from_path(cwd / STORE_FILE, "init")
