"""Reading latencies from files: every format, block boundaries, and bad lines."""

import bz2
import functools
import gc
import gzip
import io
import json
import lzma
import math
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dmls_examples import reading
from dmls_examples.reading import (
    MAX_LINE_BYTES,
    UNITS,
    InputError,
    _ColumnParser,
    _FieldParser,
    _key_paths,
    _PlainParser,
    read_latencies,
)

#: What a number beyond the float range is called, in a file of any format.
OUT_OF_RANGE = "out of range: the largest number is about 1.8 x 10^308"
#: The hint after a number in milliseconds with its unit written after it.
DROP_MS = "(drop the unit, and pass unit=ms)"

latencies = st.lists(
    st.floats(0, 1e6, allow_nan=False, allow_subnormal=False), min_size=1, max_size=60
)


def read_all(data: bytes, **options) -> list[float]:
    return np.concatenate(list(read_latencies(io.BytesIO(data), **options))).tolist()


def error_of(data: bytes, **options) -> InputError:
    """The InputError reading *data* raises, checked to name the file as given."""
    stream = io.BytesIO(data)
    stream.name = "requests.log"
    with pytest.raises(InputError) as caught:
        list(read_latencies(stream, **options))
    error = caught.value
    where = "requests.log" if error.line is None else f"requests.log, line {error.line:,}"
    assert (error.source, str(error)) == ("requests.log", f"{where}: {error.reason}")
    return error


def plain(values) -> bytes:
    return "".join(f"{v!r}\n" for v in values).encode()


@settings(deadline=None)
@given(latencies, st.integers(1, 64))
def test_plain_numbers_survive_any_block_size(values, block_bytes):
    assert read_all(plain(values), block_bytes=block_bytes) == values


@settings(deadline=None)
@given(latencies, st.integers(1, 64), st.data())
def test_a_bad_line_is_reported_with_its_exact_number(values, block_bytes, data):
    bad = data.draw(st.integers(0, len(values)))
    junk = data.draw(st.sampled_from(["12ms", "-3", "nan", "inf", "1 2", "", "abc", "1,5"]))
    lines = [repr(v) for v in values]
    lines.insert(bad, junk)
    text = "\n".join(lines) + "\n"
    if junk == "":  # a blank line is skipped, not an error
        assert read_all(text.encode(), block_bytes=block_bytes) == values
        return
    error = error_of(text.encode(), block_bytes=block_bytes)
    assert error.line == bad + 1
    assert str(error).startswith(f"requests.log, line {bad + 1}: ")


@settings(deadline=None)
@given(latencies, st.integers(1, 64))
def test_csv_tsv_and_json_lines_give_the_same_values(values, block_bytes):
    csv_text = "host,latency_ms\n" + "".join(f"a,{v!r}\n" for v in values)
    tsv_text = "latency_ms\thost\n" + "".join(f"{v!r}\tb\n" for v in values)
    jsonl = "".join(json.dumps({"ms": v, "path": "/"}) + "\n" for v in values)
    for text, option in [
        (csv_text, {"column": "latency_ms"}),
        (tsv_text, {"column": "latency_ms"}),
        (jsonl, {"field": "ms"}),
    ]:
        assert read_all(text.encode(), block_bytes=block_bytes, **option) == values


#: Each compressor, deterministic: gzip stamps the time unless told a fixed
#: one, and a parameter's id must be the same in every pytest-xdist worker.
COMPRESSORS = {
    "gzip": functools.partial(gzip.compress, mtime=0),
    "bzip2": bz2.compress,
    "xz": lzma.compress,
}


@pytest.mark.parametrize("compress", COMPRESSORS.values(), ids=COMPRESSORS)
def test_compressed_files_are_recognised_by_their_first_bytes(compress):
    assert read_all(compress(b"1\n2\n3\n")) == [1.0, 2.0, 3.0]
    assert read_all(compress(b"ms,p\n1,a\n2,b\n"), column="ms", block_bytes=3) == [1.0, 2.0]
    # Two gzip members one after the other, as `cat a.gz b.gz` writes them.
    assert read_all(compress(b"1\n2\n") + compress(b"3\n")) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("compress", COMPRESSORS.values(), ids=COMPRESSORS)
def test_a_broken_compressed_file_is_an_input_error(compress):
    error = error_of(compress(b"1\n2\n3\n" * 100)[:-12])
    assert error.line is None
    assert error.reason.startswith("cannot read it: ")


def test_text_that_starts_like_bzip2_is_text():
    """bzip2's "BZh" is followed by its block size, a digit."""
    assert error_of(b"BZh\n").reason.startswith("'BZh' is not a number")


def test_zstd_is_read_from_python_3_14_and_named_before():
    data = b"\x28\xb5\x2f\xfd" + b"\x00" * 8
    if sys.version_info >= (3, 14):
        from compression import zstd

        assert read_all(zstd.compress(b"1\n2\n")) == [1.0, 2.0]
        return
    error = error_of(data)
    assert error.line is None
    assert error.reason == (
        "is compressed with zstd, which Python reads only from version 3.14: "
        "decompress it first, as zstd -dc does"
    )


@pytest.mark.parametrize(
    ("unit", "expected"), [("ms", 250.0), ("s", 250_000.0), ("us", 0.25), ("ns", 0.00025)]
)
def test_units_convert_to_milliseconds(unit, expected):
    assert read_all(b"250\n", unit=unit) == [expected]
    assert UNITS[unit] * 250 == expected


@pytest.mark.parametrize("unit", ["ms", "s", "us", "ns"])
def test_minus_zero_is_zero(unit):
    values = read_all(b"-0\n-0.0\n1\n", unit=unit)
    assert [math.copysign(1.0, value) for value in values] == [1.0, 1.0, 1.0]


def test_whole_microseconds_become_the_milliseconds_they_are():
    """Divided by 1,000, not multiplied by 0.001 (350 * 0.001 is 0.35000000000000003)."""
    micros = list(range(1, 100_001))
    data = "".join(f"{n}\n" for n in micros).encode()
    assert read_all(data, unit="us") == [float(f"{n}e-3") for n in micros]


def test_whole_nanoseconds_become_the_milliseconds_they_are():
    """Divided by 1,000,000, not multiplied by 1e-6 (5 * 1e-6 is 4.9999999999999996e-06)."""
    nanos = [*range(1, 100_001), 350_000, 123_456_789, 10**15 + 1]
    data = "".join(f"{n}\n" for n in nanos).encode()
    assert read_all(data, unit="ns") == [float(f"{n}e-6") for n in nanos]


