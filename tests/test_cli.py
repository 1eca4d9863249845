"""The `dmls` command: its options, output and errors, and the installed
command run end to end as a user runs it.

Most tests run the command line in this process, through the same entry
point the console script calls (a process each would cost a numpy import,
half a second, fifty times over); the tests of what only a real process
shows (the installed script, `python -m`, --help, standard input, a
terminal) run it as a user does, and one checks that both give the same
output.
"""

import argparse
import contextlib
import decimal
import fcntl
import functools
import gc
import gzip
import io
import json
import os
import pty
import re
import select
import shlex
import struct
import subprocess
import sys
import termios
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import dmls_examples
from dmls_examples import batching, business, capacity, cli, recommender
from dmls_examples.cli import Objective, main, parse_objective, run
from dmls_examples.latency import PERCENTILE_METHODS, percentiles
from dmls_examples.sketch import QuantileSketch

DMLS = Path(sys.executable).with_name("dmls")
BOOK = [100, 102, 100, 100, 99, 104, 110, 90, 3000, 95]
COMMANDS = ["latency", "take-rate", "ab-size", "capacity", "batching"]
#: What a decimal beyond the float range is, in a file or on the command line.
OUT_OF_RANGE = "out of range: the largest number is about 1.8 x 10^308"


def installed(*args, stdin=b"") -> subprocess.CompletedProcess:
    """Run the installed `dmls` command in a process of its own."""
    return subprocess.run(
        [str(DMLS), *map(str, args)], input=stdin, capture_output=True, timeout=120
    )


def dmls(*args, stdin=b"") -> subprocess.CompletedProcess:
    """Run `dmls` in this process, through cli.run, as a process would.

    The same exit status and output as :func:`installed` (a test below
    checks), at a fraction of the cost; and `nox -s mutate` sees the code
    run, which it cannot in a child process.
    """
    result = run([str(arg) for arg in args], stdin=stdin)
    return subprocess.CompletedProcess(
        args, result.status, result.output.encode(), result.errors.encode()
    )


def as_json(result) -> dict:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def fails_with(result, *fragments) -> str:
    """Exit status 2 and one line on stderr holding every fragment; no traceback."""
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode()
    assert message.count("\n") == 1, message
    assert "Traceback" not in message
    for fragment in fragments:
        assert fragment in message
    return message


@pytest.fixture
def book_log(tmp_path) -> Path:
    path = tmp_path / "book.log"
    path.write_text("".join(f"{v}\n" for v in BOOK))
    return path


def test_the_command_is_installed():
    assert DMLS.is_file(), "pip install -e . installs the dmls console script"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help_with_an_example(command):
    result = installed(command, "--help")
    assert result.returncode == 0
    assert f"example:\n  dmls {command} " in result.stdout.decode()


def test_python_dash_m_runs_the_same_command(book_log):
    result = subprocess.run(
        [sys.executable, "-m", "dmls_examples", "latency", book_log, "--json"],
        capture_output=True,
        check=True,
    )
    assert json.loads(result.stdout)["count"] == 10


def test_the_command_says_its_version():
    """`dmls --version` was a usage error: "the following arguments are
    required: COMMAND", as if the reader had asked for nothing."""
    result = installed("--version")
    assert result.returncode == 0
    assert result.stdout.decode() == f"dmls {dmls_examples.__version__}\n"


def test_no_command_is_a_usage_error():
    fails_with(installed(), "dmls: ", "required")


# -- latency: formats -----------------------------------------------------------------


def test_latency_summarises_the_books_ten_requests(book_log):
    text = dmls("latency", book_log).stdout.decode()
    assert text.splitlines()[0] == "10 requests, percentiles by nearest rank"
    assert "  p90          110.000 ms" in text
    assert "  mean         390.000 ms" in text
    assert "  max        3,000.000 ms" in text


def test_latency_json_holds_the_package_percentiles(book_log):
    record = as_json(dmls("latency", book_log, "--json", "--q", "50", "90", "99.9"))
    expected = percentiles(BOOK, (50, 90, 99.9))
    assert record["percentiles"] == {"50": expected[50], "90": expected[90], "99.9": 3000.0}
    assert (record["count"], record["mean"], record["max"], record["unit"]) == (10, 390, 3000, "ms")


def test_method_takes_numpys_names(book_log):
    record = as_json(dmls("latency", book_log, "--json", "--q", "90", "--method", "higher"))
    assert record["percentiles"] == {"90": 3000.0}
    fails_with(dmls("latency", book_log, "--method", "avg"), "invalid choice: 'avg'")


def test_standard_input_with_no_file_or_a_dash():
    data = "".join(f"{v}\n" for v in BOOK).encode()
    assert as_json(installed("latency", "--json", stdin=data))["count"] == 10
    assert as_json(installed("latency", "-", "--json", stdin=data))["count"] == 10


def test_several_files_are_one_sample(book_log, tmp_path):
    other = tmp_path / "other.log"
    other.write_text("5000\n")
    record = as_json(dmls("latency", book_log, other, "--json"))
    assert (record["count"], record["max"]) == (11, 5000)


@pytest.mark.parametrize(
    ("name", "content", "options"),
    [
        ("log.csv", "path,latency_ms\n" + "".join(f"/a,{v}\n" for v in BOOK), ["--column"]),
        ("log.tsv", "latency_ms\tpath\n" + "".join(f"{v}\t/a\n" for v in BOOK), ["--column"]),
        ("log.jsonl", "".join(json.dumps({"latency_ms": v}) + "\n" for v in BOOK), ["--field"]),
    ],
)
def test_csv_tsv_and_json_lines(tmp_path, name, content, options):
    path = tmp_path / name
    path.write_text(content)
    record = as_json(dmls("latency", path, *options, "latency_ms", "--json", "--q", "90"))
    assert record["percentiles"] == {"90": 110.0}


@pytest.mark.parametrize(
    "content",
    [
        "ts,path,latency_ms\n" + "".join(f"{i},/a,{v}\n" for i, v in enumerate(BOOK)),
        "".join(f"{i},/a,{v}\n" for i, v in enumerate(BOOK)),  # no header
        "".join(f"{i};/a;{v}\n" for i, v in enumerate(BOOK)),  # a spreadsheet's semicolons
    ],
)
def test_a_column_by_its_number_counts_from_1_as_cut_does(tmp_path, content):
    path = tmp_path / "log.csv"
    path.write_text(content)
    record = as_json(dmls("latency", path, "--column", "3", "--json", "--q", "90"))
    assert (record["count"], record["percentiles"]) == (10, {"90": 110.0})


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("a,b\n1,2\n", "--column 0", "argument --column: columns are numbered from 1"),
        ("a,b\n1,2\n", "--column 3", "line 1: has 2 fields, so no column 3\n"),
        (
            "ms,ms\n1,2\n",
            "--column ms",
            "line 1: columns 1 and 2 are both named 'ms'; pick one with --column N\n",
        ),
        ("a,ms\n1,\n", "--column ms", "line 2: column 'ms' is empty\n"),
        ("12ms\n", "", "line 1: '12ms' is not a number (drop the unit, and pass --unit ms)\n"),
        ("a,s\n1,2 s\n", "--column 2", "'2 s' is not a number (drop the unit, and pass --unit s)"),
        ('{"ms": 1}\n', "--column ms", "(JSON lines? pass --field NAME)\n"),
        ("a,ms\n1,2\n", "--field ms", "line 1: is not JSON (Expecting value) (a CSV header?"),
    ],
)
def test_table_errors_name_the_commands_options(tmp_path, content, args, message):
    path = tmp_path / "log.csv"
    path.write_text(content)
    fails_with(dmls("latency", path, *args.split()), message)


def test_nanoseconds_as_go_and_tracers_write_them(tmp_path):
    path = tmp_path / "spans.jsonl"
    path.write_text("".join(f'{{"duration_ns": {v * 1_000_000}}}\n' for v in BOOK))
    args = ("--field", "duration_ns", "--unit", "ns", "--json", "--slo", "110@90")
    record = as_json(dmls("latency", path, *args))
    assert (record["percentiles"]["90"], record["max"]) == (110.0, 3000.0)
    assert record["objectives"][0]["met"] is True


def test_gzip_files_are_read_transparently(tmp_path):
    path = tmp_path / "log.jsonl.gz"
    path.write_bytes(gzip.compress("".join(f'{{"t": {v / 1000}}}\n' for v in BOOK).encode()))
    record = as_json(dmls("latency", path, "--field", "t", "--unit", "s", "--json"))
    assert record["percentiles"]["90"] == pytest.approx(110.0)


@pytest.mark.parametrize(
    ("parts", "options"),
    [
        ([b"latency_ms\n10\n20\n", b"latency_ms\n30\n40\n"], ["--column", "latency_ms"]),
        ([b"host,latency_ms\na,10\nb,20\n", b"host,latency_ms\nc,30\nd,40\n"], ["--column", "2"]),
        ([b"host;ms\r\na;10\r\nb;20\r\n", b"host;ms\r\nc;30\r\nd;40\r\n"], ["--column", "ms"]),
    ],
)
@pytest.mark.parametrize("compress", [bytes, gzip.compress])
@pytest.mark.parametrize("sketch", [[], ["--sketch"]])
def test_files_joined_with_cat_keep_each_parts_header(tmp_path, parts, options, compress, sketch):
    """`cat a.csv.gz b.csv.gz > all.csv.gz` stopped at b's header: "line 4:
    'latency_ms' is not a number"."""
    joined = b"".join(map(compress, parts))
    path = tmp_path / "all.csv"
    path.write_bytes(joined)
    for source, stdin in (([path], b""), (["-"], joined)):
        record = as_json(dmls("latency", *source, *options, *sketch, "--json", stdin=stdin))
        assert (record["count"], record["max"]) == (4, 40)
    # A bad line after the second header still has its number in the joined file.
    path.write_bytes(joined + compress(parts[1].replace(b"40", b"4O")))
    fails_with(dmls("latency", path, *options, *sketch), f"{path}, line 9: '4O' is not a number")


@pytest.mark.parametrize(
    ("content", "hint"),
    [
        ("latency_ms\n10\n20\n", "(a header? pass --column latency_ms)"),
        ('"latency (ms)"\n10\n', "(a header? pass --column 'latency (ms)')"),
        ("host;ms\n/;10\n", "(a CSV header? pass --column NAME)"),
    ],
)
def test_a_one_column_header_is_told_the_column_to_pass(tmp_path, content, hint):
    path = tmp_path / "x.csv"
    path.write_text(content)
    message = fails_with(dmls("latency", path))
    assert message.startswith(f"dmls: {path}, line 1: ")
    assert message.endswith(f" {hint}\n")
    # Doing as the hint says reads the file.
    if "NAME" not in hint:
        column = hint.removeprefix("(a header? pass --column ").removesuffix(")")
        args = ["--column", *shlex.split(column)]
        assert as_json(dmls("latency", path, *args, "--json"))["count"] == content.count("\n") - 1


@pytest.mark.parametrize(
    ("record", "field", "hint"),
    [
        ({"http": {"latency_ms": 12}}, "latency_ms", "(pass --field http.latency_ms)"),
        ({"my http": {"ms": 12}}, "ms", "(pass --field 'my http.ms')"),
        ({"a": {"ms": 1}, "b": {"ms": 2}}, "ms", "(pass --field NAME, one of 'a.ms', 'b.ms')"),
        ({"ts": 1, "msg": "ok"}, "ms", "(its fields: 'ts', 'msg')"),
    ],
)
def test_json_lines_without_the_field_are_told_the_field_to_pass(tmp_path, record, field, hint):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps(record) + "\n")
    message = fails_with(dmls("latency", path, "--field", field))
    assert message == f"dmls: {path}, line 1: has no field {field!r} {hint}\n"
    # Doing as the hint says reads the file.
    if hint.startswith("(pass --field ") and "NAME" not in hint:
        args = shlex.split(hint.removeprefix("(pass ").removesuffix(")"))
        assert as_json(dmls("latency", path, *args, "--json"))["count"] == 1


