"""The demo salon: the same seed gives the same salon, and what it sends is valid."""

from datetime import UTC, datetime

from clientcard_contracts.phone import normalize_phone
from clientcard_contracts.pos import read_pos_receipt
from clientcard_contracts.pos_rules import check_receipt_consistency
from clientcard_devstack.demo import tills
from clientcard_devstack.demo.data import salon

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def test_the_same_seed_gives_the_same_salon_and_another_seed_another() -> None:
    assert salon(50, seed=3, now=NOW) == salon(50, seed=3, now=NOW)
    assert salon(50, seed=3, now=NOW) != salon(50, seed=4, now=NOW)


def test_clients_have_unique_valid_phones_and_a_realistic_spread() -> None:
    clients = salon(300, now=NOW).clients
    phones = [client.phone for client in clients]
    assert len(set(phones)) == len(phones)
    assert all(normalize_phone(phone) == phone for phone in phones)
    assert 0.6 < sum(client.gender == "FEMALE" for client in clients) / len(clients) < 0.95
    assert any(client.messengers for client in clients)
    assert any(not client.purchases for client in clients)
    assert any(purchase.returned for client in clients for purchase in client.purchases)


def test_every_receipt_the_demo_sends_passes_the_pos_contract_and_its_rules() -> None:
    clients = salon(300, now=NOW).clients
    sent = 0
    for client in clients:
        for number, purchase in enumerate(client.purchases):
            for message in (
                tills.sale_message("demo", client, purchase, f"{number:06d}"),
                tills.return_message("demo", client, purchase, f"{number:06d}", NOW),
            ):
                receipt = read_pos_receipt(message)
                assert check_receipt_consistency(receipt, not_after=NOW) == []
                sent += 1
    assert sent > 500


def test_every_messenger_address_is_one_the_messaging_service_takes() -> None:
    from clientcard_contracts.enums import Channel
    from clientcard_messaging.domain.subscriptions import address

    for client in salon(300, now=NOW).clients:
        for channel, raw in client.messengers:
            address(Channel(channel), raw)  # raises InvalidInput for a bad one
