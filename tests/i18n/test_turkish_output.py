"""Under LANGUAGE=tr OmniDesk speaks Turkish wherever it speaks for itself: the lines the
commands print, their help, and the client's error sentences. (The checker's findings
inside those lines are the spreadsheet layer's, and tested there.)"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from omnidesk import i18n
from omnidesk.api import OmnitronClient, PermissionDenied, RetryPolicy, ServerUnreachable
from omnidesk.cli.parser import build_parser
from omnidesk.sandbox import LIMITED_USER, SandboxServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def turkish() -> Iterator[None]:
    i18n.set_language("tr")
    yield
    i18n.set_language(None)


def omnidesk(language: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, its language chosen the way a person's shell
    chooses it; "pseudo" runs it with every translated sentence as ⟦sentence⟧ (the
    folders are the test's own: see tests/conftest.py)."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env |= {
        "LANGUAGE": language,
        "PYTHONPATH": str(REPO),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    start = ["-m", "omnidesk"]
    if language == i18n.PSEUDO:
        start = ["-c", PSEUDO_MAIN]
    return subprocess.run(
        [sys.executable, *start, *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


PSEUDO_MAIN = (
    "import sys; from omnidesk import i18n; i18n.set_language(i18n.PSEUDO); "
    "from omnidesk.cli import main; sys.exit(main(sys.argv[1:]))"
)


def said(done: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]


def not_whole(lines: list[str]) -> list[str]:
    """The lines that are not one translated sentence each (under the pseudo language):
    some of their words bypassed gettext, or were glued to a translated sentence."""
    wrong = []
    for line in lines:
        text = line.strip().removeprefix("omnidesk: ").removeprefix("! ")
        if not (text.startswith("⟦") and text.endswith("⟧")):
            wrong.append(line)
    return wrong


def a_file_with_an_error(tmp_path: Path) -> Path:
    # 2.00 is a steep cut for every demo price: the guardrail speaks too.
    path = tmp_path / "fiyatlar.csv"
    path.write_text("product__sku,price,tax\n2015227,2.00,18\nNOPE,abc,18\n", encoding="utf-8")
    return path


def test_a_dry_run_on_the_demo_says_every_line_of_its_own_in_turkish(tmp_path: Path) -> None:
    file = a_file_with_an_error(tmp_path)
    arguments = ("import", str(file), "--kind", "price", "--list", "1", "--demo", "--dry-run")
    turkish, pseudo = omnidesk("tr", *arguments), omnidesk(i18n.PSEUDO, *arguments)
    assert (turkish.returncode, pseudo.returncode) == (1, 1), turkish.stderr
    assert "Traceback" not in turkish.stderr
    told = said(turkish)
    assert len(told) == len(said(pseudo)) >= 8  # the same steps, told line for line
    assert not_whole(said(pseudo)) == []
    assert "fiyatlar.csv — “fiyatlar” sayfası, fiyat listesi dosyası" in told
    assert "2 satır kontrol edildi: 1 kullanılabilir (0 uyarılı), 1 hatalı." in told
    assert any(line.startswith("Hedef: fiyat listesi “") for line in told)
    assert any(line.startswith("Listeyle karşılaştırıldı: ") for line in told)
    assert "Deneme çalıştırması: 1 satır gönderilecekti; hiçbir şey gönderilmedi." in told
    assert turkish.stderr.startswith("omnidesk: --dry-run olmasaydı komut burada dururdu: ")
    assert "koruma kuralına bakılması gerekiyor" in turkish.stderr


def test_validate_says_its_summary_and_columns_in_turkish(tmp_path: Path) -> None:
    file = a_file_with_an_error(tmp_path)
    turkish = omnidesk("tr", "validate", str(file), "--kind", "price")
    pseudo = omnidesk(i18n.PSEUDO, "validate", str(file), "--kind", "price")
    assert (turkish.returncode, pseudo.returncode) == (1, 1), turkish.stderr
    assert not_whole(said(pseudo)) == []
    told = said(turkish)
    assert len(told) == len(said(pseudo))
    assert "2 satır: 1 kullanılabilir (0 uyarılı), 1 hatalı." in told
    assert any(line.startswith("  sütun 'price'") and line.endswith("→ price") for line in told)
    assert any(line.startswith("satır 3, price: hata: ") for line in told)


def _helps(language: str) -> dict[str, dict[str, str]]:
    """Each command's description and each option's help, as the parser is built in
    ``language`` (argparse's own words, "usage:" and -h, are Python's and stay English)."""
    i18n.set_language(language)
    try:
        parser = build_parser()
    finally:
        i18n.set_language(None)
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    parsers = {"omnidesk": parser, **commands.choices}
    words = {}
    for name, command in parsers.items():
        texts = {"description": command.description or ""}
        texts |= {
            "/".join(action.option_strings or [action.dest]): action.help or ""
            for action in command._actions
            if action.help not in (None, argparse.SUPPRESS)
            and not isinstance(action, argparse._HelpAction | argparse._VersionAction)
        }
        words[name] = texts
    return words


def test_every_help_and_description_of_the_commands_is_turkish() -> None:
    english, turkish = _helps("en"), _helps("tr")
    assert english.keys() == turkish.keys() >= {"validate", "template", "import", "undo", "export"}
    untranslated = [
        f"{command} {option}: {text}"
        for command, texts in english.items()
        for option, text in texts.items()
        if text and turkish[command][option] == text
    ]
    assert untranslated == []
    assert turkish["import"]["--dry-run"] == (
        "yalnızca kontrol eder ve karşılaştırır; hiçbir şey göndermez"
    )
    help_text = omnidesk("tr", "export", "--help")
    assert help_text.returncode == 0
    assert "Bir listenin her satırını içe aktarmanın kendi sütunlarıyla" in help_text.stdout


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.mark.asyncio
async def test_an_unreachable_server_is_said_in_turkish(turkish: None) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with OmnitronClient(url, retry=RetryPolicy(attempts=1)) as client:
        with pytest.raises(ServerUnreachable) as lost:
            await client.price_lists.list()
    assert str(lost.value) == (
        "127.0.0.1 sunucusundan yanıt gelmiyor. Sunucu adresini ve ağ bağlantınızı kontrol "
        "edip yeniden deneyin."
    )


@pytest.mark.asyncio
async def test_a_refused_change_names_the_list_in_turkish(
    turkish: None, sandbox: SandboxServer
) -> None:
    async with OmnitronClient(sandbox.url) as client:
        await client.login(LIMITED_USER, LIMITED_USER)
        with pytest.raises(PermissionDenied) as refused:
            await client.stock_lists.update(1, name="Başka")
    assert str(refused.value) == (
        "Hesabınızın bu stok listesini değiştirme yetkisi yok. Erişim için Omnitron "
        "yöneticinize başvurun."
    )
