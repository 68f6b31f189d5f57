"""The main window's imports: the wizards it opens (for a file, an earlier import's failed
rows, an undo, a grid's edits), the reports, and what is left from last time (imports not
followed to their end, edits not sent)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMessageBox, QWidget

from omnidesk.api import ListKind, OmnitronError
from omnidesk.api.session import Session
from omnidesk.i18n import _, n_
from omnidesk.imports import ImportDraft, ImportRecord, ImportTarget, Journal
from omnidesk.imports.staged import PendingList, StagedEdits
from omnidesk.kinds import info
from omnidesk.settings import Profile
from omnidesk.settings.mappings import MappingStore
from omnidesk.settings.paths import mappings_file
from omnidesk.settings.preferences import PreferencesStore

from .formatting import local_integer
from .import_report import ImportReportDialog
from .import_wizard import ImportWizard
from .imports_view import ImportsPane
from .list_pane import ListPane
from .tasks import BackgroundTasks
from .widgets import ask

if TYPE_CHECKING:
    from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QPushButton, QStatusBar


class ImportsInTheWindow:
    """Mixed into MainWindow, whose attributes these are."""

    session: Session
    tasks: BackgroundTasks
    journal: Journal
    staged: StagedEdits
    preferences: PreferencesStore | None
    profile: Profile
    wizards: list[ImportWizard]
    imports: ImportsPane
    panes: dict[ListKind, ListPane]
    report_dialog: ImportReportDialog | None
    question: QMessageBox | None
    navigation: QListWidget
    edits_notice: QFrame
    edits_words: QLabel
    edits_show: QPushButton
    _closing: bool

    if TYPE_CHECKING:

        def statusBar(self) -> QStatusBar: ...
        def show_imports(self) -> None: ...
        def current_pane(self) -> ListPane | None: ...

    def open_import(
        self,
        path: Path | None = None,
        kind: ListKind | None = None,
        target: ImportTarget | None = None,
    ) -> ImportWizard:
        pane = self.current_pane()
        # Nobody chose: the file's own header may say price or stock better than the page.
        guess_kind = kind is None and target is None and path is not None
        if kind is None:
            kind = pane.kind if pane is not None else next(iter(self.panes))
        if target is None and path is None and pane is not None:
            target = pane.selected_target()
        guardrails = self.preferences.load() if self.preferences is not None else None
        wizard = ImportWizard(
            self.session,
            self.tasks,
            self.journal,
            kind=kind,
            target=target,
            guardrails=guardrails,
            guess_kind=guess_kind,
            profile=self.profile,
            mappings=MappingStore(mappings_file()),
            parent=cast(QWidget, self),
        )
        wizard.imported.connect(self._imports_changed)
        wizard.sent.connect(self._edits_sent)
        wizard.stoppedWatching.connect(self._follow_in_the_background)
        wizard.finished.connect(lambda: self._forget_wizard(wizard))
        others = [w for w in self.wizards if w.isVisible()]
        self.wizards.append(wizard)
        wizard.show()
        if others:  # several files at once: each wizard a step down from the last
            wizard.move(others[-1].pos() + QPoint(32, 32))
        if path is not None:
            wizard.open_file(path)
        return wizard

    def _forget_wizard(self, wizard: ImportWizard) -> None:
        if wizard.uploading:  # closed while its file is on its way: once it has arrived
            wizard.upload_settled.connect(lambda: self._forget_wizard(wizard))
            return
        if wizard in self.wizards:
            self.wizards.remove(wizard)
        wizard.dispose()
        wizard.deleteLater()

    def _follow_in_the_background(self, record_id: int) -> None:
        if self._closing:
            return
        record = self.journal.get(record_id)
        if record is not None:
            self.imports.follow(record)
            self.statusBar().showMessage(
                _("{file} goes on on the server; the Imports page follows it.").format(
                    file=record.file_name
                ),
                8000,
            )

    def _followed_to_the_end(self, record: ImportRecord, words: str) -> None:
        self.statusBar().showMessage(f"{record.file_name} → {record.list_name}: {words}.", 15000)

    def open_report(self, record: ImportRecord) -> ImportReportDialog:
        if self.report_dialog is not None:
            self.report_dialog.deleteLater()  # one report at a time
        dialog = ImportReportDialog(
            record,
            self.journal.report(record.id),
            self.tasks,
            cast(QWidget, self),
            session=self.session if record.server == self.session.client.base_url else None,
            guardrails=self.preferences.load() if self.preferences is not None else None,
        )
        dialog.againRequested.connect(self.import_again)
        dialog.undoRequested.connect(self.open_made)
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def import_again(self, draft: ImportDraft) -> ImportWizard:
        """An earlier import's failed rows, checked afresh in a wizard of their own."""
        wizard = self.open_import(None, draft.kind, draft.target)
        wizard.open_draft(draft)
        return wizard

    def open_made(self, draft: ImportDraft) -> ImportWizard:
        """A file OmniDesk made for its list (an undo, a grid's edits), in a wizard that
        checks it and goes on to what it would change, its list fixed."""
        wizard = self.open_import(None, draft.kind, draft.target)
        wizard.open_draft(draft, made=True)
        return wizard

    def _edits_sent(self) -> None:
        # Edits sent in an import show as on their way, no longer as waiting.
        for pane in self.panes.values():
            pane.contents.model.reload_staged()

    def _imports_changed(self) -> None:
        self.imports.refresh()
        for pane in self.panes.values():
            if pane.contents.current is not None:
                pane.contents.show_list(pane.contents.current)  # its prices may have changed

    def _offer_to_follow_unfinished(self) -> None:
        unfinished = self.imports.unfinished_here()
        if not unfinished:
            return
        names = ", ".join(f"{r.file_name} → {r.list_name}" for r in unfinished[:3])
        if len(unfinished) > 3:
            others = len(unfinished) - 3
            names = n_("{names} and {count} more", "{names} and {count} more", others).format(
                names=names, count=local_integer(others)
            )
        self.question = ask(
            cast(QWidget, self),
            _("Unfinished imports"),
            n_(
                "{count} import was not followed to the end last time: {names}. See how it ended?",
                "{count} imports were not followed to the end last time: {names}. "
                "See how they ended?",
                len(unfinished),
            ).format(count=local_integer(len(unfinished)), names=names),
            go=(QMessageBox.StandardButton.Yes, _("Follow them")),
            stay=(QMessageBox.StandardButton.No, _("Later")),
            answered=self._answer_about_unfinished,
            default_go=True,
        )

    def _answer_about_unfinished(self, follow: bool) -> None:
        self.show_imports()
        if follow:
            self.imports.follow_unfinished()

    # -- edits made in a grid and not sent -------------------------------------------------------

    def offer_staged_edits(self) -> None:
        """Edits a grid kept from last time (a crash, a closed window) are named, one click
        away; nothing is sent without their review."""
        pending = self.staged.lists_with_pending(self.session.client.base_url)
        self._edits_waiting = pending
        if not pending:
            self.edits_notice.hide()
            return
        total = sum(p.count for p in pending)
        lists = ", ".join(
            f"“{p.where.list_name}” ({info(p.where.kind).noun}: {local_integer(p.count)})"
            for p in pending[:3]
        )
        if len(pending) > 3:
            others = len(pending) - 3
            lists = n_(
                "{lists} and {count} more list", "{lists} and {count} more lists", others
            ).format(lists=lists, count=local_integer(others))
        self.edits_words.setText(
            n_(
                "{count} change made in a list's grid is not sent yet: {lists}.",
                "{count} changes made in lists' grids are not sent yet: {lists}.",
                total,
            ).format(count=local_integer(total), lists=lists)
        )
        self.edits_show.setText(_("Show “{name}”").format(name=pending[0].where.list_name))
        self.edits_notice.show()

    def show_staged_edits(self) -> None:
        waiting = getattr(self, "_edits_waiting", [])
        if waiting:
            self.tasks.start(self._open_edited_list(waiting[0]))

    async def _open_edited_list(self, pending: PendingList) -> None:
        kind = ListKind(pending.where.kind)
        self.navigation.setCurrentRow(list(self.panes).index(kind))
        try:
            row = await self.session.run(lambda c: c.lists(kind).get(pending.where.list_pk))
        except OmnitronError as problem:
            self.statusBar().showMessage(str(problem), 8000)
            return
        self.panes[kind].contents.show_list(row)
        self.edits_notice.hide()
