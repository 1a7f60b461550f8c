"""Find the store the way git finds ``.git``.

Order: ``--db`` (a path, a folder, or a database URL), then ``COORD_DB``, then
``COORD_DATABASE_URL``, then the nearest ``coord.db`` in the current folder or
its parents.

A store path is never parsed as a URL: ``coord init "data?x"`` makes
``data?x/coord.db``, not a store in a file named ``data`` with the "query"
``x/coord.db``; ``Who pays?`` and ``a%20b`` are folder names like any other.
Only a value with ``://`` is a URL, and only ``sqlite:///``,
``postgresql://``, ``postgres://`` and ``postgresql+psycopg://`` ones are
accepted. A SQLite store is kept as its ``path``; its ``url`` is built from
that path with the quoting SQLAlchemy undoes (``?`` → ``%3F``).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from coordkit.errors import InvalidInput, StoreError
from coordkit.i18n import _

STORE_FILE = "coord.db"
SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
ACCEPTED = "sqlite:///PATH, postgresql://, postgres:// or postgresql+psycopg://"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class StoreLocation:
    """A store's address: ``path`` for SQLite files, ``url`` for everything (for SQLite: quoted from ``path``)."""

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

    def sqlalchemy_url(self) -> Any:
        """A SQLAlchemy ``URL`` object built from parts: for SQLite the path goes in whole, never re-parsed.

        ``create_engine(location.sqlalchemy_url())`` opens the file the person
        named on every SQLAlchemy 2.x; a URL *string* with ``?`` in the path
        only round-trips on 2.1 and later.
        """
        from sqlalchemy.engine import URL, make_url

        if self.path is not None:
            return URL.create("sqlite", database=str(self.path))
        return make_url(self.url)


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


def sqlite_url(path: Path) -> str:
    """``/w/Who pays?/coord.db`` → ``sqlite:////w/Who pays%3F/coord.db``: what SQLAlchemy 2.1's URL renders and parses back."""
    return "sqlite:///" + quote(str(path), safe=" +/")


def _limits(path: Path) -> tuple[int, int]:
    """(longest path, longest name) in bytes on the file system that would hold ``path`` (4096, 255 if unknown)."""
    probe = path
    while not os.path.exists(probe) and probe != probe.parent:  # os.path.exists: False, not an error, when too long
        probe = probe.parent
    try:
        return os.pathconf(probe, "PC_PATH_MAX"), os.pathconf(probe, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows), or the file system will not say
        return 4096, 255


def _checked(path: Path, source: str) -> Path:
    """``path`` made absolute, or one line saying why it cannot be a store path."""
    text = str(path)
    if "\x00" in text:
        raise InvalidInput(
            _("{source}: the path holds a NUL character; name the store with a plain path").format(source=source)
        )
    with contextlib.suppress(RuntimeError):  # ~someone with no such user: a folder named that way, then
        path = path.expanduser()
    path = path.absolute()
    longest, longest_name = _limits(path)
    size = len(os.fsencode(str(path)))
    too_long_name = next((part for part in path.parts if len(os.fsencode(part)) > longest_name), None)
    if size >= longest or too_long_name is not None:
        raise InvalidInput(
            _(
                "{source}: the path is {size:,} bytes long; this system allows {longest:,} in all and "
                "{name:,} for one folder or file name; choose a shorter path"
            ).format(source=source, size=size, longest=longest, name=longest_name)
        )
    return path


def from_path(path: Path, source: str) -> StoreLocation:
    """The store at ``path``: a file, or ``coord.db`` in it when it is a folder. Never parsed as a URL."""
    path = _checked(Path(path), source)
    try:
        is_folder = path.is_dir()
    except OSError:  # no permission to look: the store cannot be opened there either, and says so when opened
        is_folder = False
    if is_folder:
        path = path / STORE_FILE
    return StoreLocation(url=sqlite_url(path), path=path, root=path.parent, source=source)


def _not_a_store(value: str, source: str) -> InvalidInput:
    return InvalidInput(
        _("{source} '{value}' is not a store coord can open; pass a path, a folder, or a URL: {accepted}").format(
            source=source, value=value if len(value) <= 200 else value[:200] + "…", accepted=ACCEPTED
        )
    )


def _from_sqlite_url(value: str, source: str) -> StoreLocation:
    """``sqlite:///rel.db`` (relative), ``sqlite:////abs/coord.db``; the path is percent-decoded, as in any URL."""
    rest = value.split("://", 1)[1]
    if not rest.startswith("/") or rest in ("/", "/:memory:"):
        raise InvalidInput(
            _("{source} '{value}' names no file; use sqlite:///PATH, or just the path").format(
                source=source, value=value
            )
        )
    database = rest[1:]
    if "?" in database:
        raise InvalidInput(
            _(
                "{source} '{value}': coord takes no options after '?' in a sqlite URL; "
                "for a folder with '?' in its name, pass the path itself"
            ).format(source=source, value=value)
        )
    return from_path(Path(unquote(database)), source)


def from_url(url: str, source: str, cwd: Path) -> StoreLocation:
    """A store named by a URL; only SQLite and PostgreSQL ones are accepted, anything else is one line."""
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme == "sqlite":
        return _from_sqlite_url(url, source)
    if scheme in SERVER_SCHEMES:
        return StoreLocation(url=server_url(scheme + url[len(scheme) :]), path=None, root=cwd, source=source)
    raise _not_a_store(url, source)


def from_value(value: str, source: str, cwd: Path) -> StoreLocation:
    """What ``--db`` or ``COORD_DB`` says: a URL when it holds ``://``, else a path (relative to ``cwd``)."""
    if "://" in value:
        return from_url(value, source, cwd)
    path = Path(value)
    return from_path(path if path.is_absolute() or value.startswith("~") else cwd / path, source)


def locate(db: str | None = None, *, cwd: Path | None = None, env: Mapping[str, str] | None = None) -> StoreLocation:
    """Where the store is; raises ``StoreError`` with the way out when there is none."""
    env = os.environ if env is None else env
    cwd = (cwd or Path.cwd()).absolute()
    for value, source in ((db, "--db"), (env.get("COORD_DB"), "COORD_DB")):
        if value:
            return from_value(value, source, cwd)
    url = env.get("COORD_DATABASE_URL")
    if url:
        return from_value(url, "COORD_DATABASE_URL", cwd)
    for folder in (cwd, *cwd.parents):
        candidate = folder / STORE_FILE
        if candidate.is_file():
            return from_path(candidate, "found")
    raise StoreError(
        _(
            "no coord store in {folder} or any folder above it; run 'coord init' to make one here, or pass --db PATH"
        ).format(folder=cwd)
    )


def for_init(directory: Path | None, db: str | None, env: Mapping[str, str] | None = None) -> StoreLocation:
    """Where ``coord init`` makes the store: DIR, else --db/COORD_DB/URL, else here."""
    env = os.environ if env is None else env
    cwd = Path.cwd().absolute()
    if directory is not None:
        return from_path(directory / STORE_FILE if directory.suffix != ".db" else directory, "init")
    for value, source in ((db, "--db"), (env.get("COORD_DB"), "COORD_DB")):
        if value:
            return from_value(value, source, cwd)
    url = env.get("COORD_DATABASE_URL")
    if url:
        return from_value(url, "COORD_DATABASE_URL", cwd)
    return from_path(cwd / STORE_FILE, "init")