def test_windows_line_ends_a_byte_order_mark_blank_lines_and_no_final_newline():
    assert read_all(b"\xef\xbb\xbf1.5\r\n\r\n2\r\n  3 \n\n4") == [1.5, 2.0, 3.0, 4.0]


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"1\n2\n3x\n", 3, "'3x' is not a number"),
        (b"1\n-2\n", 2, "negative latency -2.0"),
        (b"1\nnan\n", 2, "NaN is not a latency"),
        (b"1\ninf\n", 2, "an infinite latency is not a latency"),
        (b"1\n-Infinity\n", 2, "an infinite latency is not a latency"),
        (b"1\n1e400\n", 2, f"'1e400' is {OUT_OF_RANGE}"),
        (b"1e400\n1\n", 1, f"'1e400' is {OUT_OF_RANGE}"),
        (b"1\n2\n-1e400\n", 3, f"'-1e400' is {OUT_OF_RANGE}"),
        (b"1\n 1e309 \n", 2, f"'1e309' is {OUT_OF_RANGE}"),
        (b"1\n\xff\xfe2\n", 2, "is not UTF-8 text (byte 0xff at column 1)"),
        (
            b"latency_ms\n12\n",
            1,
            "'latency_ms' is not a number (a header? pass column='latency_ms')",
        ),
    ],
)
def test_plain_errors_say_what_is_wrong(data, line, reason):
    error = error_of(data)
    assert (error.line, error.reason) == (line, reason)


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"path,ms\n/,12\n", 1, "'path,ms' is not a number (a CSV header? pass column=NAME)"),
        (
            b"\r\n ms\thost\n12\ta\n",
            2,
            "'ms\\thost' is not a number (a TSV header? pass column=NAME)",
        ),
        (b'{"ms": 12}\n', 1, """'{"ms": 12}' is not a number (JSON lines? pass field=NAME)"""),
        # Every field a number: not a header, but a decimal comma.
        (b"1,5\n", 1, "'1,5' is not a number (a decimal comma? write 1.5)"),
        (b"1\nms,host\n", 2, "'ms,host' is not a number"),  # a header comes first
        # One word that is a name: a one-column table's header, named to pass.
        (b"x\n", 1, "'x' is not a number (a header? pass column='x')"),
        (
            b'"latency ms"\n12\n',
            1,
            """'"latency ms"' is not a number (a header? pass column='latency ms')""",
        ),
        (b"null\n12\n", 1, "'null' is not a number"),  # a missing latency, not a header
        (b"X\n", 1, "'X' is not a number (a header? pass column='X')"),
        (b"N/A\n12\n", 1, "'N/A' is not a number"),
        (b"12\nlatency_ms\n", 2, "'latency_ms' is not a number"),  # a header comes first
        (b"a\rb\n", 1, "'a\\rb' is not a number"),  # not one field, as csv reads it
        (b"path;ms\n/;12\n", 1, "'path;ms' is not a number (a CSV header? pass column=NAME)"),
        (b"1;5\n", 1, "'1;5' is not a number"),
        (b"[1,2]\n", 1, "'[1,2]' is not a number"),  # no field is a name
        (b"nan,inf,12\n", 1, "'nan,inf,12' is not a number"),
        (
            b'"ms",  "host"\n',
            1,
            """'"ms",  "host"' is not a number (a CSV header? pass column=NAME)""",
        ),
    ],
)
def test_a_header_or_json_where_numbers_were_expected_gets_a_hint(data, line, reason):
    error = error_of(data)
    assert (error.line, error.reason) == (line, reason)


def test_a_header_hint_weighs_every_field_and_the_first_line_only():
    assert error_of(b"a1,b2\n").reason.endswith("(a CSV header? pass column=NAME)")
    assert error_of(b"X1,X2\n").reason.endswith("(a CSV header? pass column=NAME)")
    # Read a line at a time: numbers came first, so a later header-like line is just bad.
    assert error_of(b"1\nms,host\n", block_bytes=2).reason == "'ms,host' is not a number"


def test_a_cell_of_a_table_gets_no_header_hint():
    """Only a file of plain numbers is told to pass column=NAME."""
    error = error_of(b'ms\n"x,y"\n', column="ms")
    assert (error.line, error.reason) == (2, "'x,y' is not a number")


def test_the_largest_float_is_a_latency_in_ms():
    largest = b"1.7976931348623157e308"
    assert read_all(largest + b"\n") == [1.7976931348623157e308]
    # The line-by-line path, taken because of the bad line after it, agrees,
    # and so does the search for the bad value among numbers numpy parsed.
    assert error_of(largest + b"\n x\n").line == 2
    assert error_of(largest + b"\n-1\n").line == 2


@pytest.mark.parametrize(
    ("data", "options", "line"),
    [
        (b"12\n1e306\n", {}, 2),  # numpy's fast path
        (b"12\n 1e306\n", {}, 2),  # the line-by-line path
        (b"ms\n12\n1e306\n", {"column": "ms"}, 3),
        (b'{"ms": 1e306}\n', {"field": "ms"}, 1),
    ],
)
def test_a_latency_too_large_for_milliseconds_is_an_error_not_infinity(data, options, line):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning on the way
        error = error_of(data, unit="s", **options)
    assert (error.line, error.reason) == (line, "1e+306 s is too large to convert to ms")
    assert read_all(data, unit="ms", **options)[-1] == 1e306
    assert read_all(data, unit="us", **options)[-1] == pytest.approx(1e303)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("option", [{}, {"column": "ms"}, {"field": "ms"}])
def test_utf16_is_named_on_line_one(encoding, option):
    """Windows PowerShell 5 redirects output to a file as UTF-16."""
    data = "\ufeffms\n12\n".encode(encoding)
    error = error_of(data, **option)
    assert error.line == 1
    assert error.reason == "is UTF-16 text, as Windows PowerShell 5 writes it: save it as UTF-8"


