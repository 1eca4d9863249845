"""Reading request latencies from a reader's own files, in bounded memory.

A service's log of request times comes as plain numbers one per line, as a
CSV or TSV table, or as JSON lines; often compressed. Every
reader here streams the file in blocks of a megabyte by default and
yields numpy arrays of latencies in milliseconds, so a file larger than
memory can go straight into a :class:`~dmls_examples.sketch.QuantileSketch`.
Plain numbers are parsed by numpy a block at a time, several million lines a
second; a table's column and JSON lines' field are read a block at a time
too while the rows are clean, and line by line only to find what is wrong.

A bad line stops the reading with an :class:`InputError` that names the
file, the line and what was wrong with it, never with a NaN in the results.
"""

from __future__ import annotations

import bz2
import collections
import contextlib
import csv
import difflib
import functools
import gzip
import io
import json
import lzma
import math
import os
import re
import sys
import warnings
import zlib
from collections.abc import Iterator
from decimal import Decimal

import numpy as np

from dmls_examples._validation import choice, count, text

__all__ = ["UNITS", "InputError", "read_latencies"]

#: How many milliseconds one of each unit is, for the units that
#: :func:`read_latencies` converts from.
UNITS = {"ms": 1.0, "s": 1000.0, "us": 0.001, "ns": 0.000001}
#: The largest number of each unit whose value in ms is a finite float.
_LARGEST = {unit: sys.float_info.max / max(factor, 1.0) for unit, factor in UNITS.items()}

#: Bytes read at a time: big enough that numpy's per-call cost vanishes,
#: small enough that memory stays flat whatever the file's size.
BLOCK_BYTES = 1 << 20
#: A longer line is not a latency; stop before it fills memory.
MAX_LINE_BYTES = 1 << 20
#: The reason of the InputError for a file without a single latency.
NO_LATENCIES = "holds no latencies"
#: The most characters of a line that a message shows.
_SHOWN = 40
#: The most names (a header's, an object's fields) that a message lists.
_LISTED = 10
#: What a number beyond the float range (1e400) is, where float() makes it inf.
_OUT_OF_RANGE = "out of range: the largest number is about 1.8 x 10^308"
_GZIP_MAGIC = b"\x1f\x8b"
_XZ_MAGIC = b"\xfd7zXZ\x00"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_BOM = b"\xef\xbb\xbf"


class InputError(ValueError):
    """A file that cannot be read as latencies: which file, which line, and why.

    Attributes:
        source: The file's name, or ``"<stdin>"``.
        line: The 1-based line number, or None when the problem is the whole
            file (missing, empty, a broken gzip file).
        reason: What was wrong, in a few words.
    """

    def __init__(self, source: str, line: int | None, reason: str):
        self.source, self.line, self.reason = source, line, reason
        where = source if line is None else f"{source}, line {line:,}"
        super().__init__(f"{where}: {reason}")


