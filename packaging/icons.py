"""The app icon for Windows and macOS, made from the one SVG: omnidesk.ico and omnidesk.icns.

    .venv/bin/python packaging/icons.py [OUT_FOLDER]      (default: build/icons)

The PyInstaller spec runs this before it builds, so the icons always match
resources/icons/omnidesk.svg and none is kept in git. Qt draws the SVG at each
size (QSvgRenderer on a QImage); both containers are written here by hand, as
they are simple: an .ico is a directory of PNGs (Windows Vista on reads PNG
entries), an .icns a list of typed PNG chunks (macOS 10.7 on).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "omnidesk.svg"

ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
# The icns chunk type of each size, the Retina (@2x) ones included.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"ic11", 32),  # 16@2x
    (b"icp5", 32),
    (b"ic12", 64),  # 32@2x
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic13", 256),  # 128@2x
    (b"ic08", 256),
    (b"ic14", 512),  # 256@2x
    (b"ic09", 512),
    (b"ic10", 1024),  # 512@2x
)


def render_png(size: int, svg: Path = SVG) -> bytes:
    """The SVG drawn at size×size, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:  # a painter needs one; no screen is needed
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        render_png.app = QGuiApplication([])  # type: ignore[attr-defined]
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding each PNG: ICONDIR, one ICONDIRENTRY each, then the images."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in the directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        images += data
        offset += len(data)
    return header + entries + images


def icns(pngs: dict[int, bytes]) -> bytes:
    """An .icns: its magic and total length, then one (type, length, PNG) chunk per entry."""
    chunks = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(chunks)) + chunks


def build(out: Path) -> tuple[Path, Path]:
    """Writes omnidesk.ico, omnidesk.icns and a PNG per size into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = sorted(set(ICO_SIZES) | {size for _, size in ICNS_TYPES})
    pngs = {size: render_png(size) for size in sizes}
    for size, data in pngs.items():
        (out / f"omnidesk-{size}.png").write_bytes(data)
    ico_path, icns_path = out / "omnidesk.ico", out / "omnidesk.icns"
    ico_path.write_bytes(ico({size: pngs[size] for size in ICO_SIZES}))
    icns_path.write_bytes(icns(pngs))
    return ico_path, icns_path


if __name__ == "__main__":
    made = build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "icons")
    print("\n".join(map(str, made)))
