"""Following a server's import job: the one polling loop, used by the client and the workflow.

Polled often at first (a small file is done in a second), then less, up to every
few seconds. A caller that can wait out trouble (a dropped connection, a 503)
says so with ``on_trouble``; the job runs on the server whatever happens here.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable

from omnidesk.i18n import _

from . import contract
from .errors import ImportStatusUnclear, ServerError, ServerUnreachable
from .models import ImportStatus

Sleep = Callable[[float], Awaitable[None]]
FIRST_INTERVAL = 0.25
LONGEST_INTERVAL = 3.0
GROWTH = 1.5


async def poll_import(
    get_status: Callable[[], Awaitable[ImportStatus]],
    *,
    sleep: Sleep,
    first_interval: float = FIRST_INTERVAL,
    max_interval: float = LONGEST_INTERVAL,
    growth: float = GROWTH,
    on_trouble: Callable[[ServerUnreachable | ServerError], None] | None = None,
    patience: float | None = None,  # None: contract.UNCLEAR_STATUS_PATIENCE, read when called
    clock: Callable[[], float] = time.monotonic,
    noun: str | None = None,  # None: "list", in the language spoken when it is said
) -> AsyncIterator[ImportStatus]:
    """Each status of the job until it finishes.

    Without ``on_trouble`` a failed poll raises; with it, the trouble is reported
    and polling goes on after the longest interval. A job whose statuses do not say
    how it goes (V10: a word the client does not know, no progress) is followed for
    ``patience`` seconds, then ImportStatusUnclear sends the person to Omnitron (the
    ``noun`` names the list there); a status that can be measured again starts the
    wait afresh.
    """
    interval = first_interval
    unclear_since: float | None = None
    patience = contract.UNCLEAR_STATUS_PATIENCE if patience is None else patience
    while True:
        try:
            status = await get_status()
        except (ServerUnreachable, ServerError) as trouble:
            if on_trouble is None:
                raise
            on_trouble(trouble)
            await sleep(max_interval)
            continue
        yield status
        if status.finished:
            return
        if status.measurable:
            unclear_since = None
        elif unclear_since is None:
            unclear_since = clock()
        elif clock() - unclear_since >= patience:
            raise ImportStatusUnclear(noun or _("list"), status.word, patience / 60)
        await sleep(interval)
        interval = min(max_interval, interval * growth)
