"""`_entities` resolves representations through one DataLoader batch per request."""

from .support import Subgraph, bearer, codes

ENTITIES = """
query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Customer { id name balance } }
}
"""


def representations(*ids: str) -> dict[str, object]:
    return {"representations": [{"__typename": "Customer", "id": key} for key in ids]}


async def test_three_representations_are_loaded_in_one_batch(subgraph: Subgraph) -> None:
    body = await subgraph.post(ENTITIES, representations("3", "1", "2"), headers=bearer())
    assert "errors" not in body, body
    assert [entity["id"] for entity in body["data"]["_entities"]] == ["3", "1", "2"]
    assert body["data"]["_entities"][0] == {"id": "3", "name": "Customer 3", "balance": "10.00"}
    assert subgraph.batches == [["3", "1", "2"]]


async def test_an_unknown_key_resolves_to_null(subgraph: Subgraph) -> None:
    body = await subgraph.post(ENTITIES, representations("1", "404"), headers=bearer())
    assert body["data"]["_entities"][1] is None
    assert subgraph.batches == [["1", "404"]]


async def test_the_same_key_is_loaded_once(subgraph: Subgraph) -> None:
    body = await subgraph.post(ENTITIES, representations("2", "2", "2"), headers=bearer())
    assert len(body["data"]["_entities"]) == 3
    assert subgraph.batches == [["2"]]


async def test_each_request_has_loaders_of_its_own(subgraph: Subgraph) -> None:
    await subgraph.post(ENTITIES, representations("1"), headers=bearer())
    await subgraph.post(ENTITIES, representations("1"), headers=bearer())
    assert subgraph.batches == [["1"], ["1"]]


async def test_entities_need_a_token(subgraph: Subgraph) -> None:
    body = await subgraph.post(ENTITIES, representations("1", "2", "3"))
    assert codes(body) == ["UNAUTHENTICATED"]
    assert subgraph.batches == []
