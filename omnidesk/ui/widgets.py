"""Small widgets the screens share: the data table, its state page, the environment banner."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractProxyModel,
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from omnidesk.i18n import N_, _, capitalized, n_
from omnidesk.settings import Environment, Profile

from .drop_zone import dropped_spreadsheet
from .formatting import local_integer
from .paged_model import LoadState, PagedTableModel
from .style import BANNER_COLOURS, named

# The keys a table understands besides the menus' shortcuts, for Help ▸ Keyboard shortcuts;
# DataTable.keyPressEvent below is where each is handled.
TABLE_KEYS: tuple[tuple[QKeySequence.StandardKey | str, str], ...] = (
    ("Return", N_("Open the contents of the selected list")),
    (QKeySequence.StandardKey.Copy, N_("Copy the selected cells, ready to paste into a sheet")),
    (
        QKeySequence.StandardKey.MoveToEndOfDocument,
        N_("Go to the last row (the rest of the list is loaded first)"),
    ),
    (QKeySequence.StandardKey.MoveToStartOfDocument, N_("Go to the first row")),
    ("Tab", N_("Leave the table for the next control")),
)


class DataTable(QTableView):
    """A read-only table: Enter opens the current row, Ctrl+C copies cells as TSV.

    Tab leaves the table (arrows move between cells): walking a thousand cells to
    reach the button after it would trap the keyboard. Ctrl+End goes to the real
    last row of a list the server pages, loading the rest first.

    With ``accept_file_drops()``, a spreadsheet dropped on a row is offered to
    ``fileDropped`` with that row (an invalid index between rows).
    """

    openRequested = Signal(QModelIndex)
    fileDropped = Signal(Path, QModelIndex)
    dropRefused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setSortingEnabled(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        # Fixed row heights: with a hundred thousand rows, measuring each one would stall.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(24)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.horizontalHeader().setHighlightSections(False)
        self.setTabKeyNavigation(False)
        self.doubleClicked.connect(self.openRequested)

    def fit_columns(self, samples: Mapping[int, str]) -> None:
        """Each column as wide as its widest likely text (a 13-digit barcode, a date, a
        count) or its title, in the font in use: pixel widths cut them off at other fonts."""
        model = self.model()
        if model is None:
            return
        metrics = self.fontMetrics()
        padding = self._padding()
        for column, sample in samples.items():
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title))
            self.setColumnWidth(column, widest + padding)

    def fit_to_texts(self, columns: Sequence[Iterable[str]], most: int) -> None:
        """Each column as wide as the widest of its texts or its title, up to ``most``.

        Measured here in one go, where Qt's resizeColumnsToContents asks the model for
        each cell in a call of its own: while a worker thread checks a file, each of
        those calls waits for the interpreter in turn (30–80 ms of a frozen window).
        """
        model = self.model()
        if model is None:
            return
        metrics = self.fontMetrics()
        padding = self._padding()
        for column, texts in enumerate(columns):
            title = str(model.headerData(column, Qt.Orientation.Horizontal) or "")
            widest = max(map(metrics.horizontalAdvance, (title, *texts)))
            self.setColumnWidth(column, min(widest + padding, most))

    def _padding(self) -> int:
        # The cell's margins on both sides, and room for the sort arrow beside the title.
        return 2 * self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 24

    def accept_file_drops(self) -> None:
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDropIndicatorShown(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        path, reason = dropped_spreadsheet(event.mimeData())
        if path is None:
            self.dropRefused.emit(reason)
            event.ignore()
            return
        event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        row = self.indexAt(event.position().toPoint())
        if row.isValid():
            self.selectRow(row.row())  # shows which list the file would go to
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path, _refusal = dropped_spreadsheet(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.fileDropped.emit(path, self.indexAt(event.position().toPoint()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.openRequested.emit(self.currentIndex())
            return
        if event.matches(QKeySequence.StandardKey.MoveToEndOfDocument):  # Ctrl+End
            paged = self.paged_model()
            if paged is not None and not paged.fully_loaded:
                paged.tasks.start(self._end_once_loaded(paged))
                return
        super().keyPressEvent(event)

    def paged_model(self) -> PagedTableModel[Any] | None:
        """The server-paged model under this table's proxy, if it shows one."""
        model = self.model()
        while isinstance(model, QAbstractProxyModel):
            model = model.sourceModel()
        return model if isinstance(model, PagedTableModel) else None

    async def _end_once_loaded(self, paged: PagedTableModel[Any]) -> None:
        # The view knows only the pages loaded so far; its "end" would be row 100 of 5,000.
        if await paged.load_all() and isValid(self) and self.model().rowCount():
            self.select_row(self.model().rowCount() - 1)

    def copy_selection(self) -> None:
        """Selected cells as tab-separated lines, ready to paste into a spreadsheet."""
        selection = self.selectionModel()
        if selection is None:
            return
        indexes = sorted(selection.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        columns = sorted({i.column() for i in indexes if not self.isColumnHidden(i.column())})
        lines: dict[int, dict[int, str]] = {}
        for index in indexes:
            lines.setdefault(index.row(), {})[index.column()] = str(index.data() or "")
        text = "\n".join(
            "\t".join(cells.get(column, "") for column in columns) for cells in lines.values()
        )
        QGuiApplication.clipboard().setText(text)

    def select_row(self, row: int) -> None:
        index = self.model().index(row, 0)
        self.setCurrentIndex(index)
        self.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)


Button = QMessageBox.StandardButton