def read_latencies(
    source, *, column=None, field=None, unit="ms", block_bytes=BLOCK_BYTES
) -> Iterator[np.ndarray]:
    """Stream the latencies in *source*, in milliseconds, a block at a time.

    The format follows from the arguments: plain numbers one per line by
    default, a CSV or TSV table with the latencies in *column*, or JSON
    lines whose objects hold *field*. Blank lines are skipped, and so are
    lines that start with ``#`` in a file of plain numbers. A file
    compressed with gzip, bzip2 or xz (or zstd, from Python 3.14) is
    recognised by its first bytes and decompressed on the fly.

    A table's delimiter is a tab if its first line has one, else a comma,
    else a semicolon if it has one. A *column* given by name is looked up
    in the header, the first non-blank line. A column given by number
    counts from 1, as line numbers do, and then the first line is a header
    only if that field starts with a letter, so a table without a header
    is read whole. A later line that repeats the header, as files joined
    with ``cat`` or rotated logs repeat it, is skipped.

    Args:
        source: A path, or a binary file object such as ``sys.stdin.buffer``.
        column: The CSV/TSV column that holds the latencies: its name in
            the header (a string), or its number counting from 1 (an int).
        field: Name of the JSON field that holds the latencies; a dotted
            name no object holds as it is ("http.duration_ms") reaches into
            nested objects. A number in a string, as nginx's JSON logs quote
            it, is read as the number.
        unit: Unit of the numbers in the file: ``"ms"``, ``"s"``, ``"us"`` or
            ``"ns"`` (as Go's durations and many tracers write them).
        block_bytes: How many bytes to read at a time, from 1 to 2**30.

    Returns:
        An iterator of non-empty 1-D float arrays, in milliseconds.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If *unit* is unknown, *column* is a number below 1, or
            both *column* and *field* are given.
        InputError: (a ValueError) When the file is missing or unreadable,
            not UTF-8, compressed but broken, or holds no latencies,
            or when a line holds no valid latency: raised as soon as the
            iteration reaches it.

    Examples:
        >>> import io
        >>> log = io.BytesIO(b"0.120\\n0.095\\n1.5\\n")
        >>> [block.tolist() for block in read_latencies(log, unit="s")]
        [[120.0, 95.0, 1500.0]]
        >>> table = io.BytesIO(b"path,latency_ms\\n/,12\\n/cart,x\\n")
        >>> list(read_latencies(table, column="latency_ms"))
        Traceback (most recent call last):
        ...
        dmls_examples.reading.InputError: <stream>, line 3: 'x' is not a number
    """
    column = None if column is None else _column(column)
    field = None if field is None else text(field, "field")
    if column is not None and field is not None:
        raise ValueError("column and field exclude each other: a file is CSV or JSON lines")
    unit = choice(unit, "unit", UNITS)
    block_bytes = count(block_bytes, "block_bytes", minimum=1, maximum=1 << 30)
    name, stream, owned = _open(source)
    if column is not None:
        parse = _ColumnParser(name, unit, column)
    elif field is not None:
        parse = _FieldParser(name, unit, field)
    else:
        parse = _PlainParser(name, unit)
    return _stream(name, stream, owned, parse, unit, block_bytes)


def _column(column) -> str | int:
    """*column* checked: a name, or a number counting from 1."""
    if isinstance(column, str):
        return column
    if isinstance(column, bool) or not isinstance(column, int | np.integer):
        kind = type(column).__name__
        raise TypeError(f"column must be a name (str) or a number from 1 (int), not {kind}")
    return count(column, "column", minimum=1)


def _open(source) -> tuple[str, io.BufferedIOBase, bool]:
    """Open *source* (a path or binary file); name it for messages; say
    whether we opened it (and so must close it)."""
    if isinstance(source, (str, os.PathLike)):
        name = os.fsdecode(source)
        try:
            return name, open(source, "rb"), True
        except OSError as error:
            raise InputError(name, None, error.strerror or str(error)) from None
    if isinstance(source, (bytes, bytearray)) or not hasattr(source, "read"):
        kind = type(source).__name__
        raise TypeError(f"source must be a path or a binary file object, not {kind}")
    name = getattr(source, "name", None)
    name = name if isinstance(name, str) else "<stream>"
    return name, source, False


def _to_ms(values, unit: str):
    """Latencies in *unit* (a key of :data:`UNITS`) as ms, as the reader converts them.

    Microseconds are divided by 1,000 and nanoseconds by 1,000,000, which is
    exact to the decimal for whole numbers (350 us is 0.35 ms), where
    multiplying by 0.001 is not (0.35000000000000003). Seconds are
    multiplied by 1,000, in binary floating point: 2.007 s becomes
    2007.0000000000002 ms. A threshold converted the same way compares with
    the converted values as the unconverted ones compare with it.
    """
    if unit == "us":
        values = values / 1000.0
    elif unit == "ns":
        values = values / 1_000_000.0
    elif unit == "s":
        values = values * 1000.0
    return values + 0.0  # a "-0" in the file is a latency of 0, not -0.0 ms


