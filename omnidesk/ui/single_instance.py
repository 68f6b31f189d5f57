"""One window per person: a second `omnidesk FILE` (or "Open with" OmniDesk) hands the
file to the window already running instead of starting a second copy of the app.

The running window listens on a local socket (a Unix socket or a Windows named pipe)
that only its user may open; its name comes from the user and the settings folder,
so two people on one machine, or a test's private home, never meet. A new start tries
to hand its files over first; nobody answering, it becomes the one that listens.

The exchange is one line each way: ``{"files": ["/abs/path", …]}`` then ``ok``.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from omnidesk.settings.paths import config_dir

log = logging.getLogger(__name__)

HAND_OVER_TIMEOUT_MS = 5_000  # a busy window answers within this; a frozen one does not
LARGEST_MESSAGE = 256 * 1024  # thousands of file paths; anything longer is not ours
ANSWER = b"ok\n"


def instance_name() -> str:
    """The socket's name: the same for every start of this user with these settings."""
    owner = f"{getpass.getuser()}\0{config_dir()}"
    return "omnidesk-" + hashlib.sha256(owner.encode()).hexdigest()[:20]


def hand_over(files: tuple[Path, ...], name: str | None = None) -> bool:
    """Give ``files`` (none: just show yourself) to the running window; False when no
    window runs (or it did not answer in time), and this start should open its own."""
    socket = QLocalSocket()
    socket.connectToServer(name or instance_name())
    if not socket.waitForConnected(HAND_OVER_TIMEOUT_MS):
        return False
    message = json.dumps({"files": [str(path) for path in files]}).encode() + b"\n"
    socket.write(QByteArray(message))
    socket.waitForBytesWritten(HAND_OVER_TIMEOUT_MS)  # False when all went at once: fine
    answer = b""
    while len(answer) < len(ANSWER):
        if not socket.bytesAvailable() and not socket.waitForReadyRead(HAND_OVER_TIMEOUT_MS):
            break  # the window did not answer in time, or closed the connection
        answer += bytes(socket.readAll().data())
    answered = answer.startswith(ANSWER)
    socket.disconnectFromServer()
    return answered


class InstanceListener(QObject):
    """Listens for later starts; ``filesArrived`` carries each one's files (maybe none)."""

    filesArrived = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or instance_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening, unless a running window still answers on the name (False).

        Asked first, because Qt's listen() would take the name from it: with access
        options it renames its socket over the old one (and Windows lets two servers
        share a pipe). A socket left by a copy that crashed answers nobody: cleared.
        """
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(HAND_OVER_TIMEOUT_MS // 5):
            probe.abort()
            return False  # another window listens (the demo started beside it, say)
        QLocalServer.removeServer(self.name)
        if self.server.listen(self.name):
            return True
        log.warning("cannot listen for other starts: %s", self.server.errorString())
        return False

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while (socket := self.server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        received = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(received) > LARGEST_MESSAGE:
            log.warning("another start sent %d bytes; not a file list", len(received))
            socket.abort()
            return
        if b"\n" not in received:
            self._buffers[socket] = received
            return
        line = received.split(b"\n", 1)[0]
        try:
            files = [Path(path) for path in json.loads(line)["files"]]
        except (ValueError, KeyError, TypeError):
            log.warning("another start sent a message that is not a file list")
            socket.abort()
            return
        socket.write(QByteArray(ANSWER))
        socket.flush()
        self.filesArrived.emit(files)

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        if shiboken6.isValid(socket):  # not already gone with the server that owned it
            socket.deleteLater()
