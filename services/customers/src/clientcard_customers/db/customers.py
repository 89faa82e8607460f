"""Reading and writing customers' profiles."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError

from clientcard_contracts.enums import Channel, Gender, RegistrationSource
from clientcard_customers.db.tables import customers
from clientcard_customers.domain.birthdays import month_day
from clientcard_customers.domain.profile import (
    NewCustomer,
    Profile,
    QuestionnaireAnswer,
    Registration,
)
from clientcard_customers.domain.records import Customer, Figures
from clientcard_customers.domain.search import searchable_text
from clientcard_kit.db.batches import batch_ids, one_of, one_of_batch
from clientcard_kit.db.records import record_from_row
from clientcard_kit.db.repository import Repository

_BY_IDS = sa.select(customers).where(one_of_batch(customers.c.id))


class CustomerRepository(Repository):
    async def get_many(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Customer]:
        rows = await self._session.execute(_BY_IDS, batch_ids(ids))
        return {row.id: to_customer(row._mapping) for row in rows}

    async def get(self, customer_id: uuid.UUID, *, for_update: bool = False) -> Customer | None:
        query = sa.select(customers).where(customers.c.id == customer_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return to_customer(row._mapping) if row else None

    async def by_phone(self, phone: str) -> Customer | None:
        row = (
            await self._session.execute(sa.select(customers).where(customers.c.phone == phone))
        ).first()
        return to_customer(row._mapping) if row else None

    async def identities(
        self, ids: Iterable[uuid.UUID], phones: Iterable[str]
    ) -> list[tuple[uuid.UUID, str | None, int]]:
        """(id, phone, version) of the customers having one of these ids or phones."""
        rows = await self._session.execute(
            sa.select(customers.c.id, customers.c.phone, customers.c.version).where(
                sa.or_(one_of(customers.c.id, ids), one_of(customers.c.phone, phones))
            )
        )
        return [(row.id, row.phone, row.version) for row in rows]

    async def add(self, customer_id: uuid.UUID, new: NewCustomer, now: datetime) -> bool:
        """Insert the customer; False when the tenant already has a customer with the phone."""
        inserted = await self._session.scalar(
            insert(customers)
            .values(
                id=customer_id,
                tenant_id=self._tenant,
                phone=new.phone,
                **_profile_columns(new.phone, new.profile),
                registered_at=new.registration.registered_at,
                source=new.registration.source.value,
                channel=new.registration.channel.value if new.registration.channel else None,
                outlet_id=new.registration.outlet_id,
                questionnaire=[asdict(answer) for answer in new.questionnaire],
                updated_at=now,
            )
            .on_conflict_do_nothing(constraint="uq_customers_tenant_phone")
            .returning(customers.c.id)
        )
        return inserted is not None

    async def save_profile(self, customer: Customer, now: datetime) -> int | None:
        """Store the customer's phone, profile and questionnaire; returns the new version,
        None when another customer of the tenant holds the phone."""
        statement = (
            sa.update(customers)
            .where(customers.c.id == customer.id)
            .values(
                **_profile_columns(customer.phone, customer.profile),
                phone=customer.phone,
                questionnaire=[asdict(answer) for answer in customer.questionnaire],
                updated_at=now,
                version=customers.c.version + 1,
            )
            .returning(customers.c.version)
        )
        try:
            async with self._session.begin_nested():
                version = await self._session.scalar(statement)
        except IntegrityError:
            return None
        if version is None:
            raise LookupError(customer.id)
        return int(version)

    async def next_versions(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, int]:
        """Count a change that is not to the profile (e.g. segments) in each version."""
        rows = await self._session.execute(
            sa.update(customers)
            .where(one_of(customers.c.id, ids))
            .values(version=customers.c.version + 1)
            .returning(customers.c.id, customers.c.version)
        )
        return {customer_id: int(version) for customer_id, version in rows}

    async def remove(self, customer_id: uuid.UUID) -> bool:
        result = await self._session.execute(
            sa.delete(customers).where(customers.c.id == customer_id).returning(customers.c.id)
        )
        return result.first() is not None


def _profile_columns(phone: str, profile: Profile) -> dict[str, Any]:
    name_key = " ".join(part for part in (profile.last_name, profile.first_name) if part)
    return {
        "search_text": searchable_text(profile.first_name, profile.last_name, phone, profile.email),
        "email": profile.email,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "name_key": name_key.lower(),
        "birth_date": profile.birth_date,
        "birth_month_day": month_day(profile.birth_date) if profile.birth_date else None,
        "gender": profile.gender.value,
    }


def to_customer(row: "Mapping[str, Any] | sa.RowMapping") -> Customer:
    channel = row["channel"]
    return record_from_row(
        Customer,
        row,
        profile=record_from_row(Profile, row, gender=Gender(row["gender"])),
        registration=record_from_row(
            Registration,
            row,
            source=RegistrationSource(row["source"]),
            channel=Channel(channel) if channel else None,
        ),
        questionnaire=tuple(
            QuestionnaireAnswer(answer["question"], answer["answer"])
            for answer in row["questionnaire"]
        ),
        figures=record_from_row(Figures, row),
    )