def _stream(name, stream, owned, parse, unit, block_bytes) -> Iterator[np.ndarray]:
    with contextlib.closing(stream) if owned else contextlib.nullcontext():
        reader = _decompressed(stream, name)
        lines_before, pending, total = 0, b"", 0
        while True:
            try:
                data = reader.read(block_bytes)
            except (OSError, EOFError, zlib.error, lzma.LZMAError) as error:
                raise InputError(name, None, f"cannot read it: {error}") from None
            if not isinstance(data, bytes):
                raise InputError(name, None, "is open in text mode; open it in binary mode")
            if not data:
                break
            data = pending + data
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                pending = data
                if len(pending) > MAX_LINE_BYTES:
                    reason = f"longer than {MAX_LINE_BYTES:,} bytes"
                    raise InputError(name, lines_before + 1, reason)
                continue
            block, pending = data[:cut], data[cut:]
            if lines_before == 0:
                block = block.removeprefix(_BOM)
            values = parse(block, lines_before + 1)
            lines_before += block.count(b"\n")
            if values.size:
                total += values.size
                yield _to_ms(values, unit)
        if pending:
            if lines_before == 0:
                pending = pending.removeprefix(_BOM)
            values = parse(pending + b"\n", lines_before + 1)
            if values.size:
                total += values.size
                yield _to_ms(values, unit)
    if total == 0:
        raise InputError(name, None, NO_LATENCIES)


def _decompressed(stream, name: str):
    """Return a reader of *stream* that decompresses it when its first bytes
    are those of gzip, bzip2, xz or zstd."""
    if hasattr(stream, "peek"):
        head = stream.peek(len(_XZ_MAGIC))[: len(_XZ_MAGIC)]
    else:  # look at the first bytes, then give them back in front
        head = stream.read(len(_XZ_MAGIC))
        if not isinstance(head, bytes):
            return stream
        stream = _Prefixed(head, stream)
    if head.startswith(_GZIP_MAGIC):
        return gzip.GzipFile(fileobj=stream, mode="rb")
    if head.startswith(b"BZh") and head[3:4].isdigit():  # and the block size, 1 to 9
        return bz2.BZ2File(stream)
    if head.startswith(_XZ_MAGIC):
        return lzma.LZMAFile(stream)
    if head.startswith(_ZSTD_MAGIC):
        try:
            from compression import zstd  # Python 3.14 and later
        except ImportError:
            reason = (
                "is compressed with zstd, which Python reads only from version 3.14: "
                "decompress it first, as zstd -dc does"
            )
            raise InputError(name, None, reason) from None
        return zstd.ZstdFile(stream)
    return stream


class _Prefixed:
    """A binary stream with a few bytes already read put back in front."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream

    def read(self, size: int) -> bytes:
        """Up to *size* bytes, the put-back ones first. Every caller (the
        reader, and gzip, bz2 and lzma, which read their input in chunks)
        asks for a size, so there is no reading to the end."""
        data, self.head = self.head[:size], self.head[size:]
        if len(data) < size:
            data += self.stream.read(size - len(data))
        return data


def _decode(name: str, raw: bytes, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = raw[error.start]
        reason = f"is not UTF-8 text (byte 0x{byte:02x} at column {error.start + 1})"
        if line == 1 and raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            reason = "is UTF-16 text, as Windows PowerShell 5 writes it: save it as UTF-8"
        raise InputError(name, line, reason) from None


def _number(name: str, text: str, line: int, unit: str, *, first: bool = False) -> float:
    """Parse one latency; reject what is not a finite, non-negative number.

    On the *first* line of a file of plain numbers, a table's header or a
    JSON object is a likely mistake, and the message says what to pass; so
    is a unit after a number, on any line.
    """
    try:
        value = float(text)
    except ValueError:
        shown = text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
        hint = (_format_hint(text) if first else "") or _unit_hint(text) or _comma_hint(text)
        raise InputError(name, line, f"{shown!r} is not a number{hint}") from None
    if reason := _out_of_range(text, value):
        raise InputError(name, line, reason)
    return _checked(name, value, line, unit)


def _out_of_range(text: str, value: float) -> str:
    """Why *value*, ``float(text)``, is infinite when *text* is a finite
    decimal beyond the float range ("'1e400' is out of range: ..."); "" when
    it is not: a finite value, or *text* says inf itself."""
    # Only "inf" and "infinity", in any case and with a sign, spell inf.
    if math.isinf(value) and "inf" not in text.lower():
        return f"{text!r} is {_OUT_OF_RANGE}"
    return ""


def _format_hint(text: str) -> str:
    """What to pass instead, if *text* looks like a table's header, one
    column's or several, or a JSON object."""
    if text.startswith("{"):
        return _JSON_HINT
    if name := _lone_name(text):
        # Named as it is, unless too long to be shown whole before the hint.
        shown = repr(name) if len(name) <= _SHOWN else "NAME"
        return f" (a header? pass column={shown})"
    return _table_hint(text)


