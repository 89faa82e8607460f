"""Customers' birth month and day, and the birthday bonuses given, one per customer and year.

Birth dates come with customers' profile events (the latest version wins); the daily run
finds, a batch at a time, the customers whose birthday bonus is due and not yet given,
and claims each (customer, year) before accruing it: a claim that finds the key taken
(another replica, a run before a restart) gives nothing.
"""

import uuid
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_bonuses.db.tables import birthday_bonuses, customer_birthdays
from clientcard_bonuses.domain.birthdays import BirthdayDue
from clientcard_kit.db.repository import Repository


class BirthdayRepository(Repository):
    async def keep(self, customer_id: uuid.UUID, born: date | None, version: int) -> None:
        """Remember a customer's birth month and day (forget them when the profile has
        none), unless a later version of the profile is known."""
        known = customer_birthdays.c
        if born is None:
            await self._session.execute(
                sa.delete(customer_birthdays).where(
                    known.customer_id == customer_id, known.version < version
                )
            )
            return
        row = {"month": born.month, "day": born.day, "version": version}
        await self._session.execute(
            insert(customer_birthdays)
            .values(tenant_id=self._tenant, customer_id=customer_id, **row)
            .on_conflict_do_update(
                index_elements=[known.tenant_id, known.customer_id],
                set_=row,
                where=known.version < version,
            )
        )

    async def remove(self, customer_id: uuid.UUID) -> None:
        for table in (customer_birthdays, birthday_bonuses):
            await self._session.execute(sa.delete(table).where(table.c.customer_id == customer_id))

    async def due(self, dues: Sequence[BirthdayDue], limit: int) -> list[tuple[uuid.UUID, int]]:
        """Up to `limit` customers born on one of the due days with no bonus for its year."""
        if not dues:
            return []
        days = sa.values(
            sa.column("month", sa.SmallInteger),
            sa.column("day", sa.SmallInteger),
            sa.column("year", sa.SmallInteger),
            name="due",
        ).data([(due.month, due.day, due.year) for due in dues])
        born = customer_birthdays.c
        given = sa.select(birthday_bonuses.c.customer_id).where(
            birthday_bonuses.c.customer_id == born.customer_id,
            birthday_bonuses.c.year == days.c.year,
        )
        rows = await self._session.execute(
            sa.select(born.customer_id, days.c.year)
            .join(days, sa.and_(born.month == days.c.month, born.day == days.c.day))
            .where(~given.exists())
            .limit(limit)
        )
        return [(row[0], row[1]) for row in rows]

    async def claim(
        self, due: Sequence[tuple[uuid.UUID, int]], now: datetime
    ) -> list[tuple[uuid.UUID, int]]:
        """Take the (customer, year) keys no one took before; returns those taken now."""
        if not due:
            return []
        rows = await self._session.execute(
            insert(birthday_bonuses)
            .values(
                [
                    {"tenant_id": self._tenant, "customer_id": c, "year": y, "accrued_at": now}
                    for c, y in due
                ]
            )
            .on_conflict_do_nothing()
            .returning(birthday_bonuses.c.customer_id, birthday_bonuses.c.year)
        )
        return [(row[0], row[1]) for row in rows]
