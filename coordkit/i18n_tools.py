"""Developer tools for the message catalogues; not part of ``coord``.

    python -m coordkit.i18n_tools update    # re-extract coordkit.pot, merge it into each .po, compile the .mo
    python -m coordkit.i18n_tools compile   # only compile each .po into its .mo (what the build does)
    python -m coordkit.i18n_tools check     # list what is untranslated, fuzzy or has other placeholders

Babel does the work (``pip install -e '.[test]'`` brings it); ``coord`` itself
never imports this module or Babel: the .mo files are compiled when the
package is built (``hatch_build.py`` loads this file by its path).

Rules of the compiled catalogue: a fuzzy or empty translation is left out,
so the reader sees the English text rather than a guess; so is a
translation whose ``{placeholders}`` differ from its msgid's, because
``.format()`` would raise ``KeyError`` in front of the user. Each one left out
is reported, and ``tests/test_i18n.py`` fails on it: a missing translation
fails the test, never the user's install.
"""

from __future__ import annotations

import os
import string
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
LOCALE_DIR = PACKAGE / "locale"
DOMAIN = "coordkit"  # the same as coordkit.i18n.DOMAIN (this file must load without the package)
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
TRANSLATED = ("zh",)  # every language but English, the source text
# Babel's default keywords include _, N_, gettext, ngettext and pgettext: the ones coordkit.i18n defines.
COMMENT_TAGS = ("Translators:",)
HEADER = """\
# Messages of coord, the command line of coordkit.
# Made by `python -m coordkit.i18n_tools update` from the source; edit the .po files, not this template.
#"""


def po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def placeholders(text: str) -> set[str]:
    """The named fields of a ``str.format`` text: ``"no {kind} '{key}'"`` → ``{"kind", "key"}``.

    Format specs and conversions are not part of the name (``{count:d}`` is
    ``count``); ``{{`` is a literal brace. A malformed text (a lone ``}``) is
    one field named after the error, so it never matches a well-formed one.
    """
    try:
        return {field for _literal, field, _spec, _conv in string.Formatter().parse(text) if field is not None}
    except ValueError as error:
        return {f"<malformed: {error}>"}


def _forms(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def problems(message: Message) -> list[str]:
    """Why ``message``'s translation cannot be used: empty, fuzzy, or other placeholders (none: usable)."""
    ids, strings = _forms(message.id), _forms(message.string)
    if not strings or not all(strings):
        return ["untranslated"]
    if message.fuzzy:
        return ["fuzzy"]
    wanted = set().union(*(placeholders(text) for text in ids))
    found: list[str] = []
    for text in strings:
        got = placeholders(text)
        # a plural form may leave out {count} ("一项" for one), never add a field the msgid lacks
        if got - wanted or (len(ids) == 1 and got != wanted):
            found.append(f"placeholders {sorted(got)} differ from the msgid's {sorted(wanted)}")
    return found


def describe(message: Message) -> str:
    """``coordkit/errors.py:61 "no {kind} '{key}'"``: where a message is and what it says."""
    where = ", ".join(path if line is None else f"{path}:{line}" for path, line in message.locations)
    first = message.id if isinstance(message.id, str) else message.id[0]
    return f"{where} {first!r}" if where else repr(first)


def read_catalog(path: Path, lang: str | None = None) -> Catalog:
    """A .po or .pot file; a syntax error raises (a broken catalogue must not ship)."""
    from babel.messages.pofile import PoFileError, read_po

    with path.open("rb") as handle:
        try:
            return read_po(handle, locale=lang, domain=DOMAIN, abort_invalid=True)
        except PoFileError as error:
            text = str(error).removesuffix(f" on {error.lineno}")  # Babel counts lines from 0
            raise ValueError(f"{path}:{error.lineno + 1}: {text}") from None


def usable(catalog: Catalog) -> tuple[Catalog, list[str]]:
    """A copy of ``catalog`` holding only usable translations, and a line per message left out."""
    from babel.messages.catalog import Catalog

    kept = Catalog(locale=catalog.locale, domain=catalog.domain, fuzzy=False)
    kept.mime_headers = catalog.mime_headers
    kept.fuzzy = False  # the header's own fuzzy flag is not a translation's
    left_out = []
    for message in catalog:
        if not message.id:
            continue
        why = problems(message)
        if why:
            left_out.append(f"{describe(message)}: {'; '.join(why)}")
        else:
            kept[message.id] = message
    return kept, left_out


def write_atomic(path: Path, content: bytes) -> None:
    """``content`` to ``path`` through a temporary file in the same folder: never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def compile_catalog(po: Path, mo: Path, lang: str) -> list[str]:
    """Compile ``po`` into ``mo`` with only its usable translations; what was left out, one line each."""
    from io import BytesIO

    from babel.messages.mofile import write_mo

    kept, left_out = usable(read_catalog(po, lang))
    buffer = BytesIO()
    write_mo(buffer, kept)
    write_atomic(mo, buffer.getvalue())
    return left_out


def compile_all(locale_dir: Path = LOCALE_DIR, out_dir: Path | None = None) -> dict[Path, list[str]]:
    """Every ``<lang>/LC_MESSAGES/coordkit.po`` under ``locale_dir`` into its .mo (under ``out_dir`` if given)."""
    report = {}
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        relative = po.relative_to(locale_dir).with_suffix(".mo")
        mo = (out_dir or locale_dir) / relative
        report[mo] = compile_catalog(po, mo, lang)
    return report


def extract(package: Path = PACKAGE) -> Catalog:
    """Every message marked in ``package``'s Python files, with where it is (paths from the repository root)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(
        project="coordkit", domain=DOMAIN, copyright_holder="the coordkit authors", header_comment=HEADER, fuzzy=False
    )
    root = package.parent
    for filename, line, message, comments, context in extract_from_dir(
        package,
        method_map=[("**.py", "python")],
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=lambda path: "__pycache__" not in path and not Path(path).name.startswith("."),
    ):
        location = (Path(package, filename).relative_to(root).as_posix(), line)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def _po_bytes(catalog: Catalog, **options: bool) -> bytes:
    from io import BytesIO

    from babel.messages.pofile import write_po

    buffer = BytesIO()
    # Locations without line numbers: an edit elsewhere in a file does not touch the catalogues (nor make them
    # conflict between branches); the test and `check` print line numbers from a fresh extraction.
    write_po(buffer, catalog, width=100, sort_by_file=True, include_lineno=False, **options)
    return buffer.getvalue()


