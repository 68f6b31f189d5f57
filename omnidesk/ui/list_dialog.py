"""New… and Edit… for price lists and stock lists, checked while the person types.

Every documented rule is checked on each keystroke; after a short pause the
server is asked whether the name or code is taken. Whatever the server still
refuses is shown on its field (or in the banner), and the dialog stays open
with everything typed.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from omnidesk import kinds
from omnidesk.api import (
    CURRENCIES,
    DEFAULT_CURRENCY,
    AnyList,
    ListKind,
    ListResource,
    OmnitronClient,
    OmnitronError,
    PriceList,
    ServerUnreachable,
    StockList,
    ValidationFailed,
)
from omnidesk.api.rules import ListFields, changed_fields, check_list_fields
from omnidesk.api.session import Session
from omnidesk.i18n import N_, _, capitalized
from omnidesk.settings import Profile

from .formatting import currency_name, local_datetime
from .style import Tone, mark, named
from .tasks import BackgroundTasks
from .widgets import EnvironmentBanner, ask, environment_words

UNIQUENESS_PAUSE_MS = 400
DIALOG_WIDTH = 560
# With its Alt key, also when it comes back after "Saving…" (Qt's own "Save" has none).
SAVE_WORDS = N_("&Save")


def fields_of(row: PriceList | StockList) -> ListFields:
    return ListFields(
        name=row.name,
        code=row.code or "",
        is_auto_sync=row.is_auto_sync,
        currency=row.currency,
    )


class ListDialog(QDialog):
    saved = Signal(object)  # the PriceList or StockList as the server stored it

    def __init__(
        self,
        kind: ListKind,
        session: Session,
        tasks: BackgroundTasks,
        existing: PriceList | StockList | None = None,
        *,
        profile: Profile | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.session = session
        self.tasks = tasks
        self.existing = existing
        self.words = kinds.info(kind)
        noun = self.words.noun
        self.noun = noun
        title = _("Edit {noun}") if existing else _("New {noun}")
        title = capitalized(title.format(noun=noun))
        if profile is not None:  # a window of its own: it says where the list is saved
            title += f" — {environment_words(profile)}"
        self.setWindowTitle(title)
        # One width whatever messages come and go below the fields; only the height follows.
        self.setFixedWidth(DIALOG_WIDTH)
        self.saving = False
        self.requests_sent = 0
        self._confirmed_discard = False
        self.server_errors: dict[str, str] = {}
        self.taken: dict[str, str] = {}  # field → "Already used by …"
        self._uniqueness: asyncio.Task[None] | None = None
        # A create whose answer was lost may have been saved: these are its fields.
        self._maybe_created: ListFields | None = None
        # The fields the server last said no other list had (name and code free).
        self._known_free: ListFields | None = None

        self.banner = QLabel()
        named(self.banner, "dialogBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.name = QLineEdit()
        self.name.setPlaceholderText(_("e.g. Outlet prices autumn"))
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("the list's ID in the ERP (optional)"))
        self.auto_sync = QCheckBox(_("&Keep in sync with the ERP (auto-sync)"))
        # Parented by the form below, after the fields above it, so Tab goes name →
        # code → auto-sync → currency. A stock list has no currency: see below.
        self.currency = QComboBox()
        self.error_labels = {field: self._error_label() for field in ("name", "code", "currency")}

        form = QFormLayout()
        form.addRow(_("&Name"), self.name)  # Alt+N, Alt+C, Alt+K, Alt+U, Alt+S: as underlined
        form.addRow("", self.error_labels["name"])
        form.addRow(_("&Code"), self.code)
        form.addRow("", self.error_labels["code"])
        form.addRow("", self.auto_sync)
        if self.words.has_currency:
            self._fill_currencies()
            form.addRow(_("C&urrency"), self.currency)
            form.addRow("", self.error_labels["currency"])
        else:
            # A kind without a currency still makes it a child, hidden: a parentless
            # widget would outlive the dialog.
            self.currency.setParent(self)
            self.currency.hide()

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate: we cannot know how long the server takes
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_(SAVE_WORDS))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if profile is not None:
            # The profile's name: the address is on the window behind, and would not fit.
            environment = EnvironmentBanner(profile.environment, profile.name)
            environment.setWordWrap(True)  # the dialog's width is fixed
            layout.addWidget(environment)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)

        if existing is not None:
            self._show_fields(fields_of(existing))
        else:
            self.auto_sync.setChecked(self.words.auto_sync_by_default)  # as the server does
        self.original = self.values

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(UNIQUENESS_PAUSE_MS)
        self._pause.timeout.connect(self._start_uniqueness_check)
        self.name.textEdited.connect(lambda: self._edited("name"))
        self.code.textEdited.connect(lambda: self._edited("code"))
        self.auto_sync.toggled.connect(lambda: self._edited("code"))
        self.currency.currentIndexChanged.connect(lambda: self._edited("currency"))
        self.currency.editTextChanged.connect(lambda: self._edited("currency"))
        # Nothing is wrong with a form nobody has filled in yet: its problems show from
        # the first change, or when the person tries to save.
        self.problems_shown = existing is not None
        self.validate()
        self.name.setFocus()  # Ctrl+N, then type: the name comes first

    def _same_name_as(self, other: PriceList | StockList) -> str:
        # Its name is the one typed: what tells the other list apart is its code, or its age.
        if other.code:
            return _("Already used by the {noun} with code “{code}”.").format(
                noun=self.noun, code=other.code
            )
        created = local_datetime(other.created_date)
        return _("Already used by another {noun}, created {date}.").format(
            noun=self.noun, date=created
        )

    def _error_label(self) -> QLabel:
        label = QLabel(self)
        label.setWordWrap(True)
        label.setMinimumWidth(380)
        mark(label, Tone.ERROR)
        label.hide()
        return label

    def _fill_currencies(self) -> None:
        self.currency.setEditable(True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for code in CURRENCIES:  # `try` first, as the contract says
            # The code as the tables show it (TRY); the server's own spelling is the data.
            self.currency.addItem(f"{code.upper()} — {currency_name(code)}", code)
        line = self.currency.lineEdit()
        if line is not None:  # typed in to find a currency: named as its combo box
            line.setAccessibleName(_("Currency"))
        completer = QCompleter(self.currency.model(), self.currency)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "lira" finds try
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.currency.setCompleter(completer)
        self.currency.setCurrentIndex(self.currency.findData(DEFAULT_CURRENCY))

    def _show_fields(self, fields: ListFields) -> None:
        self.name.setText(fields.name)
        self.code.setText(fields.code)
        self.auto_sync.setChecked(fields.is_auto_sync)
        if fields.currency is not None:
            index = self.currency.findData(fields.currency)
            if index < 0:  # a currency the server has and we do not know: keep it
                self.currency.addItem(fields.currency.upper(), fields.currency)
                index = self.currency.count() - 1
            self.currency.setCurrentIndex(index)

    # -- what the person typed --------------------------------------------------------------------

    def _chosen_currency(self) -> str | None:
        if not self.words.has_currency:
            return None
        typed = self.currency.currentText().strip()
        index = self.currency.findText(typed)
        if index >= 0:
            data = self.currency.itemData(index)
            return str(data)
        word = typed.split(" ", 1)[0].lower()
        return word if word in CURRENCIES else typed

    @property
    def values(self) -> ListFields:
        return ListFields(
            name=self.name.text().strip(),
            code=self.code.text().strip(),
            is_auto_sync=self.auto_sync.isChecked(),
            currency=self._chosen_currency(),
        )

    @property
    def dirty(self) -> bool:
        return self.values != self.original

    def _edited(self, field: str) -> None:
        self.problems_shown = True
        self.server_errors.pop(field, None)
        if field in ("name", "code"):
            self.taken.pop(field, None)
            self._pause.start()
        if not self.server_errors:
            self.banner.hide()
        self.validate()

    def validate(self) -> bool:
        """Show every problem under its field; Save is enabled only when there is none."""
        problems = check_list_fields(self.kind, self.values)
        for field, label in self.error_labels.items():
            message = problems.get(field) if self.problems_shown else None
            message = message or self.taken.get(field) or self.server_errors.get(field)
            label.setText(message or "")
            label.setVisible(bool(message))
        valid = not problems and not self.taken
        self.save_button.setEnabled(valid and not self.saving)
        self._fit_height()
        return valid

    def _fit_height(self) -> None:
        # The width is fixed; the height grows and shrinks with the messages shown.
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        height = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        self.setFixedHeight(height if height > 0 else layout.totalSizeHint().height())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter means Save. While Save cannot be pressed, Enter says why instead of
        # doing nothing: every problem shows, and the first field with one takes focus.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not self.save_button.isEnabled() and not self.saving:
            self.problems_shown = True
            self.validate()
            fields = {"name": self.name, "code": self.code, "currency": self.currency}
            wrong = [f for f, label in self.error_labels.items() if label.isVisibleTo(self)]
            if wrong:
                fields[wrong[0]].setFocus()
            return
        super().keyPressEvent(event)

    # -- is the name or code taken? ---------------------------------------------------------------

    def _start_uniqueness_check(self) -> None:
        if self._uniqueness is not None:
            self._uniqueness.cancel()
        self._uniqueness = self.tasks.start(self._check_uniqueness(self.values))

    async def _check_uniqueness(self, fields: ListFields) -> None:
        own_pk = self.existing.pk if self.existing else None
        taken: dict[str, str] = {}
        try:
            if fields.name:
                page = await self.session.run(
                    lambda c: self._lists(c).list(name=fields.name, limit=100)
                )
                for row in page.results:
                    if (
                        row.name == fields.name
                        and not self.saving
                        and self._is_the_lost_create(fields, row)
                    ):
                        self._saved_as(fields, row)  # it was saved after all
                        return
                    if row.name == fields.name and row.pk != own_pk:
                        taken["name"] = self._same_name_as(row)
            if fields.code:
                page = await self.session.run(
                    lambda c: self._lists(c).list(code_exact=fields.code, limit=5)
                )
                for row in page.results:
                    if row.pk != own_pk:
                        taken["code"] = _("Already used by “{name}”.").format(name=row.name)
        except OmnitronError:
            return  # cannot ask now; the server will still refuse a duplicate on save
        if not taken:
            self._known_free = fields
        if fields == self.values:  # still what is in the form
            self.taken = taken
            self.validate()

    def _lists(self, client: OmnitronClient) -> ListResource[AnyList]:
        return client.lists(self.kind)

    # -- saving -----------------------------------------------------------------------------------

    @asyncSlot()
    async def save(self) -> None:
        if self.saving or not self.validate():
            return  # one request at a time; a double click saves once
        fields = self.values
        if self.existing is not None:
            body = changed_fields(self.kind, self.original, fields)
            if not body:
                self.accept()  # nothing changed, nothing sent
                return
        else:
            body = fields.as_request(self.kind)
        self._set_saving(True)
        if self._maybe_created == fields and await self._found_the_lost_create(fields):
            return  # the earlier Save had arrived: sending again would be refused
        try:
            row = await self.session.run(self._send(body))
        except ValidationFailed as refused:
            self._show_refusal(refused)
            return
        except ServerUnreachable as lost:
            # Only a name known to be free before sending can be told for ours afterwards.
            if self.existing is None and lost.maybe_applied and self._known_free == fields:
                self._maybe_created = fields
                if await self._found_the_lost_create(fields):
                    return
            self._show_banner(str(lost))
            return
        except OmnitronError as problem:
            self._show_banner(str(problem))
            return
        finally:
            self._set_saving(False)
        self._saved_as(fields, row)

    def _saved_as(self, fields: ListFields, row: PriceList | StockList) -> None:
        self.original = fields
        self.saved.emit(row)
        self.accept()

    def _is_the_lost_create(self, fields: ListFields, row: PriceList | StockList) -> bool:
        # The server said the name was free just before this Save (_known_free), so a
        # list with these very fields that exists now is the one whose answer was lost.
        return self._maybe_created == fields and fields_of(row) == fields

    async def _found_the_lost_create(self, fields: ListFields) -> bool:
        """Closes the dialog as saved if the create whose answer was lost did arrive."""
        try:
            page = await self.session.run(
                lambda c: self._lists(c).list(name=fields.name, limit=100)
            )
        except OmnitronError:
            return False  # still cannot tell
        for row in page.results:
            if self._is_the_lost_create(fields, row):
                self._set_saving(False)
                self._saved_as(fields, row)
                return True
        return False

    def _send(self, body: dict[str, object]) -> Any:
        existing = self.existing

        async def send(client: Any) -> PriceList | StockList:
            self.requests_sent += 1
            lists = self._lists(client)
            if existing is None:
                created: PriceList | StockList = await lists.create(**body)
                return created
            updated: PriceList | StockList = await lists.update(existing.pk, **body)
            return updated

        return send

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.busy.setVisible(saving)
        self.save_button.setText(_("Saving…") if saving else _(SAVE_WORDS))
        self.validate()

    def _show_refusal(self, refused: ValidationFailed) -> None:
        self.server_errors = {}
        elsewhere = list(refused.non_field_errors)
        for field, messages in refused.field_errors.items():
            if field in self.error_labels:
                self.server_errors[field] = " ".join(messages)
            else:
                elsewhere.append(f"{field.replace('_', ' ')}: {' '.join(messages)}")
        if elsewhere:
            text = " ".join(elsewhere)
            if refused.error_code:
                text = _("{problem} (error code {code})").format(
                    problem=text, code=refused.error_code
                )
            self._show_banner(text)
        else:
            self._show_banner(_("The server did not accept this; see below."))
        self.validate()

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()
        self._fit_height()

    # -- leaving ----------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.saving:
            return  # the answer is on its way; leaving now would hide what happened
        if not self.dirty or self._confirmed_discard:
            super().reject()
            return
        self.discard_question = ask(
            self,
            _("Discard changes?"),
            _("This {noun} has changes that are not saved. Discard them?").format(noun=self.noun),
            go=(QMessageBox.StandardButton.Discard, None),
            stay=(QMessageBox.StandardButton.Cancel, _("Keep editing")),
            answered=lambda discard: self._discard() if discard else None,
        )

    def _discard(self) -> None:
        self._confirmed_discard = True
        self.reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
        self.reject()
