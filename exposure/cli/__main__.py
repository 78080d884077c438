"""``python -m exposure.cli``: the same entry point as the ``exposure`` script."""

import sys

from exposure.cli import main

sys.exit(main())
