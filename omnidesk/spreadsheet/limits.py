"""Safety limits so a hostile or broken file cannot hang the app or eat all memory."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Upper bounds applied while reading; exceeding one raises ``TooLarge``.

    The defaults sit well above any real price or stock list (Omnitron lists hold
    at most a few million products) and well below what would exhaust a laptop.
    """

    max_file_bytes: int = 1024 * 1024 * 1024
    # A zip bomb is small on disk and huge unpacked; calamine unpacks whole sheets
    # into memory, so the unpacked size is what actually needs a cap.
    max_uncompressed_bytes: int = 2 * 1024 * 1024 * 1024
    # Office suites compress repetitive sheets well, but not a thousandfold; the ratio
    # is only judged for members big enough to matter.
    max_compression_ratio: int = 1000
    ratio_checked_above_bytes: int = 64 * 1024 * 1024
    # calamine holds a whole sheet in memory, roughly 0.7 GB per million rows.
    max_rows: int = 2_000_000
    max_columns: int = 512


DEFAULT_LIMITS = ReadLimits()
