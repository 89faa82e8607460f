import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from clientcard_contracts import topics
from clientcard_contracts.asyncapi import asyncapi_document
from clientcard_contracts.catalog import CATALOG
from clientcard_contracts.export import main, render, repository_root, stale, write

from .support import DOCS, REPOSITORY


def test_the_committed_documents_are_a_fresh_export() -> None:
    out_of_date = stale(DOCS)
    assert out_of_date == [], (
        f"stale: {', '.join(out_of_date)}; run `uv run python -m clientcard_contracts.export`"
    )


def test_check_mode_lists_stale_files_and_fails(tmp_path: Path, capsys: Any) -> None:
    assert main(["--check", "--dir", str(tmp_path)]) == 1
    assert "stale:" in capsys.readouterr().err
    assert main(["--dir", str(tmp_path)]) == 0
    assert main(["--check", "--dir", str(tmp_path)]) == 0


def test_edited_and_leftover_files_are_stale(tmp_path: Path) -> None:
    write(tmp_path)
    edited = tmp_path / "schemas" / "receipts.receipt.registered.v1.json"
    edited.write_text(edited.read_text().replace("receiptId", "receipt_id"))
    leftover = tmp_path / "schemas" / "receipts.receipt.voided.v1.json"
    leftover.write_text("{}")
    assert stale(tmp_path) == [
        "schemas/receipts.receipt.registered.v1.json",
        "schemas/receipts.receipt.voided.v1.json",
    ]
    write(tmp_path)
    assert stale(tmp_path) == []
    assert not leftover.exists()


def test_the_repository_is_found_from_inside_it() -> None:
    assert repository_root(Path(__file__).parent) == REPOSITORY


def test_every_event_and_the_pos_receipt_has_a_schema_file() -> None:
    files = render()
    for event_type in CATALOG:
        schema = json.loads(files[f"schemas/{event_type}.json"])
        assert schema["$id"] == event_type
    assert json.loads(files["schemas/pos-receipt.v1.json"])["title"] == "PosReceipt"


@pytest.fixture(scope="module")
def asyncapi() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(render()["asyncapi.yaml"])
    assert document == json.loads(json.dumps(asyncapi_document()))
    return document


def test_asyncapi_channels_are_the_topics(asyncapi: dict[str, Any]) -> None:
    addresses = {channel["address"] for channel in asyncapi["channels"].values()}
    assert addresses == {spec.name for spec in topics.TOPICS}


def test_asyncapi_has_every_event_with_its_headers_key_and_payload(
    asyncapi: dict[str, Any],
) -> None:
    messages = asyncapi["components"]["messages"]
    by_type = {message["name"]: message for message in messages.values()}
    for event_type in CATALOG:
        message = by_type[event_type]
        assert message["payload"] == {"$ref": f"./schemas/{event_type}.json"}
        assert message["bindings"]["kafka"]["key"]["description"] == "The customer id."
    headers = asyncapi["components"]["schemas"]["CloudEventHeaders"]["properties"]
    assert set(headers) == {
        "ce_id",
        "ce_source",
        "ce_type",
        "ce_specversion",
        "ce_time",
        "ce_subject",
        "ce_tenantid",
        "content-type",
    }


def test_asyncapi_says_who_publishes_and_who_consumes_what(asyncapi: dict[str, Any]) -> None:
    operations = asyncapi["operations"]
    for entry in CATALOG.values():
        channel = entry.producer
        name = entry.model.__name__
        message = {"$ref": f"#/channels/{channel}/messages/{name}"}
        assert message in operations[f"{entry.producer}.sends.{entry.topic}"]["messages"]
        for consumer in entry.consumers:
            receive = operations[f"{consumer}.receives.{entry.topic}"]
            assert receive["action"] == "receive"
            assert message in receive["messages"]


def test_every_reference_inside_the_asyncapi_document_resolves(asyncapi: dict[str, Any]) -> None:
    def references(value: object) -> list[str]:
        if isinstance(value, dict):
            own = [value["$ref"]] if isinstance(value.get("$ref"), str) else []
            return own + [ref for item in value.values() for ref in references(item)]
        if isinstance(value, list):
            return [ref for item in value for ref in references(item)]
        return []

    files = render()
    for reference in references(asyncapi):
        if reference.startswith("./"):
            assert reference[2:] in files
            continue
        target: Any = asyncapi
        for part in reference.removeprefix("#/").split("/"):
            target = target[part]


def test_the_readme_speaks_of_every_event_type() -> None:
    readme = (DOCS / "README.md").read_text(encoding="utf-8")
    missing = [event_type for event_type in CATALOG if f"`{event_type}`" not in readme]
    assert missing == []
