"""``python -m dmls_examples``: the ``dmls`` command."""

import sys

from dmls_examples.cli import main

if __name__ == "__main__":
    sys.exit(main())
