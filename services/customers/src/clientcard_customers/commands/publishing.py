"""The events the customers service publishes, built from its records."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from clientcard_contracts.events import customers as events
from clientcard_customers.domain.records import Customer, Segment


def _profile(customer: Customer) -> dict[str, object]:
    profile = customer.profile
    return {
        "tenant_id": customer.tenant_id,
        "customer_id": customer.id,
        "occurred_at": customer.updated_at,
        "version": customer.version,
        "phone": customer.phone,
        "email": profile.email,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "birth_date": profile.birth_date,
        "gender": profile.gender,
    }


def customer_registered(customer: Customer) -> events.CustomerRegistered:
    registration = customer.registration
    return events.CustomerRegistered(
        **_profile(customer),
        registration=events.Registration(
            registered_at=registration.registered_at,
            source=registration.source,
            channel=registration.channel,
            outlet_id=registration.outlet_id,
        ),
        questionnaire=_answers(customer),
    )


def customer_updated(customer: Customer) -> events.CustomerUpdated:
    return events.CustomerUpdated(**_profile(customer), questionnaire=_answers(customer))


def _answers(customer: Customer) -> tuple[events.QuestionnaireAnswer, ...]:
    return tuple(
        events.QuestionnaireAnswer(question=answer.question, answer=answer.answer)
        for answer in customer.questionnaire
    )


def customer_deleted(tenant: str, customer_id: uuid.UUID) -> events.CustomerDeleted:
    return events.CustomerDeleted(
        tenant_id=tenant, customer_id=customer_id, occurred_at=datetime.now(UTC)
    )


def segments_changed(
    tenant: str, customer_id: uuid.UUID, version: int, segments: Sequence[Segment]
) -> events.CustomerSegmentsChanged:
    return events.CustomerSegmentsChanged(
        tenant_id=tenant,
        customer_id=customer_id,
        occurred_at=datetime.now(UTC),
        version=version,
        segments=tuple(events.SegmentRef(id=segment.id, name=segment.name) for segment in segments),
    )


def customer_merged(
    tenant: str, duplicate_id: uuid.UUID, survivor_id: uuid.UUID
) -> events.CustomerMerged:
    return events.CustomerMerged(
        tenant_id=tenant,
        customer_id=duplicate_id,
        occurred_at=datetime.now(UTC),
        survivor_id=survivor_id,
    )
