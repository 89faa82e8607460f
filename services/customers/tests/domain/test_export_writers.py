"""An export's rows as CSV text Russian Excel opens right, and as a workbook's typed cells."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain import export_writers
from clientcard_customers.domain.errors import InvalidInput
from clientcard_customers.domain.export_writers import export_writer
from clientcard_customers.domain.exports import (
    TITLES,
    Cell,
    ClientRow,
    Column,
    ExportFormat,
    cells,
    chosen_columns,
)
from clientcard_customers.domain.profile import Profile, Registration
from clientcard_customers.domain.records import Customer, Figures

MOSCOW = ZoneInfo("Europe/Moscow")
ANNA = Customer(
    id=uuid.UUID(int=7),
    tenant_id="salon",
    phone="+79125550000",
    profile=Profile(
        email="anna@example.ru",
        first_name="Анна",
        last_name="Ёлкина",
        birth_date=date(1990, 6, 12),
        gender=Gender.FEMALE,
    ),
    registration=Registration(
        registered_at=datetime(2026, 5, 31, 21, 30, tzinfo=UTC),
        source=RegistrationSource.POS,
        outlet_id="Центр",
    ),
    questionnaire=(),
    figures=Figures(
        purchases=5,
        revenue=Decimal("12345.50"),
        average_check=Decimal("2469.10"),
        last_purchase_at=datetime(2026, 6, 9, 8, 5, tzinfo=UTC),
        bonus_balance=Decimal("120.00"),
        messenger_status="ACTIVE",
        default_channel="TELEGRAM",
        last_nps_score=10,
    ),
    version=1,
    updated_at=datetime(2026, 6, 9, tzinfo=UTC),
)
# What the card says of Анна, column by column, as a CSV cell.
ANNA_TEXT = [
    "Ёлкина Анна",
    "+79125550000",
    "anna@example.ru",
    "Женский",
    "12.06.1990",
    "01.06.2026 00:30",
    "Касса",
    "Центр",
    "Постоянные, VIP",
    "5",
    "12345,50",
    "2469,10",
    "09.06.2026 11:05",
    "120,00",
    "Активный",
    "Telegram",
    "10",
]
NEWCOMER = Customer(
    id=uuid.UUID(int=8),
    tenant_id="salon",
    phone="+79125550001",
    profile=Profile(),
    registration=Registration(
        registered_at=datetime(2026, 6, 1, tzinfo=UTC), source=RegistrationSource.WEB
    ),
    questionnaire=(),
    figures=Figures(),
    version=1,
    updated_at=datetime(2026, 6, 1, tzinfo=UTC),
)


def row(customer: Customer, segments: list[str]) -> ClientRow:
    return ClientRow.of(customer, segments)


def csv_of(rows: list[list[Cell]], columns: tuple[Column, ...] = tuple(Column)) -> bytes:
    file = io.BytesIO()
    writer = export_writer(ExportFormat.CSV, file, columns, MOSCOW)
    writer.write_rows(rows)
    writer.close()
    return file.getvalue()


def parsed(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_starts_with_the_byte_order_mark_and_separates_by_semicolons() -> None:
    content = csv_of([cells(row(ANNA, ["Постоянные", "VIP"]), tuple(Column))])
    assert content.startswith(b"\xef\xbb\xbf")
    header, line = content[3:].decode().split("\r\n")[:2]
    assert header.split(";") == [TITLES[column] for column in Column]
    assert line.split(";") == ANNA_TEXT


def test_csv_of_an_empty_list_is_its_header_alone() -> None:
    content = csv_of([])
    assert parsed(content) == [[TITLES[column] for column in Column]]


def test_csv_writes_empty_cells_for_what_the_card_leaves_blank() -> None:
    rows = parsed(csv_of([cells(row(NEWCOMER, []), tuple(Column))]))
    assert rows[1] == [
        "",
        "+79125550001",
        "",
        "",
        "",
        "01.06.2026 03:00",
        "Сайт",
        "",
        "",
        "0",
        "0,00",
        "0,00",
        "",
        "0,00",
        "",
        "",
        "",
    ]


def test_csv_keeps_a_semicolon_or_a_quote_inside_one_value() -> None:
    odd = cells(row(ANNA, ["Скидка; 10%", 'Клуб "Роза"']), (Column.SEGMENTS, Column.PHONE))
    assert parsed(csv_of([odd], (Column.SEGMENTS, Column.PHONE)))[1] == [
        'Скидка; 10%, Клуб "Роза"',
        "+79125550000",
    ]


def test_csv_never_lets_typed_text_start_a_formula() -> None:
    assert export_writers.safe_text("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert export_writers.safe_text("@SUM(A1)") == "'@SUM(A1)"
    assert export_writers.safe_text("Анна") == "Анна"


def test_money_keeps_two_fraction_digits_with_the_decimal_comma() -> None:
    assert export_writers.money_text(Decimal("0.5")) == "0,50"
    assert export_writers.money_text(Decimal("1000000.05")) == "1000000,05"


def test_only_the_columns_asked_for_in_the_order_asked() -> None:
    columns = chosen_columns([Column.PHONE, Column.NAME, Column.PHONE])
    assert columns == (Column.PHONE, Column.NAME)
    assert parsed(csv_of([cells(row(ANNA, []), columns)], columns)) == [
        ["Телефон", "ФИО"],
        ["+79125550000", "Ёлкина Анна"],
    ]
    assert chosen_columns(None) == tuple(Column)
    with pytest.raises(InvalidInput):
        chosen_columns([])


def test_xlsx_holds_typed_cells_under_the_russian_header() -> None:
    file = io.BytesIO()
    writer = export_writer(ExportFormat.XLSX, file, tuple(Column), MOSCOW)
    writer.write_rows(
        [cells(row(ANNA, ["VIP"]), tuple(Column)), cells(row(NEWCOMER, []), tuple(Column))]
    )
    writer.close()
    sheet = openpyxl.load_workbook(io.BytesIO(file.getvalue()), read_only=True).active
    header, anna, newcomer = sheet.iter_rows(values_only=True)
    assert list(header) == [TITLES[column] for column in Column]
    assert list(anna) == [
        "Ёлкина Анна",
        "+79125550000",
        "anna@example.ru",
        "Женский",
        datetime(1990, 6, 12),
        datetime(2026, 6, 1, 0, 30),
        "Касса",
        "Центр",
        "VIP",
        5,
        12345.5,
        2469.1,
        datetime(2026, 6, 9, 11, 5),
        120,
        "Активный",
        "Telegram",
        10,
    ]
    assert newcomer[0] is None
    assert newcomer[10] == 0


def test_xlsx_writes_text_like_a_formula_as_text() -> None:
    file = io.BytesIO()
    writer = export_writer(ExportFormat.XLSX, file, (Column.SEGMENTS,), MOSCOW)
    writer.write_rows([["=1+1"]])
    writer.close()
    sheet = openpyxl.load_workbook(io.BytesIO(file.getvalue())).active
    assert sheet["A2"].value == "=1+1"
    assert sheet["A2"].data_type == "s"


def test_xlsx_goes_on_in_a_second_sheet_past_a_sheets_last_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_writers, "SHEET_ROWS", 3)
    file = io.BytesIO()
    writer = export_writer(ExportFormat.XLSX, file, (Column.PURCHASES,), MOSCOW)
    writer.write_rows([[number] for number in range(1, 6)])
    writer.close()
    book = openpyxl.load_workbook(io.BytesIO(file.getvalue()), read_only=True)
    assert book.sheetnames == ["Клиенты", "Клиенты 2", "Клиенты 3"]
    found = [list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
    assert found == [
        [("Кол-во покупок",), (1,), (2,)],
        [("Кол-во покупок",), (3,), (4,)],
        [("Кол-во покупок",), (5,)],
    ]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Kathmandu", "America/St_Johns"])
def test_moments_are_shown_on_the_tenants_clock_across_its_offset_changes(zone: str) -> None:
    local = export_writers.LocalTime(ZoneInfo(zone))
    # Every 7 minutes over a year: both of its offset changes, where the zone has them.
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for step in range(0, 365 * 24 * 60, 7):
        moment = start + timedelta(minutes=step, seconds=step % 60)
        assert local(moment) == moment.astimezone(ZoneInfo(zone)).replace(tzinfo=None), moment
