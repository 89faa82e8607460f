"""The filters a count is checked with, each with who it keeps, and the check itself: the
count equals the customers kept and the length of the page the list returns."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from clientcard_contracts.enums import Gender
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder

from .known_customers import NOW, TODAY, Known, Tenant

# A filter, and who it keeps.
Case = tuple[ClientFilter, Callable[[Known], bool]]
CASES: list[Case] = [
    (
        ClientFilter(
            gender=Gender.FEMALE, messenger_status="ACTIVE", bonus_balance_min=Decimal("100")
        ),
        lambda p: p.gender is Gender.FEMALE and p.status == "ACTIVE" and p.balance >= 100,
    ),
    (ClientFilter(bonus_balance_max=Decimal("200")), lambda p: p.balance <= 200),
    (ClientFilter(revenue_min=Decimal("1400.50")), lambda p: p.revenue >= Decimal("1400.50")),
    # Bounds finer than a cent: >= 700.001 leaves out 700.00, <= 700.009 keeps it.
    (ClientFilter(revenue_min=Decimal("700.001")), lambda p: p.revenue > 700),
    (ClientFilter(revenue_max=Decimal("700.009")), lambda p: p.revenue <= 700),
    (ClientFilter(revenue_min=Decimal("1e20")), lambda p: False),
    (ClientFilter(revenue_max=Decimal("-1e20")), lambda p: False),
    (
        ClientFilter(average_check_min=Decimal("700.25"), channel="TELEGRAM"),
        lambda p: (
            p.channel == "TELEGRAM"
            and p.purchases > 0
            and (p.revenue / p.purchases).quantize(Decimal("0.01")) >= Decimal("700.25")
        ),
    ),
    (ClientFilter(channel="MAX"), lambda p: p.channel == "MAX"),
    (
        ClientFilter(channel="MAX", messenger_status="INACTIVE", nps_max=6),
        lambda p: (
            p.channel == "MAX" and p.status == "INACTIVE" and p.nps is not None and p.nps <= 6
        ),
    ),
    (ClientFilter(gender=Gender.UNKNOWN), lambda p: p.gender is Gender.UNKNOWN),
    (ClientFilter(messenger_status="ACTIVE"), lambda p: p.status == "ACTIVE"),
    (ClientFilter(nps_min=3, nps_max=8), lambda p: p.nps is not None and 3 <= p.nps <= 8),
    (
        ClientFilter(last_purchase_from=NOW - timedelta(days=20), gender=Gender.MALE),
        lambda p: (
            p.gender is Gender.MALE
            and p.last_purchase_at is not None
            and p.last_purchase_at >= NOW - timedelta(days=20)
        ),
    ),
    (ClientFilter(last_purchase_to=NOW - timedelta(days=20)), lambda p: _bought_before(p, 20)),
    (
        ClientFilter(purchases_min=2, purchases_max=4, messenger_status="INACTIVE"),
        lambda p: 2 <= p.purchases <= 4 and p.status == "INACTIVE",
    ),
    (
        ClientFilter(registered_from=NOW - timedelta(days=200), nps_max=6),
        lambda p: p.registered_at >= NOW - timedelta(days=200) and p.nps is not None and p.nps <= 6,
    ),
    (ClientFilter(search="петров"), lambda p: p.surname == "Петрова"),
    (
        ClientFilter(search="петров", gender=Gender.FEMALE, bonus_balance_min=Decimal("150")),
        lambda p: p.surname == "Петрова" and p.gender is Gender.FEMALE and p.balance >= 150,
    ),
    # A search with nothing but audience filters is counted in `customer_search` (0005).
    (
        ClientFilter(search="петров", gender=Gender.FEMALE),
        lambda p: p.surname == "Петрова" and p.gender is Gender.FEMALE,
    ),
    (
        ClientFilter(search="орлов", messenger_status="ACTIVE", channel="MAX"),
        lambda p: p.surname == "Орлова" and p.status == "ACTIVE" and p.channel == "MAX",
    ),
    (
        ClientFilter(search="петров", channel="TELEGRAM", gender=Gender.MALE),
        lambda p: p.surname == "Петрова" and p.channel == "TELEGRAM" and p.gender is Gender.MALE,
    ),
]


def _bought_before(person: Known, days: int) -> bool:
    last = person.last_purchase_at
    return last is not None and last <= NOW - timedelta(days=days)


async def assert_counts_exact(tenant: Tenant, cases: list[Case]) -> None:
    async with tenant.work() as uow:
        for wanted, keeps in cases:
            expected = sum(1 for person in tenant.people if keeps(person))
            counted = await uow.client_list.count(wanted, TODAY)
            page = await uow.client_list.page(wanted, ClientOrder(), 500, None, TODAY)
            assert (counted, len(page)) == (expected, expected), wanted
