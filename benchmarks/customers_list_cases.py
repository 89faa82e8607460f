"""The cases `customers_list.py` times: pages and counts of the client list a merchant
opens, searches and filters, on the tenant that benchmark fills."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from clientcard_contracts.enums import Gender, RegistrationSource
from clientcard_customers.domain.client_list import (
    ClientFilter,
    ClientOrder,
    Direction,
    NpsCategory,
    OrderField,
)


@dataclass(frozen=True)
class Case:
    name: str
    filter: ClientFilter
    order: ClientOrder
    deep: bool = False


def cases(segment_ids: list[uuid.UUID]) -> list[Case]:
    newest = ClientOrder(OrderField.REGISTERED_AT, Direction.DESC)
    return [
        Case("all, newest first", ClientFilter(), newest),
        Case("all, newest first, page after 10,000 rows", ClientFilter(), newest, deep=True),
        Case("search 'петрова1'", ClientFilter(search="петрова1"), newest),
        Case("search phone fragment '1612345'", ClientFilter(search="1612345"), newest),
        Case("search 'петрова' (a tenth of the tenant)", ClientFilter(search="петрова"), newest),
        Case("search 'зинаида' (nobody)", ClientFilter(search="зинаида"), newest),
        Case(
            "search 'петрова' and women",
            ClientFilter(search="петрова", gender=Gender.FEMALE),
            newest,
        ),
        Case(
            "one segment, by revenue",
            ClientFilter(segment_ids=(segment_ids[0],)),
            ClientOrder(OrderField.REVENUE, Direction.DESC),
        ),
        Case(
            "purchases 5..10, by last purchase",
            ClientFilter(purchases_min=5, purchases_max=10),
            ClientOrder(OrderField.LAST_PURCHASE_AT, Direction.DESC),
        ),
        Case(
            "women, active messenger, balance >= 1000, by balance",
            ClientFilter(
                gender=Gender.FEMALE,
                messenger_status="ACTIVE",
                bonus_balance_min=Decimal("1000"),
            ),
            ClientOrder(OrderField.BONUS_BALANCE, Direction.DESC),
        ),
        Case(
            "women (half the tenant), by name",
            ClientFilter(gender=Gender.FEMALE),
            ClientOrder(OrderField.NAME, Direction.ASC),
        ),
        Case(
            "birthday within 7 days, by name",
            ClientFilter(birthday_within_days=7),
            ClientOrder(OrderField.NAME, Direction.ASC),
        ),
        Case(
            "registered in the last 90 days, NPS 0..6",
            ClientFilter(registered_from=datetime.now(UTC) - timedelta(days=90), nps_max=6),
            newest,
        ),
        *search_as_typed(newest),
        *more_filters(segment_ids),
    ]


def search_as_typed(newest: ClientOrder) -> list[Case]:
    """One client's phone in the spellings merchants type, and names in either order."""
    return [
        Case(f"search phone '{typed}'", ClientFilter(search=typed), newest)
        for typed in ("+7 916 001-23-45", "8 (916) 001-23-45", "89160012345", "001-23")
    ] + [
        Case(
            "search 'петрова1 анна' (words reversed)", ClientFilter(search="петрова1 анна"), newest
        ),
        Case("search 'Анна Петрова12'", ClientFilter(search="Анна Петрова12"), newest),
        Case("search e-mail 'client12345@'", ClientFilter(search="client12345@"), newest),
    ]


def more_filters(segment_ids: list[uuid.UUID]) -> list[Case]:
    """The filters and orders of the second contract, alone and combined."""
    by_name = ClientOrder(OrderField.NAME, Direction.ASC)
    return [
        Case("outlets center, mall, by name", ClientFilter(outlet_ids=("center", "mall")), by_name),
        Case(
            "registered by messenger or web, newest first",
            ClientFilter(
                registration_sources=(RegistrationSource.MESSENGER, RegistrationSource.WEB)
            ),
            ClientOrder(OrderField.REGISTERED_AT, Direction.DESC),
        ),
        Case("no messenger, by name", ClientFilter(has_messenger=False), by_name),
        Case(
            "in no segment of the first five, by revenue",
            ClientFilter(not_in_segment_ids=tuple(segment_ids[:5])),
            ClientOrder(OrderField.REVENUE, Direction.DESC),
        ),
        Case("born in June, by name", ClientFilter(birth_month=6), by_name),
        Case(
            "promoters, by last NPS score",
            ClientFilter(nps_category=NpsCategory.PROMOTER),
            ClientOrder(OrderField.LAST_NPS_SCORE, Direction.DESC),
        ),
        Case(
            "never answered NPS, women, by average check",
            ClientFilter(nps_category=NpsCategory.NONE, gender=Gender.FEMALE),
            ClientOrder(OrderField.AVERAGE_CHECK, Direction.DESC),
        ),
        Case(
            "all, by average check",
            ClientFilter(),
            ClientOrder(OrderField.AVERAGE_CHECK, Direction.DESC),
        ),
        Case(
            "center, active messenger, born in June, by NPS",
            ClientFilter(outlet_ids=("center",), has_messenger=True, birth_month=6),
            ClientOrder(OrderField.LAST_NPS_SCORE, Direction.ASC),
        ),
        *next_birthdays(),
    ]


def next_birthdays() -> list[Case]:
    """The order by the next birthday, which walks the birthday index in three runs."""
    soonest = ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.ASC)
    return [
        Case("all, next birthday first", ClientFilter(), soonest),
        Case("all, next birthday first, after 10,000 rows", ClientFilter(), soonest, deep=True),
        Case(
            "all, next birthday last",
            ClientFilter(),
            ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.DESC),
        ),
        Case(
            "women with a messenger, next birthday first",
            ClientFilter(gender=Gender.FEMALE, has_messenger=True),
            soonest,
        ),
        Case(
            "center, born in June, next birthday first",
            ClientFilter(outlet_ids=("center",), birth_month=6),
            soonest,
        ),
        Case(
            "registered by messenger, women, next birthday first",
            ClientFilter(
                registration_sources=(RegistrationSource.MESSENGER,), gender=Gender.FEMALE
            ),
            soonest,
        ),
    ]
