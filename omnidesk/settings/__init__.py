"""Where OmniDesk keeps its settings: connection profiles on disk, tokens in the OS keyring."""

from .profiles import Environment, Profile, ProfileStore
from .secrets import TokenStore

__all__ = ["Environment", "Profile", "ProfileStore", "TokenStore"]