@pytest.mark.parametrize(
    ("content", "option", "hint"),
    [
        ("path,latency_ms\n/,12\n", ["--column", "LATENCY_MS"], "(pass --column latency_ms)"),
        (
            "path,latency (ms)\n/,12\n",
            ["--column", "Latency (ms)"],
            "(pass --column 'latency (ms)')",
        ),
        ("path,latency_ms\n/,12\n", ["--column", "latncy_ms"], "(pass --column latency_ms)"),
        (
            '{"http": {"duration": 12}}\n',
            ["--field", "http.Duration"],
            "(pass --field http.duration)",
        ),
        ('{"Duration": 12}\n', ["--field", "duration"], "(pass --field Duration)"),
    ],
)
def test_a_name_misspelt_is_told_the_files_own(tmp_path, content, option, hint):
    """--column LATENCY_MS for a header's latency_ms listed the header and
    left the reader to spot the difference."""
    path = tmp_path / "x.txt"
    path.write_text(content)
    message = fails_with(dmls("latency", path, *option))
    assert message.startswith(
        f"dmls: {path}, line 1: no column "
        if option[0] == "--column"
        else f"dmls: {path}, line 1: has no field "
    )
    assert message.endswith(f" {hint}\n")
    # Doing as the hint says reads the file.
    args = shlex.split(hint.removeprefix("(pass ").removesuffix(")"))
    assert as_json(dmls("latency", path, *args, "--json"))["count"] == 1


@pytest.mark.parametrize(("unit", "factor"), [("s", 1000.0), ("us", 0.001), ("ms", 1.0)])
def test_unit_sets_the_input_unit_and_output_is_ms(book_log, unit, factor):
    record = as_json(dmls("latency", book_log, "--unit", unit, "--json"))
    assert record["max"] == pytest.approx(3000 * factor)


# -- latency: objectives -------------------------------------------------------------


def test_a_met_objective_exits_0(book_log):
    result = dmls("latency", book_log, "--slo", "120@90", "--slo", "3000@99")
    assert result.returncode == 0
    assert "objective p90 <= 120 ms: met (p90 = 110.000 ms)" in result.stdout.decode()


@pytest.mark.parametrize(
    ("unit", "value", "threshold", "status"),
    [
        ("us", b"350", "0.35", 0),  # 350 * 0.001 would be 0.35000000000000003 ms
        ("s", b"2.007", "2007", 0),  # 2.007 * 1000 is 2007.0000000000002 ms
        ("s", b"2.007", "2006.9999", 1),
        ("us", b"350", "1e308", 0),  # more microseconds than a float holds
        ("ns", b"350000", "0.35", 0),
        ("ns", b"350001", "0.35", 1),
        ("ns", b"1", "0.000001", 0),
    ],
)
def test_an_objective_reads_as_in_the_files_unit(unit, value, threshold, status):
    result = run(
        ["latency", "--unit", unit, "--slo", f"{threshold}@99"], stdin=(value + b"\n") * 100
    )
    assert result.status == status, result.output


def test_a_missed_objective_exits_1(book_log):
    result = dmls("latency", book_log, "--slo", "120@90", "--slo", "200@p99")
    assert result.returncode == 1
    assert "objective p99 <= 200 ms: MISSED (p99 = 3,000.000 ms)" in result.stdout.decode()
    record = as_json(dmls("latency", book_log, "--slo", "200@99", "--json"))
    assert record["objectives"] == [
        {"threshold_ms": 200.0, "percentile": 99.0, "value": 3000.0, "met": False}
    ]


def test_objectives_use_nearest_rank_whatever_the_method(book_log):
    # linear p90 is 399 ms, but 90% of requests did finish within 120 ms.
    result = dmls("latency", book_log, "--method", "linear", "--slo", "120@90")
    assert result.returncode == 0
    # The output says which p90 the objective was checked against.
    lines = result.stdout.decode().splitlines()
    assert "  p90          399.000 ms" in lines
    assert lines[-1] == "objective p90 <= 120 ms: met (p90 by nearest rank = 110.000 ms)"
    # By nearest rank, the one p90 needs no such note.
    nearest = dmls("latency", book_log, "--slo", "120@90").stdout.decode()
    assert nearest.splitlines()[-1] == "objective p90 <= 120 ms: met (p90 = 110.000 ms)"


@pytest.mark.parametrize(
    "objective", ["200", "200@", "@99", "fast@99", "200@0", "200@101", "-1@99"]
)
def test_a_malformed_objective_is_bad_input(book_log, objective):
    fails_with(dmls("latency", book_log, f"--slo={objective}"), "dmls: --slo")


def help_of(capsys, *args) -> str:
    """What `dmls ... --help` prints, run in this process so mutmut sees it."""
    with pytest.raises(SystemExit) as caught:
        main([*args, "--help"])
    assert caught.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_has_a_summary_an_example_and_a_json_option(command, capsys):
    overview = " ".join(help_of(capsys).split())
    text = help_of(capsys, command)
    summary = text.split("\n\n")[1]
    assert summary
    assert not summary.startswith(("usage", "positional", "options"))
    assert " ".join(summary.split()[:3]) in overview  # the same summary in `dmls --help`
    assert f"\nexample:\n  dmls {command} " in text  # the example's layout kept
    assert re.search(r"\n  --json +print one JSON object\n", text)


def test_the_help_says_what_each_exit_status_means(capsys):
    overview = " ".join(help_of(capsys).split())
    assert (
        "Exit status: 0 done; 1 an objective missed (latency --slo) or a server overloaded "
        "(batching); 2 bad input or usage." in overview
    )
    batching_help = " ".join(help_of(capsys, "batching").split())
    assert "the output says OVERLOADED and the exit status is 1." in batching_help
    for module_doc in (cli.__doc__, main.__doc__):
        assert "overloaded" in module_doc


def test_the_capacity_help_says_replica_qps_is_a_saturated_throughput(capsys):
    text = " ".join(help_of(capsys, "capacity").split())
    assert (
        "REPLICA_QPS queries per second one replica finishes when never idle (from a load test)"
        in text
    )
    # The share is defined, and read as time busy only for a replica serving one query at a time.
    assert "for a replica that serves one query at a time, the share of the time it is busy" in text


def test_run_reads_empty_standard_input_by_default_and_wants_bytes():
    assert run("dmls latency") == (2, "", "dmls: <stdin>: holds no latencies\n")
    with pytest.raises(TypeError, match=r"^stdin must be bytes, not str$"):
        run("dmls latency", stdin="12\n")


def test_parse_objective():
    assert parse_objective(" 250.5 @ p99.9 ") == Objective(250.5, 99.9)
    with pytest.raises(TypeError, match="text must be a string"):
        parse_objective(200)


def test_parse_objective_accepts_the_edges_of_its_ranges():
    assert parse_objective("0@99") == Objective(0.0, 99.0)  # "no request slower than 0 ms"
    assert parse_objective("200@100") == Objective(200.0, 100.0)
    assert parse_objective("200@0.5") == Objective(200.0, 0.5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x@99", "text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got 'x@99'"),
        # Thousands commas in the threshold are told the objective to give, as
        # --q's are; not where the percentile is no number, nor a decimal comma.
        (
            "1,000@99",
            "text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '1,000@99'; "
            "give 1000@99",
        ),
        (
            " 1,500.25 @ p99.90",
            "text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; "
            "got ' 1,500.25 @ p99.90'; give 1500.25@p99.90",
        ),
        ("1,000@x", "text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '1,000@x'"),
        ("1,5@99", "text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '1,5@99'"),
        ("inf@99", "text: the threshold must be finite, got inf"),
        ("200@nan", "text: the percentile must be finite, got nan"),
        # A decimal beyond the float range is out of range, not infinite.
        ("1e400@99", f"text: '1e400' is {OUT_OF_RANGE}"),
        ("-1e400@99", f"text: '-1e400' is {OUT_OF_RANGE}"),
        ("200@1e400", f"text: '1e400' is {OUT_OF_RANGE}"),
        ("-1@99", "text: the threshold must not be negative, got -1"),
        ("200@0", "text: the percentile must lie in (0, 100], got 0"),
        ("200@100.5", "text: the percentile must lie in (0, 100], got 100.5"),
    ],
)
def test_parse_objective_says_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_objective(text)


#: How parse_objective's message for a threshold it cannot read starts.
NOT_AN_OBJECTIVE = "text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got "


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # A threshold with a unit the reader knows is told the objective in
        # ms, converted exactly and written in its shortest exact form; the
        # percentile as typed, its p too.
        ("200ms@99", "; give 200@99"),
        ("0.2s@99", "; give 200@99"),
        ("1500us@p99.9", "; give 1.5@p99.9"),
        (" 0.2s @ p99 ", "; give 200@p99"),
        ("200\u00b5s@99", "; give 0.2@99"),  # the micro sign
        ("200\u03bcs@99", "; give 0.2@99"),  # the Greek mu
        ("2000000ns@99.0", "; give 2@99.0"),
        ("1.1s@99", "; give 1100@99"),  # 1.1 * 1000 is 1100.0000000000002 in floats
        ("0.12345678901234567890123456789s@99", "; give 123.45678901234567890123456789@99"),
        ("+2e-1s@99", "; give 200@99"),
        ("-0ms@99", "; give -0@99"),  # -0 ms is 0 ms
        # A space between the number and the unit, as the reader takes it.
        ("200 ms@99", "; give 200@99"),
        (" 0.2 \t s @ p99 ", "; give 200@p99"),
        # As Python writes a float: an exponent below 1e-4 and from 1e16.
        ("0.1us@99", "; give 0.0001@99"),
        ("0.09us@99", "; give 9e-5@99"),
        ("9999999999999999ms@99", "; give 9999999999999999@99"),
        ("1e13s@99", "; give 1e+16@99"),
        ("1.5e13s@99", "; give 1.5e+16@99"),
        # Not where the percentile is no number, nor the unit one the reader knows.
        ("200ms@x", ""),
        ("200min@99", ""),
        ("200 min@99", ""),
        ("2 00ms@99", ""),
        # Any exponent a decimal holds, below the float range too (the
        # objective given is 0 ms, as 1e-400@99 is).
        ("1e-999999999999999999ns@99", "; give 1e-1000000000000000005@99"),
        # None beyond what a decimal holds, in the exponent or in the result.
        ("1e9999999999999999999s@99", ""),
        ("1e999999999999999999s@99", ""),
    ],
)
def test_a_threshold_with_a_unit_is_told_the_objective_in_ms(text, hint):
    message = f"{NOT_AN_OBJECTIVE}{text!r}{hint}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_objective(text)
    if hint:  # as the hint says: the objective meant
        threshold = hint.removeprefix("; give ").partition("@")[0]
        assert parse_objective(hint.removeprefix("; give ")).threshold_ms == float(threshold)


@pytest.mark.parametrize(
    ("text", "how", "meant", "reason"),
    [
        # A hint is an objective parse_objective takes: where the objective
        # it would give is refused, the message says what the text comes to
        # and why that is refused, so that "got -200" is read against -200,
        # not against the -0.2 s typed.
        ("-200ms@99", "in ms", "-200@99", "the threshold must not be negative, got -200"),
        ("-0.2 s@p99", "in ms", "-200@p99", "the threshold must not be negative, got -200"),
        (
            "-1,500@99",
            "without commas",
            "-1500@99",
            "the threshold must not be negative, got -1500",
        ),
        (
            "-1,500.5 @ p99.9",
            "without commas",
            "-1500.5@p99.9",
            "the threshold must not be negative, got -1500.5",
        ),
        ("200ms@150", "in ms", "200@150", "the percentile must lie in (0, 100], got 150"),
        ("1,500@p0", "without commas", "1500@p0", "the percentile must lie in (0, 100], got 0"),
        ("200 ms@inf", "in ms", "200@inf", "the percentile must be finite, got inf"),
        ("1e999999s@99", "in ms", "1e+1000002@99", f"'1e+1000002' is {OUT_OF_RANGE}"),
        ("200ms@1e400", "in ms", "200@1e400", f"'1e400' is {OUT_OF_RANGE}"),
    ],
)
def test_a_hint_the_objective_would_refuse_says_what_the_text_comes_to(text, how, meant, reason):
    message = f"{NOT_AN_OBJECTIVE}{text!r}; {how}, that is {meant!r}, but {reason}"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_objective(text)
    assert_refused_for(meant, reason)


def assert_refused_for(objective: str, reason: str) -> None:
    """parse_objective refuses *objective* for *reason*, a hint's quoted one."""
    with pytest.raises(ValueError, match=f"^(text: )?{re.escape(reason)}$"):
        parse_objective(objective)


