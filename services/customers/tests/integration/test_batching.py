"""`_entities` and lists read the database once per kind of data, however many customers."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pytest

from clientcard_kit.testing import statements_sent

pytestmark = pytest.mark.integration

ENTITIES = """
query($r: [_Any!]!) {
  _entities(representations: $r) {
    ... on Customer {
      id firstName
      segments { name customersCount }
      notes(first: 3) { totalCount edges { node { text } } }
      summary { purchases bonusBalance }
    }
  }
}"""


_RECORDING: ContextVar[bool] = ContextVar("recording", default=False)


@contextmanager
def statements_on(app: Any) -> Iterator[list[str]]:
    """The SQL that requests made inside the block send (transaction control left out).

    Only statements run in the block's own context count: the service's background work
    on the same pool (outbox relay, consumers applying other tests' events) runs in
    tasks of its own, which do not see the context variable set here.
    """
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not _RECORDING.get():
            return
        if not statement.lower().lstrip().startswith(("select set_config", "begin", "commit")):
            seen.append(statement)

    token = _RECORDING.set(True)
    try:
        with statements_sent(app.state.runtime.db, record):
            yield seen
    finally:
        _RECORDING.reset(token)


async def customers_with_segments_and_notes(call: Any, count: int) -> list[str]:
    created = await call(f'mutation {{ createSegment(name: "s-{uuid.uuid4().hex[:6]}") {{ id }} }}')
    segment = created["data"]["createSegment"]["id"]
    ids = []
    for index in range(count):
        registered = await call(
            "mutation($p: String!) { registerCustomer(input: {phone: $p}) { id } }",
            p=f"+7913{uuid.uuid4().int % 10_000_000:07d}",
        )
        customer = registered["data"]["registerCustomer"]["id"]
        await call(
            "mutation($c: ID!, $s: [ID!]!) "
            "{ assignSegments(customerId: $c, segmentIds: $s) { id } }",
            c=customer,
            s=[segment],
        )
        await call(
            "mutation($c: ID!, $t: String!) { addNote(customerId: $c, text: $t) { id } }",
            c=customer,
            t=f"note {index}",
        )
        ids.append(customer)
    return ids


async def test_entities_cost_the_same_queries_for_two_customers_or_twelve(
    app: Any, as_tenant: Any
) -> None:
    call = as_tenant(f"batch-{uuid.uuid4().hex[:8]}")
    ids = await customers_with_segments_and_notes(call, 12)

    async def entities(wanted: list[str]) -> list[str]:
        representations = [{"__typename": "Customer", "id": value} for value in wanted]
        with statements_on(app) as seen:
            answer = await call(ENTITIES, r=representations)
        assert "errors" not in answer, answer
        assert [item["id"] for item in answer["data"]["_entities"]] == wanted
        assert all(item["notes"]["totalCount"] == 1 for item in answer["data"]["_entities"])
        return seen

    few, many = await entities(ids[:2]), await entities(ids)
    assert len(many) == len(few)
    # One query for the customers themselves, whatever their number.
    reads_customers = re.compile(r"\bfrom customers\b", re.IGNORECASE)
    assert sum(reads_customers.search(sql) is not None for sql in many) == 1