_JSON_HINT = " (JSON lines? pass field=NAME)"


def _table_hint(text: str) -> str:
    """What to pass instead, if *text* looks like the header of a table of
    several columns, split as the table reader splits its first line."""
    kind, separator = ("TSV", "\t") if "\t" in text else ("CSV", "," if "," in text else ";")
    fields = text.split(separator)
    if len(fields) > 1 and any(_is_name(field) for field in fields):
        return f" (a {kind} header? pass column=NAME)"
    return ""


#: A number with a unit after it: "12ms", "0.35 s", "850µs" (micro sign or mu).
_WITH_UNIT = re.compile(
    r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(ns|us|\u00b5s|\u03bcs|ms|s)"
)


def _with_unit(text: str) -> tuple[str, str] | None:
    """The number and the unit, a key of :data:`UNITS`, if *text* is a
    number with a unit after it: ("850", "us") for "850µs"; else None."""
    match = _WITH_UNIT.fullmatch(text)
    if match is None:
        return None
    return match[1], "us" if match[2] in ("\u00b5s", "\u03bcs") else match[2]


def _unit_hint(text: str) -> str:
    """What to do, if *text* is a number with a unit after it."""
    if parsed := _with_unit(text):
        return f" (drop the unit, and pass unit={parsed[1]})"
    return ""


#: A number with one comma, as a spreadsheet writes it where the decimal
#: mark is a comma.
_DECIMAL_COMMA = re.compile(r"(\d+),(\d+)")


def _comma_hint(text: str) -> str:
    """What to write instead, if *text* is a number with a decimal comma.

    Three digits after the comma may be thousands (1,234), and get no hint,
    unless the number starts with 0 (0,125), as a group of thousands never
    does.
    """
    match = _DECIMAL_COMMA.fullmatch(text)
    if match is None:
        return ""
    whole, decimals = match.groups()
    if len(decimals) == 3 and not whole.startswith("0"):
        return ""
    return f" (a decimal comma? write {whole}.{decimals})"


#: What a log writes for a request without a latency: a bad line, not a header.
_MISSING = frozenset({"null", "none", "nil", "na", "n/a", "undefined"})


def _lone_name(text: str) -> str:
    """The name of a one-column table's header, if *text* is one: a single
    field (no tab, comma or semicolon) that is a name, unquoted as the table
    reader unquotes it, so that column=NAME finds it; else ""."""
    if any(separator in text for separator in "\t,;"):
        return ""
    try:
        ((name,),) = csv.reader([text])  # one line, one field
    except csv.Error:  # a carriage return inside the line
        return ""
    name = name.strip()
    return name if _is_name(name) and name.lower() not in _MISSING else ""


def _is_name(text: str) -> bool:
    """Whether a field of a header could be a column's name: it starts with
    a letter (inside any quotes) and is not a number such as "inf"."""
    name = text.strip().strip("\"'")
    if not name[:1].isalpha():
        return False
    try:
        float(name)
    except ValueError:
        return True
    return False