@given(
    sign=st.sampled_from(["", "-", "+"]),
    number=st.sampled_from(["0", "0.2", "200", "1,500", "1,500.25", "1e3", "1e400", ".5", "1,5"]),
    space=st.sampled_from(["", " ", "\t"]),
    unit=st.sampled_from(["", "ms", "s", "us", "\u00b5s", "ns", "min"]),
    p=st.sampled_from(["", "p"]),
    percentile=st.sampled_from(["99", "100", "0", "150", "99.9", "inf", "nan", "1e400", "x"]),
)
def test_every_hint_is_an_objective_parse_objective_takes(sign, number, space, unit, p, percentile):
    text = f"{sign}{number}{space}{unit}@{p}{percentile}"
    try:
        parse_objective(text)
    except ValueError as error:
        message = str(error)
    else:
        return
    if "; give " in message:
        parse_objective(message.rpartition("; give ")[2])
    elif refused := re.search(r", that is '([^']*)', but (.*)$", message):
        assert_refused_for(*refused.groups())


@pytest.mark.parametrize("text", ["1e9999999999999999999s@99", "1e999999999999999999s@99"])
def test_an_exponent_beyond_a_decimals_is_no_hint_whatever_the_callers_context(text):
    """A caller's decimal context that traps nothing would make them NaN and Infinity."""
    message = f"{NOT_AN_OBJECTIVE}{text!r}"
    with decimal.localcontext(traps=[]), pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_objective(text)


def test_the_objective_in_ms_is_what_dmls_latency_is_given(book_log):
    """The hint is what to type: the command line leaves its digits as they are."""
    message = fails_with(dmls("latency", book_log, "--slo", "0.15s@p90"))
    assert message == (
        "dmls: --slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '0.15s@p90'; "
        "give 150@p90 (see dmls latency --help)\n"
    )
    assert dmls("latency", book_log, "--slo", "150@p90").returncode == 0
    assert fails_with(dmls("latency", book_log, "--slo", "0.09us@99")).endswith(
        "; give 9e-5@99 (see dmls latency --help)\n"
    )
    # A space before the unit is told the same; a hint the command would
    # refuse is not given, but what the text comes to and why it is refused.
    assert fails_with(dmls("latency", book_log, "--slo", "0.15 s@p90")).endswith(
        "got '0.15 s@p90'; give 150@p90 (see dmls latency --help)\n"
    )
    assert fails_with(dmls("latency", book_log, "--slo", "-150 ms@p90")).endswith(
        "got '-150 ms@p90'; in ms, that is '-150@p90', but the threshold must not be "
        "negative, got -150 (see dmls latency --help)\n"
    )


def test_the_help_lists_the_methods_within_80_columns(capsys, monkeypatch):
    """--method METHOD named no method but the default: the list came only
    with the error of a wrong one."""
    monkeypatch.setenv("COLUMNS", "80")
    text = help_of(capsys, "latency")
    assert max(map(len, text.splitlines())) <= 79
    entry = re.search(r"\n  --method METHOD +(.*?)\n  --", text, re.DOTALL)[1]
    assert " ".join(entry.split()) == (
        "numpy's percentile method (default: inverted_cdf, nearest rank), one of: "
        + ", ".join(PERCENTILE_METHODS)
    )


# -- latency: the sketch -------------------------------------------------------------


def test_sketch_mode_is_within_its_accuracy_of_exact(tmp_path):
    values = np.random.default_rng(5).lognormal(np.log(60), 0.6, 50_000)
    path = tmp_path / "big.log"
    np.savetxt(path, values, fmt="%.4f")
    read_back = np.loadtxt(path)
    exact = percentiles(read_back, (50, 99, 99.9))
    record = as_json(
        dmls("latency", path, "--sketch", "--relative-accuracy", "0.005", "--json")
        if False
        else dmls(
            "latency",
            path,
            "--sketch",
            "--relative-accuracy",
            "0.005",
            "--json",
            "--q",
            50,
            99,
            99.9,
        )
    )
    assert record["relative_accuracy"] == 0.005
    for q, value in exact.items():
        assert abs(record["percentiles"][f"{q:g}"] - value) <= 0.005 * value
    assert record["count"] == 50_000
    assert record["max"] == read_back.max()


def test_sketch_and_method_do_not_mix(book_log):
    message = fails_with(dmls("latency", book_log, "--sketch", "--method", "linear"))
    assert message == (
        "dmls: --method needs exact percentiles; drop --sketch to use it "
        "(see dmls latency --help)\n"
    )


def test_the_report_says_how_percentiles_were_computed(book_log):
    exact = as_json(dmls("latency", book_log, "--json"))
    sketched = as_json(dmls("latency", book_log, "--sketch", "--json"))
    assert (exact["method"], exact["relative_accuracy"]) == ("inverted_cdf", None)
    assert (sketched["method"], sketched["relative_accuracy"]) == ("inverted_cdf", 0.01)
    first_line = dmls("latency", book_log, "--sketch").stdout.decode().splitlines()[0]
    assert first_line == "10 requests, percentiles from a sketch, each within 1%"


@pytest.mark.parametrize(
    ("options", "stdin", "header"),
    [
        ([], b"5\n", "1 request, percentiles by nearest rank"),
        ([], b"5\n7\n", "2 requests, percentiles by nearest rank"),
        (["--method", "inverted_cdf"], b"5\n", "1 request, percentiles by nearest rank"),
        (["--method", "linear"], b"5\n", "1 request, percentiles by numpy's 'linear' method"),
        (["--method", "higher"], b"5\n7\n", "2 requests, percentiles by numpy's 'higher' method"),
        (
            ["--sketch", "--relative-accuracy", "0.0125"],
            b"5\n",
            "1 request, percentiles from a sketch, each within 1.25%",
        ),
    ],
)
def test_the_first_line_reads_as_english(options, stdin, header):
    assert dmls("latency", *options, stdin=stdin).stdout.decode().splitlines()[0] == header


def test_sketch_mode_checks_objectives_like_exact_mode(book_log):
    # One objective met, one missed; the sketch's value within its accuracy.
    slo = ["--slo", "105@80", "--slo", "200@95", "--json"]
    exact = as_json(dmls("latency", book_log, *slo))["objectives"]
    sketched = as_json(dmls("latency", book_log, "--sketch", *slo))["objectives"]
    assert [o["met"] for o in exact] == [o["met"] for o in sketched] == [True, False]
    for e, s in zip(exact, sketched, strict=True):
        assert (e["threshold_ms"], e["percentile"]) == (s["threshold_ms"], s["percentile"])
        assert s["value"] == pytest.approx(e["value"], rel=0.01)


def test_a_bad_relative_accuracy_is_bad_input(book_log):
    message = fails_with(dmls("latency", book_log, "--sketch", "--relative-accuracy", "2"))
    assert message == (
        "dmls: --relative-accuracy must lie in [0.001, 1), got 2 (see dmls latency --help)\n"
    )


def test_relative_accuracy_without_the_sketch_is_a_usage_error(book_log):
    # It would be silently ignored: the exact percentiles have no accuracy to set.
    message = fails_with(dmls("latency", book_log, "--relative-accuracy", "0.05"))
    assert message == (
        "dmls: --relative-accuracy is the sketch's; add --sketch to use it "
        "(see dmls latency --help)\n"
    )
    assert as_json(dmls("latency", book_log, "--json"))["relative_accuracy"] is None


# -- latency: bad input --------------------------------------------------------------


def test_a_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.log"
    path.write_text("12\n13\n14 ms\n15\n")
    for extra in ([], ["--sketch"]):
        fails_with(dmls("latency", path, *extra), f"{path}, line 3: '14 ms' is not a number")


def test_a_bad_line_deep_in_a_big_file_has_its_exact_number(tmp_path):
    lines = ["12.5"] * 1_500_000
    lines[1_234_567] = "-1"
    path = tmp_path / "big.log"
    path.write_text("\n".join(lines) + "\n")
    fails_with(dmls("latency", path, "--sketch"), "line 1,234,568: negative latency -1\n")


def test_an_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.log"
    path.write_bytes(b"")
    fails_with(dmls("latency", path), f"{path}: holds no latencies")
    fails_with(installed("latency", stdin=b"\n"), "<stdin>: holds no latencies")


@pytest.mark.parametrize("sketch", [(), ("--sketch",)], ids=["exact", "sketch"])
def test_an_empty_file_among_several_is_skipped_and_named(tmp_path, sketch):
    """A drained host's empty log adds nothing, as it would to the files'
    concatenation: the others are summarised, and the empty one named."""
    host_a, drained, header_only, host_b = (tmp_path / f"{n}.log" for n in "abcd")
    host_a.write_text("100\n102\n3000\n")
    drained.write_bytes(b"")
    header_only.write_text("ms\n")  # read as plain numbers, 'ms' is a bad line, not no line
    host_b.write_text("99\n104\n")
    both = dmls("latency", host_a, host_b, "--json", *sketch)
    result = dmls("latency", drained, host_a, drained, host_b, "--json", *sketch)
    assert result.returncode == 0
    assert as_json(result) == as_json(both)
    assert result.stderr.decode() == f"dmls: {drained}: holds no latencies; skipped\n" * 2
    # only an empty one is skipped: a bad line still stops the run
    fails_with(dmls("latency", host_a, header_only, *sketch), f"{header_only}, line 1: 'ms'")


def test_several_files_without_latencies_are_an_error_naming_the_first(tmp_path):
    first, second = tmp_path / "first.log", tmp_path / "second.csv"
    first.write_bytes(b"\n\n")
    second.write_text("ms\n")
    message = fails_with(dmls("latency", first, second, "--column", "ms"), "holds no latencies")
    assert message == f"dmls: {first}: holds no latencies\n"


def test_a_missing_file_is_an_error(tmp_path):
    fails_with(dmls("latency", tmp_path / "nope.log"), "nope.log: No such file or directory")


@pytest.fixture
def read(monkeypatch) -> list:
    """The streams the command reads latencies from, none of them read."""
    streams = []
    monkeypatch.setattr(cli, "read_latencies", lambda stream, **options: streams.append(stream))
    return streams


@pytest.mark.parametrize("wrong", ["nope.log", "folder"])
def test_every_file_is_checked_before_any_is_read(tmp_path, read, wrong):
    # A slip in the last of several names is said at once, not after the
    # others have been read.
    (tmp_path / "folder").mkdir()
    first = tmp_path / "first.log"
    first.write_text("12\n")
    result = cli.run(["latency", str(first), str(tmp_path / wrong)])
    assert result.status == 2
    assert result.errors.startswith(f"dmls: {tmp_path / wrong}: ")
    assert read == []


def test_standard_input_first_does_not_stop_the_check_of_the_files_after_it(tmp_path, read):
    missing = tmp_path / "nope.log"
    result = cli.run(["latency", "-", str(missing)], stdin=b"12\n")
    assert result.errors == f"dmls: {missing}: No such file or directory\n"
    assert read == []


def test_a_file_that_changes_after_the_check_is_still_named_with_the_reason(tmp_path, monkeypatch):
    # The check before reading finds these; opening the file names them too,
    # should it be removed or replaced between the check and the reading.
    def reason_for(path) -> tuple:
        with pytest.raises(cli.InputError) as raised:
            cli._opened(str(path), io.StringIO())
        return raised.value.source, raised.value.line, raised.value.reason

    folder = tmp_path / "logs"
    folder.mkdir()
    assert reason_for(folder) == (
        str(folder),
        None,
        f"is a folder: pass the files in it, such as {folder}/*",
    )
    missing = tmp_path / "gone.log"
    assert reason_for(missing) == (str(missing), None, "No such file or directory")

    def fail(*args, **kwargs):
        raise OSError("the disk went away")

    monkeypatch.setattr(cli, "open", fail, raising=False)
    assert reason_for(missing) == (str(missing), None, "the disk went away")


def test_a_file_that_cannot_be_looked_at_is_named_with_the_reason(tmp_path, monkeypatch):
    path = tmp_path / "odd.log"
    real_stat = os.stat

    def stat(name, *args, **kwargs):
        if name == str(path):
            raise OSError("no status")
        return real_stat(name, *args, **kwargs)

    monkeypatch.setattr(cli.os, "stat", stat)
    assert cli.run(["latency", str(path)]).errors == f"dmls: {path}: no status\n"


def test_an_unreadable_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "locked.log"
    path.write_text("12\n")
    monkeypatch.setattr(cli.os, "access", lambda name, mode: name != str(path))
    result = cli.run(["latency", str(path)])
    assert (result.status, result.errors) == (2, f"dmls: {path}: Permission denied\n")


def test_a_file_that_is_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("latency_ms,city\n12,Zürich\n".encode("latin-1"))
    fails_with(dmls("latency", path, "--column", "latency_ms"), "line 2: is not UTF-8 text")


