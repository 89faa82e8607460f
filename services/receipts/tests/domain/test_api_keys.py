"""POS API key secrets: the tenant they name, and hashes that differ with any change."""

from clientcard_receipts.domain import api_keys


def test_a_secret_names_its_tenant_and_is_different_every_time() -> None:
    first, second = api_keys.new_secret("salon-Ы/1"), api_keys.new_secret("salon-Ы/1")
    assert first != second
    assert api_keys.tenant_of(first) == "salon-Ы/1"
    assert api_keys.secret_hash(first) != api_keys.secret_hash(second)
    assert len(first.rsplit(".", 1)[1]) >= 43  # 256 random bits


def test_anything_but_a_secret_names_no_tenant() -> None:
    for text in ("", "Bearer", "ccpos..x", "other.dGVuYW50.x", "ccpos.%%%.x", "ccpos.dA.x.y"):
        assert api_keys.tenant_of(text) is None
