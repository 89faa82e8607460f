"""The tenants that have bonus accounts, for work that visits every tenant."""

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from clientcard_bonuses.db.tables import bonus_tenants


async def all_tenants(session: AsyncSession) -> list[str]:
    return list(await session.scalars(sa.select(bonus_tenants.c.tenant_id)))