def test_a_csv_without_the_column(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("ms,path\n1,/\n")
    fails_with(dmls("latency", path, "--column", "latency"), "line 1: no column 'latency'")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,ms\n/,12\n", "line 1: 'a,ms' is not a number (a CSV header? pass --column NAME)"),
        ("\nms\ta\n12\tb\n", "line 2: 'ms\\ta' is not a number (a TSV header? pass --column NAME)"),
        ('{"ms": 1}\n', """line 1: '{"ms": 1}' is not a number (JSON lines? pass --field NAME)"""),
        # A decimal comma: no header, and the number to write.
        ("1,5\n", "line 1: '1,5' is not a number (a decimal comma? write 1.5)\n"),
        ("12\n13\nx,y\n", "line 3: 'x,y' is not a number\n"),  # a header is on line 1
    ],
)
def test_a_table_read_as_plain_numbers_gets_a_hint(tmp_path, content, message):
    path = tmp_path / "log.txt"
    path.write_text(content)
    fails_with(dmls("latency", path), f"{path}, {message}")


@pytest.mark.parametrize(
    ("content", "options", "where"),
    [
        ("12\n1e400\n", (), "line 2: '1e400'"),
        ("ms\n12\n1e400\n", ("--column", "ms"), "line 3: '1e400'"),
        ('{"ms": 1e400}\n', ("--field", "ms"), "line 1: field 'ms'"),
    ],
)
def test_a_number_too_large_for_a_float_is_out_of_range_not_infinite(
    tmp_path, content, options, where
):
    path = tmp_path / "log.txt"
    path.write_text(content)
    message = f"{where} is out of range: the largest number is about 1.8 x 10^308\n"
    for sketch in ((), ("--sketch",)):
        fails_with(dmls("latency", path, *options, *sketch), f"{path}, {message}")


def test_a_latency_too_large_for_milliseconds_is_bad_input(tmp_path):
    path = tmp_path / "log.txt"
    path.write_text("12\n1e306\n")
    message = "line 2: 1e+306 s is too large to convert to ms"
    fails_with(dmls("latency", path, "--unit", "s"), message)
    assert as_json(dmls("latency", path, "--unit", "us", "--json"))["max"] == pytest.approx(1e303)


# -- logs on several machines: saved sketches ------------------------------------------


@pytest.fixture
def shards(tmp_path) -> list[Path]:
    """Three machines' logs: 20,000 lognormal latencies split unevenly."""
    values = np.random.default_rng(7).lognormal(np.log(50), 0.8, 20_000).round(3)
    paths = []
    for number, part in enumerate(np.split(values, [3_000, 12_500])):
        path = tmp_path / f"host{number}.log"
        np.savetxt(path, part, fmt="%.3f")
        paths.append(path)
    return paths


def test_sketches_saved_on_each_machine_merge_into_the_sketch_of_every_log(shards, tmp_path):
    saved = [path.with_suffix(".sketch") for path in shards]
    for log, sketch in zip(shards, saved, strict=True):
        assert dmls("latency", "--sketch", log, "--save-sketch", sketch).returncode == 0
        assert sketch.stat().st_size < 4096
    merged = as_json(dmls("latency", "--sketch", *saved, "--json", "--q", "50", "99", "99.9"))
    whole = as_json(dmls("latency", "--sketch", *shards, "--json", "--q", "50", "99", "99.9"))
    assert merged["percentiles"] == whole["percentiles"]
    assert (
        (merged["count"], merged["max"]) == (whole["count"], whole["max"]) == (20_000, whole["max"])
    )
    assert merged["mean"] == pytest.approx(whole["mean"], rel=1e-12)
    # Within the sketch's 1% of the exact nearest-rank percentiles of all the values.
    exact = percentiles(np.concatenate([np.loadtxt(path) for path in shards]), (50, 99, 99.9))
    for q, value in exact.items():
        assert abs(merged["percentiles"][f"{q:g}"] - value) <= 0.01 * value
    # A saved sketch and a log mix, and a run can add to a sketch it saved before.
    total = tmp_path / "total.sketch"
    dmls("latency", "--sketch", shards[0], "--save-sketch", total)
    dmls("latency", "--sketch", total, *shards[1:], "--save-sketch", total)
    again = as_json(dmls("latency", "--sketch", total, "--json", "--q", "50", "99", "99.9"))
    assert (again["count"], again["percentiles"]) == (20_000, whole["percentiles"])


def test_the_saved_sketch_is_the_packages_format(shards, tmp_path):
    path = tmp_path / "host0.sketch"
    dmls("latency", "--sketch", "--relative-accuracy", "0.02", shards[0], "--save-sketch", path)
    sketch = QuantileSketch.from_bytes(path.read_bytes())
    direct = QuantileSketch(relative_accuracy=0.02)
    direct.add(np.loadtxt(shards[0]))
    assert sketch == direct


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("{sketch}", "{sketch}: is a saved sketch: add --sketch to merge it\n"),
        (
            "--sketch --relative-accuracy 0.02 {sketch}",
            "{sketch}: is a sketch at relative accuracy 0.01, this run's is 0.02, and "
            "sketches merge only at one accuracy: pass --relative-accuracy 0.01\n",
        ),
        (
            "--save-sketch {folder}/x {log}",
            "--save-sketch saves the sketch; add --sketch to use it",
        ),
        ("--sketch --save-sketch {folder}/no/x {log}", "--save-sketch {folder}/no/x: No such file"),
        ("--sketch {folder}", "{folder}: is a folder: pass the files in it, such as {folder}/*\n"),
        ("--sketch {cut}", "{cut}: starts as a saved sketch, but is corrupt: its length does not"),
    ],
)
def test_saved_sketch_errors_say_what_to_do(shards, tmp_path, args, message):
    names = {"sketch": tmp_path / "a.sketch", "log": shards[0], "folder": tmp_path}
    names["cut"] = tmp_path / "cut.sketch"
    dmls("latency", "--sketch", shards[0], "--save-sketch", names["sketch"])
    names["cut"].write_bytes(names["sketch"].read_bytes()[:-8])
    result = dmls("latency", *args.format(**names).split())
    fails_with(result, "dmls: " + message.format(**names))
    assert not (tmp_path / "x").exists()


def test_a_sketch_that_cannot_be_saved_is_refused_before_the_reading(tmp_path, monkeypatch):
    """It was refused after the reading, however many minutes that took."""
    bad = tmp_path / "bad.log"
    bad.write_text("12\nx\n")
    folder = tmp_path / "sketches"
    folder.mkdir()
    cases = [
        (folder, "Is a directory"),
        (tmp_path / "no" / "x.sketch", "No such file or directory"),
    ]
    for path, reason in cases:
        message = fails_with(dmls("latency", "--sketch", bad, "--save-sketch", path))
        assert message == f"dmls: --save-sketch {path}: {reason}\n"
    # A file or a folder the user may not write to (root may write to any).
    asked = []
    monkeypatch.setattr(os, "access", lambda path, mode: asked.append((path, mode)) and False)
    existing = tmp_path / "old.sketch"
    existing.write_bytes(b"")
    for path, checked in ((existing, str(existing)), (folder / "new.sketch", str(folder))):
        message = fails_with(dmls("latency", "--sketch", bad, "--save-sketch", path))
        assert message == f"dmls: --save-sketch {path}: Permission denied\n"
        assert asked.pop() == (checked, os.W_OK)


def test_a_sketch_saved_under_a_bare_name_goes_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = dmls("latency", "--sketch", "--save-sketch", "x.sketch", stdin=b"12\n")
    assert result.returncode == 0, result.stderr
    assert QuantileSketch.from_bytes((tmp_path / "x.sketch").read_bytes()).count == 1


def test_a_sketch_that_cannot_be_written_after_all_is_one_line_without_the_help(tmp_path):
    """The folder may go while the files are read: the write still fails cleanly."""
    path = tmp_path / "gone" / "x.sketch"
    with pytest.raises(cli._Unwritable) as raised:
        cli._save(QuantileSketch(), str(path))
    assert str(raised.value) == f"--save-sketch {path}: No such file or directory"


def test_the_percentiles_asked_for_are_checked_before_the_reading(tmp_path):
    """--q 101 was refused only once every file had been read, and a bad
    line in a file hid it: an option's mistake comes first, and at once."""
    bad = tmp_path / "bad.log"
    bad.write_text("12\nx\n")
    for options in ("--q 101", "--sketch --q 101", "--q 50 nan"):
        message = fails_with(dmls("latency", bad, *options.split()))
        assert message.startswith("dmls: --q must "), message
        assert message.endswith(" (see dmls latency --help)\n")
    record = as_json(dmls("latency", "--q", "p99.9", "50", "--json", stdin=b"1\n2\n"))
    assert list(record["percentiles"]) == ["99.9", "50"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        # Usage: options that do not go together, or a value the command cannot use.
        ("--sketch --method linear", b"1\n", "--method needs exact percentiles"),
        ("--save-sketch x", b"1\n", "--save-sketch saves the sketch; add --sketch to use it"),
        ("--relative-accuracy 0.1", b"1\n", "--relative-accuracy is the sketch's"),
        ("- -", b"1\n", "'-' (standard input) can be read only once"),
        ("--slo 200", b"1\n", "--slo must look like THRESHOLD_MS@PERCENTILE"),
        ("--slo 200@0", b"1\n", "--slo: the percentile must lie in (0, 100], got 0"),
        ("--q 100.5", b"1\n", "--q must lie in [0, 100], got 100.5"),
        ("--sketch --relative-accuracy 1", b"1\n", "--relative-accuracy must lie in"),
        # argparse's own, for comparison: it points at the same help.
        ("--unit sec", b"1\n", "argument --unit: invalid choice: 'sec'"),
        ("--q 5x", b"1\n", "argument --q: invalid float value: '5x'"),
    ],
)
def test_a_usage_error_ends_by_pointing_at_the_commands_help(args, stdin, message):
    """Only argparse's own errors pointed at the help; those found once the
    arguments were parsed (a bad --slo, --q 101) left the user to guess."""
    error = fails_with(dmls("latency", *args.split(), stdin=stdin), f"dmls: {message}")
    assert error.endswith(" (see dmls latency --help)\n"), error
    assert error.count("--help") == 1


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("take-rate 5 4", "PLAYS must not exceed SHOWN"),
        ("ab-size 0.02 0", "LIFT must change the rate"),
        ("capacity 0 120", "PEAK_QPS must be positive"),
        ("batching 1000 0 5 10", "MAX_BATCH must be at least 1"),
    ],
)
def test_every_commands_usage_errors_point_at_its_own_help(command, message):
    error = fails_with(dmls(*command.split()), f"dmls: {message}")
    assert error.endswith(f" (see dmls {command.split()[0]} --help)\n"), error


@pytest.mark.parametrize(
    ("files", "stdin", "message"),
    [
        (["{bad}"], b"", "{bad}, line 2: 'x' is not a number\n"),
        ([], b"1\n-5\n", "<stdin>, line 2: negative latency -5\n"),
        (["{bad}", "--column", "ms"], b"", "{bad}, line 1: no column 'ms' in the header ('12')\n"),
        (
            ["{units}"],
            b"",
            "{units}, line 1: '120ms' is not a number (drop the unit, and pass --unit ms)\n",
        ),
        (["{empty}"], b"", "{empty}: holds no latencies\n"),
        (["{missing}"], b"", "{missing}: No such file or directory\n"),
        (["{folder}"], b"", "{folder}: is a folder: pass the files in it, such as {folder}/*\n"),
        (
            ["{log}", "--sketch", "--save-sketch", "{folder}"],
            b"",
            "--save-sketch {folder}: Is a directory\n",
        ),
    ],
)
def test_a_data_error_names_the_file_and_not_the_help(tmp_path, files, stdin, message):
    """What is wrong lies in a file, which the help cannot mend: no pointer at it."""
    names = {name: tmp_path / name for name in ("bad", "units", "empty", "missing", "log")}
    names["bad"].write_text("12\nx\n")
    names["units"].write_text("120ms\n")
    names["empty"].write_text("")
    names["log"].write_text("12\n")
    names["folder"] = tmp_path
    args = [arg.format(**names) for arg in files]
    error = fails_with(dmls("latency", *args, stdin=stdin))
    assert error == "dmls: " + message.format(**names)
    assert "--help" not in error


