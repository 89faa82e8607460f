"""One well-formed event of every type in the catalog, as services would publish them."""

import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

from clientcard_contracts.enums import (
    BonusEvent,
    BonusOperationType,
    BonusRejection,
    Channel,
    Gender,
    MessageKind,
    MessengerStatus,
    ReceiptType,
    RegistrationSource,
    ReservationStatus,
    UnsubscribeReason,
)
from clientcard_contracts.events import bonuses, customers, messaging, receipts
from clientcard_contracts.events.base import Event

TENANT = "salon-on-lenina"
CUSTOMER = uuid.UUID("7b0c8a52-51f6-4d2e-9a43-5f3f2b7d9c01")
SALE = uuid.UUID("1f7e6b1e-8f0a-4c7e-b1d5-0d1c2b3a4e5f")
RETURN = uuid.UUID("2a8f7c2f-9a1b-4d8f-a2e6-1e2d3c4b5a6f")
AT = datetime(2025, 3, 14, 12, 30, tzinfo=UTC)
MOSCOW = timezone(timedelta(hours=3))

registration = customers.Registration(
    registered_at=AT, source=RegistrationSource.MESSENGER, channel=Channel.TELEGRAM
)
profile = {
    "tenant_id": TENANT,
    "customer_id": CUSTOMER,
    "occurred_at": AT,
    "version": 1,
    "phone": "+79123456789",
    "email": "anna@example.com",
    "first_name": "Anna",
    "last_name": "Petrova",
    "birth_date": date(1990, 5, 17),
    "gender": Gender.FEMALE,
}

lines = (
    receipts.ReceiptLine(
        sku="SH-200", name="Shampoo", quantity="2", price="450.00", amount="900.00"
    ),
    receipts.ReceiptLine(name="Haircut", quantity=Decimal(1), price="1500", amount="1500"),
)


def stats(version: int, purchases: int, returns: int, revenue: str) -> receipts.PurchaseStats:
    return receipts.PurchaseStats(
        version=version,
        purchases=purchases,
        returns=returns,
        revenue=revenue,
        average_check=Decimal(revenue) / purchases,
        first_purchase_at=AT,
        last_purchase_at=AT,
    )


sale = receipts.ReceiptRegistered(
    tenant_id=TENANT,
    customer_id=CUSTOMER,
    occurred_at=AT,
    receipt_id=SALE,
    type=ReceiptType.SALE,
    pos_id="till-1",
    outlet_id="lenina-5",
    number="000123",
    purchased_at=AT.astimezone(MOSCOW),
    items=lines,
    total="2400.00",
    paid="2300.00",
    bonuses_spent="100.00",
    purchase_stats=stats(1, 1, 0, "2400.00"),
)

partial_return = receipts.ReceiptRegistered(
    tenant_id=TENANT,
    customer_id=CUSTOMER,
    occurred_at=AT + timedelta(days=1),
    receipt_id=RETURN,
    type=ReceiptType.RETURN,
    pos_id="till-1",
    outlet_id="lenina-5",
    number="000124",
    purchased_at=AT + timedelta(days=1),
    items=lines[:1],
    total="900.00",
    paid="862.50",
    bonuses_spent="37.50",
    original_receipt_id=SALE,
    returned_share="0.375",
    returned_share_so_far="0.375",
    purchase_stats=stats(2, 1, 1, "1500.00"),
)

account = bonuses.BonusAccountTotals(
    version=3, balance="215.00", accrued="315.00", spent="100.00", expired="0"
)

messengers = messaging.Messengers(
    version=2,
    status=MessengerStatus.ACTIVE,
    default_channel=Channel.TELEGRAM,
    subscriptions=(
        messaging.ChannelSubscription(
            channel=Channel.TELEGRAM, status=MessengerStatus.ACTIVE, is_default=True
        ),
        messaging.ChannelSubscription(
            channel=Channel.WHATSAPP, status=MessengerStatus.INACTIVE, is_default=False
        ),
    ),
)

# Another card of the same person: the customer merged into it, or it into the customer.
OTHER_CARD = uuid.UUID("3c9d8e4a-0b2c-4e9f-b3f7-2f3e4d5c6b70")
merge_answer: dict[str, object] = {
    "tenant_id": TENANT,
    "customer_id": CUSTOMER,
    "occurred_at": AT,
    "duplicate_id": OTHER_CARD,
}

