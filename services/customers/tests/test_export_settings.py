"""A production customers service never signs export links with the published secret."""

from pydantic import SecretStr

from clientcard_customers.settings import CustomersSettings


def production(**settings: object) -> CustomersSettings:
    return CustomersSettings(
        environment="production",
        jwt_secret=SecretStr("a production secret"),
        internal_secret=SecretStr("another production secret"),
        **settings,  # type: ignore[arg-type]
    )


def test_the_development_link_secret_is_refused_in_production() -> None:
    assert production().production_problems() == [
        "EXPORTS_LINK_SECRET is the published development secret"
    ]


def test_a_secret_of_its_own_is_accepted() -> None:
    settings = production(exports_link_secret=SecretStr("the exports' own secret"))
    assert settings.production_problems() == []