def test_a_percentile_may_be_written_as_the_output_labels_it():
    data = b"".join(b"%d\n" % i for i in range(1, 1001))
    record = json.loads(run("dmls latency --q p50 p99.9 90 --json", stdin=data).output)
    assert record["percentiles"] == {"50": 500.0, "99.9": 999.0, "90": 900.0}
    fails_with(dmls("latency", "--q", "px", stdin=data), "invalid float value: 'px'")
    fails_with(dmls("latency", "--q", "p-1", stdin=data), "invalid float value: 'p-1'")


class TypingTerminal(io.BytesIO):
    """Standard input that is a terminal: someone would have to type."""

    def isatty(self) -> bool:
        return True


def test_no_file_and_a_terminal_on_standard_input_is_a_usage_error(monkeypatch, capsys):
    """It waited for keystrokes, which looked like a hang."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(TypingTerminal(b"5\n7\n")))
    assert main(["latency"]) == 2
    assert capsys.readouterr().err == (
        "dmls: no FILE given, and standard input is a terminal: name a file, pipe the "
        "latencies in, or pass '-' to type them (see dmls latency --help)\n"
    )
    assert main(["latency", "-", "--q", "100"]) == 0  # asked for: read what is typed
    assert "p100           7.000 ms" in capsys.readouterr().out


def test_every_file_is_closed_after_a_run_or_an_error(shards, tmp_path):
    sketch = tmp_path / "a.sketch"
    dmls("latency", "--sketch", shards[0], "--save-sketch", sketch)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert dmls("latency", "--sketch", sketch, *shards).returncode == 0
        fails_with(dmls("latency", "--sketch", shards[0], sketch, "--relative-accuracy", "0.02"))
        fails_with(dmls("latency", shards[0], sketch))
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("dash", [["-"], []])
def test_a_saved_sketch_on_standard_input_is_a_sketch(shards, tmp_path, dash):
    """`dmls latency --sketch - < saved`, as a sketch copied over ssh arrives."""
    saved = tmp_path / "a.sketch"
    dmls("latency", "--sketch", shards[0], "--save-sketch", saved)
    from_file = dmls("latency", "--sketch", saved, "--json")
    piped = dmls("latency", "--sketch", *dash, "--json", stdin=saved.read_bytes())
    assert as_json(piped) == as_json(from_file)
    # Merged with the other logs, as a file would be.
    stdin = saved.read_bytes()
    merged = as_json(dmls("latency", "--sketch", *shards[1:], *dash or "-", "--json", stdin=stdin))
    whole = as_json(dmls("latency", "--sketch", *shards, "--json"))
    assert (merged["count"], merged["percentiles"]) == (whole["count"], whole["percentiles"])
    message = "dmls: <stdin>: is a saved sketch: add --sketch to merge it\n"
    assert fails_with(dmls("latency", *dash, stdin=saved.read_bytes())) == message
    message = "dmls: <stdin>: starts as a saved sketch, but is corrupt"
    fails_with(dmls("latency", "--sketch", *dash, stdin=saved.read_bytes()[:-8]), message)


def test_a_saved_sketch_piped_into_the_installed_command_is_a_sketch(shards, tmp_path):
    saved = tmp_path / "a.sketch"
    dmls("latency", "--sketch", shards[0], "--save-sketch", saved)
    piped = installed("latency", "--sketch", "--json", stdin=saved.read_bytes())
    assert as_json(piped) == as_json(dmls("latency", "--sketch", saved, "--json"))


@pytest.mark.parametrize(
    ("data", "count"), [(b"7", 1), (b"7\n8", 2), (b"1234\n", 1), (b"12\n3\n", 2)]
)
def test_standard_input_around_a_sketchs_first_bytes_is_read_whole(data, count):
    """The first bytes, read to look for a sketch, are read as latencies too."""
    assert as_json(dmls("latency", "--json", stdin=data))["count"] == count
    message = "dmls: <stdin>, line 1: 'DMQ' is not a number"
    assert fails_with(dmls("latency", stdin=b"DMQ\n")).startswith(message)


def test_standard_input_is_read_once():
    message = fails_with(dmls("latency", "-", "-", stdin=b"12\n"))
    assert message.endswith(
        ": '-' (standard input) can be read only once (see dmls latency --help)\n"
    )


def test_files_after_standard_input_are_read_too(book_log):
    record = as_json(dmls("latency", "-", book_log, "--json", stdin=b"12\n"))
    assert record["count"] == len(BOOK) + 1


# -- the progress bar -------------------------------------------------------------------


def test_no_progress_bar_when_stderr_is_not_a_terminal(book_log):
    assert dmls("latency", book_log).stderr == b""


def on_a_terminal(*args) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run dmls with its standard error on a pseudo-terminal; return what it wrote there."""
    leader, follower = pty.openpty()
    # A new pseudo-terminal is 0 columns wide, and tqdm would draw nothing.
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        result = subprocess.run(
            [str(DMLS), *map(str, args)], stdout=subprocess.PIPE, stderr=follower
        )
        os.close(follower)
        written = b""
        while select.select([leader], [], [], 0.5)[0]:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            written += chunk
    finally:
        os.close(leader)
    return result, written


def test_a_progress_bar_when_stderr_is_a_terminal(book_log):
    result, written = on_a_terminal("latency", book_log)
    assert result.returncode == 0
    assert b"book.log" in written  # tqdm's bar, labelled with the file's name
    assert b"book.log" not in result.stdout


def test_an_error_on_a_terminal_is_not_glued_to_the_bar(tmp_path):
    path = tmp_path / "bad.log"
    path.write_text("12\n13\n14 ms\n")
    result, written = on_a_terminal("latency", path)
    assert result.returncode == 2
    assert b"bad.log:" in written  # the bar was drawn
    # The terminal turns "\n" into "\r\n"; a bar line ends in a bare "\r".
    screen_line = written.replace(b"\r\n", b"\n").rstrip(b"\n").split(b"\n")[-1]
    assert screen_line.split(b"\r")[-1].startswith(b"dmls: "), written


# -- the other subcommands ------------------------------------------------------------


def test_take_rate():
    record = as_json(dmls("take-rate", 430, 10_000, "--json"))
    low, high = recommender.take_rate_interval(430, 10_000)
    assert (record["take_rate"], record["low"], record["high"]) == (0.043, low, high)
    text = dmls("take-rate", 430, 10_000, "--confidence", 0.9).stdout.decode()
    assert "90% Wilson interval: " in text


def test_ab_size():
    record = as_json(dmls("ab-size", 0.02, 0.002, "--absolute", "--json"))
    assert record["per_arm"] == business.ab_sample_size(0.02, 0.002, relative=False) == 80_682
    relative = as_json(dmls("ab-size", 0.02, 0.002, "--json", "--alpha", 0.01, "--power", 0.9))
    assert relative["per_arm"] == business.ab_sample_size(0.02, 0.002, alpha=0.01, power=0.9)


def test_capacity():
    record = as_json(dmls("capacity", 1610, 120, "--json", "--target-utilization", 0.6))
    assert record["replicas"] == capacity.replicas_needed(1610, 120, target_utilization=0.6)
    assert (
        "23 replicas for 1,610 queries/s"
        in dmls("capacity", 1610, 120, "--target-utilization", 0.6).stdout.decode()
    )


def test_batching():
    record = as_json(
        dmls("batching", 1000, 50, 5, 10, "--per-request-ms", 0.2, "--requests", 20_000, "--json")
    )
    expected = batching.simulate_batching(1000, 50, 5, lambda n: 10 + 0.2 * n, n_requests=20_000)
    assert record["p99_ms"] == expected.p99_ms
    assert record["mean_batch_size"] == expected.mean_batch_size


# Every argument of every subcommand that the package checks, with the
# message the user sees: it names the argument as the command line does
# (PLAYS, --slo), never as the package's parameter (quality_plays, text),
# and, a usage error, it ends by pointing at the help of the command run.
BAD_ARGUMENTS = {
    "latency": [
        ("--slo=x@99", "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got 'x@99'"),
        # A parameter's name in the user's own input is left as typed.
        (
            "--slo=text@99",
            "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got 'text@99'",
        ),
        # The hint is what to type: no commas put back, no digits dropped, the
        # percentile as typed.
        (
            "--slo 1,000@99",
            "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '1,000@99'; "
            "give 1000@99",
        ),
        (
            "--slo 1,000.50@p99.0",
            "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '1,000.50@p99.0'; "
            "give 1000.50@p99.0",
        ),
        # A threshold with a unit is told the objective in ms.
        (
            "--slo 200ms@99",
            "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '200ms@99'; "
            "give 200@99",
        ),
        (
            "--slo 1500us@p99.9",
            "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '1500us@p99.9'; "
            "give 1.5@p99.9",
        ),
        ("--slo=inf@99", "--slo: the threshold must be finite, got inf"),
        ("--slo=1e400@99", f"--slo: '1e400' is {OUT_OF_RANGE}"),
        ("--slo=-1@99", "--slo: the threshold must not be negative, got -1"),
        ("--slo=200@100.5", "--slo: the percentile must lie in (0, 100], got 100.5"),
        ("--q 101", "--q must lie in [0, 100], got 101"),
        ("--q nan", "--q must be finite, got nan"),
        ("--sketch --q 50 101", "--q must lie in [0, 100], got 101"),
        ("--sketch --relative-accuracy 0", "--relative-accuracy must lie in [0.001, 1), got 0"),
    ],
    "take-rate": [
        ("43x 100", "argument PLAYS: invalid int value: '43x'"),
        (
            "430 100",
            "PLAYS must not exceed SHOWN: a recommendation is played at most once, "
            "got 430 plays from 100 recommendations",
        ),
        ("-1 100", "PLAYS must be at least 0, got -1"),
        ("0 0", "SHOWN must be at least 1, got 0"),
        ("4 10 --confidence 1.5", "--confidence must lie in (0, 1), got 1.5; for 1.5%, give 0.015"),
        ("4 10 --confidence 95", "--confidence must lie in (0, 1), got 95; for 95%, give 0.95"),
        ("4 10 --confidence 100", "--confidence must lie in (0, 1), got 100"),
        ("4 10 --confidence nan", "--confidence must be finite, got nan"),
    ],
    "ab-size": [
        ("2 0.1", "BASELINE must lie in (0, 1), got 2; for 2%, give 0.02"),
        ("0.99 0.5", "LIFT must keep the rate in [0, 1]; 0.99 becomes 1.485"),
        ("0.5 0", "LIFT must change the rate; a zero LIFT needs infinitely many trials"),
        ("0.5 inf", "LIFT must be finite, got inf"),
        ("0.5 Infinity", "LIFT must be finite, got inf"),
        ("0.5 0.1 --alpha 0", "--alpha must lie in (0, 1), got 0"),
        ("0.5 0.1 --power 1.5", "--power must lie in (0, 1), got 1.5; for 1.5%, give 0.015"),
        ("0.5 0.1 --alpha 5", "--alpha must lie in (0, 1), got 5; for 5%, give 0.05"),
    ],
    "capacity": [
        ("0 120", "PEAK_QPS must be positive, got 0"),
        ("100 0", "REPLICA_QPS must be positive, got 0"),
        ("100 120 --target-utilization 0", "--target-utilization must lie in (0, 1], got 0"),
        (
            "100 120 --target-utilization 100",
            "--target-utilization must lie in (0, 1], got 100; for 100%, give 1",
        ),
        (
            "1e308 1e-308",
            "PEAK_QPS and REPLICA_QPS give a number of replicas too large to represent",
        ),
    ],
    "batching": [
        ("0 50 5 10", "RATE must be positive, got 0"),
        ("1000 0 5 10", "MAX_BATCH must be at least 1, got 0"),
        ("1000 70000 5 10", "MAX_BATCH must be at most 65,536, got 70000"),
        ("1000 50 -1 10", "MAX_WAIT_MS must not be negative, got -1"),
        ("1000 50 5 nan", "SERVICE_MS must be finite, got nan"),
        ("1000 50 5 0", "SERVICE_MS must be positive, got 0"),
        ("1000 50 5 -10 --per-request-ms 1", "SERVICE_MS must not be negative, got -10"),
        ("1000 50 5 10 --per-request-ms -1", "--per-request-ms must not be negative, got -1"),
        ("1000 50 5 10 --per-request-ms nan", "--per-request-ms must be finite, got nan"),
        (
            "1000 50 5 1e308 --per-request-ms 1e308",
            "SERVICE_MS and --per-request-ms give a batch of 1 a time too large to represent",
        ),
        ("1000 50 5 10 --requests 0", "--requests must be at least 1, got 0"),
        ("1000 50 5 10 --seed -1", "--seed must not be negative, got -1"),
    ],
}


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("capacity", "1e400 120", f"argument PEAK_QPS: '1e400' is {OUT_OF_RANGE}"),
        (
            "capacity",
            "100 120 --target-utilization=-1e400",
            f"argument --target-utilization: '-1e400' is {OUT_OF_RANGE}",
        ),
        ("ab-size", "0.02 1e400", f"argument LIFT: '1e400' is {OUT_OF_RANGE}"),
        ("batching", "1e400 4 1 5", f"argument RATE: '1e400' is {OUT_OF_RANGE}"),
        ("latency", "--q 50 1E+400", f"argument --q: '1E+400' is {OUT_OF_RANGE}"),
        # The type's other messages are argparse's own, for every number.
        ("capacity", "1e40x 120", "argument PEAK_QPS: invalid float value: '1e40x'"),
        # A percentage is told its share, as one out of range is.
        ("ab-size", "2% 0.1", "argument BASELINE: invalid float value: '2%'; for 2%, give 0.02"),
        (
            "ab-size",
            "0.02 0.1 --alpha 0.5%",
            "argument --alpha: invalid float value: '0.5%'; for 0.5%, give 0.005",
        ),
        ("ab-size", "0.02 10x%", "argument LIFT: invalid float value: '10x%'"),
        ("ab-size", "0.02 1e400%", "argument LIFT: invalid float value: '1e400%'"),
        # A count written as a float or with thousands commas is told the whole number.
        ("take-rate", "430 1e4", "argument SHOWN: invalid int value: '1e4'; give 10000"),
        ("take-rate", "430 10,000", "argument SHOWN: invalid int value: '10,000'; give 10000"),
        ("take-rate", "4 1,000.0", "argument SHOWN: invalid int value: '1,000.0'; give 1000"),
        (
            "batching",
            "1000 50 5 10 --requests 9223372036854775807.0",
            "argument --requests: invalid int value: '9223372036854775807.0'; "
            "give 9223372036854775807",
        ),
        (
            "batching",
            "1000 50 5 10 --requests 9223372036854775808.0",
            "argument --requests: invalid int value: '9223372036854775808.0'",
        ),
        ("batching", "1000 50 5 10 --seed 1e300", "argument --seed: invalid int value: '1e300'"),
        # a float would round it to a whole number; none was written
        (
            "take-rate",
            "4 4503599627370496.5",
            "argument SHOWN: invalid int value: '4503599627370496.5'",
        ),
        ("take-rate", "4 inf", "argument SHOWN: invalid int value: 'inf'"),
        ("take-rate", "4.5 10", "argument PLAYS: invalid int value: '4.5'"),
        ("take-rate", "1,2 10", "argument PLAYS: invalid int value: '1,2'"),
        ("take-rate", "12,34 100", "argument PLAYS: invalid int value: '12,34'"),
        ("take-rate", "nan 10", "argument PLAYS: invalid int value: 'nan'"),
        (
            "latency",
            "--q 5x",
            "argument --q: invalid float value: '5x'; to name a file after --q, put '--' before it",
        ),
        # A number with thousands commas is told the number to give; not a
        # negative one, which no argument takes, nor a percentile, which is
        # at most 100: the command would refuse the number given.
        ("capacity", "1,610 120", "argument PEAK_QPS: invalid float value: '1,610'; give 1610"),
        ("capacity", "-1,610 120", "argument PEAK_QPS: invalid float value: '-1,610'"),
        ("ab-size", "0.02 -1,000", "argument LIFT: invalid float value: '-1,000'"),
        (
            "latency",
            "--sketch --relative-accuracy -1,000.0",
            "argument --relative-accuracy: invalid float value: '-1,000.0'",
        ),
        (
            "latency",
            "--q -1,000.0",
            "argument --q: invalid float value: '-1,000.0'; to name a file after --q, "
            "put '--' before it",
        ),
        (
            "latency",
            "--q 50 1,000",
            "argument --q: invalid float value: '1,000'; to name a file after --q, "
            "put '--' before it",
        ),
        # Nor a negative count, which no argument takes either.
        ("take-rate", "-1e3 10", "argument PLAYS: invalid int value: '-1e3'"),
        ("take-rate", "-1,000 10", "argument PLAYS: invalid int value: '-1,000'"),
        ("take-rate", "-0.0 10", "argument PLAYS: invalid int value: '-0.0'; give 0"),
        ("batching", "1000 50 5 10 --seed=-1.0", "argument --seed: invalid int value: '-1.0'"),
    ],
)
def test_a_typed_number_out_of_range_or_in_another_notation_is_named(
    book_log, command, args, message
):
    files = [str(book_log)] if command == "latency" else []
    expected = f"dmls: {message} (see dmls {command} --help)\n"
    assert fails_with(dmls(command, *files, *args.split())) == expected


