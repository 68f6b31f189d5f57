"""``python -m omnidesk``: the same as the ``omnidesk`` command."""

import sys

if sys.argv[1:2] == ["--omnidesk-probe-workbook"]:
    # The frozen app measuring a workbook in a process of its own (spreadsheet.probe).
    from omnidesk.spreadsheet.probe import main as probe

    sys.exit(probe(sys.argv[2:]))

if sys.argv[1:2] == ["--omnidesk-demo-server"]:  # demo.DEMO_SERVER_ARGUMENT
    # The demo's server, in a process of its own beside the window (demo.DemoServer);
    # said here, before the command line and Qt are imported, not found through them.
    from omnidesk.demo import serve_demo

    sys.exit(serve_demo(sys.argv[2:]))

from omnidesk.cli import main

sys.exit(main())
