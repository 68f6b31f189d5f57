"""The contents of one list: its prices or stocks with each product's name, filterable by a
part of a SKU or a pasted list of SKUs, editable in place (edits staged until reviewed),
exportable, and comparable with another list side by side."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from omnidesk import kinds
from omnidesk.api import AnyList, ListKind, OmnitronError, Page
from omnidesk.api.session import Session
from omnidesk.i18n import _, n_
from omnidesk.imports import GuardrailSettings, ImportTarget
from omnidesk.imports.catalogue import product_names
from omnidesk.imports.editing import EditsDraft, NothingToSend, prepare_edits
from omnidesk.imports.exporting import NAME_FIELD
from omnidesk.imports.staged import EditedList, StagedEdits
from omnidesk.settings.paths import made_files_dir
from omnidesk.spreadsheet import SKU_FIELD

from .contents_model import ContentsModel, ContentsProxy
from .export import Exporter
from .filter_bar import TYPING_PAUSE_MS
from .formatting import BARCODE_SAMPLE, MONEY_SAMPLE, local_decimal, local_integer
from .grid_editing import EditableTable, GridEditor, RuleDialog
from .kinds import KIND_VIEWS
from .list_compare import CompareDialog
from .paged_model import LoadState
from .style import Tone, mark, named
from .tasks import BackgroundTasks
from .widgets import ElidedLabel, TableWithStates, ask

SHOWN_MISSING = 8  # pasted SKUs named as missing from the list
# Rows a page brings: a filter, a paste further down or an export loads every page.
PAGE_SIZE = 500


class StagedBar(QFrame):
    """“14 changes not sent — Review…”: under the grid while edits wait."""

    def __init__(self) -> None:
        super().__init__()
        named(self, "stagedBar")
        self.words = QLabel()
        self.words.setObjectName("stagedWords")
        self.review = QPushButton(_("Review…"))
        self.review.setDefault(True)
        self.discard = QPushButton(_("Discard…"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 3)
        layout.addWidget(self.words)
        layout.addWidget(self.review)  # right after the words: "14 changes not sent — Review…"
        layout.addWidget(self.discard)
        layout.addStretch()

    def show_count(self, count: int, refused: int) -> None:
        text = n_("{count} change not sent —", "{count} changes not sent —", count).format(
            count=local_integer(count)
        )
        if refused:
            text += " " + n_(
                "{count} refused last time (shown red)",
                "{count} refused last time (shown red)",
                refused,
            ).format(count=local_integer(refused))
        self.words.setText(text)
        self.setVisible(count > 0)


class ContentsPane(QWidget):
    """The product prices or stocks of one list."""

    opened = Signal()
    closed = Signal()
    # An EditsDraft of the list's staged edits, for a wizard that reviews and sends them
    reviewRequested = Signal(object)

    def __init__(
        self,
        kind: ListKind,
        session: Session,
        tasks: BackgroundTasks,
        staged: StagedEdits | None = None,
        guardrails: Callable[[], GuardrailSettings] | None = None,
    ) -> None:
        """``staged``: where edits wait (None: the grid is read-only); ``guardrails``: the
        thresholds the person chose, read when the edits are reviewed."""
        super().__init__()
        self.kind = kind
        self.guardrails = guardrails
        self.words = kinds.info(kind)
        self.session = session
        self.tasks = tasks
        self.store = staged
        self.current: AnyList | None = None
        columns = KIND_VIEWS[kind].contents_columns

        async def names(skus: list[str]) -> dict[str, str]:
            # One small function (imports/catalogue.py), so where names come from can change.
            return await session.run(lambda c: product_names(c, skus))

        self.model = ContentsModel(kind, columns, tasks, page_size=PAGE_SIZE, look_up_names=names)
        self.proxy = ContentsProxy(self.model, self)
        self.table = EditableTable()
        self.table.setObjectName(f"{kind.value}ContentsTable")
        self.table.setAccessibleName(self.words.contents_title)  # "Prices"
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)  # the server keeps its own order; sort on demand
        # A 13-digit barcode and a price shown whole; a product's name as long as most.
        samples = {SKU_FIELD: BARCODE_SAMPLE, NAME_FIELD: "Erkek Slim Fit Pamuklu Gömlek"}
        self.table.fit_columns(
            {
                position: samples.get(column.field or "", local_decimal(MONEY_SAMPLE))
                for position, column in enumerate(columns)
            }
        )
        self.table.horizontalHeader().sectionClicked.connect(self._sort_clicked)
        # The arrow shows once every row is loaded and sorted, not over rows still coming.
        self.proxy.orderStateChanged.connect(
            lambda: self.table.horizontalHeader().setSortIndicatorShown(self.proxy.rows_in_order)
        )
        self.states = TableWithStates(
            self.table, self.model, self.words.row_noun, self.words.row_plural
        )
        self.states.retryRequested.connect(self.model.retry)
        self.exporter = Exporter(self, self.model, tasks, table=self.table, kind=kind)
        self.note = QLabel()
        self.note.setObjectName("contentsNote")
        self.note.setWordWrap(True)
        self.editor = GridEditor(self.table, self.model, self.proxy, tasks, self.say)
        self.model.refused.connect(lambda words: self.say(words, Tone.ERROR))
        self.staged_bar = StagedBar()
        self.staged_bar.review.clicked.connect(self.review)
        self.staged_bar.discard.clicked.connect(self._ask_to_discard)
        self.staged_bar.hide()
        self.model.stagedChanged.connect(self._staged_changed)
        self.question: QMessageBox | None = None
        self.rule_dialog: RuleDialog | None = None
        self.compare_dialog: CompareDialog | None = None

        self.title = ElidedLabel()
        self.title.setObjectName("contentsTitle")
        mark(self.title, Tone.STRONG)
        self.sku = QLineEdit()
        self.sku.setPlaceholderText(_("SKU contains…, or paste a list of SKUs"))
        self.sku.setAccessibleName(_("SKU"))
        self.sku.setToolTip(
            _("One word shows the SKUs that contain it; several (pasted from a column, or "
              "separated by spaces or commas) show exactly those SKUs.")
        )  # fmt: skip
        self.sku.setClearButtonEnabled(True)
        self.sku.setMinimumWidth(180)
        self.states.clearRequested.connect(self.sku.clear)
        self.count = ElidedLabel()
        self.count.setObjectName("contentsCount")
        self.change_button = QPushButton(_("Change selected…"))
        self.change_button.setToolTip(_("+5 %, −10 %, set to, round to ,99 (Ctrl+D fills down)"))
        self.change_button.clicked.connect(self.open_rule)
        self.compare_button = QPushButton(_("Compare with…"))
        self.compare_button.clicked.connect(self.open_compare)
        export = QPushButton(_("Export…"))
        export.clicked.connect(self.export)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(_("Close the contents"))
        close.setAccessibleName(_("Close the contents"))
        close.clicked.connect(self._close)

        # Two rows, so the pane (and with it the window) can be narrow: what is shown,
        # then what can be done with it.
        header = QHBoxLayout()
        header.addWidget(self.title, 2)
        header.addWidget(self.count, 1)
        header.addWidget(close)
        actions = QHBoxLayout()
        actions.addWidget(self.sku, 1)
        actions.addWidget(self.change_button)
        actions.addWidget(self.compare_button)
        actions.addWidget(export)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addLayout(actions)
        layout.addWidget(self.states, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.staged_bar)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self.filter_now)
        self.sku.textChanged.connect(self._pause.start)
        self.model.stateChanged.connect(self._update_count)
        self.change_button.setVisible(staged is not None)

    # -- which list -------------------------------------------------------------------------------

    @property
    def where(self) -> EditedList | None:
        if self.current is None:
            return None
        return EditedList(
            self.session.client.base_url, self.kind.value, self.current.pk, self.current.name
        )

    def show_list(self, row: AnyList) -> None:
        self.current = row
        suffix = f" ({row.currency.upper()})" if row.currency else ""
        self.title.setText(
            _("{contents} in “{name}”").format(contents=self.words.contents_title, name=row.name)
            + suffix
        )
        self.model.edit_list(self.store, self.where)
        self.reload()
        self.show()
        self.opened.emit()

    def reload(self) -> None:
        """The open list's rows again, from the first page (the filter applies on top)."""
        if self.current is None:
            self.model.set_query(None)
            return
        pk, kind = self.current.pk, self.kind

        def fetch(page: int, limit: int, ordering: str | None) -> Awaitable[Page[Any]]:
            return self.session.run(lambda c: c.contents(kind).list(pk, page=page, limit=limit))

        self.model.set_query(fetch)
        self.filter_now()

    def filter_now(self) -> None:
        """The filter as typed; every row is loaded, since the server cannot filter so."""
        self.proxy.filter_text(self.sku.text())
        self.states.empty_hint = [_("SKU “{sku}”").format(sku=self.sku.text().strip())]
        if self.proxy.filtering:
            self.tasks.start(self._load_for_the_filter())
        self._update_count()

    async def _load_for_the_filter(self) -> None:
        await self.model.load_all()
        self._update_count()

    def _sort_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        if not header.isSortIndicatorShown() or header.sortIndicatorSection() != column:
            order = Qt.SortOrder.AscendingOrder
        else:
            order = header.sortIndicatorOrder()
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)
        self.proxy.sort(column, order)

    def _update_count(self) -> None:
        model = self.model
        if model.state is LoadState.LOADING and not model.rows:
            self.count.setText(_("Loading…"))
            return
        total = local_integer(model.total)
        if not self.proxy.filtering:
            self.count.setText(
                n_("{count} {row}", "{count} {rows}", model.total).format(
                    count=total, row=self.words.row_noun, rows=self.words.row_plural
                )
            )
            return
        if not model.fully_loaded:
            self.count.setText(_("Looking through all {total}…").format(total=total))
            return
        shown = self.proxy.rowCount()
        if self.proxy.listed is not None:
            asked = len(self.proxy.listed)
            text = n_(
                "{shown} of {asked} SKU found", "{shown} of {asked} SKUs found", asked
            ).format(shown=local_integer(shown), asked=local_integer(asked))
            missing = self.proxy.missing()
            if missing:
                named = ", ".join(missing[:SHOWN_MISSING])
                if len(missing) > SHOWN_MISSING:
                    named += " …"
                text += " · " + _("not in this list: {skus}").format(skus=named)
            self.count.setText(text)
            self.count.setToolTip("\n".join(missing))
        else:
            self.count.setText(
                n_("{shown} of {total} {row}", "{shown} of {total} {rows}", model.total).format(
                    shown=local_integer(shown),
                    total=total,
                    row=self.words.row_noun,
                    rows=self.words.row_plural,
                )
            )

    # -- editing ----------------------------------------------------------------------------------

    def say(self, text: str, tone: Tone | None) -> None:
        """A line under the grid: what an edit did, or why it could not be done."""
        self.note.setText(text)
        mark(self.note, tone)

    def _staged_changed(self) -> None:
        pending = [e for e in self.model.staged.values() if e.sent_in is None]
        self.staged_bar.show_count(len(pending), sum(1 for e in pending if e.problem))

    def open_rule(self) -> RuleDialog | None:
        cells = self.editor.selected()
        if not cells:
            self.say(_("Select the cells to change first (a column header selects it all)."), None)
            return None
        dialog = RuleDialog(len(cells), self)
        dialog.chosen.connect(self.editor.apply)
        dialog.finished.connect(dialog.deleteLater)
        self.rule_dialog = dialog
        dialog.open()
        return dialog

    def review(self) -> None:
        self.tasks.start(self.prepare_review())

    async def prepare_review(self) -> EditsDraft | None:
        """The staged edits as a file of their own, in a draft for the wizard's review."""
        where, current = self.where, self.current
        if where is None or current is None or self.store is None:
            return None
        self.staged_bar.review.setEnabled(False)
        self.say(_("Reading the list as it is now, to compare your changes with it…"), None)
        try:
            draft = await prepare_edits(
                self.session,
                ImportTarget.of(current),
                self.store,
                where,
                made_files_dir(),
                settings=self.guardrails() if self.guardrails is not None else None,
            )
        except NothingToSend:
            self.say(_("There is nothing to send: no change is waiting."), None)
            return None
        except OmnitronError as problem:
            self.say(_("The changes cannot be reviewed without the server: {why}").format(
                why=problem), Tone.ERROR)  # fmt: skip
            return None
        except OSError as problem:
            self.say(_("The changes could not be written down for the review: {why}").format(
                why=problem.strerror or problem), Tone.ERROR)  # fmt: skip
            return None
        finally:
            self.staged_bar.review.setEnabled(True)
        self.say("", None)
        self.reviewRequested.emit(draft)
        return draft

    def _ask_to_discard(self) -> None:
        count = sum(1 for e in self.model.staged.values() if e.sent_in is None)
        self.question = ask(
            self,
            _("Discard the changes?"),
            n_(
                "{count} change made here and not sent will be thrown away. Discard it?",
                "{count} changes made here and not sent will be thrown away. Discard them?",
                count,
            ).format(count=local_integer(count)),
            go=(QMessageBox.StandardButton.Discard, None),
            stay=(QMessageBox.StandardButton.Cancel, _("Keep them")),
            answered=lambda discard: self.model.discard_all() if discard else None,
        )

    # -- comparing, exporting, closing ------------------------------------------------------------

    def open_compare(self) -> CompareDialog | None:
        if self.current is None:
            return None
        if self.compare_dialog is not None:
            self.compare_dialog.deleteLater()
        dialog = CompareDialog(self.kind, self.session, self.tasks, self.current, self)
        self.compare_dialog = dialog
        dialog.open()
        return dialog

    def export(self) -> None:
        if self.current is not None:
            self.exporter.ask(f"{self.current.name}.xlsx")

    def _close(self) -> None:
        self.current = None
        self.model.edit_list(None, None)
        self.model.set_query(None)
        self.hide()
        self.closed.emit()