def type_of(action: argparse.Action):
    """The function that reads *action*'s argument: a share's type is _float
    with the share's check (cli._share_of)."""
    return getattr(action.type, "func", action.type)


def test_every_number_argument_tells_out_of_range_from_infinite():
    parser = cli.build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    typed = [a for sub in commands.choices.values() for a in sub._actions if a.type is not None]
    typed = [a for a in typed if a.type is not cli._column]  # a name, or a count of columns
    assert {type_of(a) for a in typed} == {cli._int, cli._float, cli._percentile_listed}, (
        "a number read another way"
    )


#: A command line of each command that runs, to change one argument of.
RUNS = {
    "latency": ["--sketch"],
    "take-rate": ["4", "10"],
    "ab-size": ["0.02", "0.1"],
    "capacity": ["1610", "120"],
    "batching": ["1000", "50", "5", "10", "--requests", "100"],
}


def test_no_argument_takes_a_negative_count_or_a_number_of_minus_1000(book_log):
    """Why _int and _float tell a negative number in another notation no
    number to give: the command would refuse it, whatever the argument."""
    parser = cli.build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(RUNS)
    for command, sub in commands.choices.items():
        files = [str(book_log)] if command == "latency" else []
        assert dmls(command, *files, *RUNS[command]).returncode in (0, 1)
        positionals = [a for a in sub._actions if not a.option_strings and a.type is not None]
        for action in sub._actions:
            if type_of(action) not in (cli._int, cli._float, cli._percentile_listed):
                continue
            negative = "-1" if action.type is cli._int else "-1000"
            args = [*RUNS[command]]
            if action.option_strings:
                args.append(f"{action.option_strings[0]}={negative}")
                name = action.option_strings[0]
            else:
                args[positionals.index(action)] = negative
                name = action.metavar
            assert name in fails_with(dmls(command, *files, *args)), (command, name)


def share_arguments() -> list[tuple[str, str, bool]]:
    """(command, name, positional) of every argument that takes a share."""
    parser = cli.build_parser()
    (commands,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = []
    for command, sub in commands.choices.items():
        for action in sub._actions:
            if isinstance(action.type, functools.partial) and "share" in action.type.keywords:
                positional = not action.option_strings
                found.append((command, action.metavar if positional else action.dest, positional))
    return found


def with_argument(command: str, name: str, positional: bool, value: str) -> list[str]:
    """RUNS[command] with the argument *name* set to *value*."""
    args = [*RUNS[command]]
    if positional:
        metavars = {"take-rate": ["PLAYS", "SHOWN"], "ab-size": ["BASELINE", "LIFT"]}
        args[metavars[command].index(name)] = value
    else:
        args.append(f"--{name.replace('_', '-')}={value}")
    return args


def test_the_share_arguments_are_those_a_percentage_can_mean():
    assert sorted((command, name) for command, name, _ in share_arguments()) == [
        ("ab-size", "BASELINE"),
        ("ab-size", "LIFT"),
        ("ab-size", "alpha"),
        ("ab-size", "power"),
        ("capacity", "target_utilization"),
        ("latency", "relative_accuracy"),
        ("take-rate", "confidence"),
    ]


@pytest.mark.parametrize(("command", "name", "positional"), share_arguments())
@pytest.mark.parametrize("percent", ["0.05%", "5%", "95%", "100%", "150%", "-5%"])
def test_a_percentage_is_told_a_share_the_command_takes_or_why_not(
    book_log, command, name, positional, percent
):
    """The hint is what to type: typed, the share gets past this argument."""
    files = [str(book_log)] if command == "latency" else []
    message = fails_with(dmls(command, *files, *with_argument(command, name, positional, percent)))
    share = f"{float(percent.removesuffix('%')) / 100:g}"
    result = dmls(command, *files, *with_argument(command, name, positional, share))
    shown = name if positional else f"--{name.replace('_', '-')}"
    if f"; for {percent}, give {share} " in message:
        # It may yet break another argument's rule: BASELINE 0.95 with a
        # lift of a tenth of it leaves [0, 1], which LIFT's message says.
        if result.returncode not in (0, 1):
            assert not fails_with(result).startswith(
                (f"dmls: {shown} ", f"dmls: argument {shown}:")
            )
    else:
        assert f"; as a share, {percent} is {share}, but {shown} must lie in " in message
        assert fails_with(result).startswith(f"dmls: {shown} must lie in ")


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        (
            "take-rate",
            "4 10 --confidence 150%",
            "argument --confidence: invalid float value: '150%'; "
            "as a share, 150% is 1.5, but --confidence must lie in (0, 1), got 1.5",
        ),
        (
            "capacity",
            "1610 120 --target-utilization 100%",
            "argument --target-utilization: invalid float value: '100%'; for 100%, give 1",
        ),
        (
            "ab-size",
            "0.02 0.1 --alpha 100%",
            "argument --alpha: invalid float value: '100%'; "
            "as a share, 100% is 1, but --alpha must lie in (0, 1), got 1",
        ),
        # Whether a lift keeps the rate in [0, 1] depends on BASELINE.
        (
            "ab-size",
            "0.02 -200%",
            "argument LIFT: invalid float value: '-200%'; for -200%, give -2",
        ),
        # A rate or a time is no share: a percentage is no number there.
        ("capacity", "5% 120", "argument PEAK_QPS: invalid float value: '5%'"),
        ("batching", "1000 50 5% 10", "argument MAX_WAIT_MS: invalid float value: '5%'"),
    ],
)
def test_a_percentage_where_a_share_is_due(command, args, message):
    expected = f"dmls: {message} (see dmls {command} --help)\n"
    assert fails_with(dmls(command, *args.split())) == expected


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [(command, *case) for command, cases in BAD_ARGUMENTS.items() for case in cases],
)
def test_bad_arguments_are_named_as_the_command_line_names_them(book_log, command, args, message):
    files = [str(book_log)] if command == "latency" else []
    expected = f"dmls: {message} (see dmls {command} --help)\n"
    assert fails_with(dmls(command, *files, *args.split())) == expected


# -- run(), the in-process runner the docs use ---------------------------------------------


@pytest.mark.parametrize(
    ("args", "lines"),
    [
        (
            "ab-size 0.999999 1e-7",
            [
                "1,491,288,793 trials per arm (2,982,577,586 in all)",
                "  to tell 0.999999 from 0.9999990999999",
                "two-sided alpha 0.05, power 0.8",
            ],
        ),
        (
            "batching 1e9 8 1 1 --requests 100",
            [
                "OVERLOADED: requests arrive at 1,000,000,000/s,",
                "  and the server finishes at most 8,000/s;",
                "  the queue grows without bound, so these latencies depend on --requests",
            ],
        ),
    ],
)
def test_extreme_inputs_still_fit_an_80_column_terminal(args, lines):
    """A line too long for the terminal breaks between its phrases."""
    output = dmls(*args.split()).stdout.decode().splitlines()
    assert max(map(len, output)) <= 79
    assert output[-len(lines) :] == lines


def test_a_line_of_exactly_79_columns_is_one_line():
    assert cli._fitted(("a" * 39, "b" * 39)) == ["a" * 39 + " " + "b" * 39]
    assert cli._fitted((" a" * 20, "b" * 39)) == [" a" * 20, "   " + "b" * 39]


def test_a_line_that_fits_stays_one_line():
    output = dmls("ab-size", "0.02", "0.1").stdout.decode().splitlines()
    assert output[0] == "80,682 trials per arm (161,364 in all) to tell 0.02 from 0.022"


