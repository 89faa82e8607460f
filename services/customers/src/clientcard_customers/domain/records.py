"""What the customers service knows of a customer, a segment and a note."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clientcard_customers.domain.client_list import ClientFilter
from clientcard_customers.domain.profile import Profile, QuestionnaireAnswer, Registration


@dataclass(frozen=True, slots=True)
class Figures:
    """The read model: figures other services own, as their latest events told them."""

    purchases: int = 0
    revenue: Decimal = Decimal("0.00")
    average_check: Decimal = Decimal("0.00")
    last_purchase_at: datetime | None = None
    bonus_balance: Decimal = Decimal("0.00")
    messenger_status: str | None = None
    default_channel: str | None = None
    last_nps_score: int | None = None
    bonuses_expiring_at: datetime | None = None
    tier_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    id: uuid.UUID
    tenant_id: str
    phone: str
    profile: Profile
    registration: Registration
    questionnaire: tuple[QuestionnaireAnswer, ...]
    figures: Figures
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Segment:
    id: uuid.UUID
    name: str
    created_at: datetime
    # A dynamic segment's filter: it holds exactly the customers that match. None: manual.
    filter: ClientFilter | None = None

    @property
    def dynamic(self) -> bool:
        return self.filter is not None


@dataclass(frozen=True, slots=True)
class Note:
    id: uuid.UUID
    customer_id: uuid.UUID
    text: str
    author: str
    created_at: datetime
    updated_at: datetime
