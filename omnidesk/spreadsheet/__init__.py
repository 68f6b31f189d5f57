"""Reading, checking and writing price-list and stock-list spreadsheets, offline.

No Qt and no network: the import wizard runs this in a worker thread and the
``omnidesk validate`` command runs it directly.

Typical use::

    with open_spreadsheet(path, sheet=None) as sheet:      # raises SpreadsheetError
        preview = sheet.preview()                           # first 100 rows, at once
        result = check_spreadsheet(sheet, ListKind.PRICE, progress=report)
    write_clean_upload(result, "upload.xlsx")
    write_annotated_copy(path, result, "checked.xlsx")

For finer control (a worker feeding batches), use ``find_header`` and
``RowChecker`` directly; ``check_rows`` shows how they fit together.

Where things live: ``reading`` opens a file and hands it to a reader
(``workbook``, ``text_file``); ``limits`` bounds what a file may cost, measured by
what it holds (``xlsx_stream.XlsxStream.extent`` for .xlsx, ``probe`` in a process
of its own for .xls, .xlsb and .ods); ``schema`` declares the columns of each kind
of list and ``header`` finds them in a file; ``cell_checks`` checks one cell,
``column_checks`` a whole column of everyday cells at once, ``row_checker`` whole
rows, ``row_rules`` adds the warnings that read a row's values together and
``duplicates`` the repeated SKUs; ``findings`` and ``check_result`` are what a check
returns; ``writing`` writes the clean upload, the annotated copy (``annotating``
streams it for an .xlsx) and the templates; ``formulas.csv_safe`` (a CSV) and
``writing.text_cell`` (a workbook) keep text from becoming a live formula in any
file OmniDesk writes.
"""

from typing import TYPE_CHECKING

from .cells import CellValue, SheetRow, cell_text
from .check_result import CheckResult, CleanRow, CleanValue, upload_text
from .checking import check_rows, check_spreadsheet
from .errors import (
    EmptyFile,
    HeaderOnly,
    PasswordProtected,
    SheetNotFound,
    SpreadsheetError,
    TooLarge,
    UnreadableFile,
    UnsuitableOutput,
    UnsupportedFileType,
)
from .findings import Finding, Severity
from .header import (
    ColumnMapping,
    find_header,
    headers_of,
    kind_of_header,
    match_columns,
    normalise_header,
)
from .limits import DEFAULT_LIMITS, ReadLimits
from .numbers import DecimalStyle, NumberProblem, NumberReading, parse_number, read_number
from .reading import SUPPORTED_SUFFIXES, open_spreadsheet
from .row_checker import RowChecker
from .row_rules import ROW_RULES, RowRule
from .schema import (
    PRICE_LIST_SCHEMA,
    SCHEMAS,
    SKU_FIELD,
    STOCK_LIST_SCHEMA,
    Field,
    Schema,
    ValueKind,
    schema_for,
)
from .sheet import PREVIEW_ROWS, SheetInfo, Spreadsheet

if TYPE_CHECKING:
    from .writing import (
        check_output_path,
        write_annotated_copy,
        write_clean_upload,
        write_template,
    )

# The writers need openpyxl, a tenth of a second to import that a check never uses
# (``omnidesk validate`` without --annotate): they are imported when first asked for.
_WRITERS = ("check_output_path", "write_annotated_copy", "write_clean_upload", "write_template")


def __getattr__(name: str) -> object:
    if name in _WRITERS:
        from . import writing

        return getattr(writing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LIMITS",
    "PREVIEW_ROWS",
    "PRICE_LIST_SCHEMA",
    "ROW_RULES",
    "SCHEMAS",
    "SKU_FIELD",
    "STOCK_LIST_SCHEMA",
    "SUPPORTED_SUFFIXES",
    "CellValue",
    "CheckResult",
    "CleanRow",
    "CleanValue",
    "ColumnMapping",
    "DecimalStyle",
    "EmptyFile",
    "Field",
    "Finding",
    "HeaderOnly",
    "NumberProblem",
    "NumberReading",
    "PasswordProtected",
    "ReadLimits",
    "RowChecker",
    "RowRule",
    "Schema",
    "Severity",
    "SheetInfo",
    "SheetNotFound",
    "SheetRow",
    "Spreadsheet",
    "SpreadsheetError",
    "TooLarge",
    "UnreadableFile",
    "UnsuitableOutput",
    "UnsupportedFileType",
    "ValueKind",
    "cell_text",
    "check_output_path",
    "check_rows",
    "check_spreadsheet",
    "find_header",
    "headers_of",
    "kind_of_header",
    "match_columns",
    "normalise_header",
    "open_spreadsheet",
    "parse_number",
    "read_number",
    "schema_for",
    "upload_text",
    "write_annotated_copy",
    "write_clean_upload",
    "write_template",
]
