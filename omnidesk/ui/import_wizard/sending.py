"""Sending the wizard's file and following its job: from the last Next to the result page.

The steps are the draft's (send, reconcile, follow); this says on the upload and result
pages how each went, and keeps what the wizard must know when it is closed meanwhile:
whether a file is on its way, and the journal's record of it.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import TYPE_CHECKING

from shiboken6 import isValid

from omnidesk.api import ImportState, OmnitronError, Retrying
from omnidesk.api.contract import import_path
from omnidesk.i18n import _
from omnidesk.imports import AnswerLost, ImportOutcome, RowProblem, Sending, UploadPlan

from ..painting import painted
from .pages import Step

if TYPE_CHECKING:
    from .wizard import ImportWizard


class WizardSending:
    """The upload and the following of one wizard's file (each "Send again" too)."""

    def __init__(self, wizard: ImportWizard) -> None:
        # Weakly: the wizard holds this, and a cycle would keep its wrapper alive after
        # Qt deleted the dialog.
        self._wizard = weakref.ref(wizard)
        # True while a file is being sent: closing the wizard then lets it arrive.
        self.uploading = False
        self.record_id: int | None = None  # the journal's record of the file sent
        self._following: asyncio.Task[None] | None = None

    @property
    def wizard(self) -> ImportWizard:
        wizard = self._wizard()
        assert wizard is not None, "the wizard's sending outlived it"
        return wizard

    @property
    def following(self) -> bool:
        """Whether a job the server took is being followed now."""
        return self._following is not None and not self._following.done()

    async def upload_and_follow(self) -> None:
        # "Stop watching" while the file is being prepared or sent lets it arrive: cut
        # off, the server might or might not have it. The journal then has its cache
        # key, and the Imports page can follow it. The window waits (`uploading`).
        self.uploading = True
        try:
            sending = await self._upload()
        finally:
            self.uploading = False
            # Closed with the main window, the wizard may be gone by now: nobody to tell.
            if self.wizard.closed and isValid(self.wizard):
                if self.record_id is not None:
                    self.wizard.stoppedWatching.emit(self.record_id)
                self.wizard.imported.emit()
                self.wizard.upload_settled.emit()
        if sending is not None and not self.wizard.closed:
            self._following = self.wizard.start_job(self._follow(sending))

    async def _upload(self) -> Sending | None:
        """Prepares and sends the file; what following it needs, or None."""
        draft = self.wizard.draft
        assert draft is not None
        assert draft.target is not None
        name = draft.target.name
        self.wizard.show_page(Step.UPLOAD)
        self.wizard.upload_page.preparing()
        await painted(self.wizard)  # before the upload file is written, in a worker
        plan = await draft.plan(
            self.wizard.work_folder,
            skip_unchanged=self.wizard.changes_page.skip_unchanged.isChecked(),
        )
        if self.wizard.closed:
            return None  # closed before anything was sent: nothing is sent
        self.wizard.upload_page.sending(plan, name)

        def sent(done: int, total: int) -> None:
            if not self.wizard.closed:
                self.wizard.upload_page.sent_bytes(done, total)

        try:
            username = self.wizard.profile.username if self.wizard.profile is not None else ""
            sending = await draft.send(
                self.wizard.session, self.wizard.journal, plan, username=username, on_bytes=sent
            )
        except AnswerLost as lost:
            self.record_id = lost.record_id
            if not self.wizard.closed:
                self.wizard.start_job(self._reconcile(plan, lost))
            return None
        except OmnitronError as problem:
            if not self.wizard.closed:
                self._show_result_failure(
                    _("The file could not be sent: {problem}").format(problem=problem)
                )
            return None
        self.record_id = sending.record_id
        self.wizard.sent.emit(sending.record_id)
        if self.wizard.closed:
            return None
        self.wizard.upload_page.sent(plan, name)
        return sending

    async def _reconcile(self, plan: UploadPlan, lost: AnswerLost) -> None:
        """The answer was lost: the list tells whether the file came, never a guess."""
        draft = self.wizard.draft
        assert draft is not None
        self.wizard.upload_page.reconciling()
        try:
            found = await draft.reconcile(
                self.wizard.session,
                self.wizard.journal,
                plan,
                lost,
                self.wizard.upload_page.holding,
            )
        except OmnitronError as problem:
            self._show_result_failure(
                _(
                    "The answer to the upload was lost, and the list could not be read to see "
                    "whether the file arrived: {problem} Look at the list before sending it "
                    "again."
                ).format(problem=problem)
            )
            return
        self.wizard.show_page(Step.RESULT)
        self.wizard.result_page.show_reconciliation(found)
        self.wizard.imported.emit()

    def heard_retry(self, retrying: Retrying) -> None:
        """A request about to be sent again: said on the upload page when it is this
        file's upload (or the following of its job), so the pause is not taken for a hang."""
        target = self.wizard.target
        if self.wizard.closed or target is None or self.wizard.current_step is not Step.UPLOAD:
            return
        if retrying.path == import_path(target.kind, target.pk):
            self.wizard.upload_page.retrying(retrying)

    def retry_upload(self) -> None:
        """After a file that did not arrive: send it again (a new record in the journal)."""
        if self.uploading:
            return  # one click, one upload
        self.wizard.result_page.retry.hide()
        self.uploading = True  # from this click on: a second one sends nothing more
        self.wizard.start_job(self.upload_and_follow())

    async def _follow(self, sending: Sending) -> None:
        assert self.wizard.draft is not None
        draft = self.wizard.draft
        outcome = await draft.follow(sending, self.wizard.upload_page.show_update)
        # Each refusal put back on the file's own row: a pass over all of them, in a worker.
        refused = await asyncio.to_thread(draft.refused_rows, outcome)
        if isValid(self.wizard):  # not deleted with its window meanwhile
            self.show_outcome(outcome, refused)

    def show_outcome(self, outcome: ImportOutcome, refused: list[RowProblem] | None = None) -> None:
        draft = self.wizard.draft
        assert draft is not None
        draft.outcome = outcome
        self.wizard.show_page(Step.RESULT)
        left_out = draft.checked.error_rows if draft.checked else 0
        if refused is None:
            refused = draft.refused_rows(outcome)
        self.wizard.result_page.show_outcome(outcome, refused, left_out, draft.checked is not None)
        self.wizard.imported.emit()

    def _show_result_failure(self, reason: str) -> None:
        self.show_outcome(ImportOutcome(ImportState.FAILURE, 0, 0, (), reason, 0))
