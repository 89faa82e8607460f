"""The tenant's loyalty program; a tenant that never changed it has the defaults."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_bonuses.db.tables import loyalty_programs
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_kit.db.repository import Repository

_SETTINGS = (
    loyalty_programs.c.accrual_percent,
    loyalty_programs.c.max_redeem_percent,
    loyalty_programs.c.expiry_days,
    loyalty_programs.c.welcome_bonus,
)


class ProgramRepository(Repository):
    async def get(self, *, for_update: bool = False) -> LoyaltyProgram:
        query = sa.select(*_SETTINGS)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return LoyaltyProgram(*row) if row else LoyaltyProgram()

    async def save(self, program: LoyaltyProgram, author: str, now: datetime) -> None:
        settings = {
            "accrual_percent": program.accrual_percent,
            "max_redeem_percent": program.max_redeem_percent,
            "expiry_days": program.expiry_days,
            "welcome_bonus": program.welcome_bonus,
            "updated_at": now,
            "updated_by": author,
        }
        await self._session.execute(
            insert(loyalty_programs)
            .values(tenant_id=self._tenant, **settings)
            .on_conflict_do_update(index_elements=[loyalty_programs.c.tenant_id], set_=settings)
        )
