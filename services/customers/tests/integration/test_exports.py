"""An export holds what the client list shows: the same customers in the same order, every
column as the card has it, in CSV and read back from the workbook."""

import csv
import io
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from clientcard_contracts.enums import Gender
from clientcard_customers import commands
from clientcard_customers.commands.exports import StoredExport, write_export
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder, Direction, OrderField
from clientcard_customers.domain.exports import (
    TITLES,
    Column,
    ExportFormat,
    ExportRequest,
    chosen_columns,
)
from clientcard_customers.storage import FolderStorage

from .list_people import NOW, OUTLETS, PEOPLE, TODAY, seeded_fixture

pytestmark = pytest.mark.integration

seeded = seeded_fixture()
MOSCOW = ZoneInfo("Europe/Moscow")
BY_NAME = ClientOrder(OrderField.NAME, Direction.ASC)
SOURCES_RU = ["Касса", "Вручную", "Мессенджер", "Касса"]
GENDERS_RU = {Gender.FEMALE: "Женский", Gender.MALE: "Мужской"}
STATUSES_RU = {"ACTIVE": "Активный", "INACTIVE": "Не активный", None: ""}
CHANNELS_RU = {"TELEGRAM": "Telegram", "SMS": "SMS", "WHATSAPP": "WhatsApp", None: ""}
# Segments the test gives the salon's customers, in the order the card lists them.
SEGMENTS = {"Анна": "Акция; весна, Постоянные", "Глеб": "Постоянные"}


def moment(days_ago: int) -> str:
    return (NOW - timedelta(days=days_ago)).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")


def money(amount: str | Decimal) -> str:
    return f"{Decimal(amount):.2f}".replace(".", ",")


def expected_csv() -> dict[str, list[str]]:
    """Each of the salon's customers as the card shows them, one CSV cell per column."""
    rows = {}
    for index, person in enumerate(PEOPLE):
        name, gender, born, days, purchases, revenue, balance, status, channel, nps = person
        average = Decimal(revenue) / purchases if purchases else Decimal(0)
        rows[name] = [
            f"Тестова {name}",
            f"+7912555000{index}",
            f"{index}@example.ru",
            GENDERS_RU[gender],
            born.strftime("%d.%m.%Y") if born else "",
            moment(days),
            SOURCES_RU[index],
            OUTLETS[index] or "",
            SEGMENTS.get(name, ""),
            str(purchases),
            money(revenue),
            money(average.quantize(Decimal("0.01"))),
            moment(purchases) if purchases else "",
            money(balance),
            STATUSES_RU[status],
            CHANNELS_RU[channel],
            "" if nps is None else str(nps),
        ]
    return rows


@pytest.fixture(scope="module")
async def salon(seeded: Any) -> Any:
    """The list's salon, with two segments held by Анна and Глеб."""
    db, tenant, ids = seeded
    made = []
    for name in ("Акция; весна", "Постоянные"):
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            made.append(await commands.create_segment(uow, name))
    for name, held in (("Анна", made), ("Глеб", made[1:])):
        async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
            await commands.assign_segments(uow, ids[name], [segment.id for segment in held])
    return seeded


async def export(
    salon: Any,
    folder: Path,
    request: ExportRequest,
    page_size: int = 2,
) -> tuple[StoredExport, bytes, list[int]]:
    db, tenant, _ = salon
    storage = FolderStorage(folder)
    reported: list[int] = []

    async def progress(rows: int) -> None:
        reported.append(rows)

    job = uuid.uuid4()
    stored = await write_export(
        db, storage, tenant, job, request, progress, zone=MOSCOW, page_size=page_size
    )
    return stored, (folder / stored.key).read_bytes(), reported


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    text = io.StringIO(content.decode("utf-8-sig"), newline="")
    return list(csv.reader(text, delimiter=";"))


