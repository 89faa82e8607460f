"""The partial card: with any one of bonuses, messaging or receipts stopped, the card and
the list come back with that service's sections null, an error naming the service, and
every other section whole."""

import json
from typing import Any

import pytest

from clientcard_devstack.wholestack import RunningSystem

from .test_card import CARD, story
from .tills import eventually

pytestmark = pytest.mark.integration

__all__ = ["story"]  # the card's story, told again for this module

# Each service's sections of the card, and a section of every other service.
SECTIONS = {
    "bonuses": ("bonuses",),
    "messaging": ("nps", "conversation", "messengers"),
    "receipts": ("purchaseStats", "receipts"),
}
OWN = ("firstName", "summary", "segments", "registration", "notes")
LIST = """{ customers(first: 5) { totalCount edges { node { id firstName
  bonuses { balance } messengers { channel } purchaseStats { purchases } } } } }"""
LIST_SECTIONS = {"bonuses": "bonuses", "messaging": "messengers", "receipts": "purchaseStats"}


@pytest.mark.parametrize("stopped", sorted(SECTIONS))
def test_a_stopped_service_nulls_only_its_own_sections(
    system: RunningSystem, story: dict[str, Any], stopped: str
) -> None:
    owner = story["owner"]

    def settled() -> dict[str, Any]:
        # The summary's figures follow the other services' events: wait until every one
        # came, or a late one would change the summary while a service is stopped.
        card = owner(CARD, id=story["customer"])["customer"]
        summary = card["summary"]
        assert summary["messengerStatus"] == "ACTIVE"
        assert summary["bonusBalance"] == card["bonuses"]["balance"]
        assert summary["purchases"] == card["purchaseStats"]["purchases"]
        # Each receipt's bonuses reach the receipts service from the ledger's events.
        assert all(edge["node"]["bonusesAccrued"] != "0.00" for edge in card["receipts"]["edges"])
        return dict(card)

    whole = eventually(settled)
    system.stop_service(stopped)
    try:
        card = owner.raw(CARD, id=story["customer"])
        listed = owner.raw(LIST)
    finally:
        system.start_service(stopped)

    customer = card["data"]["customer"]
    assert customer is not None, card
    for section in SECTIONS[stopped]:
        assert customer[section] is None, section
    for service, sections in SECTIONS.items():
        if service != stopped:
            for section in sections:
                # With bonuses stopped the receipts keep the bonuses of each: the
                # receipts service answers them from its copy of the ledger's outcomes.
                assert customer[section] == whole[section], section
    for field in OWN:
        assert customer[field] == whole[field], field
    assert stopped in json.dumps(card["errors"]), card["errors"]

    [node] = [edge["node"] for edge in listed["data"]["customers"]["edges"]]
    assert node["firstName"] == whole["firstName"]
    assert node[LIST_SECTIONS[stopped]] is None
    assert stopped in json.dumps(listed["errors"])
