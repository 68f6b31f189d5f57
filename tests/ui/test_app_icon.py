"""The application's icon loads (Qt's SVG image plugin is there) and the app is named by its id."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from omnidesk import APP_ID
from omnidesk.app import app_icon, name_application


@pytest.fixture
def named_app(qapp: QApplication) -> Iterator[QApplication]:
    """The test session's application, named as the app names itself; its names restored after."""
    saved = (
        qapp.applicationName(),
        qapp.applicationDisplayName(),
        qapp.organizationName(),
        qapp.windowIcon(),
        qapp.desktopFileName(),
    )
    name_application(qapp)
    yield qapp
    name, display_name, organisation, icon, desktop_file = saved
    qapp.setApplicationName(name)
    qapp.setApplicationDisplayName(display_name)
    qapp.setOrganizationName(organisation)
    qapp.setWindowIcon(icon)
    qapp.setDesktopFileName(desktop_file)


def test_the_svg_icon_renders_at_every_size(qapp: QApplication) -> None:
    icon = app_icon()
    assert not icon.isNull()
    for size in (16, 32, 64, 256):
        image = icon.pixmap(size, size).toImage()
        assert not image.isNull()
        assert image.width() == size
        # Drawn, not blank: the tile's middle is opaque, its rounded corner transparent.
        assert image.pixelColor(size // 2, size // 2).alpha() == 255
        assert image.pixelColor(0, 0).alpha() < 128


def test_the_application_carries_the_icon_and_the_desktop_id(named_app: QApplication) -> None:
    assert not named_app.windowIcon().isNull()
    assert not named_app.windowIcon().pixmap(64, 64).isNull()
    assert named_app.desktopFileName() == APP_ID
