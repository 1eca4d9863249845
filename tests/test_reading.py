"""Reading latencies from files: every format, block boundaries, and bad lines."""

import gzip
import io
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dmls_examples.reading import UNITS, InputError, read_latencies

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


def test_gzip_is_recognised_by_its_first_bytes():
    assert read_all(gzip.compress(b"1\n2\n3\n")) == [1.0, 2.0, 3.0]


def test_a_broken_gzip_file_is_an_input_error():
    error = error_of(gzip.compress(b"1\n2\n3\n")[:-12])
    assert error.line is None
    assert "cannot read it" in str(error)


@pytest.mark.parametrize(("unit", "expected"), [("ms", 250.0), ("s", 250_000.0), ("us", 0.25)])
def test_units_convert_to_milliseconds(unit, expected):
    assert read_all(b"250\n", unit=unit) == [expected]
    assert UNITS[unit] * 250 == expected


def test_windows_line_ends_a_byte_order_mark_blank_lines_and_no_final_newline():
    assert read_all(b"\xef\xbb\xbf1.5\r\n\r\n2\r\n  3 \n\n4") == [1.5, 2.0, 3.0, 4.0]


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"1\n2\n3x\n", 3, "'3x' is not a number"),
        (b"1\n-2\n", 2, "negative latency -2.0"),
        (b"1\nnan\n", 2, "NaN is not a latency"),
        (b"1\ninf\n", 2, "an infinite latency is not a latency"),
        (b"1\n\xff\xfe2\n", 2, "is not UTF-8 text (byte 0xff at column 1)"),
        (b"latency_ms\n12\n", 1, "'latency_ms' is not a number"),
    ],
)
def test_plain_errors_say_what_is_wrong(data, line, reason):
    error = error_of(data)
    assert (error.line, error.reason) == (line, reason)


def test_utf16_is_not_utf8_on_line_one():
    assert error_of("12\n13\n".encode("utf-16")).line == 1


@pytest.mark.parametrize(
    ("data", "option", "line", "reason"),
    [
        (b"a,b\n1,2\n", {"column": "ms"}, 1, "no column 'ms' in the header ('a', 'b')"),
        (b"a,ms\n1,2\n3\n", {"column": "ms"}, 3, "has 1 fields where the header has 2"),
        (b"a,ms\n1,fast\n", {"column": "ms"}, 2, "'fast' is not a number"),
        (b'{"ms": 1}\n{"ms": 2\n', {"field": "ms"}, 2, "is not JSON (Expecting ',' delimiter)"),
        (b'{"ms": 1}\n[1]\n', {"field": "ms"}, 2, "is not a JSON object"),
        (b'{"ms": 1}\n{"t": 1}\n', {"field": "ms"}, 2, "has no field 'ms'"),
        (b'{"ms": "1"}\n', {"field": "ms"}, 1, "field 'ms' is \"1\", not a number"),
        (b'{"ms": true}\n', {"field": "ms"}, 1, "field 'ms' is true, not a number"),
        (b'{"ms": NaN}\n', {"field": "ms"}, 1, "NaN is not a latency"),
        (b'{"ms": 1' + b"0" * 400 + b"}\n", {"field": "ms"}, 1, "field 'ms' is too large"),
    ],
)
def test_table_and_json_errors_say_what_is_wrong(data, option, line, reason):
    error = error_of(data, **option)
    assert (error.line, error.reason) == (line, reason)


@pytest.mark.parametrize("data", [b"", b"\n\n", b"  \n", b"a,ms\n"])
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


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"source": 12}, TypeError, "source must be a path or a binary file object"),
        ({"source": b"1\n"}, TypeError, "source must be a path"),
        ({"column": 3}, TypeError, "column must be a string"),
        ({"field": ["ms"]}, TypeError, "field must be a string"),
        ({"column": "a", "field": "b"}, ValueError, "column and field exclude each other"),
        ({"unit": "min"}, ValueError, "unit must be one of ms, s, us"),
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