def _write_if_changed(path: Path, content: bytes) -> None:
    """Leave ``path`` alone when only its dates would change, so an update without news makes no diff."""

    def meaning(data: bytes) -> list[bytes]:
        return [
            line for line in data.splitlines() if not line.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))
        ]

    if path.is_file() and meaning(path.read_bytes()) == meaning(content):
        return
    write_atomic(path, content)


def update(locale_dir: Path = LOCALE_DIR, package: Path = PACKAGE, languages: Iterable[str] = TRANSLATED) -> None:
    """Write the template from the source, then merge it into each language's .po (new ones made empty).

    A msgid that changed a little keeps its old translation marked fuzzy for
    review (so the test fails until a translator clears the flag); a message
    gone from the source stays at the end of the .po as an obsolete ``#~`` entry.
    """
    from babel.core import Locale
    from babel.messages.catalog import Catalog

    template = extract(package)
    _write_if_changed(locale_dir / f"{DOMAIN}.pot", _po_bytes(template, ignore_obsolete=True))
    for lang in languages:
        path = po_path(lang, locale_dir)
        if path.is_file():
            catalog = read_catalog(path, lang)
        else:
            catalog = Catalog(locale=Locale.parse(lang), domain=DOMAIN, project="coordkit", fuzzy=False)
        catalog.update(template, update_header_comment=False, update_creation_date=False)
        _write_if_changed(path, _po_bytes(catalog))


def missing(locale_dir: Path = LOCALE_DIR, languages: Iterable[str] = TRANSLATED) -> list[str]:
    """A line per message of the source with no usable translation, for each language."""
    template = extract()
    lines = []
    for lang in languages:
        catalog = read_catalog(po_path(lang, locale_dir), lang)
        for message in template:
            if not message.id:
                continue
            found = catalog.get(message.id, message.context)
            why = problems(found) if found is not None else ["not in the .po; run update"]
            if why:
                lines.append(f"{lang}: {describe(message)}: {'; '.join(why)}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command == "update":
        update()
        print(f"Wrote {TEMPLATE.relative_to(ROOT)}", file=sys.stderr)
        for lang in TRANSLATED:
            print(f"Updated {po_path(lang).relative_to(ROOT)}", file=sys.stderr)
    if command in ("update", "compile"):
        for mo, left_out in compile_all().items():
            print(f"Compiled {mo.relative_to(ROOT)} ({len(left_out)} left out)", file=sys.stderr)
            for line in left_out:
                print(f"  {line}", file=sys.stderr)
        return 0
    if command == "check":
        lines = missing()
        for line in lines:
            print(line)
        print(f"{len(lines)} message(s) without a usable translation", file=sys.stderr)
        return 1 if lines else 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
