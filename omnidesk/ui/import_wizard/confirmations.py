"""The questions the wizard asks before a file goes: the same file again, the live store."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from omnidesk.i18n import _, n_

from ..formatting import local_datetime, local_integer
from ..tasks import settle
from ..widgets import ask

if TYPE_CHECKING:
    from .wizard import ImportWizard


async def not_a_repeat(wizard: ImportWizard) -> bool:
    """This very file went to this list before: asked once more."""
    draft = wizard.draft
    assert draft is not None
    await draft.fingerprint()
    earlier = draft.earlier_import(wizard.journal, wizard.session.client.base_url)
    if earlier is None:
        return True
    answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    wizard.question = ask(
        wizard,
        _("Import the same file again?"),
        _("This very file was imported into “{name}” on {when} ({state}). Import it again?").format(
            name=earlier.list_name,
            when=local_datetime(earlier.started_at),
            state=earlier.state.words,
        ),
        go=(QMessageBox.StandardButton.Yes, _("Import again")),
        stay=(QMessageBox.StandardButton.No, None),
        answered=lambda again: settle(answered, again),
    )
    return await answered


async def on_production(wizard: ImportWizard) -> bool:
    """On the live store, once more: the Upload button said where; this asks."""
    if not wizard.goes_to_production or wizard.profile is None:
        return True
    count = wizard.changes_page.rows_to_upload()
    target = wizard.target
    answered: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
    wizard.question = ask(
        wizard,
        _("Upload to production?"),
        n_(
            "{count} row goes to “{list}” on {store}, the live store: shoppers see the "
            "new values as soon as the server has processed them. Upload now?",
            "{count} rows go to “{list}” on {store}, the live store: shoppers see the "
            "new values as soon as the server has processed them. Upload now?",
            count,
        ).format(
            count=local_integer(count),
            list=target.name if target else "",
            store=wizard.profile.name,
        ),
        go=(
            QMessageBox.StandardButton.Yes,
            _("Upload to {store}").format(store=wizard.profile.name),
        ),
        stay=(QMessageBox.StandardButton.No, _("Not yet")),
        answered=lambda go: settle(answered, go),
    )
    return await answered
