"""Which row of a sheet is its header, and which of its columns feed which server field.

The server reads the first row as headers, matches them exactly and ignores the
rest (``shared/omnitron-api.md``, "Spreadsheet import"). People write ``SKU``,
``Stok Kodu`` or ``Fiyat (TL)`` instead, and exports put a title above the
header, so both the header row and the columns are found forgivingly here; the
clean upload file then carries the server's exact names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from omnidesk.i18n import _
from omnidesk.kinds import ListKind

from .cells import SheetRow, cell_text
from .errors import EmptyFile
from .schema import SCHEMAS, SKU_FIELD, Field, Schema

_TURKISH_FOLD = str.maketrans("İIıŞşĞğÜüÖöÇçÂâÎîÛû", "iiissgguuooccaaiiuu")
_NOT_ALNUM = re.compile(r"[\W_]+")


def headers_of(row: SheetRow) -> list[str]:
    """The header cells as text, as they are matched and shown."""
    return [cell_text(cell).strip() for cell in row.cells]


def normalise_header(text: str) -> str:
    """``"Stok Kodu"``, ``"STOK_KODU"`` and ``"stok-kodu "`` all become ``"stokkodu"``."""
    return _NOT_ALNUM.sub("", text.translate(_TURKISH_FOLD).casefold())


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which column of the file feeds which server field.

    ``headers`` are the header cells as written; ``field_of`` maps a column index
    to a field name; columns not in it are ignored, as the server ignores them.
    ``notes`` explain choices a person may want to revisit (a second price column
    that was not used, a required field with no column).
    """

    headers: tuple[str, ...]
    field_of: Mapping[int, str]
    missing: tuple[Field, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def column_of(self, field_name: str) -> int | None:
        for index, name in self.field_of.items():
            if name == field_name:
                return index
        return None

    def as_dict(self) -> dict[str, str | None]:
        """``{header: field or None}`` in column order, for JSON and the wizard."""
        result: dict[str, str | None] = {}
        for index, header in enumerate(self.headers):
            key = header if header not in result else f"{header} ({column_letter(index)})"
            result[key] = self.field_of.get(index)
        return result


def _alias_table(schema: Schema) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in schema.fields:
        for spelling in (f.name, *f.aliases):
            table.setdefault(normalise_header(spelling), f.name)
    return table


def match_columns(
    headers: Sequence[str],
    schema: Schema,
    explicit: Mapping[str | int, str | None] | None = None,
) -> ColumnMapping:
    """Map ``headers`` onto ``schema``; ``explicit`` overrides by header text or column index.

    An explicit ``None`` ignores that column. The first column that matches a field
    wins; later ones are ignored with a note, because uploading two price columns
    would leave it to chance which one counts.
    """
    aliases = _alias_table(schema)
    valid = {f.name for f in schema.fields}
    field_of: dict[int, str] = {}
    notes: list[str] = []
    explicit = dict(explicit or {})
    for target in explicit.values():
        if target is not None and target not in valid:
            raise ValueError(
                _("“{target}” is not a {noun} column; use one of: {columns}.").format(
                    target=target, noun=schema.label, columns=", ".join(sorted(valid))
                )
            )
    taken: set[str] = set()
    decided: dict[int, str | None] = {}
    for index, header in enumerate(headers):
        for key in (index, header):
            if key in explicit:
                decided[index] = explicit[key]
                break
    for index, target in decided.items():
        if target is not None:
            if target in taken:
                notes.append(
                    _("Column “{header}” is ignored: {field} is already mapped.").format(
                        header=headers[index], field=target
                    )
                )
                continue
            field_of[index] = target
            taken.add(target)
    for index, header in enumerate(headers):
        if index in decided:
            continue
        target = aliases.get(normalise_header(header))
        if target is None:
            target = _loose_match(header, schema)
        if target is None:
            continue
        if target in taken:
            label = schema.field(target).label
            notes.append(
                _(
                    "Column “{header}” ({letter}) is ignored: an earlier column is already "
                    "used as {label}."
                ).format(header=header, letter=column_letter(index), label=label)
            )
            continue
        field_of[index] = target
        taken.add(target)
    missing = tuple(f for f in schema.required if f.name not in taken)
    return ColumnMapping(tuple(headers), dict(sorted(field_of.items())), missing, tuple(notes))


def _loose_match(header: str, schema: Schema) -> str | None:
    """Headers like ``Fiyat (TL)`` or ``KDV %``: strip a trailing unit and try again."""
    trimmed = re.sub(r"\s*[\(\[].*?[\)\]]\s*$|\s*%$", "", header.strip())
    if trimmed == header.strip() or not trimmed:
        return None
    return _alias_table(schema).get(normalise_header(trimmed))


def column_letter(index: int) -> str:
    """0 → ``A``, 26 → ``AA``: how the office suite names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


HEADER_SEARCH_ROWS = 10


def find_header(
    rows: Iterator[SheetRow],
    schema: Schema,
    mapping: Mapping[str | int, str | None] | None = None,
    *,
    header_row: int | None = None,
) -> tuple[SheetRow, list[SheetRow], int]:
    """The header row, the data rows read past it while looking, and how many rows it skipped.

    The server takes the first row as the header, but exports often put a title
    or a date above it; the first of the top rows that names a SKU column (by its
    name, an alias, or ``mapping``) is the header, otherwise the first row is.
    ``header_row`` skips the search when a person has chosen the row. Raises
    ``EmptyFile`` when there are no rows (or the chosen row is empty).
    """
    if header_row is not None:
        for skipped, row in enumerate(rows):
            if row.number == header_row:
                return row, [], skipped
            if row.number > header_row:
                raise EmptyFile(
                    _("Row {row}, chosen as the header row, is empty.").format(row=header_row)
                )
        raise EmptyFile(
            _("The sheet has no row {row} to use as the header row.").format(row=header_row)
        )
    seen: list[SheetRow] = []
    for row in rows:
        seen.append(row)
        try:
            found = match_columns(headers_of(row), schema, mapping).column_of(SKU_FIELD)
        except ValueError:
            found = None
        if found is not None:
            return row, [], len(seen) - 1
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise EmptyFile(_("The sheet has no data."))
    return seen[0], seen[1:], 0


def kind_of_header(rows: Sequence[SheetRow]) -> ListKind | None:
    """The kind of list whose required columns the file's header names, from its top rows.

    None when the header fits neither (a column is missing either way) or both (a
    file with price and stock columns): then only the person can say which it is.
    """
    fitting = []
    for kind, schema in SCHEMAS.items():
        try:
            header, _, _ = find_header(iter(rows), schema)
        except EmptyFile:
            return None
        if not match_columns(headers_of(header), schema).missing:
            fitting.append(kind)
    return fitting[0] if len(fitting) == 1 else None