def test_a_file_after_the_percentiles_is_told_how_to_follow_them(book_log):
    """argparse gives --q every word after it, the file's name too."""
    assert fails_with(dmls("latency", "--q", "50", "99", str(book_log))) == (
        f"dmls: argument --q: invalid float value: {str(book_log)!r}; to name a file after "
        "--q, put '--' before it (see dmls latency --help)\n"
    )
    assert dmls("latency", "--q", "50", "99", "--", str(book_log)).returncode == 0
    # Another float argument keeps the plain message.
    assert fails_with(dmls("capacity", "x", "3")) == (
        "dmls: argument PEAK_QPS: invalid float value: 'x' (see dmls capacity --help)\n"
    )


def test_files_may_follow_options_and_keep_their_order(tmp_path):
    """argparse gave the files only the words before the first option:
    "a.csv --column ms b.csv" ended "unrecognized arguments: b.csv"."""
    good, first, second = (tmp_path / f"{name}.csv" for name in ("good", "first", "second"))
    good.write_text("ms\n10\n20\n")
    first.write_text("ms\n1\nx\n")
    second.write_text("ms\ny\n")
    together = dmls("latency", good, "--column", "ms", good, "--json")
    assert as_json(together)["count"] == 4
    assert dmls("latency", "--column", "ms", good, "--q", "50", "--", good).returncode == 0
    # The first bad file in the order given is the one named, wherever the options are.
    for one, other, line in ((first, second, 3), (second, first, 2)):
        for args in (
            (one, "--column", "ms", other),
            ("--column", "ms", one, "--unit", "s", other),
            (good, "--unit", "s", one, "--column", "ms", "-", other),
        ):
            fails_with(dmls("latency", *args, stdin=b"ms\n5\n"), f"dmls: {one}, line {line}:")
    # Between two files, standard input is read in its place too.
    fails_with(dmls("latency", good, "--column", "ms", "-", first, stdin=b"ms\nz\n"), "<stdin>")


def test_one_parser_parses_intermixed_files_again():
    """The subcommands' parser marks itself while it parses; a mark left
    behind would make the second parse refuse the files after an option."""
    parser = cli.build_parser()
    for files in (["a.csv", "b.csv"], ["c.csv", "d.csv"]):
        args = parser.parse_args(["latency", files[0], "--column", "ms", files[1]])
        assert (args.files, args.column) == (files, "ms")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("take-rate 1 2 3", "unrecognized arguments: 3 (see dmls take-rate --help)"),
        (
            "take-rate 1 --confidence 0.9 2 3",
            "unrecognized arguments: 3 (see dmls take-rate --help)",
        ),
        (
            "capacity 1610 120 --target-utilisation 0.7",
            "unrecognized arguments: --target-utilisation 0.7 (see dmls capacity --help)",
        ),
        ("latency --bogus x", "unrecognized arguments: --bogus (see dmls latency --help)"),
        # Before the subcommand, a word is the main command's.
        ("--bogus capacity 1 2", "unrecognized arguments: --bogus (see dmls --help)"),
    ],
)
def test_a_word_nothing_takes_points_at_the_help_of_the_command_run(args, message):
    """The leftover words were refused by `dmls` itself, whose help does not
    describe the subcommand's options."""
    assert fails_with(dmls(*args.split())) == f"dmls: {message}\n"


def test_run_gives_the_same_output_as_the_installed_command(book_log):
    assert run(["latency", str(book_log)]).output == installed("latency", book_log).stdout.decode()
    for args, stdin in ((["latency"], b"1\nx\n"), (["capacity", "1", "0"], b"")):
        process, here = installed(*args, stdin=stdin), dmls(*args, stdin=stdin)
        assert (here.returncode, here.stdout, here.stderr) == (
            process.returncode,
            process.stdout,
            process.stderr,
        )
    missed = run(f"dmls latency {book_log} --slo 200@99")
    assert missed.status == 1


def test_run_reads_stdin_and_reports_errors():
    result = run("dmls latency", stdin=b"1\nx\n")
    assert (result.status, result.output) == (2, "")
    assert result.errors == "dmls: <stdin>, line 2: 'x' is not a number\n"
    with pytest.raises(TypeError, match="command must be"):
        run(12)


# -- every field of every record, and every line of text ------------------------------


def test_take_rate_prints_the_rate_and_the_interval_it_was_asked_for():
    assert dmls("take-rate", 430, 10_000, "--confidence", 0.9).stdout.decode() == (
        "take-rate 4.30% (430 quality plays of 10,000 shown)\n90% Wilson interval: 3.98% to 4.65%\n"
    )
    record = as_json(dmls("take-rate", 430, 10_000, "--confidence", 0.9, "--json"))
    low, high = recommender.take_rate_interval(430, 10_000, confidence=0.9)
    assert record == {
        "quality_plays": 430,
        "recommendations_shown": 10_000,
        "take_rate": 0.043,
        "confidence": 0.9,
        "low": low,
        "high": high,
    }


def test_ab_size_prints_both_arms_and_the_rates_it_tells_apart():
    assert dmls("ab-size", 0.02, 0.1).stdout.decode() == (
        "80,682 trials per arm (161,364 in all) to tell 0.02 from 0.022\n"
        "two-sided alpha 0.05, power 0.8\n"
    )
    record = as_json(dmls("ab-size", 0.02, 0.1, "--json", "--alpha", 0.01, "--power", 0.9))
    n = business.ab_sample_size(0.02, 0.1, alpha=0.01, power=0.9)
    assert record == {
        "baseline_rate": 0.02,
        "lift": 0.1,
        "relative": True,
        "target_rate": business.lifted_rate(0.02, 0.1),
        "alpha": 0.01,
        "power": 0.9,
        "per_arm": n,
        "total": 2 * n,
    }
    absolute = as_json(dmls("ab-size", 0.02, 0.002, "--absolute", "--json"))
    assert (absolute["relative"], absolute["target_rate"]) == (False, 0.022)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        # What the user typed comes back as typed, without float noise.
        (["ab-size", "0.123456789", "0.5"], "to tell 0.123456789 from 0.1851851835"),
        (["ab-size", "0.07", "0.01", "--absolute", "--alpha", "0.001"], "to tell 0.07 from 0.08"),
        (["ab-size", "0.07", "0.01", "--absolute", "--alpha", "0.001"], "two-sided alpha 0.001,"),
        (["take-rate", "430", "10000", "--confidence", "0.975"], "97.5% Wilson interval"),
        (["capacity", "1234567", "0.5"], "3,527,335 replicas for 1,234,567 queries/s at peak"),
        (["capacity", "1610", "120", "--target-utilization", "0.725"], "(target 72.5%)"),
        (["capacity", "1610", "120", "--target-utilization", "0.07"], "(target 7%)"),
        # One replica, and a share below 1%, are said as such.
        (["capacity", "0.5", "120"], "1 replica for 0.5 queries/s at peak\nat "),
        (["capacity", "0.5", "120"], "\nat 0.42% of its capacity"),
        (["batching", "1000.5", "1", "0", "10", "--requests", "100"], "arrive at 1,000.5/s"),
        # A result beyond 1e15 in scientific notation, not 300 digits.
        (["ab-size", "1e-300", "1e-300", "--absolute"], "2.35466e+301 trials per arm"),
    ],
)
def test_numbers_are_printed_for_people(args, line):
    assert line in dmls(*args).stdout.decode()


@pytest.mark.parametrize(
    ("lift", "absolute", "rates"),
    [
        # 0.02 * (1 + 1e-17) is 0.02 as a float: the change is said instead.
        ("1e-17", False, "to tell 0.02 from 0.02 + 2e-19"),
        ("-1e-17", False, "to tell 0.02 from 0.02 - 2e-19"),
        ("1e-18", True, "to tell 0.02 from 0.02 + 1e-18"),
        ("-1e-18", True, "to tell 0.02 from 0.02 - 1e-18"),
        # A change the digits can show stays a rate.
        ("1e-9", False, "to tell 0.02 from 0.02000000002"),
        ("-1E-3", False, "to tell 0.02 from 0.01998"),
    ],
)
def test_ab_size_never_tells_a_rate_from_itself(lift, absolute, rates):
    """The two rates the test tells apart read as two: "0.02 from 0.02" said
    that a test of billions of trials compared a rate with itself. A negative
    lift in any notation float() reads is a number, not an option."""
    result = dmls("ab-size", "0.02", lift, *(["--absolute"] if absolute else []))
    first = result.stdout.decode().splitlines()[0]
    assert first.endswith(rates), first
    before, after = first.split("to tell ")[1].split(" from ")
    assert before != after


@pytest.mark.parametrize("number", ["-1e3", "-1E+3", "-.5e1", "-inf", "-nan"])
def test_a_negative_number_in_any_notation_is_an_argument(number):
    """argparse took "-1e3" for an option and said MAX_WAIT_MS was missing."""
    message = fails_with(dmls("batching", 10, 8, number, 1), "MAX_WAIT_MS must")
    assert "required" not in message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("--slo -5@99", "--slo: the threshold must not be negative, got -5"),
        ("--slo -5@p99 --q 50", "--slo: the threshold must not be negative, got -5"),
        ("--q -1", "--q must lie in [0, 100], got -1"),
        ("--q 50 -1", "--q must lie in [0, 100], got -1"),
        (
            "--slo -1,000.0@99",
            "--slo must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got '-1,000.0@99'; "
            "without commas, that is '-1000.0@99', but the threshold must not be negative",
        ),
        ("--q -1,000.0", "argument --q: invalid float value: '-1,000.0'"),
    ],
)
def test_a_value_that_starts_as_a_negative_number_is_the_options_value(book_log, args, message):
    """argparse took -5@99 and -1,000.0 for options: "--slo: expected one argument"."""
    error = fails_with(dmls("latency", book_log, *args.split()), f"dmls: {message}")
    assert "expected" not in error


def test_thresholds_and_huge_latencies_are_printed_for_people():
    text = dmls("latency", "--slo", "1234567.5@99", stdin=b"5\n").stdout.decode()
    assert "objective p99 <= 1,234,567.5 ms: met" in text
    text = dmls("latency", "--q", "50", stdin=b"1e20\n").stdout.decode()
    assert "  p50            1e+20 ms" in text


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (1610.0, 6, "1,610"),
        (2.0, 12, "2"),
        (1.4849999999999999, 12, "1.485"),
        (0.07 * 100, 12, "7"),
        (1000 / 3, 6, "333.333"),
        (0.0001, 6, "0.0001"),
        (0.00001, 6, "1e-05"),
        (0.0, 6, "0"),
        (-2.5, 6, "-2.5"),
        (123_456_789, 6, "123,456,789"),  # an int below 1e15 is exact
        (10**20, 6, "1e+20"),
        (1e15, 6, "1e+15"),
        (999_999.5, 6, "1,000,000"),
    ],
)
def test_number_formatting(value, digits, text):
    assert cli._number(value, digits) == text


def test_capacity_prints_replicas_and_the_share_of_capacity_each_carries():
    assert dmls("capacity", 1610, 120, "--target-utilization", 0.6).stdout.decode() == (
        "23 replicas for 1,610 queries/s at peak\neach at 58% of its capacity (target 60%)\n"
    )
    assert as_json(dmls("capacity", 1610, 120, "--json")) == {
        "peak_qps": 1610.0,
        "replica_qps": 120.0,
        "target_utilization": 0.7,
        "replicas": 20,
        "utilization": capacity.utilization(1610, 20, 120),
    }


@pytest.mark.parametrize("per_request", [0.0, 0.2])
def test_batching_reports_the_simulation_it_ran(per_request):
    args = ("batching", 1000, 50, 5, 10, "--per-request-ms", per_request, "--requests", 2000)
    record = as_json(dmls(*args, "--seed", 3, "--json"))
    service = (lambda n: 10 + per_request * n) if per_request else 10.0
    result = batching.simulate_batching(1000, 50, 5, service, n_requests=2000, seed=3)
    assert record == {
        "arrival_rate_qps": 1000.0,
        "max_batch": 50,
        "max_wait_ms": 5.0,
        "service_ms": 10.0,
        "per_request_ms": per_request,
        "requests": 2000,
        "seed": 3,
        "throughput_qps": result.throughput_qps,
        "offered_qps": result.offered_qps,
        "p50_ms": result.p50_ms,
        "p90_ms": result.p90_ms,
        "p99_ms": result.p99_ms,
        "mean_batch_size": result.mean_batch_size,
        "busy_share": result.busy_share,
        "capacity_qps": batching.capacity_qps(50, service),
        "overloaded": False,
    }
    assert as_json(dmls(*args, "--json"))["seed"] == 0  # the default seed
    text = dmls(*args, "--seed", 3).stdout.decode()
    assert text == (
        f"throughput   {result.throughput_qps:,.1f} requests/s "
        f"(arrivals in this run {result.offered_qps:,.1f}/s)\n"
        f"mean batch   {result.mean_batch_size:.2f} requests, "
        f"server busy {round(result.busy_share * 100)}% of the time\n"
        f"latency      p50 {result.p50_ms:,.3f} ms, p90 {result.p90_ms:,.3f} ms, "
        f"p99 {result.p99_ms:,.3f} ms\n"
    )


