"""POS API keys: only a hash of each secret is kept."""

import uuid
from datetime import datetime

import sqlalchemy as sa

from clientcard_kit.db.records import row_of
from clientcard_kit.db.repository import Repository
from clientcard_receipts.db.tables import pos_api_keys
from clientcard_receipts.domain.records import PosApiKey, PosCaller

_COLUMNS = (
    pos_api_keys.c.id,
    pos_api_keys.c.outlet_id,
    pos_api_keys.c.pos_id,
    pos_api_keys.c.created_at,
    pos_api_keys.c.revoked_at,
)


class PosApiKeyRepository(Repository):
    async def add(self, key: PosApiKey, secret_hash: str) -> None:
        await self._session.execute(
            sa.insert(pos_api_keys).values(
                tenant_id=self._tenant, secret_hash=secret_hash, **row_of(key)
            )
        )

    async def all(self) -> list[PosApiKey]:
        rows = await self._session.execute(
            sa.select(*_COLUMNS).order_by(pos_api_keys.c.created_at, pos_api_keys.c.id)
        )
        return [PosApiKey(*row) for row in rows]

    async def revoke(self, key_id: uuid.UUID, now: datetime) -> PosApiKey | None:
        """Revoke the key (a second revocation keeps the first moment)."""
        row = (
            await self._session.execute(
                sa.update(pos_api_keys)
                .where(pos_api_keys.c.id == key_id)
                .values(revoked_at=sa.func.coalesce(pos_api_keys.c.revoked_at, now))
                .returning(*_COLUMNS)
            )
        ).first()
        return PosApiKey(*row) if row else None

    async def caller(self, secret_hash: str) -> PosCaller | None:
        """Who an active key with this hash speaks for."""
        row = (
            await self._session.execute(
                sa.select(
                    pos_api_keys.c.tenant_id, pos_api_keys.c.outlet_id, pos_api_keys.c.pos_id
                ).where(
                    pos_api_keys.c.secret_hash == secret_hash,
                    pos_api_keys.c.revoked_at.is_(None),
                )
            )
        ).first()
        return PosCaller(*row) if row else None
