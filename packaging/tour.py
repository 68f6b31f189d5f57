"""A tour of every screen a merchandiser meets, to look at before a release.

    .venv/bin/python packaging/tour.py [--language en|tr|all] [--out /tmp/tour]

Like screenshots.py it runs on a virtual 1366×768 screen (Qt's offscreen platform) in a
throwaway home, and saves each screen in the light and the dark scheme. Unlike it, the
window is signed in to a PRODUCTION profile (pointing at a local sandbox), so every place a
change is made shows what a live store shows:

    01 sign-in, 02 its two-factor step
    10 the price lists, 11 a list's contents, 12 the grid with edits staged by a rule,
    13 the review of those edits (the wizard on them), 14 the stock lists
    20 the wizard's drop page, 21 the check with problems and the column mapping,
    22 the check with only the problem rows, 23 the changes with guardrails,
    24 the question before uploading to production, 25 the upload in progress,
    26 the result with refused rows
    30 the Imports page, 31 an import's report, 32 its undo (the changes with the 'made' box)
    40 Preferences, 41 About, 42 a new list (its name taken), 43 comparing two lists,
    44 the keyboard shortcuts, 03 sign-in again when the session ended

Files are named ``NN-what-<scheme>-<language>.png``. Takes about a minute a language.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

# The throwaway home and the virtual screen, as the README's screenshots get them.
from screenshots import LOCALES, offscreen_app, offscreen_home, until


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--language", default="all", help="en, tr or all (default)")
    parser.add_argument("--out", type=Path, default=Path("/tmp/tour"))
    args = parser.parse_args()
    if args.language == "all":  # each language in a process of its own: gettext, Qt's .qm
        for language in LOCALES:
            command = [sys.executable, __file__, "--language", language, "--out", str(args.out)]
            if subprocess.call(command) != 0:
                return 1
        return 0
    home = offscreen_home("omnidesk-tour-", args.language)
    from tools.messages import compile_catalogues

    compile_catalogues(stale_only=True)  # a checkout has only the .po files
    args.out.mkdir(parents=True, exist_ok=True)
    return run(args.language, args.out, home)


def run(language: str, out: Path, home: Path) -> int:
    from omnidesk.app import WINDOW_LOG
    from omnidesk.settings import logs

    logs.configure(WINDOW_LOG)  # as the app does: About names the log file
    loop, paint = offscreen_app(language)
    tour = Tour(home, out, language, paint)
    with loop:
        loop.run_until_complete(tour.run())
    for path in tour.saved:
        print(path)
    return 0


class Tour:
    def __init__(self, home: Path, out: Path, language: str, paint: Callable[[str], None]):
        self.home, self.out, self.language, self.paint = home, out, language, paint
        self.saved: list[Path] = []

    async def grab(self, widget: object, name: str) -> None:
        """The widget in both schemes, each after the loop has repainted it."""
        from PySide6.QtWidgets import QWidget

        assert isinstance(widget, QWidget)
        for scheme in ("light", "dark"):
            self.paint(scheme)
            await asyncio.sleep(0.25)
            path = self.out / f"{name}-{scheme}-{self.language}.png"
            widget.grab().save(str(path))
            self.saved.append(path)
        self.paint("light")
        await asyncio.sleep(0.05)

    async def run(self) -> None:
        from omnidesk.api import OmnitronClient
        from omnidesk.api.session import Session
        from omnidesk.imports import Journal
        from omnidesk.sandbox import SandboxServer
        from omnidesk.settings import Environment, Profile
        from omnidesk.settings.preferences import PreferencesStore
        from omnidesk.ui.main_window import MainWindow
        from omnidesk.ui.tasks import BackgroundTasks

        await self.sign_in()
        self.sandbox = SandboxServer(self.home / "omnitron.sqlite3", seed=True)
        self.sandbox.start()
        client = self.client = OmnitronClient(self.sandbox.url)
        await client.login("demo", "demo")
        tasks = BackgroundTasks()
        # A live store's profile: the sandbox stands in for the retailer's Omnitron.
        self.profile = Profile("Acme", self.sandbox.url, "demo", Environment.PRODUCTION)

        async def reconnect(chosen: Profile, password: str, code: str | None = None) -> None:
            await client.login(chosen.username, password)

        self.journal = Journal(self.home / "journal.sqlite3")
        session = Session(client, lambda: window.ask_to_sign_in())
        window = self.window = MainWindow(
            self.profile, session, tasks, reconnect, self.journal,
            preferences=PreferencesStore(self.home / "preferences.json"),
        )  # fmt: skip
        window.show()
        window.start()
        try:
            await self.lists()
            await self.wizard()
            await self.imports()
            await self.dialogs()
        finally:
            window.close_without_asking()
            await tasks.cancel_all()
            self.journal.close()
            await client.aclose()
            self.sandbox.stop()

    async def sign_in(self) -> None:
        from omnidesk.api import TwoFactorRequired
        from omnidesk.settings import Profile
        from omnidesk.ui.sign_in import SignInDialog

        async def connect(profile: Profile, password: str, code: str | None = None) -> None:
            if code is None:
                raise TwoFactorRequired()

        dialog = SignInDialog([], connect, offer_demo=True)
        dialog.show()
        await self.grab(dialog, "01-sign-in")
        dialog.server_name.setText("Acme")
        dialog.address.setText("https://acme.omnitron.example")
        dialog.username.setText("ayse")
        dialog.password.setText("secret")
        dialog.sign_in_button.click()
        await until(lambda: dialog.code_step)
        await self.grab(dialog, "02-sign-in-code")
        dialog.reject()

    async def lists(self) -> None:
        from PySide6.QtWidgets import QDialogButtonBox

        from omnidesk.kinds import ListKind
        from omnidesk.ui.import_wizard import Step
        from omnidesk.ui.paged_model import LoadState

        window = self.window
        pane = self.pane = window.panes[ListKind.PRICE]
        await until(lambda: pane.model.state is LoadState.LOADED and pane.model.rowCount() > 0)
        await self.grab(window, "10-price-lists")
        at = [row.name for row in pane.model.rows].index("Türkiye Perakende")
        self.chosen = pane.model.row(at)
        pane.table.select_row(pane.proxy.mapFromSource(pane.model.index(at, 0)).row())
        contents = pane.contents
        contents.show_list(self.chosen)
        await until(lambda: contents.model.state is LoadState.LOADED and contents.model.rows)
        await until(lambda: len(contents.model.names) > 0)
        await self.grab(window, "11-list-contents")

        # A rule over some prices: −5 %, staged in the grid.
        price = next(i for i, c in enumerate(contents.model.columns) if c.field == "price")
        contents.table.clearSelection()
        from PySide6.QtCore import QItemSelectionModel

        selection = contents.table.selectionModel()
        for row in range(2, 9):
            index = contents.proxy.index(row, price)
            selection.select(index, QItemSelectionModel.SelectionFlag.Select)
        rule = contents.open_rule()
        assert rule is not None
        await until(rule.isVisible)
        rule.value.setText("−5 %")
        await self.grab(rule, "12-grid-rule")
        rule.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        await until(contents.staged_bar.isVisible)
        contents.table.clearSelection()  # the staged cells as they look, not as selected
        await self.grab(window, "12-grid-staged")

        contents.staged_bar.review.click()
        await until(lambda: len(window.wizards) == 1)
        (review,) = window.wizards
        await until(lambda: review.current_step is Step.CHANGES and review.diff is not None)
        await self.grab(review, "13-review-edits")
        review.discard()
        await until(lambda: not window.wizards)

        stocks = window.panes[ListKind.STOCK]
        window.navigation.setCurrentRow(window.pages.indexOf(stocks))
        await until(lambda: stocks.model.state is LoadState.LOADED and stocks.model.rowCount() > 0)
        await self.grab(window, "14-stock-lists")
        window.navigation.setCurrentRow(window.pages.indexOf(pane))

    def write_file(self, prices: list[object]) -> Path:
        from decimal import Decimal

        # As a merchandiser sends it: Turkish headers, decimal commas, some prices changed,
        # one cut deep, one not a number, one at zero, one SKU the catalogue has not.
        lines = ["SKU;Fiyat;Perakende Fiyatı"]
        for number, row in enumerate(prices):
            price = getattr(row, "price", None) or Decimal(100)
            if number == 3:
                price = (price * Decimal("0.4")).quantize(Decimal("0.01"))
            elif number % 4 == 0:
                price = (price * Decimal("1.05")).quantize(Decimal("0.01"))
            lines.append(f"{getattr(row, 'product_sku', '')};{str(price).replace('.', ',')};")
        lines[6] = lines[6].split(";")[0] + ";abc;"
        lines[9] = lines[9].split(";")[0] + ";0;"
        lines.append("KZY-0000-XX;199,90;249,90")
        source = self.home / "kasim-fiyatlari.csv"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return source

    async def wizard(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from omnidesk.imports import ImportTarget
        from omnidesk.kinds import ListKind
        from omnidesk.ui.import_wizard import Step

        window = self.window
        target = ImportTarget.of(self.chosen)
        wizard = window.open_import(None, ListKind.PRICE, target)
        await until(wizard.isVisible)
        await self.grab(wizard, "20-wizard-drop")
        listed = await self.client.contents(ListKind.PRICE).list(self.chosen.pk, limit=60)
        source = self.write_file(list(listed.results))
        wizard.open_file(source)
        await until(lambda: wizard.checked is not None)
        await self.grab(wizard, "21-wizard-check")
        wizard.check_page.only_problems.setChecked(True)
        await self.grab(wizard, "22-wizard-check-problems")
        wizard.check_page.only_problems.setChecked(False)
        wizard.check_page.good_rows_only.setChecked(True)
        await until(wizard.next.isEnabled)
        wizard.next.click()
        await until(lambda: wizard.diff is not None)
        await self.grab(wizard, "23-wizard-changes")
        for box in wizard.changes_page.guardrail_checks:
            box.setChecked(True)
        await until(wizard.next.isEnabled)
        self.sandbox.faults.import_rows_per_second = 4  # slow enough to be seen under way
        wizard.next.click()
        await until(lambda: wizard.question is not None and wizard.question.isVisible())
        assert wizard.question is not None
        await self.grab(wizard.question, "24-wizard-production-question")
        wizard.question.button(QMessageBox.StandardButton.Yes).click()
        await until(lambda: wizard.current_step is Step.UPLOAD)
        bar = wizard.upload_page.server_progress
        await until(lambda: 0 < bar.value() < bar.maximum() // 2)  # the server's job part-way
        await self.grab(wizard, "25-wizard-upload")
        self.sandbox.faults.import_rows_per_second = None
        await until(lambda: wizard.current_step is Step.RESULT, 120)
        await self.grab(wizard, "26-wizard-result")
        wizard.close()
        await until(lambda: not window.wizards)

    async def imports(self) -> None:
        from omnidesk.ui.import_wizard import Step

        window = self.window
        window.show_imports()
        await until(lambda: window.imports.model.rowCount() > 0)
        await self.grab(window, "30-imports")
        record = window.journal.history()[0]
        report = window.open_report(record)
        await until(report.isVisible)
        await self.grab(report, "31-import-report")
        # Someone changes two of those rows again afterwards: the undo says so.
        listed = await self.client.product_prices.list(self.chosen.pk, limit=3)
        later = self.home / "later.csv"
        later.write_text(
            "product__sku,price\n"
            + "".join(f"{row.product_sku},{n + 77}.00\n" for n, row in enumerate(listed.results))
        )
        key = await self.client.price_lists.upload(self.chosen.pk, later)
        async for status in self.client.price_lists.follow_import(self.chosen.pk, key):
            if status.state.value == "FAILURE":
                break
        report.undo_button.click()
        await until(lambda: len(window.wizards) == 1)
        (undo,) = window.wizards
        await until(lambda: undo.current_step is Step.CHANGES and undo.diff is not None)
        await self.grab(undo, "32-undo-changes")
        undo.discard()
        await until(lambda: not window.wizards)
        report.reject()

    async def dialogs(self) -> None:
        from omnidesk.settings import Profile
        from omnidesk.ui.sign_in import SignInDialog

        window = self.window
        window.navigation.setCurrentRow(window.pages.indexOf(self.pane))
        dialog = self.pane.new_list()
        await until(dialog.isVisible)
        from PySide6.QtTest import QTest

        QTest.keyClicks(dialog.name, "Demo Price List")  # taken: said under the field
        await until(lambda: "name" in dialog.taken)
        await self.grab(dialog, "42-new-list")
        dialog._confirmed_discard = True
        dialog.reject()
        compare = self.pane.contents.open_compare()
        assert compare is not None
        await until(lambda: compare.isVisible() and compare.other.count() > 1)
        other = next(r for r in self.pane.model.rows if r.name == "Outlet Fiyatları")
        compare.choose(other.pk)
        await until(lambda: compare.ready and compare.summary.text() != "")
        await self.grab(compare, "43-compare")
        compare.reject()
        shortcuts = window.show_shortcuts()
        await until(shortcuts.isVisible)
        await self.grab(shortcuts, "44-shortcuts")
        shortcuts.reject()

        async def connect(profile: Profile, password: str, code: str | None = None) -> None:
            return None

        expired = SignInDialog([self.profile], connect, expired=self.profile)
        expired.show()
        await self.grab(expired, "03-sign-in-session-ended")
        expired.reject()
        preferences = window.open_preferences()
        assert preferences is not None
        await until(preferences.isVisible)
        await self.grab(preferences, "40-preferences")
        preferences.reject()
        window._about()
        about = window.about_box
        assert about is not None
        await until(about.isVisible)
        await self.grab(about, "41-about")
        about.close()


if __name__ == "__main__":
    sys.exit(main())
