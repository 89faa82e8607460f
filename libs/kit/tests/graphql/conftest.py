"""The toy subgraph, built once and served afresh (with fresh data) for each test."""

from collections.abc import AsyncIterator

import pytest
from strawberry.federation import Schema

from .support import Subgraph, serve
from .toy import toy_schema


@pytest.fixture(scope="session")
def schema() -> Schema:
    return toy_schema()


@pytest.fixture
async def subgraph(schema: Schema) -> AsyncIterator[Subgraph]:
    served = serve(schema)
    async with served.client:
        yield served
