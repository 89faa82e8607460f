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
  sort and sum; text is always written as text, never read as a formula. Each page of
  rows is streamed into the workbook's zip as sheet XML (`domain.xlsx_package`). A sheet
  holds at most 1,048,576 rows; a longer list goes on in the next sheet, under the header
  again.
"""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, BinaryIO, Protocol
from zoneinfo import ZoneInfo

from clientcard_customers.domain.exports import (
    MONEY_COLUMNS,
    Cell,
    Column,
    ExportFormat,
    titles,
)
from clientcard_customers.domain.xlsx_package import (
    BOLD,
    DAY,
    MOMENT,
    MONEY,
    XlsxPackage,
    column_letters,
    number_xml,
    text_xml,
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
_DAY = 86_400
# Excel's serial numbers of days: 1970-01-01 is 25569, counted from 1899-12-30.
_SERIAL_OF_1970 = 25_569
_SERIAL_ZERO = date(1899, 12, 30)


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
        return _EPOCH + timedelta(seconds=self.seconds(moment))

    def seconds(self, moment: datetime) -> float:
        """Seconds since 1970-01-01 00:00 on the tenant's clock."""
        stamp = moment.timestamp()
        quarter = int(stamp // _QUARTER)
        offset = self._offsets.get(quarter)
        if offset is None:
            if len(self._offsets) >= _OFFSETS_KEPT:
                self._offsets.clear()
            at = datetime.fromtimestamp(quarter * _QUARTER, self._zone)
            offset = self._offsets[quarter] = at.utcoffset().total_seconds()  # type: ignore[union-attr]
        return stamp + offset


def money_text(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class XlsxWriter:
    def __init__(self, file: BinaryIO, columns: Sequence[Column], zone: ZoneInfo) -> None:
        self._package = XlsxPackage(file)
        self._columns = list(columns)
        letters = [column_letters(index) for index in range(len(columns))]
        self._header = "".join(
            text_xml(f"{letter}1", title, BOLD)
            for letter, title in zip(letters, titles(columns), strict=True)
        )
        self._cells = [
            _cell_xml(column, letter, zone) for column, letter in zip(columns, letters, strict=True)
        ]
        self._sheets = 0
        self._new_sheet()

    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        writers = self._cells
        xml: list[str] = []
        for row in rows:
            if self._row == SHEET_ROWS:
                self._package.write("".join(xml))
                xml.clear()
                self._new_sheet()
            number = self._row + 1
            filled = "".join(
                [
                    write(number, cell)
                    for write, cell in zip(writers, row, strict=True)
                    if cell is not None
                ]
            )
            xml.append(f'<row r="{number}">{filled}</row>')
            self._row += 1
        self._package.write("".join(xml))

    def close(self) -> None:
        self._package.close()

    def _new_sheet(self) -> None:
        self._sheets += 1
        name = "Клиенты" if self._sheets == 1 else f"Клиенты {self._sheets}"
        widths = [_WIDTHS.get(column, 16) for column in self._columns]
        self._package.start_sheet(name, widths, f'<row r="1">{self._header}</row>')
        self._row = 1


def _cell_xml(column: Column, letter: str, zone: ZoneInfo) -> Callable[[int, Any], str]:
    """How a column's value is written as the cell of row `number`: `xml(number, value)`."""
    if column in MONEY_COLUMNS:
        return lambda number, value: number_xml(f"{letter}{number}", f"{value:f}", MONEY)
    if column in _WHOLE_NUMBERS:
        return lambda number, value: number_xml(f"{letter}{number}", value)
    if column in _DATES:
        return lambda number, value: _day_xml(f"{letter}{number}", value)
    if column in _MOMENTS:
        local = LocalTime(zone)
        return lambda number, value: number_xml(
            f"{letter}{number}", local.seconds(value) / _DAY + _SERIAL_OF_1970, MOMENT
        )
    return lambda number, value: text_xml(f"{letter}{number}", value)


def _day_xml(ref: str, day: date) -> str:
    """A date as Excel counts days, which holds 29 February 1900 (serial 60) to be a day."""
    serial = (day - _SERIAL_ZERO).days
    if serial < 61:
        serial -= 1
    if serial < 1:  # before 1900: no date cell can show it
        return text_xml(ref, f"{day.day:02}.{day.month:02}.{day.year}")
    return number_xml(ref, serial, DAY)


_WIDTHS = {
    Column.NAME: 28,
    Column.PHONE: 16,
    Column.EMAIL: 26,
    Column.SEGMENTS: 30,
    Column.DEFAULT_CHANNEL: 14,
    Column.REGISTERED_AT: 17,
    Column.LAST_PURCHASE_AT: 17,
}
