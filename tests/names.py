import itertools

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    """A list name no other test uses, so tests sharing one sandbox never collide."""
    return f"{prefix} {next(_counter):04d}"