@pytest.mark.parametrize(
    ("line", "field", "hint"),
    [
        # The one field of that name inside another: its dotted name.
        (
            {"ts": 1, "http": {"path": "/", "latency_ms": 12}},
            "latency_ms",
            "pass field='http.latency_ms'",
        ),
        ({"http": {"latency_ms": 12}}, "request.latency_ms", "pass field='http.latency_ms'"),
        ({"a": {"b": {"c": {"ms": 1}}}}, "ms", "pass field='a.b.c.ms'"),
        ({"latency_ms": "x", "t": 1}, "http.latency_ms", "pass field='latency_ms'"),
        # Several: each, outer objects first, ten at most.
        (
            {"up": {"x": {"ms": 1}}, "down": {"ms": 2}},
            "ms",
            "pass field=NAME, one of 'down.ms', 'up.x.ms'",
        ),
        (
            {f"k{n}": {"ms": n} for n in range(12)},
            "ms",
            "pass field=NAME, one of " + ", ".join(f"'k{n}.ms'" for n in range(10)),
        ),
        # A key with a dot in it cannot be reached by a dotted name.
        ({"a.b": {"ms": 1}, "t": 2}, "ms", "its fields: 'a.b', 't'"),
        ({"a.b": 1, "http": {"ms": 1}}, "ms", "pass field='http.ms'"),
        # The field's last part is what is looked for.
        ({"http": {"ms": 1}}, "req.timing.ms", "pass field='http.ms'"),
        ({"a": {"x.ms": 1}}, "ms", "its fields: 'a'"),
        # None of that name: the object's own fields, ten at most.
        (
            {"ts": 1, "http": {"path": "/"}, "msg": "ok"},
            "latency",
            "its fields: 'ts', 'http', 'msg'",
        ),
        (
            {f"f{n}": n for n in range(12)},
            "ms",
            "its fields: " + ", ".join(f"'f{n}'" for n in range(10)),
        ),
        ({"t": [{"ms": 1}]}, "ms", "its fields: 't'"),
        ({}, "ms", "an empty object"),
    ],
)
def test_an_object_without_the_field_is_told_which_to_pass(line, field, hint):
    """A field named as it is inside nested objects was only "has no field
    'latency_ms'", and the reader had to open the file to find its name."""
    error = error_of(json.dumps(line).encode() + b"\n", field=field)
    assert (error.line, error.reason) == (1, f"has no field {field!r} ({hint})")


@pytest.mark.parametrize(
    ("line", "field", "hint"),
    [
        # None of that name, but one in another case: that one.
        ({"Duration": 3, "ts": 1}, "duration", "pass field='Duration'"),
        ({"http": {"duration": 3}}, "http.Duration", "pass field='http.duration'"),
        ({"http": {"Latency_MS": 3}}, "latency_ms", "pass field='http.Latency_MS'"),
        # Or one difflib finds close, of the same units.
        ({"http": {"duration_ms": 3}}, "http.duraton_ms", "pass field='http.duration_ms'"),
        ({"ts": 1, "elapsed": 3}, "elapsd", "pass field='elapsed'"),
        # The name itself, though another differs from it in case alone.
        ({"a": {"ms": 1}, "b": {"MS": 2}}, "ms", "pass field='a.ms'"),
        # That name in several objects: each.
        ({"a": {"Ms": 1}, "b": {"Ms": 2}}, "ms", "pass field=NAME, one of 'a.Ms', 'b.Ms'"),
        # Two names alike, in case or closeness: neither.
        ({"MS": 1, "Ms": 2}, "ms", "its fields: 'MS', 'Ms'"),
        ({"duration": 1, "durations": 2}, "duraton", "its fields: 'duration', 'durations'"),
        # Close but for the unit: seconds would be read as milliseconds.
        ({"latency_s": 1}, "latency_ms", "its fields: 'latency_s'"),
        ({"latencyUs": 1}, "latencyMs", "its fields: 'latencyUs'"),
        ({"ts": 1, "msg": "ok"}, "ms", "its fields: 'ts', 'msg'"),
    ],
)
def test_an_object_with_the_field_misspelt_is_told_its_name(line, field, hint):
    """A field named in another case ("Duration") or with a letter wrong
    was told only the object's fields, "its fields: 'duration'"."""
    error = error_of(json.dumps(line).encode() + b"\n", field=field)
    assert (error.line, error.reason) == (1, f"has no field {field!r} ({hint})")


@pytest.mark.parametrize(
    ("header", "column", "hint"),
    [
        # One name in another case, or one close, of the same units: that one.
        ("path,latency_ms", "LATENCY_MS", " (pass column='latency_ms')"),
        ("path,Latency", "latency", " (pass column='Latency')"),
        ("path,latency_ms", "latncy_ms", " (pass column='latency_ms')"),
        ("path\tstatus\tLatency (ms)", "latency (ms)", " (pass column='Latency (ms)')"),
        ("path,it's ms", "It's ms", ' (pass column="it\'s ms")'),
        # A name twice is one name (which column=N then picks).
        ("latency_ms,latency_ms", "Latency_ms", " (pass column='latency_ms')"),
        # Two alike, none, or a name close but for its unit: no hint.
        ("path,Latency,LATENCY", "latency", ""),
        ("duration,durations", "duraton", ""),
        ("path,status", "latency_ms", ""),
        ("path,latency_s", "latency_ms", ""),
        ("path,time_usec", "time_msec", ""),
        ("ts,msg", "ms", ""),
        # A first line of numbers is no header: its fields are not names.
        ("120,95", "x120", ""),
    ],
)
def test_a_column_misspelt_is_told_the_headers_name(header, column, hint):
    names = ", ".join(repr(name) for name in header.replace("\t", ",").split(","))
    error = error_of(f"{header}\n1,2\n".encode(), column=column)
    assert (error.line, error.reason) == (1, f"no column {column!r} in the header ({names}){hint}")


def test_a_json_line_read_as_a_table_is_told_json_not_a_column():
    """The JSON hint comes first, even where a field is close to the column."""
    error = error_of(b'{"ms": 12}\n', column='{"MS": 12}')
    assert error.reason.endswith(" (JSON lines? pass field=NAME)")


@pytest.mark.parametrize(
    ("name", "units"),
    [
        ("latency_ms", {"ms"}),
        ("latency ms", {"ms"}),
        ("latency-ms", {"ms"}),
        ("latencyMs", {"ms"}),
        ("HTTPLatencyMS", {"ms"}),
        ("LATENCY_MS2", {"ms"}),
        ("latency (\u00b5s)", {"\u03bcs"}),
        ("time_usec", {"usec"}),
        ("msg", set()),
        ("Ms", {"ms"}),
        ("mss", set()),
        ("latency", set()),
    ],
)
def test_the_units_in_a_name_are_its_words_that_name_one(name, units):
    assert reading._units(name) == units


def test_the_search_for_a_field_does_not_recurse():
    """An object nests as deep as the JSON decoder allows: near Python's
    recursion limit, where a recursive search would overflow."""
    record = {"ms": 1}
    for _ in range(5_000):
        record = {"a": record}
    assert _key_paths(record)[-1] == (*["a"] * 5_000, "ms")


