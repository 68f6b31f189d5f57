"""A file on its way to an import, before any list is in the picture: opened, its
columns and decimal separators as the person chose them, every row checked.

``ImportDraft`` (preparation.py) goes on from here to the list: the comparison, the
confirmations, sending and following. A new check or another kind of list makes what
was compared stale, which the draft hears of through ``_rechecked`` and ``_kind_changed``.
"""

from __future__ import annotations

import asyncio
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from omnidesk.kinds import ListKind, info
from omnidesk.spreadsheet import (
    CheckResult,
    ColumnMapping,
    DecimalStyle,
    SheetRow,
    Spreadsheet,
    cell_text,
    check_spreadsheet,
    find_header,
    headers_of,
    kind_of_header,
    match_columns,
    schema_for,
)

from .journal import file_sha256
from .mappings import MappingMemory
from .opening import OnlyRows, open_with_preview
from .pacing import let_others_run, without_gc_pauses

Mapping = dict[int | str, str | None]


class Superseded(Exception):
    """Raised in the worker when a newer check replaces this one (or the draft closes)."""


@dataclass(frozen=True)
class Opened:
    """The file as first read: enough to show it while every row is checked."""

    header: SheetRow | None  # None: no row with data at all
    rows: list[SheetRow]  # the preview's rows below the header
    guessed_kind: ListKind | None  # set when the header fitted another kind than asked


