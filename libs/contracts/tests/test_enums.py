import re
from enum import StrEnum

import pytest

from clientcard_contracts import enums

from .support import design_file

SHARED_WITH_THE_CONTRACT = {
    "Gender",
    "RegistrationSource",
    "Channel",
    "MessengerStatus",
    "ReceiptType",
    "BonusOperationType",
    "BonusEvent",
    "MessageDirection",
    "MessageKind",
    "DeliveryStatus",
    "BroadcastStatus",
    "ReservationStatus",
    "RedemptionStatus",
}


def contract_enums() -> dict[str, list[str]]:
    # The contract in force and the second stage's additions (binding names too).
    text = "\n".join(
        design_file(name).read_text(encoding="utf-8")
        for name in ("contract.graphql", "contract-v2.graphql")
    )
    text = re.sub(r"#[^\n]*", "", text)
    # Values the second stage adds to an enum come after the first contract's, in order.
    added = re.findall(r"\bextend\s+enum\s+(\w+)\s*\{([^}]*)\}", text)
    text = re.sub(r"\bextend\s+enum\s+\w+\s*\{[^}]*\}", "", text)
    found = {name: body.split() for name, body in re.findall(r"\benum\s+(\w+)\s*\{([^}]*)\}", text)}
    for name, body in added:
        found[name] = [*found[name], *body.split()]
    return found


def catalog_enums() -> dict[str, type[StrEnum]]:
    return {
        name: value
        for name, value in vars(enums).items()
        if isinstance(value, type) and issubclass(value, StrEnum) and value is not StrEnum
    }


def test_every_shared_enum_is_in_the_contract() -> None:
    assert set(contract_enums()) >= SHARED_WITH_THE_CONTRACT
    assert set(catalog_enums()) >= SHARED_WITH_THE_CONTRACT


@pytest.mark.parametrize("name", sorted(SHARED_WITH_THE_CONTRACT))
def test_values_are_the_contracts_in_its_order(name: str) -> None:
    ours = catalog_enums()[name]
    assert [member.value for member in ours] == contract_enums()[name]
    assert all(member.name == member.value for member in ours)


def test_enums_not_in_the_contract_are_only_the_event_ones() -> None:
    only_here = set(catalog_enums()) - set(contract_enums())
    assert only_here == {"BonusRejection", "UnsubscribeReason"}
