"""Everything PySide6: the main window, list views and models, dialogs and widgets."""