def test_an_overloaded_batcher_says_so_and_exits_1():
    # One request at a time, 10 ms each: at most 100/s, and 1,000/s arrive.
    # The queue only grows, so the "percentiles" measure the run's length.
    short, long = (
        dmls("batching", 1000, 1, 0, 10, "--requests", n, "--json") for n in (2000, 4000)
    )
    assert short.returncode == long.returncode == 1
    short, long = json.loads(short.stdout), json.loads(long.stdout)
    assert short["overloaded"]
    assert long["overloaded"]
    assert short["capacity_qps"] == 100.0
    assert long["p50_ms"] > 1.8 * short["p50_ms"]
    result = dmls("batching", 1000, 1, 0, 10, "--requests", 2000)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["throughput", "mean", "latency"]
    assert lines[3:] == [
        "OVERLOADED: requests arrive at 1,000/s, and the server finishes at most 100/s;",
        "  the queue grows without bound, so these latencies depend on --requests",
    ]


@pytest.mark.parametrize(
    ("rate", "overloaded"),
    [(99.9, False), (100, True), (100.1, True)],
)
def test_overload_starts_where_arrivals_reach_the_servers_capacity(rate, overloaded):
    # Batches of up to 5, each 40 ms plus 2 ms a request: at most 5 / 50 ms = 100/s.
    args = ("batching", rate, 5, 1, 40, "--per-request-ms", 2, "--requests", 500)
    result = dmls(*args)
    assert result.returncode == (1 if overloaded else 0)
    assert ("OVERLOADED" in result.stdout.decode()) is overloaded
    record = as_json(dmls(*args, "--json"))
    assert (record["capacity_qps"], record["overloaded"]) == (100.0, overloaded)


def test_batching_with_a_per_request_cost_is_slower_than_without():
    plain = as_json(dmls("batching", 1000, 50, 5, 10, "--requests", 2000, "--json"))
    costly = as_json(
        dmls("batching", 1000, 50, 5, 10, "--per-request-ms", 0.2, "--requests", 2000, "--json")
    )
    assert costly["p50_ms"] > plain["p50_ms"]


# -- main(), the entry point --------------------------------------------------------------


class _Stdin(io.StringIO):
    """A text standard input whose .buffer holds the bytes, as sys.stdin's does."""

    def __init__(self, data: bytes):
        super().__init__()
        self.buffer = io.BytesIO(data)
        self.buffer.name = "<stdin>"


def test_main_runs_the_arguments_it_is_given(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"100\n3000\n"))
    assert main(["capacity", "1610", "120"]) == 0
    assert capsys.readouterr().out.startswith("20 replicas for 1,610 queries/s at peak\n")
    assert main(["latency", "--json", "--q", "50"]) == 0  # reads standard input
    assert json.loads(capsys.readouterr().out)["percentiles"] == {"50": 100.0}
    assert main(["capacity", "1", "0"]) == 2
    assert capsys.readouterr().err.startswith("dmls: REPLICA_QPS")
    with pytest.raises(TypeError, match=r"^argv must be a list of strings, not str$"):
        main("capacity 1 2")


def test_main_reads_the_command_line_by_default(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["dmls", "capacity", "1610", "120", "--json"])
    assert main() == 0
    assert json.loads(capsys.readouterr().out)["replicas"] == 20


def test_a_closed_pipe_is_not_an_error_and_ctrl_c_is_130(monkeypatch, capsys):
    def closed(*args):
        raise BrokenPipeError

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(sys, "stdout", sys.stdout)  # restored after the test
    monkeypatch.setattr(cli, "_main", closed)
    assert main([]) == 0
    assert sys.stdout is None  # so the interpreter's final flush cannot fail again
    monkeypatch.setattr(cli, "_main", interrupted)
    assert main([]) == 130
    assert capsys.readouterr().err == "dmls: interrupted\n"


# -- the progress bar, drawn in this process ----------------------------------------------
# The tests above see the bar through a real terminal, in a child process that
# mutation testing cannot follow; these draw it here, on a stream that says it
# is a terminal, with tqdm told to redraw on every read so the bar's last
# state is in the output.


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def terminal(monkeypatch) -> FakeTerminal:
    tqdm = pytest.importorskip("tqdm")

    class EveryRead(tqdm.tqdm):
        """tqdm that redraws on every read, so the bar's last state is shown."""

        # No monitor thread: a test run that forks (mutmut does) must not
        # inherit a lock held by a thread the child does not have.
        monitor_interval = 0

        def __init__(self, *args, **options):
            super().__init__(*args, mininterval=0, miniters=1, **options)

    monkeypatch.setattr(tqdm, "tqdm", EveryRead)  # what `from tqdm import tqdm` finds
    return FakeTerminal()


def main_on(terminal: FakeTerminal, *args) -> int:
    """Run dmls through its entry point with standard error on *terminal*."""
    with contextlib.redirect_stderr(terminal):
        return main([str(arg) for arg in args])


@pytest.fixture
def ten_kib_log(tmp_path) -> Path:
    path = tmp_path / "big.log"
    path.write_text("100\n" * 2560)  # 10,240 bytes: 10.0 KiB
    return path


def bar_states(written: str) -> list[str]:
    return [state for state in written.split("\r") if state.strip()]


def test_the_bar_counts_the_file_in_kibibytes_and_vanishes(terminal, ten_kib_log, capsys):
    assert main_on(terminal, "latency", ten_kib_log) == 0
    assert "p50          100.000 ms" in capsys.readouterr().out
    states = bar_states(terminal.getvalue())
    assert states[0].startswith("big.log:   0%|")
    assert " 0.00/10.0k " in states[0]
    assert states[-1].startswith("big.log: 100%|")
    assert " 10.0k/10.0k " in states[-1]
    assert "B/s]" in states[-1]
    # leave=False: the bar's line is blanked, so the shell prompt starts clean.
    assert terminal.getvalue().endswith("\r" + " " * len(states[-1]) + "\r")


def test_an_error_after_the_bar_starts_on_a_clean_line(terminal, tmp_path, capsys):
    path = tmp_path / "bad.log"
    path.write_text("12\n13\n14 ms\n")
    assert main_on(terminal, "latency", path) == 2
    assert capsys.readouterr().out == ""
    written = terminal.getvalue()
    assert "bad.log:   0%|" in written
    after_bar = written.split("\r")[-1]
    hint = "(drop the unit, and pass --unit ms)"
    assert after_bar == f"dmls: {path}, line 3: '14 ms' is not a number {hint}\n"


def test_the_file_behind_the_bar_is_closed(terminal, ten_kib_log):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main_on(terminal, "latency", ten_kib_log) == 0
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_missing_file_on_a_terminal_is_reported_without_a_bar(terminal, tmp_path):
    path = tmp_path / "nope.log"
    assert main_on(terminal, "latency", path) == 2
    assert terminal.getvalue() == f"dmls: {path}: No such file or directory\n"


def test_without_tqdm_there_is_no_bar_and_the_same_output(
    terminal, ten_kib_log, monkeypatch, capsys
):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    assert main_on(terminal, "latency", ten_kib_log) == 0
    assert terminal.getvalue() == ""
    assert capsys.readouterr().out == dmls("latency", ten_kib_log).stdout.decode()


def test_standard_input_gets_no_bar(terminal, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"5\n7\n")))
    assert main_on(terminal, "latency", "-") == 0
    assert terminal.getvalue() == ""
    assert "max            7.000 ms" in capsys.readouterr().out


def test_percentile_labels_and_keys_keep_every_digit():
    """A key rounded to six digits would give two percentiles one key."""
    data = b"".join(b"%d\n" % i for i in range(1, 1001))
    record = json.loads(run("dmls latency --q 50 50.00004 --json", stdin=data).output)
    assert record["percentiles"] == {"50": 500.0, "50.00004": 501.0}
    result = run("dmls latency --slo 1000000@99.99999", stdin=b"5\n")
    assert "objective p99.99999 <= 1,000,000 ms: met" in result.output


def test_the_mean_of_huge_latencies_is_finite():
    record = json.loads(run("dmls latency --json", stdin=b"1e308\n1.7e308\n").output)
    assert record["mean"] == 1.35e308


def test_an_error_shows_the_value_that_broke_the_rule():
    """Rounded to 12 digits, 1.00000000000005 read as 1, inside [0, 1]."""
    result = run("dmls ab-size 0.5 1.0000000000001")
    assert result.errors.endswith("0.5 becomes 1.00000000000005 (see dmls ab-size --help)\n")


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("dmls latency --q 100.00000000000001", "got 100.00000000000001"),
        ("dmls capacity 100 1 --target-utilization 1.0000000000000002", "got 1.0000000000000002"),
    ],
)
def test_the_value_that_broke_a_range_is_shown_with_every_digit(command, shown):
    assert shown in run(command, stdin=b"1\n").errors


def test_minus_zero_is_read_as_zero():
    record = json.loads(run("dmls latency --slo=-0@99 --q -0 --json", stdin=b"0\n").output)
    assert list(record["percentiles"]) == ["0"]
    assert str(record["objectives"][0]["threshold_ms"]) == "0.0"


def test_a_long_percentile_label_keeps_the_values_in_one_column():
    output = run("dmls latency --q 50 50.00004", stdin=b"1\n2\n").output
    rows = output.splitlines()[1:]
    assert len({len(row) for row in rows}) == 1, rows
    assert rows[2] == "  p50.00004 " + f"{'2.000 ms':>16}"


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (10**15 - 1, 6, "999,999,999,999,999"),  # integers in full below 1e15
        (10**15, 6, "1e+15"),
        (2 * 10**15, 6, "2e+15"),
        (0.07 * 100, cli._TYPED, "7"),  # 7.000000000000001: binary noise dropped
        (0.123456789012345, cli._TYPED, "0.123456789012345"),  # 15 digits as typed
        (1234.5678, 6, "1,234.57"),
        (0.0001234, 6, "0.0001234"),
        (0.00001234, 6, "1.234e-05"),
    ],
)
def test_numbers_are_written_as_people_write_them(value, digits, text):
    assert cli._number(value, digits) == text


def test_a_share_the_user_gave_keeps_its_digits():
    assert cli._percent_of(0.9751234) == "97.51234%"
    assert cli._percent_of(0.07) == "7%"


def test_computed_numbers_in_errors_keep_fifteen_digits():
    assert cli._in_cli_terms("x is 1.234567890123456", {}) == "x is 1.23456789012346"
    assert cli._in_cli_terms("batch_size got 2.0", {"batch_size": "MAX_BATCH"}) == (
        "MAX_BATCH got 2"
    )


def test_two_replicas_are_each_at_their_share():
    output = run("dmls capacity 120 100").output
    assert output.splitlines() == [
        "2 replicas for 120 queries/s at peak",
        "each at 60% of its capacity (target 70%)",
    ]


def test_the_batcher_says_how_busy_the_server_is():
    """80/s into batches of up to 8, 10 ms + 0.2 ms a request: busy about 65%."""
    result = run("dmls batching 80 8 0 10 --per-request-ms 0.2 --requests 20000")
    assert "server busy 65% of the time" in result.output


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("dmls batching 1000.1234567 1 0 10 --requests 100", "arrive at 1,000.1234567/s"),
        ("dmls ab-size 0.02 0.1 --alpha 0.0123456789", "alpha 0.0123456789,"),
        ("dmls ab-size 0.02 0.1 --power 0.8123456789", "power 0.8123456789"),
    ],
)
def test_typed_numbers_are_echoed_with_every_digit(command, shown):
    assert shown in run(command).output


def test_a_latency_of_thirty_years_is_not_read_to_the_microsecond():
    assert cli._ms(1e12) == "1e+12 ms"
    assert cli._ms(999_999_999_999.5) == "999,999,999,999.500 ms"


def test_an_empty_saved_sketch_holds_no_latencies(tmp_path):
    path = tmp_path / "empty.sketch"
    path.write_bytes(QuantileSketch().to_bytes())
    fails_with(dmls("latency", "--sketch", path), f"dmls: {path}: holds an empty sketch\n")
