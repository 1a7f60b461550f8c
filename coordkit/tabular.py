"""Reading the registers and responsibility charts coordinators keep in spreadsheets.

Offices send XLSX, or CSV that Excel saved in the system code page: in China
that is GBK (GB18030 is its superset) without a byte-order mark, which is why so
many tools show such files as mojibake. A CSV is read as: its BOM's encoding if
it has one; else UTF-8 if every byte sequence is valid UTF-8; else GB18030 if it
decodes and what comes out is (90 % or more) characters of GB2312, the everyday
simplified set (Latin-1 or Big5 bytes read as GBK give mostly rare characters);
else charset-normalizer's best guess. ``encoding=`` forces one.

Spreadsheets often start with a merged title row ("猎德社区共建单位名录")
above the header, so the header is the first row that matches the expected
headings best, not row 1. Every row keeps its 1-based number in the file, so an
error can say "row 14".
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coordkit.errors import InvalidInput
from coordkit.i18n import _

MAX_BYTES = 50 * 1024 * 1024  # a 10,000-duty matrix by 200 parties is about 3 MB as XLSX
HEADER_SCAN = 30  # title rows above the header: a few in practice; the header is looked for in the first 30
GB2312_SHARE = 0.9
DELIMITERS = (",", ";", "\t")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
IGNORE = "-"  # --map 序号=- : a column deliberately left out, not reported
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),  # Excel's "Unicode text": UTF-16 with BOM, tab-separated
    (codecs.BOM_UTF16_BE, "utf-16"),
)

STAKEHOLDER_FIELDS: dict[str, tuple[str, ...]] = {
    "key": ("键", "标识", "代码", "key", "id", "code", "slug"),
    "name": ("名称", "单位名称", "机构名称", "组织名称", "单位", "name", "organisation", "organization", "英文名称"),
    "name_zh": ("中文名", "中文名称", "名称(中文)", "chinese name", "name (chinese)", "name_zh", "name zh"),
    "kind": ("类型", "类别", "单位类型", "机构类型", "单位性质", "kind", "type", "category"),
    "influence": ("影响力", "影响", "权力", "influence", "power"),
    "interest": ("关注度", "关注程度", "兴趣", "interest"),
    "interests": ("诉求", "利益诉求", "关注点", "需求", "interests", "demands", "interests and demands"),
    "contacts": ("联系方式", "contacts", "contact"),
    "phone": ("电话", "联系电话", "办公电话", "座机", "phone", "telephone", "tel"),
    "mobile": ("手机", "手机号", "手机号码", "mobile", "cell", "cellphone"),
    "wechat": ("微信", "微信号", "wechat", "weixin"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "email", "e-mail", "mail"),
    "address": ("地址", "办公地址", "address"),
    "representative": ("代表", "联系人", "负责人", "代表人", "representative", "contact person"),
    "title": ("职务", "职位", "title", "position"),
}

DUTY_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("项目", "项目键", "project"),
    "key": ("职责编号", "职责键", "编号", "键", "key", "duty", "duty key"),
    "title": ("职责", "事项", "工作事项", "任务", "工作内容", "title", "duty title", "task"),
    "title_zh": ("中文标题", "职责(中文)", "title_zh", "title zh", "chinese title"),
    "category": ("类别", "分类", "category"),
    "due": ("期限", "截止日期", "完成时限", "due", "due date", "deadline"),
}

# Columns of a responsibility chart that describe the duty; every other column is a party.
MATRIX_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("项目", "project"),
    "category": ("类别", "分类", "category"),
    "duty": ("职责编号", "职责键", "编号", "duty", "duty key", "key"),
    "title": ("职责", "事项", "工作事项", "任务", "工作内容", "title", "duty title", "task"),
    "findings": ("问题", "检查结果", "findings"),
}
LETTER_WORDS = {  # the words of coord's own legend (render.i18n.LETTERS: R 执行, A 负责, C 咨询, I 知会) first
    "执行": "R",
    "负责": "A",
    "批准": "A",
    "审批": "A",
    "问责": "A",
    "咨询": "C",
    "征询": "C",
    "知会": "I",
    "告知": "I",
    "通知": "I",
}
MARK_RE = re.compile(r"^([RACI])([*#+]*)$")
SPLIT_RE = re.compile(r"[,，、/;；\s]+")


@dataclass(frozen=True)
class Row:
    """One data row: its 1-based number in the file (or sheet) and its filled cells by column (0-based).

    Only filled cells are kept: a responsibility chart of 10,000 duties by 2,000 parties is nearly all empty,
    and one text per column held 20 million slots (160 MB) for 100,000 marks.
    """

    number: int
    filled: dict[int, str]
    width: int

    @classmethod
    def of(cls, number: int, cells: Sequence[str], width: int | None = None) -> Row:
        """The row of ``cells`` (one text per column), ``width`` columns wide (default: as many as given)."""
        size = len(cells) if width is None else width
        return cls(number, {i: text for i, text in enumerate(cells[:size]) if text}, size)

    def get(self, index: int) -> str:
        return self.filled.get(index, "")

    @property
    def cells(self) -> tuple[str, ...]:
        """One text per column, empty ones too."""
        return tuple(self.filled.get(i, "") for i in range(self.width))


@dataclass
class Table:
    """A sheet or CSV file below its header row; every cell is text (numbers as Excel shows them)."""

    source: str
    headers: tuple[str, ...]
    rows: list[Row]
    header_row: int
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None

    def where(self, row: int, column: int | None = None) -> str:
        """``register.xlsx, sheet 名录, row 14, column C ('电话')`` for messages."""
        values = {"file": self.source, "sheet": self.sheet, "row": row}
        if column is None:
            if self.sheet:
                return _("{file}, sheet {sheet}, row {row}").format(**values)
            return _("{file}, row {row}").format(**values)
        values["column"] = column_name(self.headers, column)
        if self.sheet:
            return _("{file}, sheet {sheet}, row {row}, {column}").format(**values)
        return _("{file}, row {row}, {column}").format(**values)

    def records(self, mapping: Mapping[int, str]) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number, {field: text}) for each row, leaving out empty cells and ignored columns."""
        for row in self.rows:
            record = {name: row.get(index) for index, name in mapping.items() if name != IGNORE and row.get(index)}
            yield row.number, record