async def test_csv_holds_every_column_of_every_customer_in_the_lists_order(
    salon: Any, tmp_path: Path
) -> None:
    request = ExportRequest(ClientFilter(), BY_NAME, chosen_columns(None), ExportFormat.CSV)
    stored, content, reported = await export(salon, tmp_path, request)
    header, *rows = csv_rows(content)
    assert header == [TITLES[column] for column in Column]
    wanted = expected_csv()
    assert rows == [wanted[name] for name in ("Анна", "Борис", "Вера", "Глеб")]
    # Pages of two: progress after each page written.
    assert reported == [2, 4]
    assert (stored.rows, stored.size) == (4, len(content))
    assert stored.key.endswith(".csv")


async def test_the_export_follows_the_lists_pages_under_a_filter_and_order(
    salon: Any, tmp_path: Path
) -> None:
    db, tenant, _ = salon
    wanted = ClientFilter(revenue_min=Decimal("1"))
    order = ClientOrder(OrderField.REVENUE, Direction.DESC)
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        first = await uow.client_list.page(wanted, order, 2, None, TODAY)
        second = await uow.client_list.page(wanted, order, 2, first[1][1], TODAY)
    listed = [customer.phone for customer, _ in first[:2] + second]
    columns = (Column.PHONE, Column.REVENUE)
    request = ExportRequest(wanted, order, columns, ExportFormat.CSV)
    _, content, _ = await export(salon, tmp_path, request, page_size=1)
    header, *rows = csv_rows(content)
    assert header == ["Телефон", "Выручка"]
    assert [phone for phone, _ in rows] == listed
    assert [revenue for _, revenue in rows] == ["36000,00", "5000,00", "700,00"]


async def test_next_birthday_first_is_exported_in_the_lists_order_too(
    salon: Any, tmp_path: Path
) -> None:
    db, tenant, _ = salon
    order = ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.ASC)
    today = datetime.now(MOSCOW).date()
    async with CustomersUnitOfWork.for_tenant(db, tenant=tenant, source="tests") as uow:
        listed = await uow.client_list.page(ClientFilter(), order, 10, None, today)
    columns = (Column.PHONE, Column.SEGMENTS)
    request = ExportRequest(ClientFilter(), order, columns, ExportFormat.CSV)
    _, content, reported = await export(salon, tmp_path, request, page_size=3)
    _, *rows = csv_rows(content)
    assert [phone for phone, _ in rows] == [customer.phone for customer, _ in listed]
    segments_by_phone = dict(rows)
    assert segments_by_phone["+79125550000"] == SEGMENTS["Анна"]
    assert segments_by_phone["+79125550002"] == ""
    assert reported == [3, 4]


async def test_an_export_of_nobody_is_its_header_alone(salon: Any, tmp_path: Path) -> None:
    request = ExportRequest(
        ClientFilter(search="никого такого нет"), BY_NAME, (Column.NAME,), ExportFormat.CSV
    )
    stored, content, reported = await export(salon, tmp_path, request)
    assert csv_rows(content) == [["ФИО"]]
    assert stored.rows == 0
    assert reported == [0]


async def test_the_workbook_read_back_holds_what_the_csv_does(salon: Any, tmp_path: Path) -> None:
    request = ExportRequest(ClientFilter(), BY_NAME, chosen_columns(None), ExportFormat.XLSX)
    stored, content, reported = await export(salon, tmp_path, request, page_size=3)
    assert stored.file_name.endswith(".xlsx")
    assert reported == [3, 4]
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    header, *rows = sheet.iter_rows(values_only=True)
    assert list(header) == [TITLES[column] for column in Column]
    wanted = expected_csv()
    assert [_as_csv(row) for row in rows] == [wanted[n] for n in ("Анна", "Борис", "Вера", "Глеб")]


def _as_csv(row: tuple[Any, ...]) -> list[str]:
    """A workbook's typed row written the way the CSV writes it, to compare the two."""
    money_at = {10, 11, 13}
    found = []
    for index, value in enumerate(row):
        if value is None:
            found.append("")
        elif index in money_at:
            found.append(money(Decimal(str(value))))
        elif isinstance(value, datetime):
            pattern = "%d.%m.%Y" if index == 4 else "%d.%m.%Y %H:%M"
            found.append(value.strftime(pattern))
        else:
            found.append(str(value))
    # A row's empty cells are not written; past its last value the sheet has no cells.
    return found + [""] * (len(Column) - len(found))
