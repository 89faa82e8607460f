"""Customers' answers to NPS surveys."""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from clientcard_kit.db.batches import batch_ids, one_of_batch
from clientcard_kit.db.repository import Repository
from clientcard_messaging.db.tables import nps_responses
from clientcard_messaging.domain import nps
from clientcard_messaging.domain.records import NpsResponse

_COLUMNS = (
    nps_responses.c.id,
    nps_responses.c.customer_id,
    nps_responses.c.score,
    nps_responses.c.comment,
    nps_responses.c.responded_at,
    nps_responses.c.receipt_id,
)


def _record(row: Any) -> NpsResponse:
    return NpsResponse(
        id=row.id,
        customer_id=row.customer_id,
        score=row.score,
        comment=row.comment,
        responded_at=row.responded_at,
        receipt_id=row.receipt_id,
    )


_OF_CUSTOMERS = (
    sa.select(*_COLUMNS)
    .where(one_of_batch(nps_responses.c.customer_id))
    .order_by(nps_responses.c.responded_at.desc(), nps_responses.c.id.desc())
)


class NpsRepository(Repository):
    async def add(
        self, response: NpsResponse, survey_message_id: uuid.UUID, *, awaiting_comment: bool
    ) -> None:
        await self._session.execute(
            sa.insert(nps_responses).values(
                id=response.id,
                tenant_id=self._tenant,
                customer_id=response.customer_id,
                survey_message_id=survey_message_id,
                receipt_id=response.receipt_id,
                score=response.score,
                comment=response.comment,
                responded_at=response.responded_at,
                awaiting_comment=awaiting_comment,
            )
        )

    async def awaiting_comment(self, customer_id: uuid.UUID, since: datetime) -> NpsResponse | None:
        """The customer's score-only answer since then, whose comment may come next."""
        rows = await self._session.execute(
            sa.select(*_COLUMNS)
            .where(
                nps_responses.c.customer_id == customer_id,
                nps_responses.c.awaiting_comment,
                nps_responses.c.responded_at >= since,
            )
            .order_by(nps_responses.c.responded_at.desc())
            .limit(1)
            .with_for_update()
        )
        row = rows.first()
        return _record(row) if row else None

    async def close_comment(self, response_id: uuid.UUID, comment: str | None) -> None:
        await self._session.execute(
            sa.update(nps_responses)
            .where(nps_responses.c.id == response_id)
            .values(comment=comment, awaiting_comment=False)
        )

    async def of_customers(
        self, customer_ids: Iterable[uuid.UUID]
    ) -> dict[uuid.UUID, list[NpsResponse]]:
        rows = await self._session.execute(_OF_CUSTOMERS, batch_ids(customer_ids))
        found: dict[uuid.UUID, list[NpsResponse]] = defaultdict(list)
        for row in rows:
            found[row.customer_id].append(_record(row))
        return found

    async def report(self, start: datetime | None, end: datetime | None) -> nps.Report:
        """Promoters, passives and detractors among the answers of the period."""
        score = nps_responses.c.score
        query = sa.select(
            sa.func.count().filter(score >= nps.PROMOTER),
            sa.func.count().filter(score.between(nps.PASSIVE, nps.PROMOTER - 1)),
            sa.func.count().filter(score < nps.PASSIVE),
        )
        if start is not None:
            query = query.where(nps_responses.c.responded_at >= start)
        if end is not None:
            query = query.where(nps_responses.c.responded_at < end)
        row = (await self._session.execute(query)).one()
        return nps.Report(promoters=int(row[0]), passives=int(row[1]), detractors=int(row[2]))

    async def remove_customer(self, customer_id: uuid.UUID) -> None:
        """The answers stay in the tenant's NPS report, their comment and their link to
        the person and the receipt gone."""
        await self._session.execute(
            sa.update(nps_responses)
            .where(nps_responses.c.customer_id == customer_id)
            .values(customer_id=uuid.uuid4(), comment=None, receipt_id=None, awaiting_comment=False)
        )
