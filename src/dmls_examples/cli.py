"""The ``dmls`` command: the examples' functions on a reader's own numbers.

A thin layer: each subcommand parses its arguments, calls one of the
package's functions, and prints the result as text or, with ``--json``, as
one JSON object. Exit status 0 means done; 1 a result that fails what it
is for: an objective missed (``dmls latency --slo``) or a server that cannot
keep up (``dmls batching``, overloaded); 2 bad input or usage, always with
one line on standard error that says what was wrong, in the command line's
terms (``MAX_BATCH``, ``--slo``, not the package's parameter names). A usage
error, an option or argument the command cannot use, ends by pointing at the
command's help, ``(see dmls latency --help)``, as argparse's own errors do;
an error in a file (a bad line, a missing file) names the file instead.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import decimal
import errno
import functools
import io
import json
import math
import os
import re
import shlex
import stat
import sys
import textwrap
from typing import NamedTuple

import numpy as np

from dmls_examples import __version__, batching, business, capacity, recommender
from dmls_examples._validation import exact_decimal, finite_result, nonnegative, real
from dmls_examples._validation import text as _text
from dmls_examples.latency import PERCENTILE_METHODS, _check_qs, _mean, meets_slo, percentiles
from dmls_examples.reading import (
    NO_LATENCIES,
    UNITS,
    InputError,
    _out_of_range,
    _Prefixed,
    _to_ms,
    _with_unit,
    read_latencies,
)
from dmls_examples.sketch import _MAGIC as _SKETCH_MAGIC
from dmls_examples.sketch import QuantileSketch
from dmls_examples.sketch import _accuracy as _sketch_accuracy

__all__ = ["Objective", "RunResult", "main", "parse_objective", "run"]

EXIT_OK, EXIT_MISSED, EXIT_BAD_INPUT = 0, 1, 2

#: The relative accuracy of `dmls latency --sketch` unless the user gives one.
_SKETCH_ACCURACY = 0.01


class Objective(NamedTuple):
    """A latency objective: *percentile* % of requests within *threshold_ms*."""

    #: The latency, in ms, that the requests must finish within.
    threshold_ms: float
    #: The share of requests, in percent, that must.
    percentile: float


#: THRESHOLD@PERCENTILE, spaces around either; the threshold may hold spaces
#: (a unit after a space, "200 ms", which parse_objective tells the user to drop).
_OBJECTIVE = re.compile(r"\s*([^@\s](?:[^@]*[^@\s])?)\s*@\s*(p?)([^@\s]+)\s*")


def parse_objective(text) -> Objective:
    """Read an objective written ``THRESHOLD_MS@PERCENTILE``, such as ``200@99``.

    Args:
        text: The objective; ``200@99`` means "99% of requests within
            200 ms". A ``p`` before the percentile is allowed: ``200@p99``.

    Returns:
        An :class:`Objective`.

    Raises:
        TypeError: If *text* is not a string.
        ValueError: If it is not of that form, either number is not finite,
            the threshold is negative or the percentile lies outside (0, 100].

    Examples:
        >>> parse_objective("200@99")
        Objective(threshold_ms=200.0, percentile=99.0)
        >>> parse_objective("1500@p99.9")
        Objective(threshold_ms=1500.0, percentile=99.9)
    """
    text = _text(text, "text")
    match = _OBJECTIVE.fullmatch(text)
    threshold = percentile = None
    if match:
        with contextlib.suppress(ValueError):
            percentile = float(match[3])
            threshold = float(match[1])
    if threshold is None:
        # A threshold with thousands commas (1,000@99) is told the objective
        # to give, as --q's 1,000.0 is, and one with a unit (0.2s@99, 0.2 s@99)
        # the objective in ms: only where the percentile is a number, which
        # either hint keeps as typed, its p too. A hint is what this function
        # then takes: one it refuses (-200ms@99, 200ms@101) is not given, but
        # what the text comes to and why that is refused, so that the reason
        # ("got -200") is read against the number that it names.
        hint = ""
        if percentile is not None:
            hint = _objective_hint(match, "without commas", _without_thousands(match[1]))
            hint = hint or _objective_hint(match, "in ms", _in_ms(match[1]))
        raise ValueError(
            f"text must look like THRESHOLD_MS@PERCENTILE, e.g. 200@99; got {text!r}{hint}"
        )
    for part, value in ((match[1], threshold), (match[3], percentile)):
        if reason := _out_of_range(part, value):
            raise ValueError(f"text: {reason}")
    threshold = real(threshold, "text: the threshold")
    percentile = real(percentile, "text: the percentile")
    if threshold < 0:
        raise ValueError(f"text: the threshold must not be negative, got {threshold:g}")
    if not 0 < percentile <= 100:
        raise ValueError(f"text: the percentile must lie in (0, 100], got {percentile:g}")
    return Objective(threshold + 0.0, percentile)  # -0 ms is 0 ms


def _objective_hint(match: re.Match, how: str, threshold: str) -> str:
    """ "; give 200@99" if *threshold*, the number the typed one comes to
    *how* (in ms, without commas), makes an objective with the typed
    percentile that parse_objective takes; what it comes to and why not if
    it refuses it; nothing if there is no such number."""
    if not threshold:
        return ""
    objective = f"{threshold}@{match[2]}{match[3]}"
    try:
        parse_objective(objective)
    except ValueError as refusal:
        reason = str(refusal).removeprefix("text: ")
        return f"; {how}, that is {objective!r}, but {reason}"
    return f"; give {objective}"


# -- output ---------------------------------------------------------------------


def _ms(value: float) -> str:
    if value >= 1e12:  # 30 years: not a latency to read to the microsecond
        return f"{value:.6g} ms"
    return f"{value:,.3f} ms"


#: Significant digits that show a number as it was typed: a float holds
#: every decimal of 15 digits exactly, and its 16th and 17th are the noise of
#: binary arithmetic (0.07 * 100 is 7.000000000000001).
_TYPED = 15


def _number(value, digits: int = 6) -> str:
    """*value* as people write it: *digits* significant digits at most,
    thousands separated, no trailing zeros, no exponent from 1e-4 to 1e15.

    ``_TYPED`` digits show a number as it was typed; six suit a result.
    """
    if isinstance(value, int) and abs(value) < 10**15:
        return f"{value:,}"
    rounded = float(f"{value:.{digits}g}")
    if rounded == 0 or not 1e-4 <= abs(rounded) < 1e15:
        return f"{rounded:.{digits}g}"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(rounded))))
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _counted(n: int, noun: str) -> str:
    """ "1 replica", "20 replicas"."""
    return f"{_number(n)} {noun}{'' if n == 1 else 's'}"


def _percent_of(fraction: float) -> str:
    """A share the user gave, such as 0.975, as a percentage: "97.5%"."""
    return f"{_number(fraction * 100, _TYPED)}%"


def _as_given(number) -> str:
    """A number as the user gave it, every digit kept: 50, 99.9, 50.00004."""
    text = repr(float(number))
    return text.removesuffix(".0")


def _label(q) -> str:
    return f"p{_as_given(q)}"


#: A quoted string (input as typed, left alone) or a float in decimal notation.
_QUOTED = r"(?<!\w)'(?:[^'\\]|\\.)*'" + r'|(?<!\w)"(?:[^"\\]|\\.)*"'
_FLOAT = r"(?<![\w.])-?\d+\.\d+(?:e[-+]?\d+)?(?![\w.])"
#: A float after "got ": the value the user gave, which keeps every digit
#: (rounded, 100.00000000000001 would read as 100, inside the range it broke).
_GIVEN = r"(?<=got )-?\d+\.\d+(?:e[-+]?\d+)?(?![\w.])"
#: The value after "give ": what to type instead, left as it is to be typed
#: (1000.5@99 would read 1,000.5@99, the very commas the hint takes out).
_TO_GIVE = r"(?<=give )-?\d[^\s;]*"


def _in_cli_terms(message: str, names: dict[str, str]) -> str:
    """A message from the package, as the command line's user reads it.

    The package's errors name a function's parameters ("batch_size must be
    at least 1"); the user typed an argument of the command (MAX_BATCH).
    *names* maps the one to the other. Computed floats lose the noise of
    binary arithmetic ("1.4849999999999999" becomes "1.485", "2.0" becomes
    "2"). Quoted input, and a value after "got ", stay as the user gave them;
    a value after "give " as the user is to type it.
    """
    words = "|".join(map(re.escape, names))  # \b on both sides: order does not matter
    pattern = re.compile(rf"({_QUOTED}|{_TO_GIVE})|\b({words})\b|({_GIVEN})|({_FLOAT})")

    def replace(match: re.Match) -> str:
        quoted, name, given, number = match.groups()
        if name:
            return names[name]
        if given:
            return _as_given(given)
        if number:
            return _number(float(number), _TYPED)
        return quoted

    return pattern.sub(replace, message)


#: The widest line of text output, as of the help: an 80-column terminal.
_COLUMNS = 79


def _emit(out, as_json: bool, record: dict, lines: list) -> None:
    """Write *record* as JSON, or *lines* as text.

    A line is a string, or a tuple of phrases that make one line where it
    fits the terminal and stand on lines of their own where extreme inputs
    make it too long, each after the first indented two spaces more.
    """
    if as_json:
        out.write(json.dumps(record) + "\n")
    else:
        out.write("\n".join(part for line in lines for part in _fitted(line)) + "\n")


def _fitted(line: str | tuple[str, ...]) -> list[str]:
    if isinstance(line, str):
        return [line]
    joined = " ".join(line)
    if len(joined) <= _COLUMNS:
        return [joined]
    first, *rest = line
    indent = first[: len(first) - len(first.lstrip())] + "  "
    return [first, *(indent + phrase for phrase in rest)]


# -- subcommands -----------------------------------------------------------------


#: What the package calls the arguments `dmls latency` passes it, and what
#: the command line calls them (for :func:`_in_cli_terms`).
_LATENCY_NAMES = {
    "text": "--slo",  # parse_objective's argument
    "qs": "--q",
    "method": "--method",
    "relative_accuracy": "--relative-accuracy",
}
#: The same for the hints of read_latencies' errors.
_READING_NAMES = {
    "column=NAME": "--column NAME",
    "column=N": "--column N",
    "field=NAME": "--field NAME",
    **{f"unit={unit}": f"--unit {unit}" for unit in UNITS},
}
#: The hint that ends the error of a one-column table's header, or of an
#: object with the field inside another: the name as Python writes it, which
#: the command line writes as a shell word.
_NAMED = re.compile(r"(?<=\bpass )(column|field)=('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")(?=\)$)")


def _reading_in_cli_terms(reason: str) -> str:
    """A reason of read_latencies' errors, as the command line's user reads it."""
    named = _NAMED.search(reason)
    if named:  # before _in_cli_terms, which leaves quoted text alone
        option = f"--{named[1]} {shlex.quote(ast.literal_eval(named[2]))}"
        reason = reason[: named.start()] + option + reason[named.end() :]
    return _in_cli_terms(reason, _READING_NAMES)


def _latency(args, out, stdin) -> int:
    if args.sketch and args.method != "inverted_cdf":
        raise _Usage("--method needs exact percentiles; drop --sketch to use it")
    if args.relative_accuracy is None:
        args.relative_accuracy = _SKETCH_ACCURACY
    elif not args.sketch:
        raise _Usage("--relative-accuracy is the sketch's; add --sketch to use it")
    if args.save_sketch is not None and not args.sketch:
        raise _Usage("--save-sketch saves the sketch; add --sketch to use it")
    # Every option is checked before the first file is read: a mistake in
    # one is not to wait for minutes of reading, nor hide behind a bad line.
    objectives = [parse_objective(text) for text in args.slo]
    qs = _check_qs(args.q)
    if args.save_sketch is not None:
        _check_writable(args.save_sketch)
    if not args.files and stdin.isatty():  # waiting for keystrokes would look like a hang
        raise _Usage(
            "no FILE given, and standard input is a terminal: name a file, pipe the "
            "latencies in, or pass '-' to type them"
        )
    sources = args.files or ["-"]
    if sources.count("-") > 1:
        raise _Usage("'-' (standard input) can be read only once")
    _check_readable(sources)
    with contextlib.closing(_inputs(sources, args, stdin)) as inputs:
        if args.sketch:
            sketch = _sketch_of(inputs, args.relative_accuracy)
        else:
            latencies = np.concatenate(list(map(_latencies, inputs)))
    if args.sketch:
        if args.save_sketch is not None:
            _save(sketch, args.save_sketch)
        n, mean, high = sketch.count, sketch.mean, sketch.max
        values = sketch.percentiles(qs)

        def nearest(p):
            return sketch.percentiles((p,))[p]

        def holds(o):
            threshold = _threshold_as_read(o.threshold_ms, args.unit)
            return sketch.meets_slo(threshold, percentile=o.percentile)

    else:
        n, mean, high = latencies.size, _mean(latencies), float(latencies.max())
        values = percentiles(latencies, qs, method=args.method)

        def nearest(p):
            return percentiles(latencies, (p,))[p]

        def holds(o):
            threshold = _threshold_as_read(o.threshold_ms, args.unit)
            return meets_slo(latencies, threshold, percentile=o.percentile)

    # Objectives read "q% of requests within t ms": nearest rank, whatever --method says.
    checks = [(o, holds(o)) for o in objectives]
    at = {o: nearest(o.percentile) for o in objectives}
    record = {
        "count": n,
        "unit": "ms",
        "mean": mean,
        "max": high,
        "percentiles": {_as_given(q): value for q, value in values.items()},
        "method": args.method,
        "relative_accuracy": args.relative_accuracy if args.sketch else None,
        "objectives": [
            {"threshold_ms": o.threshold_ms, "percentile": o.percentile, "value": at[o], "met": met}
            for o, met in checks
        ],
    }
    if args.sketch:
        how = f"from a sketch, each within {_percent_of(args.relative_accuracy)}"
    elif args.method == "inverted_cdf":
        how = "by nearest rank"
    else:
        how = f"by numpy's {args.method!r} method"
    width = max(7, *(len(_label(q)) + 1 for q in values))  # p50.00004 keeps its column
    lines = [f"{_counted(n, 'request')}, percentiles {how}", f"  {'mean':<{width}}{_ms(mean):>16}"]
    lines += [f"  {_label(q):<{width}}{_ms(value):>16}" for q, value in values.items()]
    lines.append(f"  {'max':<{width}}{_ms(high):>16}")
    # Under another --method, the objective's percentile is not the one listed.
    ranked = "" if args.method == "inverted_cdf" else " by nearest rank"
    for o, met in checks:
        verdict = "met" if met else "MISSED"
        lines.append(
            f"objective {_label(o.percentile)} <= {_number(o.threshold_ms, _TYPED)} ms: {verdict} "
            f"({_label(o.percentile)}{ranked} = {_ms(at[o])})"
        )
    _emit(out, args.json, record, lines)
    return EXIT_OK if all(met for _, met in checks) else EXIT_MISSED


def _threshold_as_read(threshold_ms: float, unit: str) -> float:
    """*threshold_ms* as the reader gives a value of *unit* that equals it.

    The file's latencies reach the check converted to ms in floating point
    (2.007 s becomes 2007.0000000000002 ms). The threshold, written in the
    file's unit exactly and converted the same way, compares with them as it
    would in the file's unit, so a p99 of 2.007 s meets an objective of
    2,007 ms.
    """
    in_unit = exact_decimal(threshold_ms) / exact_decimal(UNITS[unit])
    if in_unit > sys.float_info.max:  # more microseconds than a float holds: above any latency
        return threshold_ms
    return float(_to_ms(np.float64(in_unit), unit))


class _Saved(NamedTuple):
    """A sketch that ``--save-sketch`` wrote, read back from *source*."""

    source: str
    sketch: QuantileSketch


def _inputs(sources, args, stdin):
    """Each source's latencies, a block at a time, or its saved sketch.

    Among several sources, one without latencies (a drained host's empty
    log) adds nothing, as it would to their concatenation: it is named on
    standard error and skipped. If none holds any, the first is the error.
    """
    empty = []
    for source in sources:
        try:
            yield from _input(source, args, stdin)
        except InputError as error:
            if (error.line, error.reason) != (None, NO_LATENCIES):
                raise
            empty.append(error)
    if len(empty) == len(sources):
        raise empty[0]
    for error in empty:
        args.stderr.write(f"dmls: {error}; skipped\n")


def _input(source, args, stdin):
    """One source's latencies, a block at a time, or its saved sketch."""
    options = {"column": args.column, "field": args.field, "unit": args.unit}
    if source == "-":
        # A pipe cannot be peeked into reliably (peek may give fewer bytes
        # than asked): read the magic's worth, then put it back in front.
        head = stdin.read(len(_SKETCH_MAGIC))
        if head == _SKETCH_MAGIC:
            yield _Saved("<stdin>", _read_sketch("<stdin>", io.BytesIO(head + stdin.read())))
        else:
            stream = _Prefixed(head, stdin)
            stream.name = "<stdin>"  # as messages call standard input, however it names itself
            yield from read_latencies(stream, **options)
    else:
        with _opened(source, args.stderr) as stream:
            if stream.peek(len(_SKETCH_MAGIC)).startswith(_SKETCH_MAGIC):
                saved = _Saved(source, _read_sketch(source, stream))
            else:
                saved = None
                yield from read_latencies(stream, **options)
        if saved is not None:  # yielded once the file, and its progress bar, are closed
            yield saved


def _check_readable(sources) -> None:
    """Refuse a FILE that is missing, a folder or unreadable before any file
    is read: a slip in the last of several names is not to wait for the
    reading of the others. Nothing is opened, so a pipe such as bash's
    <(zcat log.gz) loses nothing to the check."""
    for source in sources:
        if source == "-":
            continue
        try:
            mode = os.stat(source).st_mode
        except OSError as error:
            raise InputError(source, None, error.strerror or str(error)) from None
        if stat.S_ISDIR(mode):
            raise InputError(source, None, _folder_reason(source))
        if not os.access(source, os.R_OK):
            raise InputError(source, None, os.strerror(errno.EACCES))


def _folder_reason(path: str) -> str:
    return f"is a folder: pass the files in it, such as {os.path.join(path, '*')}"


def _opened(path: str, stderr) -> io.BufferedReader:
    """The file at *path*, counted by a progress bar on *stderr* if it is a
    terminal and tqdm is installed."""
    try:
        raw = open(path, "rb", buffering=0)  # noqa: SIM115 (the caller closes it)
    except IsADirectoryError:
        raise InputError(path, None, _folder_reason(path)) from None
    except OSError as error:
        raise InputError(path, None, error.strerror or str(error)) from None
    bar = _progress_bar(raw, path, stderr)
    return io.BufferedReader(raw if bar is None else _Counted(raw, bar), buffer_size=1 << 20)


def _progress_bar(raw, path: str, stderr):
    """A progress bar for the file *raw* on *stderr*, or None (no terminal, no tqdm)."""
    if stderr is None or not stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # the bar is a nicety: no tqdm, no bar
        return None
    return tqdm(
        total=os.fstat(raw.fileno()).st_size,
        desc=os.path.basename(path),
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=stderr,
        leave=False,
    )


def _read_sketch(source: str, stream) -> QuantileSketch:
    """The sketch saved in *stream*, the file *source*; an InputError if it
    is damaged or empty."""
    try:
        sketch = QuantileSketch.from_bytes(stream.read())
    except ValueError as error:  # "data is corrupt: ..."
        reason = f"starts as a saved sketch, but {str(error).removeprefix('data ')}"
        raise InputError(source, None, reason) from None
    if sketch.count == 0:
        raise InputError(source, None, "holds an empty sketch")
    return sketch


def _latencies(item) -> np.ndarray:
    """A block of latencies from :func:`_inputs`; a saved sketch is an error
    when the percentiles are exact."""
    if isinstance(item, _Saved):
        raise InputError(item.source, None, "is a saved sketch: add --sketch to merge it")
    return item


def _sketch_of(inputs, relative_accuracy: float) -> QuantileSketch:
    """One sketch of every block of latencies and every saved sketch in *inputs*."""
    sketch = QuantileSketch(relative_accuracy=relative_accuracy)
    for item in inputs:
        if not isinstance(item, _Saved):
            sketch.add(item)
            continue
        theirs = item.sketch.relative_accuracy
        if theirs != relative_accuracy:
            reason = (
                f"is a sketch at relative accuracy {_as_given(theirs)}, this run's is "
                f"{_as_given(relative_accuracy)}, and sketches merge only at one accuracy: "
                f"pass --relative-accuracy {_as_given(theirs)}"
            )
            raise InputError(item.source, None, reason)
        sketch.merge(item.sketch)
    return sketch


def _check_writable(path: str) -> None:
    """Refuse a --save-sketch FILE that cannot be written, before the reading
    that comes first, however long, and not after it."""
    folder = os.path.dirname(path) or os.curdir
    if os.path.isdir(path):
        problem = errno.EISDIR
    elif not os.path.isdir(folder):
        problem = errno.ENOENT
    elif not os.access(path if os.path.exists(path) else folder, os.W_OK):
        problem = errno.EACCES
    else:
        return
    raise _Unwritable(f"--save-sketch {path}: {os.strerror(problem)}")


def _save(sketch: QuantileSketch, path: str) -> None:
    try:
        with open(path, "wb") as file:
            file.write(sketch.to_bytes())
    except OSError as error:
        raise _Unwritable(f"--save-sketch {path}: {error.strerror or error}") from None


class _Counted(io.RawIOBase):
    """A raw file that moves a progress bar as it is read."""

    def __init__(self, raw, bar):
        self.raw, self.bar, self.name = raw, bar, raw.name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.bar.update(n or 0)
        return n

    def close(self) -> None:
        self.bar.close()
        self.raw.close()
        super().close()


_TAKE_RATE_NAMES = {
    "quality_plays": "PLAYS",
    "recommendations_shown": "SHOWN",
    "confidence": "--confidence",
}


def _take_rate(args, out, stdin) -> int:
    rate = recommender.take_rate(args.plays, args.shown)
    low, high = recommender.take_rate_interval(args.plays, args.shown, confidence=args.confidence)
    record = {
        "quality_plays": args.plays,
        "recommendations_shown": args.shown,
        "take_rate": rate,
        "confidence": args.confidence,
        "low": low,
        "high": high,
    }
    lines = [
        f"take-rate {rate:.2%} ({args.plays:,} quality plays of {args.shown:,} shown)",
        f"{_percent_of(args.confidence)} Wilson interval: {low:.2%} to {high:.2%}",
    ]
    _emit(out, args.json, record, lines)
    return EXIT_OK


_AB_SIZE_NAMES = {
    "baseline_rate": "BASELINE",
    "lift": "LIFT",
    "alpha": "--alpha",
    "power": "--power",
}


def _ab_size(args, out, stdin) -> int:
    relative = not args.absolute
    n = business.ab_sample_size(
        args.baseline, args.lift, relative=relative, alpha=args.alpha, power=args.power
    )
    target = business.lifted_rate(args.baseline, args.lift, relative=relative)
    record = {
        "baseline_rate": args.baseline,
        "lift": args.lift,
        "relative": relative,
        "target_rate": target,
        "alpha": args.alpha,
        "power": args.power,
        "per_arm": n,
        "total": 2 * n,
    }
    lines = [
        (
            f"{_number(n)} trials per arm ({_number(2 * n)} in all)",
            f"to tell {_rates_apart(args.baseline, target, args.lift, relative)}",
        ),
        f"two-sided alpha {_number(args.alpha, _TYPED)}, power {_number(args.power, _TYPED)}",
    ]
    _emit(out, args.json, record, lines)
    return EXIT_OK


def _rates_apart(baseline: float, target: float, lift: float, relative: bool) -> str:
    """ "0.02 from 0.022": the rates before and after *lift*, as typed.

    A lift too small to show in the new rate's digits (0.02 * (1 + 1e-17) is
    0.02 as a float) is said as the change itself, "0.02 from 0.02 + 2e-19",
    computed exactly from the numbers typed: the sample size is that of a
    real change, and two equal numbers would say there was none.
    """
    before, after = _number(baseline, _TYPED), _number(target, _TYPED)
    if after != before:
        return f"{before} from {after}"
    change = exact_decimal(lift) * (exact_decimal(baseline) if relative else 1)
    sign = "+" if change > 0 else "-"
    return f"{before} from {before} {sign} {_number(float(abs(change)))}"


_CAPACITY_NAMES = {
    "peak_qps": "PEAK_QPS",
    "offered_qps": "PEAK_QPS",  # capacity.utilization's name for it
    "replica_qps": "REPLICA_QPS",
    "target_utilization": "--target-utilization",
}


def _capacity(args, out, stdin) -> int:
    replicas = capacity.replicas_needed(
        args.peak_qps, args.replica_qps, target_utilization=args.target_utilization
    )
    busy = capacity.utilization(args.peak_qps, replicas, args.replica_qps)
    record = {
        "peak_qps": args.peak_qps,
        "replica_qps": args.replica_qps,
        "target_utilization": args.target_utilization,
        "replicas": replicas,
        "utilization": busy,
    }
    lines = [
        f"{_counted(replicas, 'replica')} for {_number(args.peak_qps, _TYPED)} queries/s at peak",
        f"{'each ' if replicas > 1 else ''}at {_number(busy * 100, 2)}% of its capacity "
        f"(target {_percent_of(args.target_utilization)})",
    ]
    _emit(out, args.json, record, lines)
    return EXIT_OK


_BATCHING_NAMES = {
    "arrival_rate_qps": "RATE",
    "batch_size": "MAX_BATCH",
    "max_wait_ms": "MAX_WAIT_MS",
    "service_time_ms": "SERVICE_MS",
    "n_requests": "--requests",
    "seed": "--seed",
}


def _batching(args, out, stdin) -> int:
    fixed, per_request = args.service_ms, args.per_request_ms
    if per_request:  # then SERVICE_MS may be 0; else the package checks it
        nonnegative(per_request, "--per-request-ms")
        nonnegative(fixed, "SERVICE_MS")

    def service_ms(n: int) -> float:
        time = fixed + per_request * n
        return finite_result(time, f"SERVICE_MS and --per-request-ms give a batch of {n} a time")

    service = service_ms if per_request else fixed
    result = batching.simulate_batching(
        args.rate,
        args.max_batch,
        args.max_wait_ms,
        service,
        n_requests=args.requests,
        seed=args.seed,
    )
    # At or above its capacity the server falls further behind with every
    # request: the latencies measure how long the run was, not the batcher.
    most = batching.capacity_qps(args.max_batch, service)
    overloaded = args.rate >= most
    record = {
        "arrival_rate_qps": args.rate,
        "max_batch": args.max_batch,
        "max_wait_ms": args.max_wait_ms,
        "service_ms": fixed,
        "per_request_ms": per_request,
        "requests": args.requests,
        "seed": args.seed,
        **{
            name: getattr(result, name)
            for name in ("throughput_qps", "offered_qps", "p50_ms", "p90_ms", "p99_ms")
        },
        "mean_batch_size": result.mean_batch_size,
        "busy_share": result.busy_share,
        "capacity_qps": most,
        "overloaded": overloaded,
    }
    lines = [
        f"throughput   {result.throughput_qps:,.1f} requests/s "
        f"(arrivals in this run {result.offered_qps:,.1f}/s)",
        f"mean batch   {result.mean_batch_size:.2f} requests, "
        f"server busy {_number(result.busy_share * 100, 2)}% of the time",
        f"latency      p50 {_ms(result.p50_ms)}, p90 {_ms(result.p90_ms)}, "
        f"p99 {_ms(result.p99_ms)}",
    ]
    if overloaded:
        lines += [
            (
                f"OVERLOADED: requests arrive at {_number(args.rate, _TYPED)}/s,",
                f"and the server finishes at most {_number(most)}/s;",
            ),
            "  the queue grows without bound, so these latencies depend on --requests",
        ]
    _emit(out, args.json, record, lines)
    return EXIT_MISSED if overloaded else EXIT_OK


# -- the parser -------------------------------------------------------------------


class _Usage(Exception):
    """A usage error: options that cannot go together, or a value that the
    command cannot use. One line on standard error that ends by pointing at
    the help of the command run, as argparse's own errors do; exit status 2."""


class _Unwritable(Exception):
    """A file that the command was to write cannot be written: one line on
    standard error, exit status 2. Like a file it cannot read, the fix lies
    in the file system, not in the help, so the line does not point at it."""


class _Parser(argparse.ArgumentParser):
    #: What starts a negative number, in any notation float() reads, or a
    #: value that starts as one: an objective (-5@99), thousands (-1,000.0).
    #: No option starts with a digit, so such a word is a value, and the
    #: type that reads it says what is wrong with it. argparse's own pattern
    #: knows only -5 and -0.5, and took -1e-3 for an option ("the following
    #: arguments are required: LIFT") and -5@99 too ("--slo: expected one
    #: argument"); Python 3.13's is -\.?\d, as here.
    _NEGATIVE_NUMBER = re.compile(r"^-(?:\.?\d|inf|nan)", re.IGNORECASE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = self._NEGATIVE_NUMBER

    def error(self, message):
        raise _Usage(f"{message}{_see_help(self.prog)}")


def _see_help(prog: str) -> str:
    """ " (see dmls latency --help)" for *prog* "dmls latency": how every
    usage error of the command ends, argparse's own and the command's."""
    return f" (see {prog} --help)"


class _Command(_Parser):
    """The parser of a subcommand, such as ``dmls latency``.

    Its files and options come in any order (``a.csv --column ms b.csv``),
    the files keeping theirs: argparse's plain parse gives the files only
    the words before the first option, and leaves the rest unrecognised.
    A word left over is this command's to refuse, so the error points at
    ``dmls latency --help``, where the options are, not at ``dmls --help``.
    """

    #: Set while argparse's parse_known_intermixed_args runs: up to Python
    #: 3.12.7 and 3.13.0 it parses twice through parse_known_args, which
    #: must then be argparse's own (later ones call an internal method).
    _intermixing = False

    def parse_known_args(self, args=None, namespace=None):
        if self._intermixing:
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            namespace, extras = self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return namespace, extras


# Declarations, like build_parser below: not mutated.
# (mutmut reads a block's pragma after the colon that opens the block.)
def _command(
    subparsers, name, run_it, names, summary, example, details=""
) -> argparse.ArgumentParser:  # pragma: no mutate block
    parser = subparsers.add_parser(
        name,
        help=summary,
        description=f"{summary}\n\n{textwrap.fill(details, _COLUMNS)}" if details else summary,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(run=run_it, names=names, prog=parser.prog)
    return parser


def _float(text: str, not_a_number_hint: str = "", *, thousands: bool = True, share=None) -> float:
    """The type of every float argument: float(), except that a decimal
    beyond the float range (1e400) is out of range, not infinite.

    A number with thousands commas is told the number to give, unless
    *thousands* is false (an argument that never takes one); else
    *not_a_number_hint* follows the message for text that is no number.
    An argument that takes a share has a *share* (see _share_of): there a
    percentage ("2%") is told the share to give instead, as a share out of
    range is.
    """
    try:
        value = float(text)
    except ValueError:
        hint = (
            (thousands and _thousands_hint(text))
            or not_a_number_hint
            or (share and _share_hint(text, *share))
            or ""
        )
        raise argparse.ArgumentTypeError(f"invalid float value: {text!r}{hint}") from None
    if reason := _out_of_range(text, value):
        raise argparse.ArgumentTypeError(reason)
    return value


def _int(text: str) -> int:
    """The type of every whole-number argument: int(), and for a count
    written as a float ("1e5") or with thousands commas ("10,000"), the
    whole number to give instead, if it fits in 64 bits and is not negative:
    no count of dmls is, so the hint would be refused once given."""
    try:
        return int(text)
    except ValueError:
        # Commas only as thousands separators: "1,2" may be a decimal comma.
        plain = text.replace(",", "") if _THOUSANDS.fullmatch(text.strip()) else text
        hint = ""
        # Read as a decimal, not a float: "4503599627370496.5" is a float's
        # whole number, but no whole number was written.
        with contextlib.suppress(decimal.InvalidOperation):
            value = decimal.Decimal(plain.strip())
            if value.is_finite() and value == value.to_integral_value() and 0 <= value < 2**63:
                hint = f"; give {int(value)}"
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}{hint}") from None


#: A number with thousands commas: "10,000", "-1,000,000.0".
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def _thousands_hint(text: str) -> str:
    """ "; give 1000.0" if *text* is a number with thousands commas, such as
    "1,000.0"; else nothing. Not for a negative one: a type cannot know its
    argument's range, and no argument of dmls takes a number of -1,000 or
    below (LIFT, the one that takes a negative, ends at -1), so the hint
    would be refused once given."""
    meant = _without_thousands(text)
    return f"; give {meant}" if meant and not meant.startswith("-") else ""


def _without_thousands(text: str) -> str:
    """ "-1000.0" if *text* is a number with thousands commas, such as
    "-1,000.0"; else "" ("1,5" may be a decimal comma)."""
    if _THOUSANDS.fullmatch(text.strip()):
        return text.strip().replace(",", "")
    return ""


def _in_ms(text: str) -> str:
    """ "200" if *text* is a number with a unit that the reader knows, such
    as "0.2s", "200ms" or "200 ms": the number in ms, converted exactly (0.2 s
    is 200 ms, where 0.2 * 1000 in floats is not always so); else ""."""
    parsed = _with_unit(text)
    if parsed is None:
        return ""
    number, unit = parsed
    # Every digit of the number (prec), at any exponent a decimal holds
    # (Emax; the least, Emin, leaves room enough for subnormals at such a
    # precision); whatever the caller's context traps, one beyond that,
    # 1e9999999999999999999s, is no hint, neither NaN nor Infinity.
    exact = decimal.localcontext(
        prec=decimal.MAX_PREC,
        Emax=decimal.MAX_EMAX,
        traps=[decimal.Overflow, decimal.InvalidOperation],
    )
    try:
        with exact:
            in_ms = decimal.Decimal(number) * decimal.Decimal(repr(UNITS[unit]))
            in_ms = in_ms.normalize()
    except decimal.DecimalException:
        return ""
    return _shortest(in_ms)


def _shortest(value: decimal.Decimal) -> str:
    """*value*, a normalised decimal, with every digit it has and no other,
    written as Python writes a float: 200, 1.5, 0.0005, 5e-05 or 1e+16."""
    if -4 <= value.adjusted() < 16:
        return f"{value:f}"
    return f"{value:e}"


def _share_hint(text: str, check, names: dict[str, str]) -> str:
    """ "; for 2%, give 0.02" if *text*, which float() refuses, is a finite
    percentage whose share *check* takes; why not, in the terms of *names*,
    if it refuses it; else nothing."""
    try:
        percent = float(text.removesuffix("%"))
    except ValueError:
        return ""
    if not math.isfinite(percent):
        return ""
    share = percent / 100
    try:
        check(share)
    except ValueError as error:
        # Its first clause: the rest would read the share as a percentage.
        reason = _in_cli_terms(str(error).partition("; ")[0], names)
        return f"; as a share, {text} is {share:g}, but {reason}"
    return f"; for {text}, give {share:g}"


def _share_of(check, names: dict[str, str]):
    """The type of an argument that takes a share, such as --confidence.

    *check* is the package's own rule for it, a function of the share that
    raises ValueError for one it refuses: a percentage is told its share
    only if that is a share the command then takes (150% is no confidence
    level), and else why not. *names* maps the package's names to the
    command's, as for the command's other errors.
    """
    return functools.partial(_float, share=(check, names))


def _column(text: str) -> str | int:
    """The type of --column: a number counts from 1, as cut and awk count;
    anything else is a name in the header."""
    if not re.fullmatch(r"[0-9]+", text):
        return text
    if int(text) == 0:
        raise argparse.ArgumentTypeError("columns are numbered from 1, as cut and awk number them")
    return int(text)


def _percentile_listed(text: str) -> float:
    """The type of --q's values: 99, or p99 as the output labels it.
    argparse hands --q every word after it, so a file named after the list
    arrives here: say how to name it. A percentile is at most 100: one
    with thousands commas is not told the number, which --q would refuse."""
    if re.fullmatch(r"p\d+(?:\.\d*)?", text):
        text = text[1:]
    return _float(text, "; to name a file after --q, put '--' before it", thousands=False)


# `nox -s mutate` leaves the parser alone: it is declarations, and most of its
# mutants would change help text, which no test should pin word for word.
# tests/test_cli.py runs every option and default through the commands.
def build_parser() -> argparse.ArgumentParser:  # pragma: no mutate block
    parser = _Parser(
        prog="dmls",
        description="The examples of 'Designing ML Systems, executable notes' on your own data.",
        epilog="Exit status: 0 done; 1 an objective missed (latency --slo) or a server "
        "overloaded (batching); 2 bad input or usage. Run 'dmls COMMAND --help' for a "
        "command's options and an example.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", required=True, parser_class=_Command
    )

    latency = _command(
        subparsers,
        "latency",
        _latency,
        _LATENCY_NAMES,
        "Summarise request latencies: count, mean, percentiles, max; check objectives.",
        "dmls latency requests.log.gz --unit s --q 50 99 99.9 --slo 200@99",
        "Several files are one sample; an empty one among them is named and skipped. "
        "With --sketch, memory stays flat however long "
        "the files. For logs on several machines, run --sketch --save-sketch FILE on "
        "each and give the saved files to one run: their merge has the percentiles of "
        "one sketch of every log.",
    )
    latency.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="files of latencies, plain, CSV/TSV or JSON lines, maybe compressed, or "
        "sketches saved by --save-sketch; none or '-' reads standard input",
    )
    source = latency.add_mutually_exclusive_group()
    source.add_argument(
        "--column",
        type=_column,
        metavar="COLUMN",
        help="CSV/TSV: the column of latencies, by its name in the header or its number from 1",
    )
    source.add_argument(
        "--field",
        metavar="NAME",
        help="JSON lines: the field of latencies; a.b for field b inside object a",
    )
    latency.add_argument(
        "--unit", choices=tuple(UNITS), default="ms", help="unit of the input (output is in ms)"
    )
    latency.add_argument(
        "--q",
        nargs="+",
        type=_percentile_listed,
        default=[50.0, 90.0, 95.0, 99.0],
        metavar="Q",
        help="percentiles to report, 99 or p99 (default: 50 90 95 99)",
    )
    latency.add_argument(
        "--method",
        choices=PERCENTILE_METHODS,
        default="inverted_cdf",
        metavar="METHOD",
        help="numpy's percentile method (default: inverted_cdf, nearest rank), one of: %(choices)s",
    )
    latency.add_argument(
        "--slo",
        action="append",
        default=[],
        metavar="MS@Q",
        help=(
            "objective such as 200@99 (99%% within 200 ms), checked by nearest rank "
            "whatever --method says; repeatable; exit 1 if missed"
        ),
    )
    latency.add_argument(
        "--sketch",
        action="store_true",
        help="stream through a QuantileSketch in bounded memory (for files larger than memory)",
    )
    latency.add_argument(
        "--save-sketch",
        metavar="FILE",
        help="with --sketch: also write the sketch to FILE (a few KB), to merge later",
    )
    latency.add_argument(
        "--relative-accuracy",
        type=_share_of(_sketch_accuracy, _LATENCY_NAMES),
        metavar="A",
        help=f"with --sketch: its relative accuracy (default: {_SKETCH_ACCURACY})",
    )

    take = _command(
        subparsers,
        "take-rate",
        _take_rate,
        _TAKE_RATE_NAMES,
        "Take-rate of recommendations with its Wilson confidence interval.",
        "dmls take-rate 430 10000 --confidence 0.95",
    )
    take.add_argument(
        "plays", type=_int, metavar="PLAYS", help="recommendations that led to a quality play"
    )
    take.add_argument("shown", type=_int, metavar="SHOWN", help="recommendations shown")
    take.add_argument(
        "--confidence",
        type=_share_of(recommender._z, _TAKE_RATE_NAMES),
        default=0.95,
        metavar="LEVEL",
        help="confidence level of the interval (default: 0.95)",
    )

    ab = _command(
        subparsers,
        "ab-size",
        _ab_size,
        _AB_SIZE_NAMES,
        "Trials per arm for an A/B test of a conversion rate (two-proportion z-test).",
        "dmls ab-size 0.02 0.002 --absolute",
    )
    ab.add_argument(
        "baseline",
        type=_share_of(lambda share: business._shares(share, 0.05, 0.8), _AB_SIZE_NAMES),
        metavar="BASELINE",
        help="baseline rate, e.g. 0.02",
    )
    # A relative lift of any size is a share of BASELINE; whether an absolute
    # one keeps the rate in [0, 1] depends on BASELINE, which the package
    # checks once both are known.
    ab.add_argument(
        "lift",
        type=_share_of(functools.partial(real, name="lift"), _AB_SIZE_NAMES),
        metavar="LIFT",
        help="lift to detect, a share of BASELINE by default",
    )
    ab.add_argument(
        "--absolute", action="store_true", help="LIFT is added to BASELINE, not a share of it"
    )
    ab.add_argument(
        "--alpha",
        type=_share_of(lambda share: business._shares(0.5, share, 0.8), _AB_SIZE_NAMES),
        default=0.05,
        help="significance level, two-sided (default: 0.05)",
    )
    ab.add_argument(
        "--power",
        type=_share_of(lambda share: business._shares(0.5, 0.05, share), _AB_SIZE_NAMES),
        default=0.8,
        help="chance to detect a real LIFT (default: 0.8)",
    )

    cap = _command(
        subparsers,
        "capacity",
        _capacity,
        _CAPACITY_NAMES,
        "Replicas needed to serve a peak load at a target utilisation.",
        "dmls capacity 1610 120 --target-utilization 0.7",
        "REPLICA_QPS is a replica's saturated throughput: the queries per second it "
        "finishes when it is never idle, as a load test measures it. The plan loads each "
        "replica with at most --target-utilization of that at the peak; the rest is "
        "headroom, for queues to drain and for losing a replica. The share printed is the "
        "peak load over the replicas' saturated throughput: for a replica that serves one "
        "query at a time, the share of the time it is busy at the peak.",
    )
    cap.add_argument(
        "peak_qps", type=_float, metavar="PEAK_QPS", help="forecast peak load, queries per second"
    )
    cap.add_argument(
        "replica_qps",
        type=_float,
        metavar="REPLICA_QPS",
        help="queries per second one replica finishes when never idle (from a load test)",
    )
    cap.add_argument(
        "--target-utilization",
        type=_share_of(capacity._target, _CAPACITY_NAMES),
        default=0.7,
        metavar="SHARE",
        help="most of REPLICA_QPS to plan each replica for at the peak (default: 0.7)",
    )

    batch = _command(
        subparsers,
        "batching",
        _batching,
        _BATCHING_NAMES,
        "Simulate a dynamic batcher: throughput, latency percentiles, batch size.",
        "dmls batching 1000 50 5 10 --per-request-ms 0.2",
        "Requests arrive at random (a Poisson process), RATE per second on average; one "
        "server takes them in batches of up to MAX_BATCH, and a batch of n takes "
        "SERVICE_MS plus n times MS. When RATE is at or above the most the server can "
        "finish, the queue grows without bound and the latencies grow with --requests: "
        "the output says OVERLOADED and the exit status is 1.",
    )
    batch.add_argument(
        "rate", type=_float, metavar="RATE", help="mean arrivals, requests per second"
    )
    batch.add_argument("max_batch", type=_int, metavar="MAX_BATCH", help="largest batch")
    batch.add_argument(
        "max_wait_ms",
        type=_float,
        metavar="MAX_WAIT_MS",
        help="longest the oldest request waits for its batch to fill, in ms",
    )
    batch.add_argument(
        "service_ms", type=_float, metavar="SERVICE_MS", help="time to process a batch, in ms"
    )
    batch.add_argument(
        "--per-request-ms",
        type=_float,
        default=0.0,
        metavar="MS",
        help="extra time per request in the batch, in ms (default: 0)",
    )
    batch.add_argument(
        "--requests",
        type=_int,
        default=100_000,
        metavar="N",
        help="requests to simulate (default: 100000)",
    )
    batch.add_argument(
        "--seed", type=_int, default=0, metavar="N", help="seed of the random arrivals (default: 0)"
    )
    return parser


def _main(argv, stdin, stdout, stderr) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _Usage as usage:
        stderr.write(f"dmls: {usage}\n")
        return EXIT_BAD_INPUT
    args.stderr = stderr  # for progress bars and skipped files
    # A usage error ends as argparse ends its own, pointing at the help of the
    # command run; an error in a file the command reads or writes does not:
    # the fix lies in the file, and the help says nothing about it.
    see_help = _see_help(args.prog)
    try:
        return args.run(args, stdout, stdin)
    except InputError as error:
        reason = _reading_in_cli_terms(error.reason)
        stderr.write(f"dmls: {InputError(error.source, error.line, reason)}\n")
    except _Unwritable as error:
        stderr.write(f"dmls: {error}\n")
    except _Usage as usage:
        stderr.write(f"dmls: {usage}{see_help}\n")
    except (TypeError, ValueError) as error:  # an argument the package's function refused
        stderr.write(f"dmls: {_in_cli_terms(str(error), args.names)}{see_help}\n")
    return EXIT_BAD_INPUT


def main(argv=None) -> int:
    """Run ``dmls`` with *argv*; return the exit status. The process entry point.

    Bad input on the command line or in a file is not raised: it is one
    line on standard error and exit status 2 (1 is an objective missed or
    an overloaded server, 0 success), as a shell expects of a command. The
    line of a usage error ends with ``(see dmls COMMAND --help)``.

    Args:
        argv: The arguments after ``dmls``, a list of strings; by default
            the command line's.

    Returns:
        The exit status: 0, 1 or 2 (130 after Ctrl-C).

    Raises:
        TypeError: If *argv* is neither None nor a list of strings: a bug in
            the caller, not bad input from a user.
    """
    if argv is not None:
        argv = _arguments(argv, "argv")
    try:
        return _main(argv, sys.stdin.buffer, sys.stdout, sys.stderr)
    except BrokenPipeError:  # `dmls ... | head` closed the pipe: not an error
        sys.stdout = None
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("dmls: interrupted\n")
        return 130


def _arguments(values, name: str) -> list[str]:
    """*values* as a list of arguments: a list or tuple of strings."""
    if not isinstance(values, list | tuple) or not all(isinstance(a, str) for a in values):
        raise TypeError(f"{name} must be a list of strings, not {type(values).__name__}")
    return list(values)


class RunResult(NamedTuple):
    """What a run of ``dmls`` printed, and its exit status."""

    #: The exit status, 0 when done, 1 when an objective was missed or a
    #: simulated server overloaded, 2 for bad input.
    status: int
    #: What it printed on standard output.
    output: str
    #: What it printed on standard error, one line when something was wrong.
    errors: str


def run(command, *, stdin=b"") -> RunResult:
    """Run a ``dmls`` command line in this process, as the docs' examples do.

    Args:
        command: The command line, such as ``"dmls latency requests.log"``
            (split like a shell would), or a list of arguments.
        stdin: Bytes for standard input.

    Returns:
        A :class:`RunResult` with the exit status and the text printed.

    Raises:
        TypeError: If *command* is neither a string nor a list of strings,
            or *stdin* is not bytes.

    Examples:
        >>> print(run("dmls capacity 1610 120").output, end="")
        20 replicas for 1,610 queries/s at peak
        each at 67% of its capacity (target 70%)
    """
    argv = shlex.split(command) if isinstance(command, str) else _arguments(command, "command")
    if not isinstance(stdin, bytes):
        raise TypeError(f"stdin must be bytes, not {type(stdin).__name__}")
    if argv[:1] == ["dmls"]:
        argv = argv[1:]
    out, err = io.StringIO(), io.StringIO()
    status = _main(argv, io.BytesIO(stdin), out, err)
    return RunResult(status, out.getvalue(), err.getvalue())
