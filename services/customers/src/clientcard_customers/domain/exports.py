"""An export of the client list: which columns, under which titles, holding what.

Each column is a customer's value in the form a merchant reads in the card: Russian words
for gender, registration source and messenger status, segment names, money as Decimal.
A customer comes as a `ClientRow`, the few columns an export needs: a million of them are
read and written in a minute, which whole `Customer` records would not allow.
How a value is written (text in a CSV file, a typed cell in a spreadsheet) is the
writers' business (`domain.export_writers`).
"""

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder
from clientcard_customers.domain.errors import InvalidInput
from clientcard_customers.domain.records import Customer


class ExportFormat(StrEnum):
    CSV = "CSV"
    XLSX = "XLSX"

    @property
    def extension(self) -> str:
        return self.value.lower()


class Column(StrEnum):
    """The contract's CustomerColumn, in its order (the order of an export of all)."""

    NAME = "NAME"
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    GENDER = "GENDER"
    BIRTH_DATE = "BIRTH_DATE"
    REGISTERED_AT = "REGISTERED_AT"
    SOURCE = "SOURCE"
    OUTLET = "OUTLET"
    SEGMENTS = "SEGMENTS"
    PURCHASES = "PURCHASES"
    REVENUE = "REVENUE"
    AVERAGE_CHECK = "AVERAGE_CHECK"
    LAST_PURCHASE_AT = "LAST_PURCHASE_AT"
    BONUS_BALANCE = "BONUS_BALANCE"
    MESSENGER_STATUS = "MESSENGER_STATUS"
    DEFAULT_CHANNEL = "DEFAULT_CHANNEL"
    LAST_NPS_SCORE = "LAST_NPS_SCORE"


# The header row: each column as the back office titles it.
TITLES: dict[Column, str] = {
    Column.NAME: "ФИО",
    Column.PHONE: "Телефон",
    Column.EMAIL: "E-mail",
    Column.GENDER: "Пол",
    Column.BIRTH_DATE: "Дата рождения",
    Column.REGISTERED_AT: "Дата регистрации",
    Column.SOURCE: "Источник регистрации",
    Column.OUTLET: "Точка продаж",
    Column.SEGMENTS: "Сегменты",
    Column.PURCHASES: "Кол-во покупок",
    Column.REVENUE: "Выручка",
    Column.AVERAGE_CHECK: "Средний чек",
    Column.LAST_PURCHASE_AT: "Последняя покупка",
    Column.BONUS_BALANCE: "Бонусов на счету",
    Column.MESSENGER_STATUS: "Статус в мессенджере",
    Column.DEFAULT_CHANNEL: "Мессенджер по умолчанию",
    Column.LAST_NPS_SCORE: "Оценка NPS",
}

# Keyed by the values as stored (the contracts' enums are StrEnums of the same text).
GENDERS: dict[str, str] = {Gender.FEMALE: "Женский", Gender.MALE: "Мужской"}
SOURCES: dict[str, str] = {
    RegistrationSource.MESSENGER: "Мессенджер",
    RegistrationSource.POS: "Касса",
    RegistrationSource.MANUAL: "Вручную",
    RegistrationSource.IMPORT: "Импорт",
    RegistrationSource.WEB: "Сайт",
}
MESSENGER_STATUSES = {"ACTIVE": "Активный", "INACTIVE": "Не активный"}
CHANNELS = {
    "TELEGRAM": "Telegram",
    "WHATSAPP": "WhatsApp",
    "VIBER": "Viber",
    "VK": "ВКонтакте",
    "SMS": "SMS",
}
MONEY_COLUMNS = frozenset({Column.REVENUE, Column.AVERAGE_CHECK, Column.BONUS_BALANCE})

# One value of a row; None is an empty cell.
Cell = str | int | Decimal | date | datetime | None


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What a merchant asked to export: the list's filter and order, columns, format."""

    client_filter: ClientFilter
    order: ClientOrder
    columns: tuple[Column, ...]
    format: ExportFormat

    def file_name(self, job_id: uuid.UUID) -> str:
        return f"clients-{job_id.hex[:8]}.{self.format.extension}"


def chosen_columns(columns: Sequence[Column] | None) -> tuple[Column, ...]:
    """The columns asked for, in the order asked, each once; all of them when not asked."""
    if columns is None:
        return tuple(Column)
    if not columns:
        raise InvalidInput("columns", "choose at least one column, or leave it out for all")
    return tuple(dict.fromkeys(columns))


def titles(columns: Sequence[Column]) -> list[str]:
    return [TITLES[column] for column in columns]


class ClientRow(NamedTuple):
    """What an export writes of one customer: the list's row with its segments' names."""

    first_name: str | None
    last_name: str | None
    phone: str
    email: str | None
    gender: str
    birth_date: date | None
    registered_at: datetime
    source: str
    outlet_id: str | None
    # In the order the card lists them; None or empty: in no segment.
    segments: Sequence[str] | None
    purchases: int
    revenue: Decimal
    average_check: Decimal
    last_purchase_at: datetime | None
    bonus_balance: Decimal
    messenger_status: str | None
    default_channel: str | None
    last_nps_score: int | None

    @classmethod
    def of(cls, customer: Customer, segments: Sequence[str]) -> "ClientRow":
        profile, registration, figures = customer.profile, customer.registration, customer.figures
        return cls(
            profile.first_name,
            profile.last_name,
            customer.phone,
            profile.email,
            profile.gender.value,
            profile.birth_date,
            registration.registered_at,
            registration.source.value,
            registration.outlet_id,
            segments,
            figures.purchases,
            figures.revenue,
            figures.average_check,
            figures.last_purchase_at,
            figures.bonus_balance,
            figures.messenger_status,
            figures.default_channel,
            figures.last_nps_score,
        )


def cells(row: ClientRow, columns: Sequence[Column]) -> list[Cell]:
    """The customer's row: one value per column, as the card shows it."""
    return [_CELLS[column](row) for column in columns]


def full_name(row: ClientRow) -> str | None:
    """Surname first, as the list sorts by name."""
    return " ".join(part for part in (row.last_name, row.first_name) if part) or None


def _named(names: dict[str, str], value: str | None) -> str | None:
    # A value added after this table (a new channel) is shown as the services send it.
    return None if value is None else names.get(value, value)


_CELLS: dict[Column, Callable[[ClientRow], Cell]] = {
    Column.NAME: full_name,
    Column.PHONE: lambda row: row.phone,
    Column.EMAIL: lambda row: row.email,
    Column.GENDER: lambda row: GENDERS.get(row.gender),
    Column.BIRTH_DATE: lambda row: row.birth_date,
    Column.REGISTERED_AT: lambda row: row.registered_at,
    Column.SOURCE: lambda row: SOURCES.get(row.source, row.source),
    Column.OUTLET: lambda row: row.outlet_id,
    Column.SEGMENTS: lambda row: ", ".join(row.segments) if row.segments else None,
    Column.PURCHASES: lambda row: row.purchases,
    Column.REVENUE: lambda row: row.revenue,
    Column.AVERAGE_CHECK: lambda row: row.average_check,
    Column.LAST_PURCHASE_AT: lambda row: row.last_purchase_at,
    Column.BONUS_BALANCE: lambda row: row.bonus_balance,
    Column.MESSENGER_STATUS: lambda row: _named(MESSENGER_STATUSES, row.messenger_status),
    Column.DEFAULT_CHANNEL: lambda row: _named(CHANNELS, row.default_channel),
    Column.LAST_NPS_SCORE: lambda row: row.last_nps_score,
}