@pytest.mark.parametrize(
    ("data", "option", "line", "reason"),
    [
        (b"a,b\n1,2\n", {"column": "ms"}, 1, "no column 'ms' in the header ('a', 'b')"),
        (b"a,ms\n1,2\n3\n", {"column": "ms"}, 3, "has 1 field where the header has 2"),
        (b"a,ms\n1,2\n3,4,5\n", {"column": "ms"}, 3, "has 3 fields where the header has 2"),
        (b"a,ms\n1,\n", {"column": "ms"}, 2, "column 'ms' is empty"),
        (b"a,ms\n1, \t\n", {"column": "ms"}, 2, "column 'ms' is empty"),
        (b"a,ms\n1,12ms\n", {"column": "ms"}, 2, f"'12ms' is not a number {DROP_MS}"),
        (b"a,ms\n1,fast\n", {"column": "ms"}, 2, "'fast' is not a number"),
        (b'{"ms": 1}\n{"ms": 2\n', {"field": "ms"}, 2, "is not JSON (Expecting ',' delimiter)"),
        (b'{"ms": 1}\n[1]\n', {"field": "ms"}, 2, "is not a JSON object"),
        (b'{"ms": 1}\n{"t": 1}\n', {"field": "ms"}, 2, "has no field 'ms' (its fields: 't')"),
        (b'{"ms": "fast"}\n', {"field": "ms"}, 1, "field 'ms' is \"fast\", not a number"),
        (b'{"ms": ""}\n', {"field": "ms"}, 1, "field 'ms' is \"\", not a number"),
        (b'{"ms": "-1"}\n', {"field": "ms"}, 1, "negative latency -1.0"),
        (b'{"ms": "1e400"}\n', {"field": "ms"}, 1, f"field 'ms' is {OUT_OF_RANGE}"),
        (b'{"ms": "-Infinity"}\n', {"field": "ms"}, 1, "an infinite latency is not a latency"),
        (b'{"ms": "NaN"}\n', {"field": "ms"}, 1, "NaN is not a latency"),
        (
            b'{"t": {"ms": 1}}\n{"t": 2}\n',
            {"field": "t.ms"},
            2,
            "has no field 't.ms' (its fields: 't')",
        ),
        (b'{"t": {"s": 1}}\n', {"field": "t.ms"}, 1, "has no field 't.ms' (its fields: 't')"),
        (b'{"t": {"ms": null}}\n', {"field": "t.ms"}, 1, "field 't.ms' is null, not a number"),
        (b'{"ms": true}\n', {"field": "ms"}, 1, "field 'ms' is true, not a number"),
        (b'{"ms": NaN}\n', {"field": "ms"}, 1, "NaN is not a latency"),
        (b'{"ms": 1' + b"0" * 400 + b"}\n", {"field": "ms"}, 1, f"field 'ms' is {OUT_OF_RANGE}"),
        (b'{"ms": 1}\n{"ms": 1e400}\n', {"field": "ms"}, 2, f"field 'ms' is {OUT_OF_RANGE}"),
        (b'{"ms": -1e400}\n', {"field": "ms"}, 1, f"field 'ms' is {OUT_OF_RANGE}"),
        (b'{"ms": Infinity}\n', {"field": "ms"}, 1, "an infinite latency is not a latency"),
        (b'{"ms": 1, "n": 1e400}\n{"ms": 1.5e1}\n', {"field": "ms"}, None, None),
        (b"a,ms\n1,1e400\n", {"column": "ms"}, 2, f"'1e400' is {OUT_OF_RANGE}"),
        (b"a,ms\n1,-2\n", {"column": "ms"}, 2, "negative latency -2.0"),
        (b"a,ms\n1,inf\n", {"column": "ms"}, 2, "an infinite latency is not a latency"),
        (b"a,ms\n1,\xff\n", {"column": "ms"}, 2, "is not UTF-8 text (byte 0xff at column 3)"),
        (b'{"ms": 1}\n\xff\n', {"field": "ms"}, 2, "is not UTF-8 text (byte 0xff at column 1)"),
        (b"ms\n-1\n", {"column": "ms"}, 2, "negative latency -1.0"),
        (b"ms,host\nX12,a\n", {"column": "ms"}, 2, "'X12' is not a number"),
    ],
)
def test_table_and_json_errors_say_what_is_wrong(data, option, line, reason):
    if reason is None:  # only the field read has to be a latency
        assert read_all(data, **option) == [1.0, 15.0]
        return
    error = error_of(data, **option)
    assert (error.line, error.reason) == (line, reason)


@pytest.mark.parametrize(
    "data",
    [b"", b"\n\n", b"  \n", b"a,ms\n", *(compress(b"") for compress in COMPRESSORS.values())],
)
def test_an_input_without_latencies_is_an_error(data):
    option = {"column": "ms"} if data.startswith(b"a,") else {}
    error = error_of(data, **option)
    assert (error.line, error.reason) == (None, "holds no latencies")


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"nope\.log: No such file or directory"):
        read_latencies(tmp_path / "nope.log")


def test_a_line_longer_than_a_megabyte_is_refused():
    error = error_of(b"1\n" + b"9" * (2 << 20))
    assert (error.line, error.reason) == (2, "longer than 1,048,576 bytes")


def test_a_stream_we_are_given_is_left_open():
    stream = io.BytesIO(b"1\n")
    list(read_latencies(stream))
    assert not stream.closed


def test_a_stream_without_peek_is_read_a_block_at_a_time():
    # A pipe may never end: reading it whole to look at its first bytes would hang.
    stream = io.BytesIO(b"1\n" * 1000)
    assert not hasattr(stream, "peek")
    blocks = read_latencies(stream, block_bytes=64)
    assert next(blocks).tolist() == [1.0] * 32
    assert next(blocks).tolist() == [1.0] * 32
    assert stream.tell() == 128


