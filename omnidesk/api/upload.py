"""A streamed multipart/form-data body for one file, reporting the bytes handed to the network.

httpx can build multipart bodies itself, but it cannot say how far an upload
has got. This body is produced chunk by chunk, each chunk is counted as the
transport takes it, and its length is known in advance (Content-Length), so a
progress bar can show real bytes sent.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path

CHUNK_SIZE = 64 * 1024

ProgressCallback = Callable[[int, int], None]  # (bytes sent, bytes in all)

CONTENT_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}


def _quote(filename: str) -> str:
    # The HTML5 rule that browsers and python-multipart agree on.
    return (
        filename.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    )


class FileUpload:
    """The body of one upload of `path` in the form field `field`. Reusable for a retry."""

    def __init__(
        self, path: Path, *, field: str = "file", on_progress: ProgressCallback | None = None
    ) -> None:
        self.path = path
        self.on_progress = on_progress
        self.boundary = secrets.token_hex(16)
        content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        self._head = (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{field}"; filename="{_quote(path.name)}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self.file_size = os.path.getsize(path)
        self.length = len(self._head) + self.file_size + len(self._tail)

    @property
    def headers(self) -> dict[str, str]:
        return {
            "Content-Type": f"multipart/form-data; boundary={self.boundary}",
            "Content-Length": str(self.length),
        }

    async def chunks(self) -> AsyncIterator[bytes]:
        sent = 0
        self._report(sent)
        yield self._head
        sent += len(self._head)
        # Disk reads happen off the event loop: it may be the UI's.
        source = await asyncio.to_thread(open, self.path, "rb")
        try:
            while chunk := await asyncio.to_thread(source.read, CHUNK_SIZE):
                yield chunk
                sent += len(chunk)
                self._report(sent)
        finally:
            source.close()
        yield self._tail
        self._report(self.length)

    def _report(self, sent: int) -> None:
        if self.on_progress is not None:
            self.on_progress(sent, self.length)