def _checked(name: str, value: float, line: int, unit: str) -> float:
    if math.isnan(value):
        raise InputError(name, line, "NaN is not a latency")
    if math.isinf(value):
        raise InputError(name, line, "an infinite latency is not a latency")
    if value < 0:
        raise InputError(name, line, f"negative latency {value!r}")
    if value > _LARGEST[unit]:
        raise InputError(name, line, f"{value!r} {unit} is too large to convert to ms")
    return value


class _PlainParser:
    """One number per line. numpy parses a whole block when the block is
    clean; the slow path, line by line, runs only to find what is wrong."""

    def __init__(self, name: str, unit: str):
        self.name, self.unit = name, unit
        self.largest = _LARGEST[unit]
        self.started = False  # whether a non-blank line has been read

    def __call__(self, block: bytes, first_line: int) -> np.ndarray:
        lines = block.count(b"\n")
        values = self._fast(block, lines)
        if values is None or not (values.min() >= 0 and values.max() <= self.largest):
            # Something is wrong (NaN fails both comparisons): the slow path
            # finds the line and reads its text, to tell "inf" from "1e400".
            return self._slow(block, first_line)
        self.started = True
        return values

    @staticmethod
    def _fast(block: bytes, lines: int):
        """Parse *block* with numpy if it is exactly one number per line."""
        # No spaces or tabs, carriage returns only before newlines, no blank
        # line: then every line is one token, and numpy must parse each whole.
        # (numpy reads an empty block as [-1.0], so blank lines must not pass.)
        if any(c in block for c in (b" ", b"\t", b"\v", b"\f", b"\n\n", b"\n\r\n")):
            return None
        if block.startswith((b"\n", b"\r\n")):
            return None
        if b"\r" in block and block.count(b"\r\n") != block.count(b"\r"):
            return None
        try:
            with warnings.catch_warnings():
                # Before numpy 2, fromstring stops at the first token it cannot
                # read and only warns, so "3x" would pass as 3: make it raise.
                warnings.simplefilter("error", DeprecationWarning)
                values = np.fromstring(block, sep="\n")
        except (ValueError, DeprecationWarning):
            return None
        return values if values.size == lines else None

    def _slow(self, block: bytes, first_line: int) -> np.ndarray:
        values = []
        for offset, raw in enumerate(block.split(b"\n")[:-1]):
            line = first_line + offset
            text = _decode(self.name, raw, line).strip()
            if text and not text.startswith("#"):  # a comment, as numpy.loadtxt reads it
                first, self.started = not self.started, True
                values.append(_number(self.name, text, line, self.unit, first=first))
        return np.array(values)  # float64, even when empty