def test_a_gzip_file_open_to_append_is_read_not_written(tmp_path):
    path = tmp_path / "requests.log.gz"
    path.write_bytes(gzip.compress(b"12\n", mtime=0))
    with open(path, "a+b") as file:  # its mode, "ab+", is no way to read gzip
        file.seek(0)
        assert [block.tolist() for block in read_latencies(file)] == [[12.0]]
    assert path.read_bytes() == gzip.compress(b"12\n", mtime=0)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"source": 12}, TypeError, "source must be a path or a binary file object"),
        ({"source": b"1\n"}, TypeError, "source must be a path"),
        ({"column": 3.0}, TypeError, r"column must be a name \(str\) or a number from 1 \(int\)"),
        ({"column": True}, TypeError, "not bool"),
        ({"column": 0}, ValueError, "column must be at least 1, got 0"),
        ({"field": ["ms"]}, TypeError, "field must be a string"),
        ({"column": "a", "field": "b"}, ValueError, "column and field exclude each other"),
        ({"unit": "min"}, ValueError, "unit must be one of ms, s, us, ns"),
        ({"unit": None}, TypeError, "unit must be a string"),
        ({"block_bytes": 0}, ValueError, "block_bytes must be at least 1"),
        ({"block_bytes": 10**30}, ValueError, "block_bytes must be at most 1,073,741,824"),
        ({"block_bytes": 1.5}, TypeError, "block_bytes must be an integer"),
    ],
)
def test_bad_arguments_name_themselves(options, error, message):
    options = {"source": io.BytesIO(b"1\n"), **options}
    with pytest.raises(error, match=message):
        read_latencies(**options)


def test_a_text_stream_is_refused_with_a_hint():
    error = error_of_stream(io.StringIO("1\n"))
    assert "binary mode" in error.reason


def error_of_stream(stream) -> InputError:
    with pytest.raises(InputError) as caught:
        list(read_latencies(stream))
    return caught.value


@pytest.mark.parametrize(
    ("data", "option"),
    [
        (b"12\n\n  \n30.5\n", {}),
        (b"path,ms\n/a,12\n\n/b,30.5\n", {"column": "ms"}),
        (b'{"ms": 12}\n\n  \n{"ms": 30.5}\n', {"field": "ms"}),
    ],
)
def test_blank_lines_anywhere_are_skipped(data, option):
    assert read_all(data, **option) == [12.0, 30.5]
    assert read_all(data, block_bytes=3, **option) == [12.0, 30.5]


def test_each_block_is_a_float_array_in_milliseconds():
    blocks = list(read_latencies(io.BytesIO(b'{"t": 1}\n{"t": 2}\n'), field="t", unit="us"))
    assert [block.dtype for block in blocks] == [np.float64]
    assert blocks[0].tolist() == [0.001, 0.002]


def test_a_stream_without_a_name_is_called_stream():
    with pytest.raises(InputError, match=r"^<stream>, line 2: 'x' is not a number$"):
        list(read_latencies(io.BytesIO(b"1\nx\n")))


# Block boundaries, the fast path, and messages, pinned exactly: each test
# below fails for a small bug mutation testing planted and the others missed.


def blocks_of(data: bytes, **options) -> list[list[float]]:
    return [block.tolist() for block in read_latencies(io.BytesIO(data), **options)]


def test_a_block_holds_no_more_lines_than_its_bytes_allow():
    # Memory stays bounded because a block is at most block_bytes long, even
    # when the first bytes were read ahead to look for the gzip header.
    assert blocks_of(b"1\n2\n3\n4\n5\n6\n", block_bytes=4) == [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    assert blocks_of(b"1\n2\n3\n", block_bytes=1) == [[1.0], [2.0], [3.0]]


def test_a_line_of_exactly_a_mebibyte_is_read():
    line = b"0" * (MAX_LINE_BYTES - 1) + b"1"
    assert read_all(line + b"\n") == [1.0]


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 4, 1 << 20])
def test_the_last_line_without_a_newline_is_converted_and_numbered(block_bytes):
    assert read_all(b"1\n0.5", unit="s", block_bytes=block_bytes) == [1000.0, 500.0]
    assert read_all(b"0.5", unit="s", block_bytes=block_bytes) == [500.0]
    assert error_of(b"1\n2\nx", block_bytes=block_bytes).line == 3


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 4, 1 << 20])
def test_a_byte_order_mark_is_dropped_whatever_the_block_size(block_bytes):
    assert read_all(b"\xef\xbb\xbf12", block_bytes=block_bytes) == [12.0]
    assert read_all(b"\xef\xbb\xbf12\n3\n", block_bytes=block_bytes) == [12.0, 3.0]
    assert read_all(b"\xef\xbb\xbfms\n12", column="ms", block_bytes=block_bytes) == [12.0]


@pytest.mark.parametrize("block_bytes", [1, 2, 3, 1 << 20])
def test_blank_lines_alone_in_a_block_are_skipped(block_bytes):
    assert read_all(b"\r\n1\r\n\r\n2\r\n", block_bytes=block_bytes) == [1.0, 2.0]
    assert read_all(b"\n12\n\n30.5\n", block_bytes=block_bytes) == [12.0, 30.5]


@pytest.mark.parametrize(
    "data",
    [b"1\t2\n\t\n", b"1\v2\n\v\n", b"1\f2\n\f\n", b"1\r2\n\r\r\n", b"1 2\n \n"],
)
def test_two_numbers_on_a_line_are_an_error_even_beside_a_whitespace_line(data):
    # numpy would read these blocks as two numbers on two lines.
    first_line = data.partition(b"\n")[0].decode()
    error = error_of(data)
    assert (error.line, error.reason) == (1, f"{first_line!r} is not a number")


@pytest.mark.parametrize("data", [b"0\n0.5\n3e2\n", b"0\r\n0.5\r\n3e2\r\n"])
def test_clean_plain_numbers_take_numpys_fast_path(data, monkeypatch):
    # The module promises millions of lines a second: that holds only if a
    # clean block never falls back to the line-by-line parser, not even for
    # a latency of 0 or below 1 (every line of a file in seconds).
    def slow(*args):
        raise AssertionError("the line-by-line parser ran on a clean block")

    monkeypatch.setattr(_PlainParser, "_slow", slow)
    assert read_all(data) == [0.0, 0.5, 300.0]


def test_the_first_bad_value_is_reported_after_a_zero():
    error = error_of(b"0\n5\n-1\n")
    assert (error.line, error.reason) == (3, "negative latency -1.0")


def test_a_long_word_is_shortened_in_the_message():
    assert error_of(b"_" * 40 + b"\n").reason == f"{'_' * 40!r} is not a number"
    assert error_of(b"_" * 41 + b"\n").reason == f"{'_' * 37 + '...'!r} is not a number"
    # A one-column header's name, in the hint, is shown whole or not at all.
    header = f"(a header? pass column={'x' * 40!r})"
    assert error_of(b"x" * 40 + b"\n").reason == f"{'x' * 40!r} is not a number {header}"
    header = "(a header? pass column=NAME)"
    assert error_of(b"x" * 41 + b"\n").reason == f"{'x' * 37 + '...'!r} is not a number {header}"


