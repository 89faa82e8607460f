"""A signed link: genuine until it expires, forged when any value it names is changed."""

from clientcard_kit.signed_links import LinkCheck, LinkSigner

SIGNER = LinkSigner("a secret of the service")
SUBJECT = ("job-1", "salon", "clients.csv")
EXPIRES = 1_800_000_000


def test_a_genuine_link_is_valid_until_it_expires() -> None:
    signature = SIGNER.signature(SUBJECT, EXPIRES)
    assert SIGNER.check(SUBJECT, EXPIRES, signature, now=EXPIRES - 1) is LinkCheck.VALID
    assert SIGNER.check(SUBJECT, EXPIRES, signature, now=EXPIRES) is LinkCheck.EXPIRED


def test_changing_any_value_or_the_expiry_forges_the_link() -> None:
    signature = SIGNER.signature(SUBJECT, EXPIRES)
    for changed in (("job-2", "salon", "clients.csv"), ("job-1", "other", "clients.csv")):
        assert SIGNER.check(changed, EXPIRES, signature, now=0) is LinkCheck.FORGED
    assert SIGNER.check(SUBJECT, EXPIRES + 3600, signature, now=0) is LinkCheck.FORGED
    assert SIGNER.check(SUBJECT, EXPIRES, signature.upper(), now=0) is LinkCheck.FORGED


def test_a_forged_link_is_forged_even_after_its_expiry() -> None:
    forged = LinkSigner("another secret").signature(SUBJECT, EXPIRES)
    assert SIGNER.check(SUBJECT, EXPIRES, forged, now=EXPIRES + 1) is LinkCheck.FORGED


def test_parts_are_kept_apart() -> None:
    signature = SIGNER.signature(("a/b", "c"), EXPIRES)
    assert SIGNER.check(("a", "b/c"), EXPIRES, signature, now=0) is LinkCheck.FORGED
