"""OmniDesk: a desktop app for Omnitron price lists and stock lists."""

__version__ = "0.1.0"

# The app's reverse-DNS id: the .desktop file's and the AppStream metainfo's name, and
# what Qt tells the desktop (setDesktopFileName) so windows find their icon and entry.
APP_ID = "io.github.omnidesk.OmniDesk"
# What the window manager and task bar call the app (QApplication's display name); window
# titles end with it (ui/main_window.py window_title).
APP_DISPLAY_NAME = "OmniDesk"
# Said by Help ▸ About and the AppStream metainfo (tests/test_packaging.py keeps them equal).
LICENCE = "MIT"
HOMEPAGE = "https://github.com/omnidesk/omnidesk"