@dataclass(frozen=True)
class MatrixDuty:
    """A duty row of a responsibility chart."""

    row: int
    duty: str
    title: str
    project: str = ""
    category: str = ""
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatrixCell:
    """One filled cell: where it is (1-based row and column in the file), whose, and its marks."""

    row: int
    column: int
    duty: str
    party: str
    marks: tuple[str, ...]

    @property
    def text(self) -> str:
        """The marks as coord writes them: ``R*,C#``."""
        return ",".join(self.marks)


@dataclass
class Matrix:
    source: str
    parties: tuple[str, ...]
    duties: list[MatrixDuty] = field(default_factory=list)
    cells: list[MatrixCell] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 → ``A``, 25 → ``Z``, 26 → ``AA``: the names Excel shows above the columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(headers: Sequence[str], index: int) -> str:
    header = headers[index] if index < len(headers) else ""
    if header:
        return _("column {letter} ('{header}')").format(letter=column_letter(index), header=header)
    return _("column {letter} (no header)").format(letter=column_letter(index))


def normalise(text: str) -> str:
    """What two headings must share to be the same: ``Ｅ-mail：`` and ``e-mail`` are, ``手机 号`` and ``手机号`` are.

    NFKC turns full-width letters, digits and brackets into ASCII; case, spaces
    (also U+3000), a trailing colon and required-field stars do not count.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\s+", "", text)
    return text.strip("*:")


def _bare(text: str) -> str:
    """A normalised heading without its bracketed note: ``影响力(1-5)`` → ``影响力``."""
    return re.sub(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】", "", text)


# --- reading ---------------------------------------------------------------------------------------


def read_table(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    header_hints: Iterable[str] = (),
    max_bytes: int = MAX_BYTES,
) -> Table:
    """The table in an XLSX sheet (``sheet``, else the first) or a CSV file, below its header row."""
    source = Path(path)
    data = _read_bytes(source, max_bytes)
    hints = {normalise(h) for h in header_hints}
    if _is_xlsx(source, data):
        if encoding:
            raise InvalidInput(
                _("{file} is a workbook: --encoding applies to CSV files only; leave it out").format(file=source.name)
            )
        title, lines = _xlsx_rows(source, data, sheet)
        return _table(source.name, lines, hints, sheet=title)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            _("{file} is an old Excel 97–2003 workbook (.xls); save it as .xlsx or CSV and import that").format(
                file=source.name
            )
        )
    if sheet:
        raise InvalidInput(_("{file} is a CSV file and has no sheets: leave out --sheet").format(file=source.name))
    text, used = decode(data, encoding, source.name)
    delimiter = sniff_delimiter(text)
    return _table(source.name, _csv_rows(text, delimiter, source.name), hints, encoding=used, delimiter=delimiter)


def _lines(text: str) -> Iterator[str]:
    """``text`` line by line, each with its ``\\n``, as ``io.StringIO(text)`` gives them, without its copy of the
    whole text at four bytes a character (80 MB for the reference matrix's 20 MB CSV)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _csv_rows(text: str, delimiter: str, name: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    """Records numbered as Excel numbers the rows (a quoted cell over two lines is still one row)."""
    reader = csv.reader(_lines(text), delimiter=delimiter)
    number = 0
    try:
        for number, row in enumerate(reader, 1):
            yield number, tuple(map(str.strip, row))  # text already: no cell needs cell_text
    except csv.Error as error:
        raise InvalidInput(
            _("{file}, row {row}: {reason}; open it in Excel or WPS and save it as CSV again").format(
                file=name, row=number + 1, reason=error
            )
        ) from None


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing what is not a regular file or is too big (before reading it)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InvalidInput(_("{path}: no such file").format(path=path)) from None
    except OSError as error:
        raise InvalidInput(_("{path}: cannot read it: {reason}").format(path=path, reason=error.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        raise InvalidInput(_("{path} is not a regular file; give the path of a .xlsx or .csv file").format(path=path))
    if info.st_size > max_bytes:
        raise InvalidInput(
            _("{path} is {size}, more than the {limit} coord reads; split it or remove unused sheets").format(
                path=path, size=size_text(info.st_size), limit=size_text(max_bytes)
            )
        )
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since the check above
                raise InvalidInput(
                    _("{path} is not a regular file; give the path of a .xlsx or .csv file").format(path=path)
                )
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise InvalidInput(_("{path}: cannot read it: {reason}").format(path=path, reason=error.strerror)) from None
    if len(data) > max_bytes:
        raise InvalidInput(
            _("{path} is more than the {limit} coord reads; split it or remove unused sheets").format(
                path=path, limit=size_text(max_bytes)
            )
        )
    return data


def size_text(size: int) -> str:
    """``50 MB``, ``3.9 KB``, ``1000 bytes``: sizes as a person reads them."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + " " + unit
    return f"{size} bytes"


def _is_xlsx(path: Path, data: bytes) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES or data.startswith(b"PK\x03\x04")


def _xlsx_rows(path: Path, data: bytes, sheet: str | None) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """The sheet's title and its rows as values (the last computed value of a formula, not the formula)."""
    import zipfile
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, ParseError, KeyError, ValueError, TypeError, OSError) as error:
        raise InvalidInput(
            _("{file} is not a readable .xlsx workbook ({reason}); open it in Excel or WPS and save it again").format(
                file=path.name, reason=type(error).__name__
            )
        ) from None
    names = book.sheetnames
    if sheet is None:
        chosen = book.worksheets[0]
    elif sheet in names:
        chosen = book[sheet]
    else:
        book.close()
        raise InvalidInput(
            _("{file} has no sheet '{sheet}'; its sheets are: {names}").format(
                file=path.name, sheet=sheet, names=", ".join(names)
            )
        )

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(chosen.iter_rows(values_only=True), 1):
                yield number, list(values)
        finally:
            book.close()

    return chosen.title, rows()


def decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str]:
    """The text and the encoding it was read with (see the module's docstring for the order)."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InvalidInput(
                _("--encoding '{encoding}' is not an encoding Python knows; use utf-8, gb18030 or gbk").format(
                    encoding=encoding
                )
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            raise InvalidInput(
                _("{file} is not {encoding}: byte {offset} cannot be read; leave out --encoding to detect it").format(
                    file=name, encoding=encoding, offset=error.start
                )
            ) from None
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    tried = ["utf-8", "gb18030"]
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = ""
    if text and gb2312_share(text) >= GB2312_SHARE:
        return text, "gb18030"
    import charset_normalizer

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding not in tried:
        tried.append(best.encoding)
        try:
            return data.decode(best.encoding), best.encoding
        except UnicodeDecodeError:
            pass
    raise InvalidInput(
        _(
            "{file}: cannot tell its encoding (tried {tried}); save it from Excel as 'CSV UTF-8' "
            "or name the encoding with --encoding"
        ).format(file=name, tried=", ".join(tried))
    )


def gb2312_share(text: str) -> float:
    """The share of non-ASCII characters that are in GB2312 (everyday simplified Chinese and its punctuation).

    The first 100,000 characters are enough to tell, and keep a 5 MB file from costing a second.
    """
    wide = [ch for ch in text[:100_000] if ord(ch) > 127]
    if not wide:
        return 1.0
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        common += 1
    return common / len(wide)


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: the one that splits the first 20 lines into the most equally wide rows.

    csv.Sniffer guesses from character frequencies and is thrown by Chinese text
    and by title rows; counting rows of the same width (more than one field) is
    enough for the three delimiters spreadsheets write. A tie goes to the comma.
    """
    head = "\n".join(text.splitlines()[:20])
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(io.StringIO(head), delimiter=delimiter) if any(row)]
        except csv.Error:  # a cell over the csv module's limit (128 K characters): reported when read
            continue
        widest = max(widths, default=0)
        score = (sum(1 for w in widths if w == widest) if widest > 1 else 0, widest)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def cell_text(value: Any) -> str:
    """A cell as the person sees it: 3 not 3.0, 13800138000 not 1.38e+10, dates as 2025-03-01."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _texts(values: Sequence[Any]) -> tuple[str, ...]:
    """A row's cells as text; empty cells and plain strings (nearly all of a sheet) skip :func:`cell_text`."""
    return tuple("" if v is None else v.strip() if type(v) is str else cell_text(v) for v in values)