def ask(
    parent: QWidget,
    title: str,
    text: str,
    *,
    go: tuple[Button, str | None],
    stay: tuple[Button, str | None],
    answered: Callable[[bool], object],
    default_go: bool = False,
) -> QMessageBox:
    """A question with two answers, opened (never exec'd, see DESIGN.md); `answered(True)`
    when the person chose `go`. Each answer is a standard button (it keeps its role on
    every platform) with the words of this question, or its own when None."""
    question = QMessageBox(QMessageBox.Icon.Question, title, text, go[0] | stay[0], parent)
    for button, words in (go, stay):
        if words is not None:
            question.button(button).setText(words)
    question.setDefaultButton(go[0] if default_go else stay[0])
    question.finished.connect(lambda answer: answered(answer == go[0]))
    question.open()
    return question


class TableWithStates(QStackedWidget):
    """A table, or in its place a sentence saying why there is nothing to show.

    When a later page fails, the rows already shown stay, with a line under them
    saying so and a Retry that goes on from there.
    """

    retryRequested = Signal()
    clearRequested = Signal()

    def __init__(
        self, table: DataTable, model: PagedTableModel[Any], noun: str, plural: str
    ) -> None:
        super().__init__()
        self.table = table
        self.model = model
        self.noun = noun  # "price list", "price"
        self.plural = plural  # "price lists", "prices"
        # The filters in use, a phrase each ("name contains “x”"), for "No … matches".
        self.empty_hint: list[str] = []

        self.message_page = QWidget()
        self.message = QLabel()
        self.message.setObjectName("stateMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.retry_button = QPushButton(_("Retry"))
        self.retry_button.clicked.connect(self.retryRequested)
        self.clear_button = QPushButton(_("Clear filters"))
        self.clear_button.clicked.connect(self.clearRequested)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch()
        layout = QVBoxLayout(self.message_page)
        layout.addStretch()
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addStretch()

        self.more_failed = QLabel()
        self.more_failed.setObjectName("moreFailed")
        self.more_failed.setWordWrap(True)
        self.more_retry = QPushButton(_("Retry"))
        self.more_retry.clicked.connect(model.retry)
        self.more_bar = QFrame()
        named(self.more_bar, "moreBar")
        bar = QHBoxLayout(self.more_bar)
        bar.setContentsMargins(6, 2, 6, 2)
        bar.addWidget(self.more_failed, 1)
        bar.addWidget(self.more_retry)
        self.table_page = QWidget()
        table_layout = QVBoxLayout(self.table_page)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.setSpacing(0)
        table_layout.addWidget(table, 1)
        table_layout.addWidget(self.more_bar)

        self.addWidget(self.table_page)
        self.addWidget(self.message_page)
        model.stateChanged.connect(self.refresh)
        model.modelReset.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        state, has_rows = self.model.state, bool(self.model.rows)
        self.retry_button.setVisible(state is LoadState.FAILED)
        self.clear_button.setVisible(False)
        self.more_bar.setVisible(has_rows and state is LoadState.FAILED)
        if has_rows:
            if state is LoadState.FAILED:
                loaded = len(self.model.rows)
                only = n_(
                    "Only the first {count} {noun} could be loaded.",
                    "Only the first {count} {plural} could be loaded.",
                    loaded,
                ).format(count=local_integer(loaded), noun=self.noun, plural=self.plural)
                self.more_failed.setText(f"{only} {self.model.error}")
            self.setCurrentWidget(self.table_page)
            return
        if state is LoadState.LOADING:
            # A language may put the list's word first: "Fiyat listeleri getiriliyor…".
            self.message.setText(capitalized(_("Loading {plural}…").format(plural=self.plural)))
        elif state is LoadState.FAILED:
            failed = capitalized(_("The {plural} could not be loaded.").format(plural=self.plural))
            self.message.setText(f"{failed}\n{self.model.error}")
        else:
            hint = self.empty_hint
            if hint:
                empty = n_(
                    "No {noun} matches this filter: {filters}.",
                    "No {noun} matches these filters: {filters}.",
                    len(hint),
                ).format(noun=self.noun, filters=", ".join(hint))
            else:
                # None of them: the plural in English, the form a language says none with.
                empty = n_("No {noun} yet.", "No {plural} yet.", 0).format(
                    noun=self.noun, plural=self.plural
                )
            self.message.setText(empty)
            self.clear_button.setVisible(bool(hint))
        self.setCurrentWidget(self.message_page)


BANNER_WORDS = {
    Environment.PRODUCTION: N_("PRODUCTION — changes go to the live store"),
    Environment.STAGING: N_("STAGING"),
    Environment.TEST: N_("TEST"),
    Environment.DEMO: N_("DEMO — sample data on this computer; nothing here is real"),
}


def environment_words(profile: Profile) -> str:
    """'PRODUCTION — Acme': where a change goes, for titles and buttons."""
    if profile.is_production:
        return _("PRODUCTION — {name}").format(name=profile.name)
    return f"{profile.environment.label} — {profile.name}"


class ElidedLabel(QLabel):
    """One line that gives up its width when the window is narrow: the text ends in "…"
    and the whole of it is in the tooltip, instead of holding the window wide open."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M" * 6))

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance(self.text()) + 4, super().sizeHint().height()
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        painter.drawText(self.contentsRect(), int(self.alignment()), shown)


class EnvironmentBanner(QLabel):
    def __init__(self, environment: Environment, where: str) -> None:
        background, foreground = BANNER_COLOURS[environment]
        super().__init__(f"{_(BANNER_WORDS[environment])}   ·   {where}")
        self.setObjectName("environmentBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(
            f"QLabel#environmentBanner {{ background: {background}; color: {foreground};"
            " font-weight: bold; padding: 4px; }"
        )
