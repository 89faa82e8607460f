"""Writing an export's rows into the file given, as CSV or as an Excel workbook.

Rows come a page at a time and leave at once: neither writer keeps more than the row in
hand, whatever the size of the list.

- CSV is what Russian Excel opens right by a double click: UTF-8 with a byte order mark,
  `;` between values, money with the decimal comma (`1234,50`, two fraction digits, the
  amount the card shows), dates as `31.12.2026` and moments as `31.12.2026 18:05` in the
  tenant's time zone. Free text a customer could have typed that starts like a formula
  (`=`, `+`, `-`, `@`) is written with a leading apostrophe, so opening the file never
  runs it.
- XLSX holds typed cells: numbers, money with two decimals, dates and moments Excel can
  sort and sum; text is always written as text, never read as a formula. xlsxwriter in
  constant-memory mode writes each row out as soon as the next starts. A sheet holds at
  most 1,048,576 rows; a longer list goes on in the next sheet, under the header again.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any, BinaryIO, Protocol
from zoneinfo import ZoneInfo

import xlsxwriter

from clientcard_customers.domain.exports import (
    MONEY_COLUMNS,
    Cell,
    Column,
    ExportFormat,
    titles,
)

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Typed in by customers or staff; the phone is the service's own normalised form.
_FREE_TEXT = frozenset({Column.NAME, Column.EMAIL, Column.OUTLET, Column.SEGMENTS})
_DATES = frozenset({Column.BIRTH_DATE})
_MOMENTS = frozenset({Column.REGISTERED_AT, Column.LAST_PURCHASE_AT})
_WHOLE_NUMBERS = frozenset({Column.PURCHASES, Column.LAST_NPS_SCORE})
SHEET_ROWS = 1_048_576
_QUARTER = 900
_OFFSETS_KEPT = 100_000
_EPOCH = datetime(1970, 1, 1)


class ExportWriter(Protocol):
    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None: ...

    def close(self) -> None:
        """Finish the file (the caller's file object stays open)."""


def export_writer(
    export_format: ExportFormat, file: BinaryIO, columns: Sequence[Column], zone: ZoneInfo
) -> ExportWriter:
    """A writer of rows of `columns` into `file`, its header row written already."""
    if export_format is ExportFormat.CSV:
        return CsvWriter(file, columns, zone)
    return XlsxWriter(file, columns, zone)


class CsvWriter:
    def __init__(self, file: BinaryIO, columns: Sequence[Column], zone: ZoneInfo) -> None:
        # "utf-8-sig" puts the byte order mark before the first row.
        self._text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._text, delimiter=";", lineterminator="\r\n")
        self._texts = [_as_text(column, zone) for column in columns]
        self._csv.writerow(titles(columns))

    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        texts = self._texts
        self._csv.writerows(
            [
                ["" if cell is None else text(cell) for text, cell in zip(texts, row, strict=True)]
                for row in rows
            ]
        )

    def close(self) -> None:
        self._text.flush()
        self._text.detach()


def _as_text(column: Column, zone: ZoneInfo) -> Callable[[Any], str]:
    if column in MONEY_COLUMNS:
        return money_text
    if column in _DATES:
        return lambda value: f"{value.day:02}.{value.month:02}.{value.year}"
    if column in _MOMENTS:
        local = LocalTime(zone)
        return lambda value: moment_text(local(value))
    if column in _FREE_TEXT:
        return safe_text
    return str


def moment_text(local: datetime) -> str:
    """`31.12.2026 18:05` (what strftime writes, in a third of its time)."""
    return f"{local.day:02}.{local.month:02}.{local.year} {local.hour:02}:{local.minute:02}"


class LocalTime:
    """A moment as the tenant's clock shows it (without a zone, as a spreadsheet keeps it).

    Asking the zone for every moment costs more than the rest of a row; its offset is
    asked once per quarter of an hour of UTC instead (zones change their offset only on
    such a boundary).
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self._zone = zone
        self._offsets: dict[int, float] = {}

    def __call__(self, moment: datetime) -> datetime:
        stamp = moment.timestamp()
        quarter = int(stamp // _QUARTER)
        offset = self._offsets.get(quarter)
        if offset is None:
            if len(self._offsets) >= _OFFSETS_KEPT:
                self._offsets.clear()
            at = datetime.fromtimestamp(quarter * _QUARTER, self._zone)
            offset = self._offsets[quarter] = at.utcoffset().total_seconds()  # type: ignore[union-attr]
        return _EPOCH + timedelta(seconds=stamp + offset)


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class XlsxWriter:
    def __init__(self, file: BinaryIO, columns: Sequence[Column], zone: ZoneInfo) -> None:
        self._book = xlsxwriter.Workbook(
            file,
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self._columns = list(columns)
        self._zone = zone
        money = self._book.add_format({"num_format": "#,##0.00"})
        day = self._book.add_format({"num_format": "dd.mm.yyyy"})
        moment = self._book.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        self._header = self._book.add_format({"bold": True})
        self._cells = [self._cell_writer(column, money, day, moment) for column in columns]
        self._sheets = 0
        self._new_sheet()

    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        writers = self._cells
        for row in rows:
            if self._row == SHEET_ROWS:
                self._new_sheet()
            sheet, at = self._sheet, self._row
            for index, (write, cell) in enumerate(zip(writers, row, strict=True)):
                if cell is not None:
                    write(sheet, at, index, cell)
            self._row += 1

    def close(self) -> None:
        self._book.close()

    def _new_sheet(self) -> None:
        self._sheets += 1
        name = "Клиенты" if self._sheets == 1 else f"Клиенты {self._sheets}"
        self._sheet = self._book.add_worksheet(name)
        for index, column in enumerate(self._columns):
            self._sheet.set_column(index, index, _WIDTHS.get(column, 16))
        self._sheet.freeze_panes(1, 0)
        self._sheet.write_row(0, 0, titles(self._columns), self._header)
        self._row = 1

    def _cell_writer(
        self, column: Column, money: Any, day: Any, moment: Any
    ) -> Callable[[Any, int, int, Any], object]:
        """How a column's value goes into a cell of a sheet: `write(sheet, row, col, value)`."""
        if column in MONEY_COLUMNS:
            return lambda sheet, row, col, value: sheet.write_number(row, col, float(value), money)
        if column in _WHOLE_NUMBERS:
            return lambda sheet, row, col, value: sheet.write_number(row, col, value)
        if column in _DATES:
            return lambda sheet, row, col, value: sheet.write_datetime(
                row, col, datetime.combine(value, time()), day
            )
        if column in _MOMENTS:
            local = LocalTime(self._zone)
            return lambda sheet, row, col, value: sheet.write_datetime(
                row, col, local(value), moment
            )
        return lambda sheet, row, col, value: sheet.write_string(row, col, value)


_WIDTHS = {
    Column.NAME: 28,
    Column.PHONE: 16,
    Column.EMAIL: 26,
    Column.SEGMENTS: 30,
    Column.DEFAULT_CHANNEL: 14,
    Column.REGISTERED_AT: 17,
    Column.LAST_PURCHASE_AT: 17,
}
