"""The sign-in dialog: choose (or add) a server, give username and password, and the
6-digit code when the account has two-factor sign-in.

It also comes back by itself when a token expires: then the server is fixed and
only the password is asked for (and the code again), and the interrupted action
continues after.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Protocol

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from omnidesk.api import CodeRefused, OmnitronError, TwoFactorRequired
from omnidesk.i18n import N_, _
from omnidesk.settings import Environment, Profile
from omnidesk.settings.profiles import check_base_url, clean_base_url

from .style import Tone, mark


class Connect(Protocol):
    """Signs in: with the password first; when that raised TwoFactorRequired, with the
    person's 6-digit code (the password then is the one given before)."""

    def __call__(
        self, profile: Profile, password: str, code: str | None = None
    ) -> Awaitable[None]: ...


NEW_SERVER = N_("New server…")


class SignInDialog(QDialog):
    def __init__(
        self,
        profiles: list[Profile],
        connect: Connect,
        *,
        expired: Profile | None = None,
        offer_demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``offer_demo``: nobody has signed in on this computer yet, so the first screen
        offers the demo (a local store with made-up lists) beside a real server."""
        super().__init__(parent)
        self.setWindowTitle(_("Sign in to Omnitron"))
        self.setMinimumWidth(460)
        self.profiles = [expired] if expired else profiles
        self.connect_to = connect
        self.signed_in_profile: Profile | None = None
        self.demo_chosen = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.profile = QComboBox()
        for profile in self.profiles:
            self.profile.addItem(f"{profile.name} ({profile.environment.label})", profile)
        if not expired:
            self.profile.addItem(_(NEW_SERVER), None)
        self.server_name = QLineEdit()
        self.server_name.setPlaceholderText(_("e.g. Acme staging"))
        self.address = QLineEdit()
        self.address.setPlaceholderText("https://acme.omnitron.example")
        self.environment = QComboBox()
        for environment in (Environment.PRODUCTION, Environment.STAGING, Environment.TEST):
            self.environment.addItem(environment.label, environment)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # The second step's code: typed, sent once, cleared; never kept anywhere.
        self.code = QLineEdit()
        self.code.setObjectName("totpCode")
        self.code.setPlaceholderText(_("6-digit code"))
        self.code.setMaxLength(7)  # room for the space apps show in the middle
        self.code.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"\d{0,3} ?\d{0,3}"), self.code)
        )
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.back = QPushButton(_("Back"))
        self.back.setToolTip(_("Sign in with your password again"))
        self.back.clicked.connect(self._password_step)
        self.back.hide()
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        mark(self.warning, Tone.WARNING)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        mark(self.error, Tone.ERROR)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress_note = QLabel()  # "Signing in…": news, not an error
        self.progress_note.setObjectName("signInProgress")

        self.form = QFormLayout()
        self.form.addRow(_("Server"), self.profile)
        self.form.addRow(_("Name"), self.server_name)
        self.form.addRow(_("Address"), self.address)
        self.form.addRow(_("Environment"), self.environment)
        self.form.addRow(_("Username"), self.username)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Code"), self.code)
        self.form.setRowVisible(self.code, False)
        self.code_step = False

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(_("Sign in"))
        self.buttons.addButton(self.back, QDialogButtonBox.ButtonRole.ResetRole)
        self.try_demo = QPushButton(_("Try the demo"))
        self.try_demo.setObjectName("tryDemo")
        self.try_demo.setToolTip(
            _("Look around on a store on this computer, with made-up lists: nothing you do "
              "reaches a real server.")
        )  # fmt: skip
        self.try_demo.clicked.connect(self._demo)
        self.offers_demo = offer_demo and not expired
        if self.offers_demo:
            self.buttons.addButton(self.try_demo, QDialogButtonBox.ButtonRole.ActionRole)
        else:
            self.try_demo.hide()
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.profile.currentIndexChanged.connect(self._profile_chosen)
        self.address.textChanged.connect(self._show_warning)
        self.expired = expired
        self._password_step()

    def _password_step(self) -> None:
        """The first step: where, who, and the password (again after Back)."""
        self.code_step = False
        self.code.clear()
        self.form.setRowVisible(self.code, False)
        self.form.setRowVisible(self.profile, True)
        self.form.setRowVisible(self.username, True)
        self.form.setRowVisible(self.password, True)
        self._profile_chosen()
        self.back.hide()
        self.try_demo.setVisible(self.offers_demo)
        self.sign_in_button.setText(_("Sign in"))
        self.error.setText("")
        if self.expired:
            self.intro.setText(
                _(
                    "Your session on {server} has ended. Sign in again to continue; what you "
                    "were doing carries on after."
                ).format(server=self.expired.name)
            )
        elif self.offers_demo:
            self.intro.setText(
                _("Sign in to your Omnitron server, or try OmniDesk first on the demo store.")
            )
        else:
            self.intro.setText(_("Choose the Omnitron server and sign in."))
        self.password.selectAll()

    def _demo(self) -> None:
        self.demo_chosen = True
        self.accept()

    def _code_step(self, profile: Profile) -> None:
        """The second step: the password was right, the account wants its code too."""
        self.code_step = True
        for field in (
            self.profile, self.server_name, self.address, self.environment,
            self.username, self.password,
        ):  # fmt: skip
            self.form.setRowVisible(field, False)
        self.form.setRowVisible(self.code, True)
        self.back.show()
        self.try_demo.hide()
        self.sign_in_button.setText(_("Verify"))
        self.intro.setText(
            _(
                "{user} on {server} signs in with a second step: enter the 6-digit code your "
                "authenticator app shows for this account."
            ).format(user=profile.username, server=profile.name)
        )
        self.error.setText("")
        self.code.clear()
        self.code.setFocus()

    def _chosen(self) -> Profile | None:
        chosen = self.profile.currentData()
        return chosen if isinstance(chosen, Profile) else None

    def _profile_chosen(self) -> None:
        chosen = self._chosen()
        adding = chosen is None
        for field in (self.server_name, self.address, self.environment):
            self.form.setRowVisible(field, adding)
        if chosen is not None:
            self.username.setText(chosen.username)
            self.password.setFocus()
        else:
            self.server_name.setFocus()
        self._show_warning()

    def _profile_from_form(self) -> Profile | str:
        """The profile to sign in with, or what is missing, in words."""
        username = self.username.text().strip()
        chosen = self._chosen()
        if chosen is None:
            name = self.server_name.text().strip()
            address = clean_base_url(self.address.text())
            if not name:
                return _("Give this server a name, so you can pick it next time.")
            if problem := check_base_url(address):
                return problem
            # Qt hands enum data back as plain text: make it an Environment again.
            environment = Environment(self.environment.currentData())
            chosen = Profile(name, address, username, environment)
        if not username:
            return _("Enter your username.")
        if not self.password.text():
            return _("Enter your password.")
        return Profile(chosen.name, chosen.base_url, username, chosen.environment)

    def _show_warning(self) -> None:
        chosen = self._chosen()
        address = self.address.text().strip() if chosen is None else chosen.base_url
        warning = Profile("", address, "").insecure_warning if address else None
        self.warning.setText(warning or "")
        self.warning.setVisible(bool(warning))

    @asyncSlot()
    async def submit(self) -> None:
        if not self.sign_in_button.isEnabled():
            return  # already signing in: one request at a time
        profile = self._profile_from_form()
        if isinstance(profile, str):
            self.error.setText(profile)
            return
        code: str | None = None
        if self.code_step:
            code = "".join(self.code.text().split())
            self.code.clear()  # sent once at most, never kept
            if len(code) != 6:
                self.error.setText(_("Enter the 6 digits your authenticator app shows."))
                self.code.setFocus()
                return
        # Said in plain text, not in the error's colour: nothing has gone wrong.
        self.error.setText("")
        self.progress_note.setText(_("Verifying the code…") if code else _("Signing in…"))
        self.sign_in_button.setEnabled(False)
        try:
            if code is None:
                await self.connect_to(profile, self.password.text())
            else:
                await self.connect_to(profile, self.password.text(), code)
        except TwoFactorRequired:
            self._code_step(profile)
            return
        except CodeRefused as refused:
            self.error.setText(
                _(
                    "{refused} If it keeps failing, check that your device's clock is right, "
                    "or go Back and sign in with your password again."
                ).format(refused=refused)
            )
            self.code.setFocus()
            return
        except OmnitronError as problem:
            self.error.setText(str(problem))
            if self.code_step:
                self.code.setFocus()
            else:
                self.password.selectAll()
                self.password.setFocus()
            return
        finally:
            self.sign_in_button.setEnabled(True)
            self.progress_note.setText("")
        self.signed_in_profile = profile
        self.password.clear()
        self.accept()