class _ColumnParser:
    """A CSV or TSV table, the latencies in one column, named or numbered.

    A line that repeats the header, as files joined with ``cat`` and
    rotated logs repeat it, is skipped wherever it comes.
    """

    def __init__(self, name: str, unit: str, column: str | int):
        self.name, self.unit, self.column = name, unit, column
        # Of the column, from 0; the first line sets it, the delimiter and the width.
        self.index = None
        # The header line as _bare gives it, once the first line was one.
        self.header = None
        self.widths_from = "the header"
        # How messages call the column: by the name or the number given.
        self.label = f"column {column!r}"

    def _split(self, text: str, line: int) -> list[str]:
        try:
            return next(csv.reader([text], delimiter=self.delimiter))
        except csv.Error as error:  # a lone carriage return, or a field over 128 KiB
            reason = f"cannot be split into fields ({error})"
            if "\r" in text:
                reason = "holds a carriage return (\\r) inside it: end lines with \\n or \\r\\n"
            raise InputError(self.name, line, reason) from None

    def _first(self, text: str, line: int) -> None:
        """Read the first non-blank line's fields: the delimiter, the width,
        the column's index and, if the line is a header, the header."""
        self.delimiter = next((d for d in "\t,;" if d in text), ",")
        names = [n.strip() for n in self._split(text, line)]
        self.width = len(names)
        if isinstance(self.column, int):
            if self.column > self.width:
                reason = f"has {_fields(self.width)}, so no column {self.column}"
                raise InputError(self.name, line, reason)
            self.index = self.column - 1
            if _is_name(names[self.index]):
                self.header = _bare(text)
            else:
                self.widths_from = "the first row"
            return
        found = [number for number, name in enumerate(names, 1) if name == self.column]
        if not found:
            shown = ", ".join(repr(n) for n in names[:_LISTED])
            if text.lstrip().startswith("{"):
                hint = _JSON_HINT
            elif meant := _meant(self.column, filter(_is_name, names)):
                hint = f" (pass column={meant!r})"
            else:
                hint = ""
            reason = f"no column {self.column!r} in the header ({shown}){hint}"
            raise InputError(self.name, line, reason)
        if len(found) > 1:
            numbers = ", ".join(map(str, found[:-1])) + f" and {found[-1]}"
            every = "both" if len(found) == 2 else "all"
            reason = f"columns {numbers} are {every} named {self.column!r}; pick one with column=N"
            raise InputError(self.name, line, reason)
        self.index = found[0] - 1
        self.header = _bare(text)

    def __call__(self, block: bytes, first_line: int) -> np.ndarray:
        parts = []
        while self.index is None and block:  # the first line, alone: a header?
            cut = block.find(b"\n") + 1
            parts.append(self._slow(block[:cut], first_line))
            block, first_line = block[cut:], first_line + 1
        if block:
            values = self._fast(block)
            parts.append(self._slow(block, first_line) if values is None else values)
        return np.concatenate(parts)

    def _fast(self, block: bytes):
        """The column of *block* as floats, if every line is a row that holds a
        latency; None otherwise, and the slow path finds what is wrong."""
        try:
            text = block.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if "\r" in text:
            text = text.replace("\r\n", "\n")
            if "\r" in text:
                return None
        if self.header is not None and self.header in text:
            rows = text.split("\n")[:-1]
            text = "".join(row + "\n" for row in rows if _bare(row) != self.header)
        lines = text.count("\n")
        if '"' in text:
            rows = csv.reader(text.split("\n")[:-1], delimiter=self.delimiter)
            try:
                cells = [row[self.index] for row in rows if len(row) == self.width]
            except csv.Error:  # a field over 128 KiB
                return None
        else:  # no quotes: one regular expression finds every cell, 5x faster
            cells = self._cell.findall(text)
        # A blank line, a row of another width, or a quoted field across
        # lines (one row from two lines) leaves fewer cells than lines.
        if len(cells) != lines:
            return None
        return _checked_floats(cells, self.unit)

    @functools.cached_property
    def _cell(self) -> re.Pattern:
        """The column's cell in each line of exactly *width* fields, unquoted."""
        # Possessive (*+): a field cannot hold its own delimiter or a line
        # end, so giving characters back could never make a line match, and
        # not trying is a tenth faster.
        field = f"[^{re.escape(self.delimiter)}\n]*+"
        before = f"(?:{field}{re.escape(self.delimiter)}){{{self.index}}}"
        after = f"(?:{re.escape(self.delimiter)}{field}){{{self.width - self.index - 1}}}"
        return re.compile(f"^{before}({field}){after}$", re.MULTILINE)

    def _slow(self, block: bytes, first_line: int) -> np.ndarray:
        values = []
        for offset, raw in enumerate(block.split(b"\n")[:-1]):
            line = first_line + offset
            text = _decode(self.name, raw, line).strip("\r\n")
            if not text.strip():
                continue
            if self.index is None:
                self._first(text, line)
            if _bare(text) == self.header:  # the header, or again in files joined into one
                continue
            row = self._split(text, line)
            if len(row) != self.width:
                reason = f"has {_fields(len(row))} where {self.widths_from} has {self.width}"
                raise InputError(self.name, line, reason)
            cell = row[self.index].strip()
            if not cell:
                raise InputError(self.name, line, f"{self.label} is empty")
            values.append(_number(self.name, cell, line, self.unit))
        return np.array(values)  # float64, even when empty


