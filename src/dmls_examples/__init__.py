"""Executable examples for *Designing Machine Learning Systems*, chapters 1 and 2.

One module per concept, named after what it computes. Every function takes
plain sequences or numpy arrays, checks its input, and raises ``TypeError``
or ``ValueError`` naming the argument that is wrong.
"""

__version__ = "0.1.0"
