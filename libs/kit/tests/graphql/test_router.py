"""The subgraph's HTTP side: JSON in and out, and a clear refusal of a body that is not."""

import json

from clientcard_kit.auth import Role

from .support import Subgraph, bearer


async def test_a_body_that_is_not_json_is_refused_with_400(subgraph: Subgraph) -> None:
    response = await subgraph.client.post(
        "/graphql",
        content=b'{"query": "{ customers { totalCount } }"',
        headers={**bearer(), "content-type": "application/json"},
    )
    assert response.status_code == 400
    assert "Unable to parse request body as JSON" in response.text


async def test_the_answer_is_json_with_text_as_it_was_written(subgraph: Subgraph) -> None:
    rename = 'mutation { renameCustomer(id: "1", name: "Анна Петрова") { id name } }'
    response = await subgraph.client.post(
        "/graphql", json={"query": rename}, headers=bearer(Role.MANAGER)
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = json.loads(response.content)
    assert body == {"data": {"renameCustomer": {"id": "1", "name": "Анна Петрова"}}}
    # Cyrillic travels as UTF-8, not as \u escapes.
    assert "Анна Петрова".encode() in response.content
