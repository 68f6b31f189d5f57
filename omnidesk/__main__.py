"""``python -m omnidesk``: the same as the ``omnidesk`` command."""

import sys

if sys.argv[1:2] == ["--omnidesk-probe-workbook"]:
    # The frozen app measuring a workbook in a process of its own (spreadsheet.probe).
    from omnidesk.spreadsheet.probe import main as probe

    sys.exit(probe(sys.argv[2:]))

from omnidesk.cli import main

sys.exit(main())