def _table(
    source: str,
    lines: Iterable[tuple[int, Sequence[Any]]],
    hints: set[str],
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Finds the header among the first rows, then keeps every non-empty row below it."""
    head: list[tuple[int, tuple[str, ...]]] = []
    iterator = iter(lines)
    for number, values in iterator:
        head.append((number, values if type(values) is tuple else _texts(values)))
        if len(head) >= HEADER_SCAN:
            break
    filled = [(number, cells) for number, cells in head if any(cells)]
    if not filled:
        raise InvalidInput(_("{file} has no rows: is it the right file, or the right sheet?").format(file=source))
    header_at = _header_index(filled, hints)
    header_row, header_cells = filled[header_at]
    rows: list[Row] = []
    width = _trimmed(header_cells)

    def keep(number: int, cells: tuple[str, ...]) -> None:
        nonlocal width
        if any(cells):
            rows.append(Row.of(number, cells))
            width = max(width, _trimmed(cells))

    for number, cells in head:
        if number > header_row:
            keep(number, cells)
    for number, values in iterator:
        keep(number, values if type(values) is tuple else _texts(values))
    headers = tuple(header_cells[:width]) + ("",) * (width - len(header_cells))
    table_rows = [Row(r.number, r.filled if r.width <= width else _within(r.filled, width), width) for r in rows]
    return Table(source, headers, table_rows, header_row, sheet=sheet, encoding=encoding, delimiter=delimiter)


def _within(filled: dict[int, str], width: int) -> dict[int, str]:
    return {index: text for index, text in filled.items() if index < width}


def _trimmed(cells: Sequence[str]) -> int:
    """Width without trailing empty cells."""
    width = len(cells)
    while width and not cells[width - 1]:
        width -= 1
    return width


def _header_index(filled: list[tuple[int, tuple[str, ...]]], hints: set[str]) -> int:
    """The first row matching most hints; with no match, the first of the rows with the most filled cells.

    A merged title row has one filled cell, the header has one per column; data
    rows below it may be as wide, but the header comes first.
    """
    bare = {_bare(h) for h in hints}

    def score(cells: tuple[str, ...]) -> int:
        found = 0
        for cell in cells:
            text = normalise(cell)
            if text and (text in hints or _bare(text) in bare):
                found += 1
        return found

    scores = [score(cells) for _, cells in filled]
    if max(scores, default=0) > 0:
        return scores.index(max(scores))
    counts = [sum(1 for c in cells if c) for _, cells in filled]
    return counts.index(max(counts))


# --- headers to fields ---------------------------------------------------------------------------


def all_hints(fields: Mapping[str, Sequence[str]]) -> list[str]:
    """Every heading ``fields`` recognises, to pass to :func:`read_table` as ``header_hints``."""
    return [alias for name, aliases in fields.items() for alias in (name, *aliases)]


def map_headers(
    headers: Sequence[str], fields: Mapping[str, Sequence[str]], overrides: Sequence[str] = ()
) -> dict[int, str]:
    """Column index → field, from the headings (Chinese or English, any case, spacing or width)
    and ``--map COLUMN=FIELD`` overrides; COLUMN is a heading or a column letter, FIELD ``-`` ignores it.

    Columns that map to nothing are left out of the result: :func:`unmapped` names them.
    Two columns for one field are refused rather than one silently winning.
    """
    lookup: dict[str, str] = {}
    loose: dict[str, str] = {}
    for name, aliases in fields.items():
        for alias in (name, *aliases):
            lookup.setdefault(normalise(alias), name)
            loose.setdefault(_bare(normalise(alias)), name)
    forced: dict[int, str] = {}
    for item in overrides:
        column, sep, target = item.partition("=")
        column, target = column.strip(), target.strip()
        if not sep or not column or not target:
            raise InvalidInput(
                _("--map '{item}' is not COLUMN=FIELD; e.g. --map 单位全称=name or --map C=phone").format(item=item)
            )
        if target != IGNORE and target not in fields:
            raise InvalidInput(
                _(
                    "--map '{item}': '{field}' is not a field; use one of: {fields} (or - to leave the column out)"
                ).format(item=item, field=target, fields=", ".join(fields))
            )
        index = _find_column(headers, column)
        if index is None:
            raise InvalidInput(
                _("--map '{item}': there is no column '{column}'; the columns are: {headers}").format(
                    item=item, column=column, headers=", ".join(h or column_letter(i) for i, h in enumerate(headers))
                )
            )
        forced[index] = target
    mapping: dict[int, str] = {}
    taken = {name for name in forced.values() if name != IGNORE}
    for index, header in enumerate(headers):
        if index in forced:
            mapping[index] = forced[index]
            continue
        text = normalise(header)
        if not text:
            continue
        found = lookup.get(text) or loose.get(_bare(text))
        if found is None or found in taken:
            continue
        mapping[index] = found
    seen: dict[str, int] = {}
    for index, name in sorted(mapping.items()):
        if name == IGNORE:
            continue
        if name in seen:
            raise InvalidInput(
                _("{first} and {second} both give '{field}'; keep one, or say which with --map").format(
                    first=column_name(headers, seen[name]), second=column_name(headers, index), field=name
                )
            )
        seen[name] = index
    return mapping


def _find_column(headers: Sequence[str], column: str) -> int | None:
    wanted = normalise(column)
    for index, header in enumerate(headers):
        if normalise(header) == wanted:
            return index
    if re.fullmatch(r"[A-Za-z]{1,3}", column):
        letters = column.upper()
        for index in range(len(headers)):
            if column_letter(index) == letters:
                return index
    return None


def unmapped(table: Table, mapping: Mapping[int, str]) -> list[str]:
    """The columns that hold something but map to no field, named for the person (``column D ('备注')``)."""
    missing = []
    for index, _header in enumerate(table.headers):
        if index in mapping:
            continue
        if table.headers[index] or any(row.get(index) for row in table.rows):
            missing.append(column_name(table.headers, index))
    return missing


# --- responsibility charts -----------------------------------------------------------------------


def parse_marks(text: str) -> tuple[str, ...] | None:
    """``R,A`` → (R, A); ``r#`` → (R#,); ``负责、知会`` → (R, I); None when a part is not a mark.

    A mark is a RACI letter, then ``*`` when carried through a role, ``#``
    when it comes from a signed agreement and ``+`` from a meeting's action (as ``coord matrix`` writes them).
    """
    marks = []
    for part in SPLIT_RE.split(unicodedata.normalize("NFKC", text).strip()):
        if not part:
            continue
        letter = LETTER_WORDS.get(part, part.upper())
        found = MARK_RE.match(letter)
        if not found:
            return None
        marks.append(found.group(0))
    return tuple(marks)


def read_matrix(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    overrides: Sequence[str] = (),
    max_bytes: int = MAX_BYTES,
) -> Matrix:
    """A responsibility chart: one row per duty, one column per party, RACI marks in the cells.

    The columns named like project, category, duty, title and findings (or
    项目, 类别, 职责编号, 职责, 问题) describe the duty; every other column is a
    party, by its heading. The workbook ``coord matrix --format xlsx`` writes
    reads back cell for cell (its first sheet is the matrix).
    """
    table = read_table(path, encoding=encoding, sheet=sheet, header_hints=all_hints(MATRIX_FIELDS), max_bytes=max_bytes)
    mapping = map_headers(table.headers, MATRIX_FIELDS, overrides)
    fields = {name: index for index, name in mapping.items() if name != IGNORE}
    if "duty" not in fields and "title" not in fields:
        raise InvalidInput(
            _("{file}: no column names the duty; head it 'duty' or '职责', or say which with --map COLUMN=duty").format(
                file=table.source
            )
        )
    party_columns = [(i, h) for i, h in enumerate(table.headers) if i not in mapping]
    for index, header in party_columns:
        if not header:
            raise InvalidInput(
                _("{where}: a column with marks needs the party's key or name as its heading").format(
                    where=table.where(table.header_row, index)
                )
            )
    matrix = Matrix(table.source, tuple(h for _, h in party_columns))
    party_names = dict(party_columns)
    for row in table.rows:
        duty = row.get(fields["duty"]) if "duty" in fields else ""
        title = row.get(fields["title"]) if "title" in fields else ""
        findings = row.get(fields["findings"]) if "findings" in fields else ""
        matrix.duties.append(
            MatrixDuty(
                row=row.number,
                duty=duty or title,
                title=title,
                project=row.get(fields["project"]) if "project" in fields else "",
                category=row.get(fields["category"]) if "category" in fields else "",
                findings=tuple(f for f in findings.split("; ") if f),
            )
        )
        # only the filled cells: a chart of 2,000 parties is mostly empty
        for index, text in sorted(row.filled.items()):
            party = party_names.get(index)
            if party is None:
                continue
            marks = parse_marks(text)
            if marks is None:
                raise InvalidInput(
                    _(
                        "{where}: '{text}' is not a RACI mark; use R, A, C or I (several as R,A; * and # may follow)"
                    ).format(where=table.where(row.number, index), text=text)
                )
            if not (duty or title):
                raise InvalidInput(
                    _("{where}: marks for a duty without a key or title").format(where=table.where(row.number))
                )
            if marks:
                matrix.cells.append(MatrixCell(row.number, index + 1, duty or title, party, marks))
    return matrix