def test_a_tsv_row_may_end_in_an_empty_field():
    assert read_all(b"ms\thost\n12\t\n30\tb\n", column="ms") == [12.0, 30.0]


def test_a_tsv_header_may_start_with_an_empty_name():
    # pandas' to_csv(sep="\t") writes its index this way.
    assert read_all(b"\tlatency_ms\n0\t12\n1\t30\n", column="latency_ms") == [12.0, 30.0]


def test_a_header_with_a_capital_x_splits_on_its_commas():
    assert read_all(b"X-Cache,latency_ms\nHIT,12\nMISS,30\n", column="latency_ms") == [12.0, 30.0]


@pytest.mark.parametrize("block_bytes", [1, 1 << 20])
def test_a_carriage_return_inside_a_row_is_an_input_error(block_bytes):
    # As classic Mac OS ended lines: the whole file is one line to us.
    error = error_of(b"path,ms\r/,12\r", column="ms", block_bytes=block_bytes)
    reason = "holds a carriage return (\\r) inside it: end lines with \\n or \\r\\n"
    assert (error.line, error.reason) == (1, reason)
    error = error_of(b"path,ms\n/a,1\n/b\r/c,12\n", column="ms", block_bytes=block_bytes)
    assert (error.line, error.reason) == (3, reason)


def test_a_field_longer_than_csv_allows_is_an_input_error():
    data = b'path,ms\n"/a",1\n"' + b"/" * (1 << 18) + b'",12\n'
    error = error_of(data, column="ms")
    reason = "cannot be split into fields (field larger than field limit (131072))"
    assert (error.line, error.reason) == (3, reason)


def test_a_missing_column_lists_the_first_ten_names():
    header = ",".join(f"c{i}" for i in range(12)).encode()
    shown = ", ".join(f"'c{i}'" for i in range(10))
    error = error_of(header + b"\n1\n", column="ms")
    assert error.reason == f"no column 'ms' in the header ({shown})"


def test_a_file_we_open_is_closed_when_reading_ends(tmp_path):
    path = tmp_path / "requests.log.gz"
    path.write_bytes(gzip.compress(b"1\n2\n"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert np.concatenate(list(read_latencies(path))).tolist() == [1.0, 2.0]
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_argument_errors_say_exactly_what_was_given():
    message = r"^source must be a path or a binary file object, not int$"
    with pytest.raises(TypeError, match=message):
        read_latencies(12)
    message = r"^column and field exclude each other: a file is CSV or JSON lines$"
    with pytest.raises(ValueError, match=message):
        read_latencies(io.BytesIO(b"1\n"), column="a", field="b")


def test_a_text_stream_error_names_the_stream():
    stream = io.StringIO("1\n")
    stream.name = "requests.log"
    error = error_of_stream(stream)
    assert str(error) == "requests.log: is open in text mode; open it in binary mode"


# -- tables as they come: numbered columns, no header, semicolons, duplicates ------------


def test_a_column_by_number_reads_a_table_with_or_without_a_header():
    with_header = b"ts,path,latency_ms\n1,/a,12.5\n2,/b,30\n"
    without = b"1,/a,12.5\n2,/b,30\n"
    assert read_all(with_header, column=3) == [12.5, 30.0]
    assert read_all(with_header, column="latency_ms") == [12.5, 30.0]
    assert read_all(without, column=3) == [12.5, 30.0]
    assert read_all(without, column=1) == [1.0, 2.0]
    # The first line is a header only where the field read is a name.
    assert read_all(b"\n\nms\tpath\n12\t/a\n", column=1) == [12.0]
    assert read_all(b"path,ms\n/a,12\n", column=np.int64(2)) == [12.0]


@pytest.mark.parametrize(
    ("data", "column", "line", "reason"),
    [
        (b"a,b\n1,2\n", 3, 1, "has 2 fields, so no column 3"),
        (b"12\n", 2, 1, "has 1 field, so no column 2"),
        (b"1,2\n3\n", 1, 2, "has 1 field where the first row has 2"),
        (b"a,b\n1,2\n3\n", 1, 3, "has 1 field where the header has 2"),
        (b"1,\n", 2, 1, "column 2 is empty"),
        (b"a,b\n1,-\n", 2, 2, "'-' is not a number"),
        (b"1,12ms\n", 2, 1, f"'12ms' is not a number {DROP_MS}"),
        # Starts with a digit: not a name, so not a header, and an error.
        (b"a,2xx_ms\n1,2\n", 2, 1, "'2xx_ms' is not a number"),
    ],
)
def test_a_numbered_column_errors_say_what_is_wrong(data, column, line, reason):
    error = error_of(data, column=column)
    assert (error.line, error.reason) == (line, reason)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("12,5", " (a decimal comma? write 12.5)"),
        ("0,25", " (a decimal comma? write 0.25)"),
        ("1,2345", " (a decimal comma? write 1.2345)"),
        # Three digits after the comma may be thousands: no guess, unless
        # the number starts with 0, as thousands never do.
        ("0,125", " (a decimal comma? write 0.125)"),
        ("00,125", " (a decimal comma? write 00.125)"),
        ("1,234", ""),
        ("10,125", ""),
        ("1,234,567", ""),
        ("1,2,3", ""),
        (",5", ""),
        ("12,", ""),
        ("x12,5", ""),
        ("12,5x", ""),
    ],
)
def test_a_decimal_comma_is_told_the_number_to_write(text, hint):
    """A spreadsheet writes 12,5 where the decimal mark is a comma, and the
    semicolons it then separates fields with are read: its numbers were
    only "not a number"."""
    assert reading._comma_hint(text) == hint
    for data, options in ((f"1\n{text}\n", {}), (f"a;ms\n1;{text}\n", {"column": "ms"})):
        error = error_of(data.encode(), **options)
        assert (error.line, error.reason) == (2, f"{text!r} is not a number{hint}")