EVENTS: tuple[Event, ...] = (
    customers.CustomerRegistered(
        **profile,
        registration=registration,
        questionnaire=(customers.QuestionnaireAnswer(question="Hair type?", answer="Curly"),),
    ),
    customers.CustomerUpdated(**{**profile, "version": 2, "last_name": "Sidorova"}),
    customers.CustomerDeleted(tenant_id=TENANT, customer_id=CUSTOMER, occurred_at=AT),
    customers.CustomerSegmentsChanged(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        version=3,
        segments=(customers.SegmentRef(id=uuid.uuid4(), name="Regulars"),),
    ),
    sale,
    partial_return,
    bonuses.BonusTransactionRecorded(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        operation_id=uuid.uuid4(),
        type=BonusOperationType.ACCRUAL,
        event=BonusEvent.PURCHASE,
        amount="115.00",
        balance_after="215.00",
        receipt_id=SALE,
        expires_at=AT + timedelta(days=365),
        account=account,
    ),
    bonuses.BonusTransactionRecorded(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        operation_id=uuid.uuid4(),
        type=BonusOperationType.WRITE_OFF,
        event=BonusEvent.MANUAL,
        amount="50.00",
        balance_after="165.00",
        comment="Birthday gift card",
        author="manager@salon",
        account=account.model_copy(update={"version": 4, "balance": Decimal("165.00")}),
    ),
    bonuses.ReceiptBonusesApplied(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        receipt_id=SALE,
        receipt_type=ReceiptType.SALE,
        requested_spent="100.00",
        spent="0.00",
        accrued="115.00",
        accrual_reversed="0.00",
        spent_refunded="0.00",
        rejection=bonuses.RedemptionRejected(
            reason=BonusRejection.INSUFFICIENT_BALANCE, message="the balance is 40.00"
        ),
        balance_after="155.00",
    ),
    bonuses.BonusReservationChanged(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        reservation_id=uuid.uuid4(),
        status=ReservationStatus.COMMITTED,
        amount="100.00",
        total="1000.00",
        expires_at=AT + timedelta(minutes=10),
        receipt_id=SALE,
    ),
    messaging.MessengerSubscribed(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        channel=Channel.TELEGRAM,
        subscribed_at=AT,
        messengers=messengers,
    ),
    messaging.MessengerUnsubscribed(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        channel=Channel.WHATSAPP,
        reason=UnsubscribeReason.BLOCKED,
        messengers=messengers,
    ),
    messaging.MessengerDefaultChanged(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        default_channel=Channel.TELEGRAM,
        previous_channel=Channel.WHATSAPP,
        messengers=messengers,
    ),
    messaging.MessageDelivered(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        message_id=uuid.uuid4(),
        channel=Channel.TELEGRAM,
        kind=MessageKind.BROADCAST,
        broadcast_id=uuid.uuid4(),
        sent_at=AT,
        delivered_at=AT + timedelta(seconds=2),
        messages_delivered=12,
    ),
    messaging.NpsSubmitted(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        response_id=uuid.uuid4(),
        score=9,
        comment="Lovely haircut",
        receipt_id=SALE,
        responded_at=AT,
    ),
    customers.CustomerMerged(
        tenant_id=TENANT, customer_id=CUSTOMER, occurred_at=AT, survivor_id=OTHER_CARD
    ),
    receipts.ReceiptsMergeApplied(
        **merge_answer,
        service="receipts",
        purchase_stats=stats(3, 2, 1, "2000.00"),
    ),
    bonuses.BonusesMergeApplied(
        **merge_answer,
        service="bonuses",
        account=bonuses.BonusAccountTotals(
            version=5,
            balance="420.00",
            accrued="470.00",
            spent="50.00",
            expired="0.00",
        ),
    ),
    messaging.MessagingMergeApplied(**merge_answer, service="messaging", messengers=None),
    customers.BonusAccrualRequested(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        job_id=uuid.UUID("7d1f0c2e-4b3a-4c5d-9e8f-0a1b2c3d4e5f"),
        amount="150.00",
        comment="Подарок к 8 марта",
        author="owner@salon",
        expires_at=AT + timedelta(days=30),
    ),
    bonuses.BonusTierChanged(
        tenant_id=TENANT,
        customer_id=CUSTOMER,
        occurred_at=AT,
        tier_id=uuid.UUID("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"),
        tier_name="Золото",
        version=2,
    ),
)
