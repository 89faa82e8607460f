"""An export is the list as it stood when the export began: a client whose place in the
order changes while the export runs is written once, where they stood."""

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from clientcard_contracts.enums import RegistrationSource
from clientcard_customers import commands
from clientcard_customers.commands.exports import write_export
from clientcard_customers.db.tables import customers
from clientcard_customers.db.unit_of_work import CustomersUnitOfWork
from clientcard_customers.domain.birthdays import month_day
from clientcard_customers.domain.client_list import ClientFilter, ClientOrder, Direction, OrderField
from clientcard_customers.domain.exports import Column, ExportFormat, ExportRequest
from clientcard_customers.domain.profile import NewCustomer, Profile, Registration
from clientcard_customers.settings import CustomersSettings
from clientcard_customers.storage import FolderStorage
from clientcard_kit.db import Database

from .calls import tenant

pytestmark = pytest.mark.integration
MOSCOW = ZoneInfo("Europe/Moscow")


async def register(db: Database, salon: str, name: str, born: date | None) -> uuid.UUID:
    async with CustomersUnitOfWork.for_tenant(db, tenant=salon, source="tests") as uow:
        customer = await commands.register_customer(
            uow,
            NewCustomer(
                phone=f"+7912{uuid.uuid4().int % 10_000_000:07d}",
                profile=Profile(first_name=name, birth_date=born),
                registration=Registration(datetime.now(UTC), RegistrationSource.MANUAL),
            ),
        )
    return customer.id


def born_in(days: int) -> date:
    """A birth date whose birthday is `days` from today, thirty years ago."""
    day = datetime.now(MOSCOW).date() + timedelta(days=days)
    return day.replace(year=day.year - 30)


async def test_a_client_moving_ahead_while_the_export_runs_is_written_once(
    customers_settings: CustomersSettings, tmp_path: Path
) -> None:
    db = Database(customers_settings.database_url)
    salon = tenant()
    await register(db, salon, "Алла", born_in(10))
    await register(db, salon, "Белла", born_in(20))
    undated = await register(db, salon, "Вилла", None)
    moved: list[int] = []

    async def progress(rows: int) -> None:
        # After the first client is written, the last one's birthday becomes tomorrow's:
        # now first in the order, before where the export has got to.
        if not moved:
            tomorrow = born_in(1)
            async with db.transaction(salon) as session:
                await session.execute(
                    sa.update(customers)
                    .where(customers.c.id == undated)
                    .values(birth_date=tomorrow, birth_month_day=month_day(tomorrow))
                )
        moved.append(rows)

    order = ClientOrder(OrderField.NEXT_BIRTHDAY, Direction.ASC)
    request = ExportRequest(ClientFilter(), order, (Column.NAME,), ExportFormat.CSV)
    stored = await write_export(
        db,
        FolderStorage(tmp_path),
        salon,
        uuid.uuid4(),
        request,
        progress,
        zone=MOSCOW,
        page_size=1,
    )
    content = (tmp_path / stored.key).read_bytes().decode("utf-8-sig")
    assert content.split("\r\n") == ["ФИО", "Алла", "Белла", "Вилла", ""]
    assert moved == [1, 2, 3]
    # The change itself was made: a later export sees it.
    async with CustomersUnitOfWork.for_tenant(db, tenant=salon, source="tests") as uow:
        listed = await uow.client_list.page(
            ClientFilter(), order, 10, None, datetime.now(MOSCOW).date()
        )
    assert [customer.profile.first_name for customer, _ in listed] == ["Вилла", "Алла", "Белла"]
    await db.dispose()
