"""OmniDesk: a desktop app for Omnitron price lists and stock lists."""

__version__ = "0.1.0"
