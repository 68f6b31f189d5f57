"""The import wizard's shell: the target at the top, one page per step, Back / Next / Cancel.

Choose a file → check it offline → see what changes → upload and follow → result.
The steps themselves are the draft's (omnidesk/imports/preparation.py); each page
shows the draft and passes the person's choices in; this shell moves between the
pages and owns the jobs, which end with it.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from omnidesk import kinds
from omnidesk.api import ListKind
from omnidesk.api.session import Session
from omnidesk.i18n import N_, _
from omnidesk.imports import (
    GuardrailSettings,
    ImportDiff,
    ImportDraft,
    ImportOutcome,
    ImportTarget,
    Journal,
    MappingMemory,
)
from omnidesk.settings import Profile
from omnidesk.spreadsheet import CheckResult

from ..memory import (
    IMPORT,
    remember_columns,
    remember_folder,
    remember_geometry,
    remember_splitter,
    restore_columns,
    restore_geometry,
    restore_splitter,
)
from ..style import Tone, mark
from ..tasks import BackgroundTasks
from ..widgets import EnvironmentBanner, ask, environment_words
from .changes_page import ChangesPage
from .check_page import CheckPage
from .choose_page import ChoosePage
from .confirmations import not_a_repeat, on_production
from .pages import Step, WizardPage
from .result_page import ResultPage
from .sending import WizardSending
from .target_chooser import TargetChooser
from .upload_page import UploadPage

CANCEL_WORDS = {Step.UPLOAD: N_("Stop watching"), Step.RESULT: N_("Close")}


class ImportWizard(QDialog):
    imported = Signal()  # an import reached its end (or the person stopped watching)
    upload_settled = Signal()  # a file sent on after "Stop watching" has arrived (or not)
    # The journal id of an import the person stopped watching: the job goes on, and the
    # Imports page follows it in the background from here.
    stoppedWatching = Signal(int)
    sent = Signal(int)  # the journal id of the import just taken by the server

    def __init__(
        self,
        session: Session,
        tasks: BackgroundTasks,
        journal: Journal,
        *,
        kind: ListKind | None = None,
        target: ImportTarget | None = None,
        guardrails: GuardrailSettings | None = None,
        guess_kind: bool = False,
        profile: Profile | None = None,
        mappings: MappingMemory | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`guess_kind`: nobody chose `kind` (a file given on the command line, say), so a
        file whose header fits only the other kind switches to it. A target, or the
        person choosing in the wizard, is a choice and is never overridden. `profile`:
        the server the rows go to, shown on the wizard as the main window shows it.
        """
        super().__init__(parent)
        self.profile = profile
        self.mappings = mappings
        self._set_title(None)
        self.session = session
        self.tasks = tasks
        self.journal = journal
        self.guardrail_settings = guardrails or GuardrailSettings()
        self.guess_kind = guess_kind and target is None
        self.draft: ImportDraft | None = None
        self._checking: asyncio.Task[None] | None = None
        # What the wizard runs for itself (lists, check, compare, follow) ends with it.
        self._jobs: set[asyncio.Task[None]] = set()
        self.closed = False
        self.sending = WizardSending(self)
        self._discarding = False
        self.work_folder = Path(tempfile.mkdtemp(prefix="omnidesk-import-"))
        # A file OmniDesk made for one list (an undo, a grid's edits): its list is fixed,
        # and once checked the wizard goes on to what will change by itself.
        self.target_locked = False
        self._straight_on = False
        self.question: QMessageBox | None = None

        self.step = QLabel()
        mark(self.step, Tone.TITLE)
        first_kind = target.kind if target else kind or next(iter(kinds.KINDS))
        self.chooser = TargetChooser(session, self.start_job, first_kind, target)
        top = QHBoxLayout()
        top.addWidget(self.step)
        top.addStretch()
        top.addWidget(self.chooser)

        self.choose_page = ChoosePage(self)
        self.check_page = CheckPage(self)
        self.changes_page = ChangesPage(self)
        self.upload_page = UploadPage(self)
        self.result_page = ResultPage(self)
        self.pages = QStackedWidget()
        for page in self._all_pages():
            self.pages.addWidget(page)
            page.changed.connect(self._update_buttons)

        self.back = QPushButton(_("Back"))
        self.next = QPushButton(_("Next"))
        self.next.setDefault(True)
        self.cancel = QPushButton(_("Cancel"))
        self.back.clicked.connect(self._go_back)
        self.next.clicked.connect(self._go_on)
        self.cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.back)
        buttons.addWidget(self.next)
        buttons.addWidget(self.cancel)

        layout = QVBoxLayout(self)
        if profile is not None:
            # A window of its own covers the main window's banner: it carries its own.
            where = f"{profile.username} @ {profile.base_url}"
            layout.addWidget(EnvironmentBanner(profile.environment, where))
            if profile.insecure_warning:  # in the clear: says so wherever a change is made
                self.insecure = QLabel(profile.insecure_warning)
                self.insecure.setObjectName("insecureWarning")
                self.insecure.setWordWrap(True)
                mark(self.insecure, Tone.WARNING)
                layout.addWidget(self.insecure)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        self.chooser.kindChosen.connect(self._kind_chosen)
        self.chooser.targetChanged.connect(self._target_changed)
        self.show_page(Step.CHOOSE)
        if not restore_geometry("wizard", self):
            self.resize(1100, 700)
        restore_splitter("wizard_check", self.check_page.split)
        restore_columns("wizard_changes", self.changes_page.changes_table.horizontalHeader())
        restore_columns("wizard_problems", self.result_page.problems_table.horizontalHeader())

    def _set_title(self, path: Path | None) -> None:
        title = (
            _("Import {file}").format(file=path.name)
            if path is not None
            else _("Import a spreadsheet")
        )
        if self.profile is not None:
            title += f" — {environment_words(self.profile)}"
        self.setWindowTitle(title)

    @property
    def goes_to_production(self) -> bool:
        return self.profile is not None and self.profile.is_production

    def _all_pages(self) -> tuple[WizardPage, ...]:
        return (
            self.choose_page,
            self.check_page,
            self.changes_page,
            self.upload_page,
            self.result_page,
        )

    # -- what the draft holds, for the pages and for whoever looks at the wizard ------------------

    @property
    def kind(self) -> ListKind:
        return self.chooser.kind

    @property
    def target(self) -> ImportTarget | None:
        return self.chooser.target

    @property
    def path(self) -> Path | None:
        return self.draft.path if self.draft is not None else None

    @property
    def checked(self) -> CheckResult | None:
        return self.draft.checked if self.draft is not None else None

    @property
    def diff(self) -> ImportDiff | None:
        return self.draft.diff if self.draft is not None else None

    @property
    def outcome(self) -> ImportOutcome | None:
        return self.draft.outcome if self.draft is not None else None

    @property
    def current_step(self) -> Step:
        return Step(self.pages.currentIndex())

    @property
    def uploading(self) -> bool:
        """A file is being sent: closing the wizard then lets it arrive."""
        return self.sending.uploading

    @property
    def has_unsent_work(self) -> bool:
        """A file chosen and looked at, not yet sent: closing would throw that away."""
        return self.draft is not None and self.current_step in (Step.CHECK, Step.CHANGES)

    # -- moving between pages ---------------------------------------------------------------------

    def show_page(self, step: Step) -> None:
        self.pages.setCurrentIndex(step)
        self.step.setText(step.title)
        self.chooser.set_enabled(
            step in (Step.CHOOSE, Step.CHECK, Step.CHANGES) and not self.target_locked
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        step = self.current_step
        page = self._all_pages()[step]
        self.back.setVisible(step in (Step.CHECK, Step.CHANGES))
        self.next.setVisible(step in (Step.CHECK, Step.CHANGES))
        self.cancel.setText(_(CANCEL_WORDS.get(step, N_("Cancel"))))
        if step is Step.CHECK:
            self.check_page.update_good_rows_only()
        self.next.setText(page.next_text())
        self.next.setEnabled(page.can_go_on())

    def _go_back(self) -> None:
        step = self.current_step
        if step is Step.CHECK:
            self._stop_check()
            self.show_page(Step.CHOOSE)
        elif step is Step.CHANGES:
            self.show_page(Step.CHECK)

    @asyncSlot()
    async def _go_on(self) -> None:
        step = self.current_step
        if step is Step.CHECK:
            self.show_page(Step.CHANGES)
            self.start_compare()
        elif step is Step.CHANGES and self.next.isEnabled():
            self.next.setEnabled(False)
            if await not_a_repeat(self) and await on_production(self):
                if self.closed:
                    return  # closed while the file was being recognised: nothing is sent
                await self.sending.upload_and_follow()
            else:
                self._update_buttons()

    # -- the target list --------------------------------------------------------------------------

    def _kind_chosen(self) -> None:
        self.guess_kind = False  # the person chose
        if self.draft is not None:
            self.draft.choose_kind(self.chooser.kind)
            self.show_page(Step.CHECK)
            self.start_check()

    def _target_changed(self) -> None:
        chosen, draft = self.chooser.target, self.draft
        if draft is not None and chosen is not None and draft.target == chosen:
            # The lists loaded and the draft's own is among them, as it knew it: nothing
            # to compare again (that would reset the guardrails the person has ticked).
            self._update_buttons()
            return
        if draft is not None:
            draft.choose_target(chosen)
        if self.current_step is Step.CHANGES:
            self.start_compare()
        self._update_buttons()

    # -- choosing and checking the file -----------------------------------------------------------

    def open_file(self, path: Path) -> None:
        remember_folder(IMPORT, path)  # dropped or browsed: Browse… opens there next time
        self.open_draft(
            ImportDraft(
                path,
                self.chooser.kind,
                target=self.chooser.target,
                guess_kind=self.guess_kind,
                settings=self.guardrail_settings,
                mappings=self.mappings,
            )
        )

    def open_draft(self, draft: ImportDraft, *, made: bool = False) -> None:
        """Check a draft made elsewhere (an earlier import's failed rows, say). ``made``: a
        file OmniDesk wrote for its list (an undo, a grid's edits): the list is fixed,
        and a clean check goes on to what will change by itself."""
        self.target_locked = self.target_locked or made
        self._straight_on = made
        self._close_draft()
        draft.settings = self.guardrail_settings  # the thresholds of today, not of then
        self.draft = draft
        self.choose_page.file_problem.setText("")
        self._set_title(draft.path)
        self.show_page(Step.CHECK)
        self.start_check()

    def check_done(self) -> None:
        """The check page has its result: a file OmniDesk made goes on by itself."""
        if self._straight_on and self.current_step is Step.CHECK and self.check_page.can_go_on():
            self._straight_on = False
            self.show_page(Step.CHANGES)
            self.start_compare()

    def start_check(self) -> None:
        self._stop_check()
        self._checking = self.start_job(self.check_page.check())
        self._update_buttons()

    def _stop_check(self) -> None:
        if self.draft is not None:
            self.draft.stop_check()
        if self._checking is not None:
            self._checking.cancel()
            self._checking = None

    def file_refused(self, message: str) -> None:
        self.check_page.stop()
        self._close_draft()
        self.choose_page.refuse(message)
        self.show_page(Step.CHOOSE)

    def _close_draft(self) -> None:
        self._stop_check()
        if self.draft is not None:
            self.draft.close()
            self.draft = None

    # -- comparing with the list ------------------------------------------------------------------

    def start_compare(self) -> None:
        if self.draft is not None:
            self.draft.choose_target(self.chooser.target)
        self.changes_page.clear()
        self.start_job(self.changes_page.compare())

    def compare_again(self) -> None:
        """After a choice that changes only the rows sent (the catalogue's SKUs, say)."""
        self.start_job(self.changes_page.compare(read_again=False))

    # -- leaving ----------------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel, Esc, the close button: after the first page the person is asked first."""
        if self.has_unsent_work and not self._discarding:
            self._ask_before_discarding()
            return
        self.closed = True
        if self.current_step is Step.UPLOAD and self.sending.following:
            # Stop watching only: the server's job goes on, the journal remembers it.
            if self.sending.record_id is not None:
                self.stoppedWatching.emit(self.sending.record_id)
            self.imported.emit()
        for job in list(self._jobs):
            job.cancel()  # they would touch widgets that are about to go
        self._stop_check()
        if self.draft is not None:
            self.draft.close()  # the file; what the draft found stays for whoever asks
        super().reject()

    def discard(self) -> None:
        """Close without asking (the person said so, or was asked by the main window)."""
        self._discarding = True
        self.reject()

    def _ask_before_discarding(self) -> None:
        if self.question is not None and self.question.isVisible():
            return  # asked already: one question at a time
        name = self.path.name if self.path is not None else _("this file")
        self.question = ask(
            self,
            _("Discard this import?"),
            _(
                "The import of {file} is not sent yet; closing throws away the columns and "
                "answers you chose. Discard it?"
            ).format(file=name),
            go=(QMessageBox.StandardButton.Discard, None),
            stay=(QMessageBox.StandardButton.Cancel, _("Keep working")),
            answered=lambda discard: self.discard() if discard else None,
        )

    def done(self, result: int) -> None:
        remember_geometry("wizard", self)
        remember_splitter("wizard_check", self.check_page.split)
        remember_columns("wizard_changes", self.changes_page.changes_table.horizontalHeader())
        remember_columns("wizard_problems", self.result_page.problems_table.horizontalHeader())
        super().done(result)

    def start_job(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = self.tasks.start(job)
        self._jobs.add(task)
        task.add_done_callback(self._jobs.discard)
        return task

    def dispose(self) -> None:
        """Once closed: remove the upload file's folder (a million rows make 70 MB)."""
        shutil.rmtree(self.work_folder, ignore_errors=True)
