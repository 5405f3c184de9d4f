"""``python -m batch`` runs the ``vwloc`` command line."""

import sys

from batch.cli import main

sys.exit(main())
