"""Session fixtures with real servers: `postgres_server` and `kafka_server`.

Installed as a pytest plugin (entry point `clientcard_servers`), so every test in the
workspace can ask for them. A server starts only when a test asks for it, and stops at the
end of the session; see `testservers` for where they come from.

    def test_store(postgres_server):
        url = postgres_server.create_database("customers_test")  # app role, RLS applies

    async def test_publish(kafka_server):
        await kafka_server.create_topics(["customers.v1"], partitions=3)
        producer = AIOKafkaProducer(bootstrap_servers=kafka_server.bootstrap_servers)
"""

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from clientcard_devstack.testservers import KafkaServer, PostgresServer


@pytest.fixture(scope="session")
def postgres_server() -> Iterator["PostgresServer"]:
    # Imported here: a plugin loaded by every test run must not slow the unit tests down.
    from clientcard_devstack import testservers

    with testservers.postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def kafka_server() -> Iterator["KafkaServer"]:
    from clientcard_devstack import testservers

    with testservers.kafka_server() as server:
        yield server


@pytest.fixture(scope="session")
async def customers_service(postgres_server: Any, kafka_server: Any) -> AsyncIterator[Any]:
    """The real customers service, for the tests of the services that ask it about
    customers (`clientcard_customers.testing`)."""
    from clientcard_customers.testing import CustomersForTests

    async with CustomersForTests.started(
        postgres_server, kafka_server.bootstrap_servers
    ) as service:
        yield service