def _meant(name: str, names) -> str | None:
    """The one of *names* that *name* was likely meant to be: the only one
    that differs from it in case alone ("latency_ms" for "LATENCY_MS"), or,
    if none does, the only one that difflib finds close to it ("latency_ms"
    for "latncy_ms") and that names the same units; None when there is no
    such name, or more than one.

    A name close but for its unit is not suggested: "latency_s" for
    "latency_ms", followed, would read seconds as milliseconds.
    """
    names = list(dict.fromkeys(names))  # a name twice is one name
    alike = [other for other in names if other.casefold() == name.casefold()]
    if not alike:
        units = _units(name)
        same_units = [other for other in names if _units(other) == units]
        alike = difflib.get_close_matches(name, same_units, n=2)
    return alike[0] if len(alike) == 1 else None


#: Words that name a unit of time, casefolded (the micro sign becomes mu).
_TIME_UNITS = frozenset(
    {
        *("ns", "us", "\u03bcs", "ms", "s", "sec", "secs", "msec", "usec", "nsec"),
        *("millis", "micros", "nanos", "second", "seconds", "millisecond", "milliseconds"),
        *("microsecond", "microseconds", "nanosecond", "nanoseconds"),
        *("min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours"),
    }
)


def _units(name: str) -> set[str]:
    """The units of time *name* has among its words, split as names are
    written: "latency_ms", "latency ms", "latencyMs" and "LATENCY_MS" all
    have {"ms"}; "msg" has none."""
    words = re.split(r"[\W\d_]+|(?<=[a-z])(?=[A-Z])", name)
    return {word.casefold() for word in words} & _TIME_UNITS


def _bare(line: str) -> str:
    """*line* as it compares with the header: without the spaces and line
    end around it, or the byte order mark before it that each of the files
    joined into one may start with."""
    return line.strip().removeprefix("\ufeff")


