"""An export of the client list: which columns, under which titles, holding what.

Each column is a customer's value in the form a merchant reads in the card: Russian words
for gender, registration source and messenger status, segment names, money as Decimal.
How a value is written (text in a CSV file, a typed cell in a spreadsheet) is the
writers' business (`domain.export_writers`).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

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

GENDERS = {Gender.FEMALE: "Женский", Gender.MALE: "Мужской"}
SOURCES = {
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


def cells(
    customer: Customer, segment_names: Sequence[str], columns: Sequence[Column]
) -> list[Cell]:
    """The customer's row: one value per column; segments named in the order given."""
    values = _values(customer, segment_names)
    return [values[column] for column in columns]


def full_name(customer: Customer) -> str | None:
    """Surname first, as the list sorts by name."""
    parts = (customer.profile.last_name, customer.profile.first_name)
    return " ".join(part for part in parts if part) or None


def _values(customer: Customer, segment_names: Sequence[str]) -> dict[Column, Cell]:
    profile, registration, figures = customer.profile, customer.registration, customer.figures
    return {
        Column.NAME: full_name(customer),
        Column.PHONE: customer.phone,
        Column.EMAIL: profile.email,
        Column.GENDER: GENDERS.get(profile.gender),
        Column.BIRTH_DATE: profile.birth_date,
        Column.REGISTERED_AT: registration.registered_at,
        Column.SOURCE: SOURCES.get(registration.source, registration.source.value),
        Column.OUTLET: registration.outlet_id,
        Column.SEGMENTS: ", ".join(segment_names) or None,
        Column.PURCHASES: figures.purchases,
        Column.REVENUE: figures.revenue,
        Column.AVERAGE_CHECK: figures.average_check,
        Column.LAST_PURCHASE_AT: figures.last_purchase_at,
        Column.BONUS_BALANCE: figures.bonus_balance,
        Column.MESSENGER_STATUS: _named(MESSENGER_STATUSES, figures.messenger_status),
        Column.DEFAULT_CHANNEL: _named(CHANNELS, figures.default_channel),
        Column.LAST_NPS_SCORE: figures.last_nps_score,
    }


def _named(names: dict[str, str], value: str | None) -> str | None:
    # A value added after this table (a new channel) is shown as the services send it.
    return None if value is None else names.get(value, value)
