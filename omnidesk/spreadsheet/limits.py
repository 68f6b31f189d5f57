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
    # calamine allocates a sheet as a grid from its first to its last cell, some 30
    # bytes a place, filled or not: one cell at XFD1048576 asks for 17 billion places.
    # 16 million places (about 500 MB) hold 2 million rows of 8 columns.
    max_cells: int = 16_000_000
    # What one part of a workbook (a sheet's XML, its shared strings) really unpacks
    # to, counted while unpacking: a zip's headers may say anything.
    max_unpacked_part_bytes: int = 1024 * 1024 * 1024
    # Workbooks whose sheets cannot be measured without calamine (.xls, .xlsb, .ods) are
    # first opened in a process of their own with this much memory and time; a file
    # that needs more is refused there, and the window or command stays up.
    probe_memory_bytes: int = 1024 * 1024 * 1024
    probe_seconds: float = 60.0


DEFAULT_LIMITS = ReadLimits()