def _checked_floats(items: list, unit: str):
    """*items*, strings or numbers, as a float array if each is a latency
    ``float()`` reads, finite, non-negative and convertible to ms; else None."""
    try:
        values = np.array(items, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        return None
    # NaN fails both comparisons; inf, from "inf" or "1e400", fails the second.
    if values.size and values.min() >= 0 and values.max() <= _LARGEST[unit]:
        return values
    return None


def _fields(n: int) -> str:
    """ "1 field", "3 fields"."""
    return f"{n:,} field{'' if n == 1 else 's'}"


#: Reads JSON as json.loads does, except that NaN and Infinity, which are
#: not JSON but which Python writes, become Decimal: a float infinity is
#: then a number beyond the float range, such as 1e400.
_JSON = json.JSONDecoder(parse_constant=Decimal)


def _key_paths(record: dict) -> list[tuple[str, ...]]:
    """Every key of *record* and of the objects inside it, as the keys that
    lead to it, outer objects first. A key with a dot in it is left out: a
    dotted name cannot reach inside it."""
    paths, queue = [], collections.deque([((), record)])
    while queue:  # not recursive: an object may nest as deep as JSON allows
        outer, inside = queue.popleft()
        for key, value in inside.items():
            if "." in key:
                continue
            paths.append((*outer, key))
            if isinstance(value, dict):
                queue.append(((*outer, key), value))
    return paths


class _FieldParser:
    """JSON lines: one object per line, the latency under *field*.

    A field named with dots ("http.duration") that no object holds as it
    is names a field inside objects ({"http": {"duration": 12}}), as
    structured loggers nest them. A number written as a string ("0.012",
    as nginx's JSON logs quote every value) is read as the number.
    """

    def __init__(self, name: str, unit: str, field: str):
        self.name, self.unit, self.field = name, unit, field
        self.path = field.split(".") if "." in field else None
        self.started = False  # whether a line has been read: a header comes first

    def __call__(self, block: bytes, first_line: int) -> np.ndarray:
        values = self._fast(block)
        if values is None:
            return self._slow(block, first_line)
        self.started = True
        return values

    def _nested(self, record):
        """The field of *record*, a dict, or what its dotted name reaches;
        KeyError or TypeError if it holds neither."""
        if self.field in record:
            return record[self.field]
        if self.path is None:  # a plain name the record does not hold
            raise KeyError
        for key in self.path:
            record = record[key]
        return record

    def _fast(self, block: bytes):
        """The field of every line of *block* as floats, if each line is an
        object whose field is a latency; None otherwise, and the slow path
        finds what is wrong."""
        try:
            lines = block.decode("utf-8").split("\n")
        except UnicodeDecodeError:
            return None
        lines.pop()  # the block ends with a newline
        decode, field = _JSON.decode, self.field
        try:
            # A blank line is not JSON; a list or a number has no [field].
            if self.path is None:
                numbers = [decode(line)[field] for line in lines]
            else:
                numbers = [self._nested(decode(line)) for line in lines]
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        if not set(map(type, numbers)) <= {int, float, str}:  # not bool, None or Decimal
            return None
        return _checked_floats(numbers, self.unit)

    def _slow(self, block: bytes, first_line: int) -> np.ndarray:
        values = []
        for offset, raw in enumerate(block.split(b"\n")[:-1]):
            line = first_line + offset
            text = _decode(self.name, raw, line).strip()
            if not text:
                continue
            try:
                record = _JSON.decode(text)
            except json.JSONDecodeError as error:
                hint = "" if self.started else _table_hint(text)
                raise InputError(self.name, line, f"is not JSON ({error.msg}){hint}") from None
            self.started = True
            if not isinstance(record, dict):
                raise InputError(self.name, line, "is not a JSON object")
            try:
                value = self._nested(record)
            except (KeyError, TypeError):
                reason = f"has no field {self.field!r}{self._missing(record)}"
                raise InputError(self.name, line, reason) from None
            values.append(self._number(value, line))
        return np.array(values)  # float64, even when empty

    def _missing(self, record: dict) -> str:
        """What to pass instead, for an object without the field: the dotted
        name of the one field inside it named as the field's last part
        ("latency_ms" for "http.latency_ms"), or, if none is, as the name
        :func:`_meant` finds for it; or the fields it holds."""
        leaf = self.field.rpartition(".")[2]
        paths = _key_paths(record)
        found = [".".join(path) for path in paths if path[-1] == leaf]
        if not found:  # "Duration" for "duration", "latncy_ms" for "latency_ms"
            meant = _meant(leaf, [path[-1] for path in paths])
            found = [".".join(path) for path in paths if path[-1] == meant]
        if len(found) == 1:
            return f" (pass field={found[0]!r})"
        if found:
            return f" (pass field=NAME, one of {', '.join(map(repr, found[:_LISTED]))})"
        if not record:
            return " (an empty object)"
        return f" (its fields: {', '.join(map(repr, list(record)[:_LISTED]))})"

    def _number(self, value, line: int) -> float:
        """The latency *value* stands for: a JSON number, or a string of one."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            reason = f"field {self.field!r} is {json.dumps(value)}, not a number"
            raise InputError(self.name, line, reason)
        try:
            number = float(value)
        except ValueError:  # a string
            reason = f"field {self.field!r} is {json.dumps(value)}, not a number"
            raise InputError(self.name, line, reason) from None
        except OverflowError:  # an int
            number = math.inf
        # A float infinity is a number beyond the float range, 1e400, unless
        # the file says Infinity: as a literal (a Decimal) or in a string.
        says_inf = isinstance(value, Decimal) or (isinstance(value, str) and "inf" in value.lower())
        if math.isinf(number) and not says_inf:
            raise InputError(self.name, line, f"field {self.field!r} is {_OUT_OF_RANGE}")
        return _checked(self.name, number, line, self.unit)