class FileDraft:
    """The file and the person's choices about its columns; the check once done."""

    def __init__(
        self,
        path: Path,
        kind: ListKind,
        *,
        guess_kind: bool = False,
        sheet_name: str | None = None,
        paced: bool = True,
        mappings: MappingMemory | None = None,
        only_rows: OnlyRows | None = None,
    ) -> None:
        """See ``ImportDraft``."""
        self.path = path
        self.kind = kind
        self.guess_kind = guess_kind
        self.sheet_name = sheet_name
        self._pause = let_others_run if paced else None
        self.mappings = mappings
        self.only_rows = only_rows
        # The columns as the person mapped them for a file with this header before.
        self.remembered: dict[str, str | None] | None = None
        self.sheet: Spreadsheet | None = None
        self.preview: list[SheetRow] = []
        self.mapping_choice: Mapping = {}
        self.style_choice: dict[str, DecimalStyle] = {}
        self.checked: CheckResult | None = None
        self.named_lists: dict[str, array[int]] = {}  # what the list-name column says
        self.sha256: str | None = None
        self._cancel = threading.Event()

    def _rechecked(self) -> None:
        """The check was dropped or done again: whatever was built on the last one goes."""

    def _kind_changed(self) -> None:
        """The file turned out to be for another kind of list (or the person said so)."""

    # -- the person's choices ---------------------------------------------------------------------

    def choose_kind(self, kind: ListKind) -> None:
        """Another kind of list: the columns mean other things, so earlier choices go."""
        self.guess_kind = False
        self.kind = kind
        self._kind_changed()
        self.mapping_choice = {}
        self.remembered = None
        self.style_choice = {}
        self._forget_check()

    def map_column(self, index: int, field: str | None) -> None:
        self.mapping_choice[index] = field
        self._forget_check()
        header, _rows = self.header_and_rows()
        if self.mappings is not None and header is not None:
            headers = headers_of(header)
            chosen = {headers[i]: f for i, f in self.mapping_choice.items() if isinstance(i, int)}
            self.mappings.remember(self.kind.value, headers, chosen)

    def forget_mapping(self) -> None:
        """Back to the columns as they read by themselves, and not offered again."""
        header, _rows = self.header_and_rows()
        if self.mappings is not None and header is not None:
            self.mappings.forget(self.kind.value, headers_of(header))
        self.remembered = None
        self.mapping_choice = {}
        self._forget_check()

    def _recall_mapping(self, header: SheetRow) -> None:
        """A file whose header the person mapped before is mapped that way again."""
        if self.mappings is None or self.mapping_choice:
            return
        headers = headers_of(header)
        remembered = self.mappings.get(self.kind.value, headers)
        if not remembered:
            return
        valid = {f.name for f in schema_for(self.kind).fields}
        self.mapping_choice = {
            index: remembered[text]
            for index, text in enumerate(headers)
            if text in remembered and (remembered[text] is None or remembered[text] in valid)
        }
        self.remembered = remembered

    def choose_style(self, field: str, style: DecimalStyle | None) -> None:
        if style is None:
            self.style_choice.pop(field, None)
        else:
            self.style_choice[field] = style
        self._forget_check()

    def _forget_check(self) -> None:
        self.stop_check()
        self.checked = None
        self._rechecked()

    # -- reading and checking the file ------------------------------------------------------------

    async def open(self) -> Opened:
        """Open the file and read its first rows (raises SpreadsheetError)."""
        if self.sheet is None:
            self.sheet, self.preview = await asyncio.get_running_loop().run_in_executor(
                None, open_with_preview, self.path, self.sheet_name, self.only_rows
            )
            guessed = self._take_kind_of_header()
        else:
            self.preview = await asyncio.get_running_loop().run_in_executor(
                None, self.sheet.preview
            )
            guessed = None
        header, rows = self.header_and_rows()
        if header is not None:
            self._recall_mapping(header)
            header, rows = self.header_and_rows()  # the header row may be a mapped one now
        return Opened(header, rows, guessed)

    def _take_kind_of_header(self) -> ListKind | None:
        if not self.guess_kind:
            return None
        fitting = kind_of_header(self.preview)
        if fitting is None or fitting is self.kind:
            return None
        self.kind = fitting
        self._kind_changed()
        return fitting

    def header_and_rows(self) -> tuple[SheetRow | None, list[SheetRow]]:
        """The header among the first rows (by the person's mapping), and the rows below it."""
        if not self.preview:
            return None, []
        header, _row, _notes = find_header(
            iter(self.preview), schema_for(self.kind), self.mapping_choice
        )
        return header, [row for row in self.preview if row.number > header.number]

    def fits_other_kind(self) -> ListKind | None:
        """The kind of list the file is really for, when its columns are another kind's.

        A price file dropped on a stock list lacks the stock column but has every
        price column: that is named, instead of asking for a column it cannot have.
        """
        result = self.checked
        if result is None or not result.mapping.missing:
            return None
        fitting = kind_of_header(self.preview)
        return fitting if fitting is not None and fitting is not self.kind else None

    def proposed_mapping(self, header: SheetRow) -> ColumnMapping:
        """The columns as they would be read now, before (or without) a full check."""
        if self.checked is not None:
            return self.checked.mapping
        return match_columns(headers_of(header), schema_for(self.kind), self.mapping_choice)

    async def check(
        self,
        *,
        progress: Callable[[int], None] | None = None,
        on_rows: Callable[[list[SheetRow]], None] | None = None,
    ) -> CheckResult | None:
        """Check every row in a worker; None when a newer check (or a close) replaced it.

        ``progress`` (rows so far) and ``on_rows`` (each batch read) are called from the
        worker thread.
        """
        assert self.sheet is not None, "open() first"
        self.stop_check()
        cancelled = self._cancel = threading.Event()
        sheet, kind = self.sheet, self.kind
        mapping, styles = dict(self.mapping_choice), dict(self.style_choice)
        # The file's list-name column is not sent, but it may say the file is for another list.
        names: dict[str, array[int]] = {}
        name_at = self._list_name_column()

        def tap(batch: list[SheetRow]) -> None:
            if name_at is not None:
                for row in batch:
                    if name_at < len(row.cells) and (text := cell_text(row.cells[name_at]).strip()):
                        names.setdefault(text, array("I")).append(row.number)
            if on_rows is not None:
                on_rows(batch)

        def report(done: int) -> None:
            if cancelled.is_set():
                raise Superseded
            if progress is not None:
                progress(done)

        def work() -> CheckResult:
            return check_spreadsheet(
                sheet,
                kind,
                mapping=mapping,
                decimal_styles=styles,
                progress=report,
                on_rows=tap,
                pause=self._pause,
            )

        try:
            result = await asyncio.get_running_loop().run_in_executor(None, without_gc_pauses, work)
        except Superseded:
            return None
        if cancelled.is_set():
            return None
        self.checked, self.named_lists = result, names
        self._rechecked()
        return result

    def _list_name_column(self) -> int | None:
        header, _rows = self.header_and_rows()
        if header is None:
            return None
        mapping = match_columns(headers_of(header), schema_for(self.kind), self.mapping_choice)
        return mapping.column_of(info(self.kind).list_name_field)

    def stop_check(self) -> None:
        self._cancel.set()

    async def fingerprint(self) -> str:
        """The file's SHA-256 (read in a worker: a big file takes a moment)."""
        if self.sha256 is None:
            self.sha256 = await asyncio.get_running_loop().run_in_executor(
                None, file_sha256, self.path
            )
        return self.sha256

    def close(self) -> None:
        self.stop_check()
        if self.sheet is not None:
            self.sheet.close()
            self.sheet = None