def test_a_semicolon_separates_fields_when_the_first_line_has_no_tab_or_comma():
    """As a spreadsheet writes CSV where the decimal mark is a comma."""
    assert read_all(b"path;latency_ms\n/a;12\n/b;30.5\n", column="latency_ms") == [12.0, 30.5]
    error = error_of(b"path;ms\n/a;12,5\n", column="ms")
    assert error.reason == "'12,5' is not a number (a decimal comma? write 12.5)"
    # A comma wins over a semicolon, a tab over both.
    assert read_all(b"a;b,ms\n1;2,3\n", column="ms") == [3.0]
    assert read_all(b"a,b\tms\n1,2\t3\n", column="ms") == [3.0]


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b"ms,ms", "columns 1 and 2 are both named 'ms'; pick one with column=N"),
        (b"a,ms,b,ms,ms", "columns 2, 4 and 5 are all named 'ms'; pick one with column=N"),
    ],
)
def test_a_name_the_header_gives_twice_is_an_error_not_the_first(header, reason):
    row = b",".join(b"%d" % n for n in range(1, header.count(b",") + 2))
    table = header + b"\n" + row + b"\n"
    error = error_of(table, column="ms")
    assert (error.line, error.reason) == (1, reason)
    assert read_all(table, column=2) == [2.0]


def test_a_file_of_the_other_format_gets_a_hint():
    error = error_of(b'{"ms": 12}\n', column="ms")
    assert (
        error.reason
        == """no column 'ms' in the header ('{"ms": 12}') (JSON lines? pass field=NAME)"""
    )
    assert error_of(b'  {"ms": 12}\n', column="ms").reason == error.reason
    error = error_of(b"path,ms\n/,12\n", field="ms")
    assert error.reason == "is not JSON (Expecting value) (a CSV header? pass column=NAME)"
    # Only the first line: a later bad line is just not JSON.
    error = error_of(b'{"ms": 12}\npath,ms\n', field="ms")
    assert (error.line, error.reason) == (2, "is not JSON (Expecting value)")
    # Also when the first line was read in a block of its own, a block at a time.
    error = error_of(b'{"ms": 12}\npath,ms\n', field="ms", block_bytes=11)
    assert (error.line, error.reason) == (2, "is not JSON (Expecting value)")


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("12ms", "ms"),
        ("0.35 s", "s"),
        ("850us", "us"),
        ("850\u00b5s", "us"),
        ("850\u03bcs", "us"),
        ("1e6ns", "ns"),
        ("-3ms", "ms"),
    ],
)
def test_a_number_with_a_unit_is_told_to_drop_it(text, unit):
    error = error_of(f"1\n{text}\n".encode())
    assert error.reason == f"{text!r} is not a number (drop the unit, and pass unit={unit})"


def test_a_word_that_only_ends_like_a_unit_gets_no_unit_hint():
    assert error_of(b"1\nms\n").reason == "'ms' is not a number"
    assert error_of(b"1\n12 mins\n").reason == "'12 mins' is not a number"


@pytest.mark.parametrize("block_bytes", [1, 3, 1 << 20])
def test_comment_lines_in_a_file_of_plain_numbers_are_skipped(block_bytes):
    data = b"# latencies of host a, ms\n12\n  # a pause\n#\n30.5\n"
    assert read_all(data, block_bytes=block_bytes) == [12.0, 30.5]
    assert error_of(b"# only a comment\n").reason == "holds no latencies"
    # A comment does not count as the first line: the header hint still comes.
    error = error_of(b"# exported\npath,ms\n/,12\n")
    assert error.reason.endswith("(a CSV header? pass column=NAME)")
    # Only at the start of a line: after a number it is not a comment.
    assert error_of(b"12 # ms\n").reason == "'12 # ms' is not a number"


# -- tables and JSON lines: a block at a time when clean, a line at a time to find errors --


def outcome(data: bytes, **options):
    """What reading *data* gives: its values, or the line and reason of its error."""
    try:
        return read_all(data, **options)
    except InputError as error:
        return (error.line, error.reason)


def line_by_line(monkeypatch, parser) -> None:
    """Make *parser* read every block a line at a time, as before its fast path."""
    monkeypatch.setattr(parser, "_fast", lambda self, block: None)


CELLS = ["12", "0.5", "-0", " 7 ", "1e3", "", "  ", "-1", "nan", "inf", "1e400", "12ms", "x"]
CELLS += ['"3"', '"1,5"', "1_0"]


@settings(deadline=None, max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.lists(st.sampled_from(CELLS), min_size=1, max_size=3).map(",".join),
            # The header again (files joined into one), as it is and as it may come.
            st.sampled_from(["", " ", '"a\nb",1', "\r", "a,ms", " a,ms ", "\ufeffa,ms", "a,ms,"]),
        ),
        max_size=8,
    ),
    st.sampled_from(["\n", "\r\n"]),
    st.sampled_from(["ms", 2]),
    st.integers(1, 40),
)
def test_a_table_reads_the_same_a_block_or_a_line_at_a_time(rows, newline, column, block_bytes):
    data = newline.join(["a,ms", *rows, ""]).encode()
    with pytest.MonkeyPatch.context() as patch:
        line_by_line(patch, _ColumnParser)
        expected = outcome(data, column=column)
    assert outcome(data, column=column) == expected
    assert outcome(data, column=column, block_bytes=block_bytes) == expected


VALUES = ["12", "0.5", "-0.0", "1e3", "-1", "NaN", "Infinity", "1e400", "1" + "0" * 400]
VALUES += ['"12"', '" 7 "', '"-1"', '"1e400"', '"inf"', '""', '"x"', "true", "null", "[1]", "{}"]


@settings(deadline=None, max_examples=300)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(VALUES).map(lambda v: f'{{"ms": {v}, "path": "/"}}'),
            st.sampled_from(VALUES).map(lambda v: f'{{"t": {{"ms": {v}}}, "t.ms": {v}}}'),
            st.sampled_from(VALUES).map(lambda v: f'{{"t": {{"ms": {v}}}}}'),
            st.sampled_from(["", "  ", '{"t": 1}', "[]", "12", '{"ms": 1', '"ms"', '{"t": []}']),
        ),
        max_size=8,
    ),
    st.sampled_from(["ms", "t.ms"]),
    st.integers(1, 40),
)
def test_json_lines_read_the_same_a_block_or_a_line_at_a_time(lines, field, block_bytes):
    data = "".join(line + "\n" for line in lines).encode()
    with pytest.MonkeyPatch.context() as patch:
        line_by_line(patch, _FieldParser)
        expected = outcome(data, field=field)
    assert outcome(data, field=field) == expected
    assert outcome(data, field=field, block_bytes=block_bytes) == expected


def count_lines_read_alone(monkeypatch, parser) -> list[int]:
    """The lines of each block *parser* reads on its slow path, a line at a
    time, as the reading goes: a list that fills as blocks go there."""
    slow = parser._slow
    counts = []

    def counted(self, block, first_line):
        counts.append(block.count(b"\n"))
        return slow(self, block, first_line)

    monkeypatch.setattr(parser, "_slow", counted)
    return counts


