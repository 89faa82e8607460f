"""POS API keys: created by an owner (the secret shown once), revoked."""

import uuid
from datetime import datetime

from clientcard_receipts.db.unit_of_work import ReceiptsUnitOfWork
from clientcard_receipts.domain import api_keys
from clientcard_receipts.domain.errors import InvalidInput, NotFound
from clientcard_receipts.domain.records import PosApiKey

ID_LENGTH = 64


async def create_pos_api_key(
    uow: ReceiptsUnitOfWork, outlet_id: str, pos_id: str, now: datetime
) -> tuple[PosApiKey, str]:
    """A new key and its secret; the secret is returned here once and only its hash kept."""
    key = PosApiKey(
        id=uuid.uuid4(),
        outlet_id=_identifier("outletId", outlet_id),
        pos_id=_identifier("posId", pos_id),
        created_at=now,
        revoked_at=None,
    )
    secret = api_keys.new_secret(uow.tenant)
    await uow.api_keys.add(key, api_keys.secret_hash(secret))
    await uow.commit()
    return key, secret


async def revoke_pos_api_key(
    uow: ReceiptsUnitOfWork, key_id: uuid.UUID, now: datetime
) -> PosApiKey:
    key = await uow.api_keys.revoke(key_id, now)
    if key is None:
        raise NotFound(f"no POS API key {key_id}")
    await uow.commit()
    return key


def _identifier(field: str, value: str) -> str:
    text = value.strip()
    if not 1 <= len(text) <= ID_LENGTH:
        raise InvalidInput(field, f"must be 1 to {ID_LENGTH} characters")
    return text
