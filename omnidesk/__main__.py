"""``python -m omnidesk``: the same as the ``omnidesk`` command."""

import sys

from omnidesk.cli import main

sys.exit(main())