@pytest.mark.parametrize(
    ("parser", "data", "option"),
    [
        (_ColumnParser, b"path,ms\n/a,0\n/b,0.5\n/c,3e2\n", {"column": "ms"}),
        (_ColumnParser, b"/a\t0\r\n/b\t0.5\r\n/c\t3e2\r\n", {"column": 2}),
        # Quoted fields, as spreadsheets and pandas write them, go through csv.
        (_ColumnParser, b'"path","ms"\n"/a","0"\n"/b","0.5"\n"/c","3e2"\n', {"column": "ms"}),
        (_ColumnParser, b'"/a"\t0\n"/b"\t0.5\n"/c"\t3e2\n', {"column": 2}),
        (_FieldParser, b'{"ms": 0}\n{"ms": 0.5}\n{"ms": 3e2, "p": "/"}\n', {"field": "ms"}),
        (_FieldParser, b'{"ms": "0"}\n{"ms": 0.5}\n{"ms": "3e2"}\n', {"field": "ms"}),
        (
            _FieldParser,
            b'{"t": {"ms": 0}}\n{"t": {"ms": 0.5}}\n{"t.ms": 3e2}\n',
            {"field": "t.ms"},
        ),
    ],
)
def test_clean_tables_and_json_lines_are_read_a_block_at_a_time(parser, data, option, monkeypatch):
    """A block at a time is what makes them fast (benchmarks/reading.py).
    Only a table's first line, which may be its header, is read alone."""
    lines_read_alone = count_lines_read_alone(monkeypatch, parser)
    assert read_all(data, **option) == [0.0, 0.5, 300.0]
    assert sum(lines_read_alone) == (1 if parser is _ColumnParser else 0)


def test_a_number_in_a_string_is_read_as_the_number():
    """nginx's JSON log formats quote every value: "request_time": "0.012"."""
    data = b'{"request_time": "0.012"}\n{"request_time": " 1.5 "}\n{"request_time": 2}\n'
    assert read_all(data, field="request_time", unit="s") == [12.0, 1500.0, 2000.0]


def test_a_dotted_field_reaches_inside_objects_unless_an_object_holds_the_name():
    nested = b'{"http": {"duration_ms": 12, "status": 200}}\n{"http": {"duration_ms": 30}}\n'
    assert read_all(nested, field="http.duration_ms") == [12.0, 30.0]
    deeper = b'{"event": {"timing": {"ns": 5000000}}}\n'
    assert read_all(deeper, field="event.timing.ns", unit="ns") == [5.0]
    # A key with a dot in it, as given, comes first.
    both = b'{"http.duration_ms": 7, "http": {"duration_ms": 12}}\n'
    assert read_all(both, field="http.duration_ms") == [7.0]


# -- files joined into one: the header again -------------------------------------------


@pytest.mark.parametrize(
    ("part", "column"),
    [
        (b"host,latency_ms\na,10\nb,20\n", "latency_ms"),
        (b"host,latency_ms\na,10\nb,20\n", 2),
        (b"latency_ms\n10\n20\n", "latency_ms"),  # one column
        (b"latency_ms\n10\n20\n", 1),
        (b"host\tlatency_ms\na\t10\nb\t20\n", "latency_ms"),
        (b"host;latency_ms\na;10\nb;20\n", "latency_ms"),
        (b'"host","latency_ms"\n"a","10"\n"b","20"\n', "latency_ms"),  # through csv
        (b"host,latency_ms\r\na,10\r\nb,20\r\n", "latency_ms"),
    ],
)
@pytest.mark.parametrize("compress", [bytes, gzip.compress, bz2.compress, lzma.compress])
@pytest.mark.parametrize("block_bytes", [1, 7, 1 << 20])
def test_a_header_again_in_files_joined_into_one_is_skipped(part, column, compress, block_bytes):
    """As `cat a.csv.gz b.csv.gz` joins two compressed files, or rotated
    logs and exports repeat their header, each part keeps its header."""
    joined = b"".join(compress(p) for p in (part, part.replace(b"1", b"3").replace(b"2", b"4")))
    assert read_all(joined, column=column, block_bytes=block_bytes) == [10, 20, 30, 40]
    with pytest.MonkeyPatch.context() as patch:
        line_by_line(patch, _ColumnParser)
        assert read_all(joined, column=column, block_bytes=block_bytes) == [10, 20, 30, 40]


def test_a_header_again_may_start_with_a_byte_order_mark_or_end_in_spaces():
    """Each of the files joined into one may have been saved with a BOM."""
    part = b"\xef\xbb\xbfhost,ms\r\n/a,12\r\n"
    assert read_all(part + part + b"host,ms  \n/b,13\n", column="ms") == [12, 12, 13]


def test_after_a_header_again_a_bad_line_keeps_its_number():
    data = b"host,ms\na,10\nhost,ms\nb,20\nhost,ms\nc,x\n"
    for block_bytes in (1, 8, 1 << 20):
        error = error_of(data, column="ms", block_bytes=block_bytes)
        assert (error.line, error.reason) == (6, "'x' is not a number")
    # Only a line the same as the header is skipped: another header is bad.
    error = error_of(b"host,ms\na,10\nms,host\n", column="ms")
    assert (error.line, error.reason) == (3, "'host' is not a number")
    error = error_of(b"host,ms\na,10\nhost,ms,x\n", column="ms")
    assert (error.line, error.reason) == (3, "has 3 fields where the header has 2")


def test_a_first_row_of_numbers_is_no_header_and_its_twin_is_read():
    """Read by number, a table without a header starts with data, not a header."""
    assert read_all(b"1,12\n1,12\n", column=2) == [12, 12]
    assert read_all(b"1,12\n1,12\n", column=2, block_bytes=1) == [12, 12]


def test_a_header_again_does_not_stop_the_block_at_a_time_reading(monkeypatch):
    """A header between two joined files leaves the block to the fast path."""
    lines_read_alone = count_lines_read_alone(monkeypatch, _ColumnParser)
    # The column first: joined wrongly, the rows would not give its cells.
    part = b"ms,host\n" + b"".join(b"%d,/\n" % n for n in range(100))
    assert read_all(part + part + part, column="ms") == list(range(100)) * 3
    assert lines_read_alone == [1]
    # Nothing but headers after the first: nothing more, and no error.
    assert read_all(b"ms\n1\n" + b"ms\n" * 3, column="ms") == [1.0]
