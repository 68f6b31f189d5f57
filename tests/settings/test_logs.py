"""The log file: where it is, how it rotates, and that it never holds a credential."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from omnidesk.settings import logs
from omnidesk.settings.paths import log_dir


def test_the_log_goes_to_the_user_log_folder(private_home: Path) -> None:
    written = logs.configure("omnidesk.log")
    logging.getLogger("omnidesk.test").warning("the import of %s stopped", "fiyatlar.xlsx")
    assert written == log_dir() / "omnidesk.log"
    assert str(private_home) in str(written)  # the test's own home, never the real one
    assert "the import of fiyatlar.xlsx stopped" in written.read_text(encoding="utf-8")


def test_info_by_default_and_debug_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    written = logs.configure("omnidesk.log")
    assert written is not None
    logging.getLogger("omnidesk.test").debug("not kept by default")
    monkeypatch.setenv(logs.LEVEL_VARIABLE, "debug")
    logs.configure("omnidesk.log")
    logging.getLogger("omnidesk.test").debug("kept when asked")
    text = written.read_text(encoding="utf-8")
    assert "not kept by default" not in text
    assert "kept when asked" in text


def test_the_file_rotates_instead_of_growing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    written = logs.configure("omnidesk.log")
    assert written is not None
    for line in range(200):
        logging.getLogger("omnidesk.test").warning("line %d of a chatty session", line)
    generations = sorted(written.parent.glob("omnidesk.log*"))
    assert len(generations) == 1 + logs.BACKUPS
    assert all(path.stat().st_size <= 2_000 + 200 for path in generations)


def test_a_log_folder_that_cannot_be_written_is_no_reason_to_stop(
    private_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = private_home / "state-is-a-file"
    blocked.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    assert logs.configure("omnidesk.log") is None
    assert logs.log_file() is None
    logging.getLogger("omnidesk.test").warning("still fine")


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("send_request_headers: [(b'Authorization', b'Token 4f1c9e0a77b2')]", "4f1c9e0a77b2"),
        ("headers={'authorization': 'Bearer eyJhbGciOi.payload.sig'}", "eyJhbGciOi.payload.sig"),
        ('body={"username": "ayse", "password": "Kasım-2024!"}', "Kasım-2024!"),
        ('answer {"key": "9b2d5c1e0f3a4b6c"}', "9b2d5c1e0f3a4b6c"),
        ("login to https://ayse:gizli-parola@omnitron.example/", "gizli-parola"),
    ],
)
def test_credentials_are_blanked_by_their_shape(line: str, secret: str) -> None:
    redacted = logs.redact(line)
    assert secret not in redacted
    assert logs.HIDDEN in redacted


def test_a_secret_handed_over_is_blanked_anywhere_even_in_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    written = logs.configure("omnidesk.log")
    assert written is not None
    logs.keep_out_of_logs("Zr7-parola-q")
    try:
        raise ValueError("the server echoed Zr7-parola-q back")
    except ValueError:
        logging.getLogger("omnidesk.test").exception("while signing in with Zr7-parola-q")
    text = written.read_text(encoding="utf-8")
    assert "Zr7-parola-q" not in text
    assert "ValueError: the server echoed [hidden] back" in text
    assert logs.redact("cache_key abc") == "cache_key abc"  # what support needs stays
