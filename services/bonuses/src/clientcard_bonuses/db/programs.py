"""The tenant's loyalty program; a tenant that never changed it has the defaults.

The program's row also says where the background run that places every account in the
tiers has got to: due after the tiers changed, then moving through accounts by their ids.
"""

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from clientcard_bonuses.db.tables import loyalty_programs
from clientcard_bonuses.domain.program import LoyaltyProgram
from clientcard_bonuses.domain.tiers import Tier
from clientcard_kit.db.repository import Repository

_SETTINGS = (
    loyalty_programs.c.accrual_percent,
    loyalty_programs.c.max_redeem_percent,
    loyalty_programs.c.expiry_days,
    loyalty_programs.c.welcome_bonus,
    loyalty_programs.c.pending_days,
    loyalty_programs.c.tiers,
    loyalty_programs.c.birthday_bonus,
    loyalty_programs.c.birthday_days_before,
    loyalty_programs.c.birthday_bonus_expiry_days,
    loyalty_programs.c.time_zone,
)


class ProgramRepository(Repository):
    async def get(self, *, for_update: bool = False) -> LoyaltyProgram:
        query = sa.select(*_SETTINGS)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).first()
        return _program(row._mapping) if row else LoyaltyProgram()

    async def save(
        self, program: LoyaltyProgram, author: str, now: datetime, *, tiers_changed: bool = False
    ) -> None:
        """Store the settings; when the tiers changed, the run placing everyone is due again
        from the first account."""
        settings: dict[str, Any] = {
            "accrual_percent": program.accrual_percent,
            "max_redeem_percent": program.max_redeem_percent,
            "expiry_days": program.expiry_days,
            "welcome_bonus": program.welcome_bonus,
            "pending_days": program.pending_days,
            "tiers": [_tier_json(tier) for tier in program.tiers],
            "birthday_bonus": program.birthday_bonus,
            "birthday_days_before": program.birthday_days_before,
            "birthday_bonus_expiry_days": program.birthday_bonus_expiry_days,
            "time_zone": program.time_zone,
            "updated_at": now,
            "updated_by": author,
        }
        if tiers_changed:
            settings |= {"tiers_run_due": True, "tiers_run_after": None}
        await self._session.execute(
            insert(loyalty_programs)
            .values(tenant_id=self._tenant, **settings)
            .on_conflict_do_update(index_elements=[loyalty_programs.c.tenant_id], set_=settings)
        )

    async def tiers_run(self) -> tuple[LoyaltyProgram, uuid.UUID | None] | None:
        """The program and the last account placed, locked, when a tiers run is due."""
        row = (
            await self._session.execute(
                sa.select(*_SETTINGS, loyalty_programs.c.tiers_run_after)
                .where(loyalty_programs.c.tiers_run_due)
                .with_for_update()
            )
        ).first()
        return (_program(row._mapping), row.tiers_run_after) if row else None

    async def advance_tiers_run(self, after: uuid.UUID | None) -> None:
        """Remember the last account placed; None: the run is over."""
        await self._session.execute(
            sa.update(loyalty_programs).values(
                tiers_run_due=after is not None, tiers_run_after=after
            )
        )


def _program(row: "sa.RowMapping") -> LoyaltyProgram:
    values = {column.name: row[column.name] for column in _SETTINGS}
    values["tiers"] = tuple(_tier(found) for found in values["tiers"])
    return LoyaltyProgram(**values)


def _tier_json(tier: Tier) -> dict[str, str]:
    return {
        "id": str(tier.id),
        "name": tier.name,
        "minSpend": str(tier.min_spend),
        "accrualPercent": str(tier.accrual_percent),
    }


def _tier(found: dict[str, str]) -> Tier:
    return Tier(
        id=uuid.UUID(found["id"]),
        name=found["name"],
        min_spend=Decimal(found["minSpend"]),
        accrual_percent=Decimal(found["accrualPercent"]),
    )
