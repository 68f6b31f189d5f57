"""The README's and the AppStream metainfo's screenshots: the app itself, on a virtual screen.

    .venv/bin/python packaging/screenshots.py [--language en|tr] [--out docs/screenshots]

It runs the demo (a fresh one, in a throwaway home with its own settings, data
and log folders: nothing of yours is shown or touched) on a virtual 1366×768
screen (Qt's offscreen platform), in the language asked for, and saves each
screen in the light and the dark scheme:

    main-<scheme>.png      the price lists, one list open with its prices
    check-<scheme>.png     the import wizard checking a file with problems
    changes-<scheme>.png   what that file would change, with a guardrail to confirm

A language other than English is added to the names (``main-light-tr.png``). The
dark scheme is the one the app paints when the system asks for dark and gives
no dark palette of its own (ui/style.py). Takes about 15 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCREEN = (1366, 768)
LOCALES = {"en": "en_GB.UTF-8", "tr": "tr_TR.UTF-8"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", default="en", help="en (default) or tr")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    home = offscreen_home("omnidesk-screenshots-", args.language)
    args.out.mkdir(parents=True, exist_ok=True)
    return run(args.language, args.out, home)


def offscreen_home(prefix: str, language: str) -> Path:
    """A throwaway home (its own settings, data and log folders), the language, and a
    virtual 1366×768 screen for Qt's offscreen platform; packaging/tour.py uses it too."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    # Before anything of OmniDesk or Qt is imported: the folders, the language, the screen.
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.environ[variable] = str(home / variable.lower())
    os.environ["LANGUAGE"] = language
    # Dates and numbers as a person of that language writes them (Qt reads these itself).
    os.environ["LC_ALL"] = LOCALES.get(language, "en_GB.UTF-8")
    screen = home / "screen.json"
    width, height = SCREEN
    virtual = {"name": "virtual", "x": 0, "y": 0, "width": width, "height": height}
    virtual |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    screen.write_text(
        json.dumps(
            {
                "synchronousWindowSystemEvents": False,
                "windowFrameMargins": False,
                "screens": [virtual],
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
    sys.path.insert(0, str(ROOT))
    return home


def offscreen_app(language: str) -> tuple[Any, Callable[[str], None]]:
    """The Qt application as OmniDesk sets it up, in ``language``, with its qasync loop
    (returned) and a way to repaint it in the light or the dark scheme."""
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from omnidesk.app import name_application
    from omnidesk.i18n import set_language
    from omnidesk.ui import style
    from omnidesk.ui.translations import install_qt_translations

    app = QApplication(sys.argv[:1])
    name_application(app)
    install_qt_translations(app, set_language(language))
    style.install(app)
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    def paint(scheme: str) -> None:
        style.follow(app, Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light)

    return loop, paint


def run(language: str, out: Path, home: Path) -> int:
    from omnidesk.app import Application, Options

    loop, paint = offscreen_app(language)
    application = Application(Options(demo=True, demo_reset=True))
    suffix = "" if language == "en" else f"-{language}"

    with loop:
        saved = loop.run_until_complete(shoot(application, home, out, suffix, paint))
    for path in saved:
        print(path)
    return 0


async def until(condition: Callable[[], object], seconds: float = 60) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise TimeoutError("the app did not get there")


async def shoot(
    application: object, home: Path, out: Path, suffix: str, paint: Callable[[str], None]
) -> list[Path]:
    from omnidesk.app import Application
    from omnidesk.imports import ImportTarget
    from omnidesk.kinds import ListKind
    from omnidesk.ui.paged_model import LoadState

    assert isinstance(application, Application)
    running = asyncio.ensure_future(application.run())
    await until(lambda: application.window is not None)
    window = application.window
    assert window is not None
    assert application.client is not None
    pane = window.panes[ListKind.PRICE]
    await until(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
    at = [row.name for row in pane.model.rows].index("Türkiye Perakende")
    chosen = pane.model.row(at)
    pane.table.select_row(pane.proxy.mapFromSource(pane.model.index(at, 0)).row())
    pane.contents.show_list(chosen)
    await until(lambda: pane.contents.model.state is LoadState.LOADED and pane.contents.model.rows)

    # A file as a merchandiser would send it: Turkish headers, decimal commas, a few
    # prices changed, one cut deep, one not a number, one at zero, one SKU unknown.
    prices = (await application.client.contents(ListKind.PRICE).list(chosen.pk, limit=60)).results
    lines = ["SKU;Fiyat;Perakende Fiyatı"]
    for number, row in enumerate(prices):
        price = row.price or Decimal(100)
        if number == 3:
            price = (price * Decimal("0.4")).quantize(Decimal("0.01"))  # a 60 % cut
        elif number % 4 == 0:
            price = (price * Decimal("1.05")).quantize(Decimal("0.01"))
        lines.append(f"{row.product_sku};{str(price).replace('.', ',')};")
    lines[6] = lines[6].split(";")[0] + ";abc;"
    lines[9] = lines[9].split(";")[0] + ";0;"
    lines.append("KZY-0000-XX;199,90;249,90")
    source = home / "kasim-fiyatlari.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    wizard = window.open_import(source, ListKind.PRICE, ImportTarget.of(chosen))
    await until(lambda: wizard.checked is not None)

    saved: list[Path] = []

    def grab(widget: object, name: str, scheme: str) -> None:
        from PySide6.QtWidgets import QWidget

        assert isinstance(widget, QWidget)
        path = out / f"{name}-{scheme}{suffix}.png"
        widget.grab().save(str(path))
        saved.append(path)

    for scheme in ("light", "dark"):
        paint(scheme)
        await asyncio.sleep(0.2)  # the repaint, in the loop's own time
        grab(window, "main", scheme)
        grab(wizard, "check", scheme)
    wizard.check_page.good_rows_only.setChecked(True)
    wizard.next.click()
    await until(lambda: wizard.diff is not None)
    for scheme in ("light", "dark"):
        paint(scheme)
        await asyncio.sleep(0.2)
        grab(wizard, "changes", scheme)
    paint("light")
    wizard.reject()
    window.close_without_asking()
    await running
    return saved


if __name__ == "__main__":
    sys.exit(main())
