"""Executable examples for *Designing Machine Learning Systems*, chapters 1 and 2.

One module per concept, named after what it computes. Every public function
checks its input and raises only ``TypeError`` (a value of the wrong kind) or
``ValueError`` (a value out of range), with a message that names the
argument; it never hangs, and never returns NaN or an infinity where it
promises a number. The same rules hold in every module:

- A number is an int, a float, a fraction or a numpy scalar, never a bool.
  One too large for a float (``10**400``) is out of range, like NaN.
- Several values come as a sequence (list, tuple, range) or an array (numpy,
  or anything with ``__array__``). Sets are refused, since order matters
  and they have none, and so are dicts, which would give their keys, and
  generators and other one-shot iterators: pass ``list(...)``. A function
  that takes a mapping by design says so.
- Labels are strings or numbers, one kind per sequence; bools count as 0
  and 1, and a float label must be finite.
- A ``seed`` is what ``numpy.random.default_rng`` takes, except a bool.
- Optional arguments are keyword-only, and results with several parts are
  named tuples, which still unpack like plain ones.
"""

__version__ = "0.1.0"
