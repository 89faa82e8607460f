"""The workbook the export streams: what Excel reads back from text and dates at the edges."""

import io
import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl

from clientcard_customers.domain.export_writers import export_writer
from clientcard_customers.domain.exports import Column, ExportFormat
from clientcard_customers.domain.xlsx_package import column_letters

MOSCOW = ZoneInfo("Europe/Moscow")


def workbook(rows: list[list[object]], columns: tuple[Column, ...]) -> bytes:
    file = io.BytesIO()
    writer = export_writer(ExportFormat.XLSX, file, columns, MOSCOW)
    writer.write_rows(rows)  # type: ignore[arg-type]
    writer.close()
    return file.getvalue()


def test_column_letters_go_on_past_z() -> None:
    assert [column_letters(index) for index in (0, 16, 25, 26, 27, 701, 702)] == [
        "A", "Q", "Z", "AA", "AB", "ZZ", "AAA"
    ]  # fmt: skip


def test_markup_and_edge_spaces_in_typed_text_read_back_as_typed() -> None:
    book = workbook([["Салон <Люкс> & Ко"], ["  Анна "]], (Column.NAME,))
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert [cell.value for cell in sheet["A"]][1:] == ["Салон <Люкс> & Ко", "  Анна "]


def test_control_characters_are_written_as_office_escapes_never_as_raw_bytes() -> None:
    # XML cannot hold a NUL at all; Excel reads _x0000_ back as the character, and a
    # literal "_x0041_" typed by someone keeps its text because its "_" is escaped too.
    book = workbook([["код\x00\x1f _x0041_"]], (Column.NAME,))
    sheet = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    assert "код_x0000__x001F_ _x005F_x0041_" in sheet
    assert "\x00" not in sheet


def test_dates_keep_excels_count_of_days_around_its_leap_day_of_1900() -> None:
    days = [date(1900, 1, 1), date(1900, 2, 28), date(1900, 3, 1), date(1990, 6, 12)]
    book = workbook([[day] for day in days], (Column.BIRTH_DATE,))
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert [cell.value for cell in sheet["A"]][1:] == [
        datetime(day.year, day.month, day.day) for day in days
    ]
    raw = zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet1.xml").decode()
    # Excel's own serials: 1 for 1900-01-01, 59 and 61 on either side of its 29 February.
    assert all(f"<v>{serial}</v>" in raw for serial in (1, 59, 61, 33036))


def test_a_date_before_1900_is_written_as_the_text_the_card_shows() -> None:
    book = workbook([[date(1899, 5, 1)]], (Column.BIRTH_DATE,))
    sheet = openpyxl.load_workbook(io.BytesIO(book)).active
    assert sheet["A2"].value == "01.05.1899"
    assert sheet["A2"].data_type == "s"


def test_the_header_is_bold_and_frozen_above_the_rows() -> None:
    book = openpyxl.load_workbook(io.BytesIO(workbook([["Анна"]], (Column.NAME,))))
    sheet = book.active
    assert sheet["A1"].font.bold
    assert not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"
