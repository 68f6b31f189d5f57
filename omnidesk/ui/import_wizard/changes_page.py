"""Step 3: what the file would change in the list, and the guardrails to confirm."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from omnidesk.api import OmnitronError
from omnidesk.i18n import _, capitalized, n_
from omnidesk.imports import ChangeKind, CompareStage, ImportDiff
from omnidesk.imports.editing import EditsDraft
from omnidesk.imports.undo import UndoDraft

from ..formatting import BARCODE_SAMPLE, COUNT_SAMPLE, local_integer, signed_percent
from ..style import Tone, mark
from ..widgets import DataTable
from .made_box import MadeFileBox
from .models import ChangesModel, ChangesShown
from .pages import Step, WizardPage
from .sku_box import SkuSuggestionBox

if TYPE_CHECKING:
    from .wizard import ImportWizard


class ChangesPage(WizardPage):
    step = Step.CHANGES

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(wizard)
        self.changes_summary = QLabel()
        self.changes_summary.setObjectName("changesSummary")
        self.changes_summary.setWordWrap(True)
        self.changes_progress = QProgressBar()
        self.changes_progress.setMaximumHeight(8)
        self.changes_progress.setTextVisible(False)
        self.changes_problem = QLabel()
        self.changes_problem.setWordWrap(True)
        mark(self.changes_problem, Tone.ERROR)
        self.changes_problem.hide()  # shown with its words: empty, it would push the page down
        self.retry_changes = QPushButton(_("Retry"))
        self.retry_changes.clicked.connect(wizard.start_compare)
        self.guardrail_box = QGroupBox(_("Please look at these before uploading"))
        mark(self.guardrail_box, Tone.WARNING)
        self.guardrail_layout = QVBoxLayout(self.guardrail_box)
        self.guardrail_checks: list[QCheckBox] = []
        self.skip_unchanged = QCheckBox(_("Skip unchanged rows (the server does less work)"))
        self.skip_unchanged.setChecked(True)
        self.skip_unchanged.toggled.connect(self.changed)
        self.change_filter = QComboBox()
        self.change_filter.setAccessibleName(_("Show"))
        self.change_filter.addItem(_("All changes"), None)
        for kind in (ChangeKind.NEW, ChangeKind.CHANGED, ChangeKind.NOT_IN_CATALOGUE):
            self.change_filter.addItem(capitalized(kind.words), kind.value)
        self.change_filter.addItem(_("Behind a guardrail"), ChangesShown.BEHIND_A_GUARDRAIL)
        self.changes = ChangesModel(self)
        self.changes_view: ChangesShown | None = None
        self.change_filter.currentIndexChanged.connect(self._filter_changes)
        self.movement = QLabel()
        self.movement.setObjectName("changesMovement")
        self.movement.setWordWrap(True)
        self.changes_table = DataTable()
        self.changes_table.setObjectName("wizardChangesTable")
        self.changes_table.setAccessibleName(_("What would change"))
        self.changes_table.setModel(self.changes)
        self.changes_table.setSortingEnabled(True)  # by any column: the model sorts itself
        self.changes_table.sortByColumn(ChangesModel.ROW, Qt.SortOrder.AscendingOrder)
        self.changes_table.fit_columns(
            {0: local_integer(COUNT_SAMPLE), 1: BARCODE_SAMPLE, 2: _("not in catalogue")}
        )
        # "price 1.234,50 · retail 1.543,10" before and after share what the window gives;
        # the percentage keeps its title's width whether a scroll bar shows or not.
        header = self.changes_table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (ChangesModel.NOW, ChangesModel.AFTER):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.changes_table.fit_columns({ChangesModel.PERCENT: signed_percent(Decimal("-100.0"))})
        top = QHBoxLayout()
        top.addWidget(self.changes_summary, 1)
        top.addWidget(self.change_filter)
        problem_row = QHBoxLayout()
        problem_row.addWidget(self.changes_problem, 1)
        problem_row.addWidget(self.retry_changes)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.changes_progress)
        layout.addLayout(problem_row)
        self.made_box = MadeFileBox(wizard)
        layout.addWidget(self.made_box)
        self.sku_box = SkuSuggestionBox(self._use_suggested_skus)
        layout.addWidget(self.sku_box)
        layout.addWidget(self.guardrail_box)
        layout.addWidget(self.movement)
        layout.addWidget(self.changes_table, 1)
        layout.addWidget(self.skip_unchanged)

    # -- what the shell asks ----------------------------------------------------------------------

    def rows_to_upload(self) -> int:
        draft = self.wizard.draft
        if draft is None:
            return 0
        return draft.rows_to_send(skip_unchanged=self.skip_unchanged.isChecked())

    def can_go_on(self) -> bool:
        draft = self.wizard.draft
        confirmed = all(box.isChecked() for box in self.guardrail_checks)
        return (
            draft is not None and draft.diff is not None and confirmed and self.rows_to_upload() > 0
        )

    def next_text(self) -> str:
        draft = self.wizard.draft
        profile = self.wizard.profile
        production = profile is not None and profile.is_production
        name = profile.name if profile is not None else ""
        if draft is None or draft.diff is None:
            return (
                _("Upload to PRODUCTION — {name}").format(name=name) if production else _("Upload")
            )
        count = self.rows_to_upload()
        if production:
            text = n_(
                "Upload {count} row to PRODUCTION — {name}",
                "Upload {count} rows to PRODUCTION — {name}",
                count,
            )
        else:
            text = n_("Upload {count} row", "Upload {count} rows", count)
        return text.format(count=local_integer(count), name=name)

    # -- comparing --------------------------------------------------------------------------------

    def clear(self) -> None:
        self.changes.show_changes([], {})
        self.changed.emit()

    def _use_suggested_skus(self, use: bool) -> None:
        """The catalogue's SKUs for the rows Excel mangled (or the file's again), compared."""
        draft = self.wizard.draft
        if draft is None or draft.checked is None:
            return
        draft.use_suggested_skus(use)
        self.changed.emit()  # no comparison to go on with until the new one is done
        self.wizard.compare_again()

    async def compare(self, *, read_again: bool = True) -> None:
        """``read_again`` False: after a choice that changes only the rows, against the
        list as read a moment ago; the guardrails ticked stay ticked if they still say
        the same."""
        draft = self.wizard.draft
        assert draft is not None
        if draft.target is None or draft.checked is None:
            self.changes_summary.setText(_("Choose the list to import into, at the top."))
            return
        target = draft.target
        self.changes_problem.setText("")
        self.changes_problem.hide()
        self.retry_changes.hide()
        self.changes_progress.show()
        self.changes_progress.setRange(0, 0)
        self.changes_summary.setText(
            _("Reading the current {noun} “{name}”…").format(noun=target.noun, name=target.name)
        )

        def progress(stage: CompareStage, done: int, total: int) -> None:
            if stage is CompareStage.LOOKING_UP and done == 0:
                self.changes_summary.setText(_("Looking up new SKUs in the catalogue…"))
            self.changes_progress.setRange(0, max(total, 1))
            self.changes_progress.setValue(done)

        try:
            if read_again:
                diff = await draft.compare(self.wizard.session, progress)
            else:
                diff = await draft.compare_again(self.wizard.session, progress)
        except OmnitronError as problem:
            if draft.target != target:
                return  # another list was chosen meanwhile: its comparison tells
            self.changes_progress.hide()
            self.changes_summary.setText("")
            self.changes_problem.setText(
                _("What would change cannot be shown without the server: {problem}").format(
                    problem=problem
                )
            )
            self.changes_problem.show()
            self.retry_changes.show()
            return
        if diff is None:
            return  # the list or the file changed meanwhile; a newer comparison runs
        self.changes_progress.hide()
        self._show(diff, draft.row_flags, keep_ticks=not read_again)

    def _show(self, diff: ImportDiff, flagged: dict[int, str], *, keep_ticks: bool) -> None:
        self.made_box.show_for(self.wizard.draft)
        # A grid's edits and an undo go as a file OmniDesk wrote: its row numbers are
        # nobody's, and the person never saw that file.
        made = isinstance(self.wizard.draft, EditsDraft | UndoDraft)
        self.changes_table.setColumnHidden(ChangesModel.ROW, made)
        self.sku_box.show_for(diff)
        ticked = {box.text() for box in self.guardrail_checks if box.isChecked()}
        for box in self.guardrail_checks:
            box.deleteLater()
        self.guardrail_checks = []
        for guardrail in diff.guardrails:
            box = QCheckBox(_("I have checked: {what}").format(what=guardrail.message))
            box.setObjectName(f"guardrail_{guardrail.key}")
            box.setChecked(keep_ticks and box.text() in ticked)
            box.toggled.connect(self.changed)
            self.guardrail_layout.addWidget(box)
            self.guardrail_checks.append(box)
        self.guardrail_box.setVisible(bool(diff.guardrails))
        self.changes.show_changes(diff.changes, flagged, diff.kind)
        header = self.changes_table.horizontalHeader()
        # The comparison gives sheet order: sorted again only if another was chosen.
        by_row = header.sortIndicatorSection() == ChangesModel.ROW
        if not (by_row and header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder):
            self.changes.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.movement.setText(self._movement_text(diff))
        text = capitalized(diff.summary()) + "."
        if diff.notes:
            text += " " + " ".join(diff.notes)
        self.changes_summary.setText(text)
        self.skip_unchanged.setText(
            n_(
                "Skip the {count} unchanged row (the server does less work)",
                "Skip the {count} unchanged rows (the server does less work)",
                len(diff.unchanged_rows),
            ).format(count=local_integer(len(diff.unchanged_rows)))
        )
        self.skip_unchanged.setVisible(bool(diff.unchanged_rows))  # "skip the 0": nothing to ask
        self.changed.emit()

    def _movement_text(self, diff: ImportDiff) -> str:
        """'12 up, 30 down. Largest rise: +40.0 % (A-1). Largest cut: −75.0 % (B-2).'"""
        movement = diff.movement
        if not (movement.up or movement.down):
            return ""
        parts = [
            _("{up} up, {down} down.").format(
                up=local_integer(movement.up), down=local_integer(movement.down)
            )
        ]
        for words, change in (
            (_("Largest rise: {percent} ({sku})."), movement.largest_rise),
            (_("Largest cut: {percent} ({sku})."), movement.largest_cut),
        ):
            if change is not None and change.percent is not None:
                parts.append(words.format(percent=signed_percent(change.percent), sku=change.sku))
        return " ".join(parts)

    def _filter_changes(self) -> None:
        chosen = self.change_filter.currentData()
        if self.changes_view is not None:
            self.changes_table.setModel(self.changes)
            self.changes_view.deleteLater()
            self.changes_view = None
        # A proxy exists only while it filters: a hundred thousand rows shown in full
        # never go through it.
        if chosen:
            self.changes_view = ChangesShown(self.changes)
            behind = chosen == ChangesShown.BEHIND_A_GUARDRAIL
            self.changes_view.show_only(chosen if behind else ChangeKind(chosen))
            self.changes_table.setModel(self.changes_view)
