"""The questions the wizard asks before a file goes: the same file again, the live store."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from ..formatting import local_datetime
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
        "Import the same file again?",
        f"This very file was imported into “{earlier.list_name}” on "
        f"{local_datetime(earlier.started_at)} ({earlier.state.value}). Import it again?",
        go=(QMessageBox.StandardButton.Yes, "Import again"),
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
        "Upload to production?",
        f"{count:,} rows go to “{target.name if target else ''}” on {wizard.profile.name}, "
        "the live store: shoppers see the new values as soon as the server has "
        "processed them. Upload now?",
        go=(QMessageBox.StandardButton.Yes, f"Upload to {wizard.profile.name}"),
        stay=(QMessageBox.StandardButton.No, "Not yet"),
        answered=lambda go: settle(answered, go),
    )
    return await answered
