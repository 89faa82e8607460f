import json
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from clientcard_contracts.enums import ReceiptType
from clientcard_contracts.pos import (
    InvalidPosReceipt,
    PosReceipt,
    Problem,
    pos_receipt_problems,
    read_pos_receipt,
)
from clientcard_contracts.schemas import pos_receipt_schema

from .pos_samples import INVALID, SALE, VALID, changed, with_item
from .support import shared_pos_validator, validator


@pytest.fixture(scope="module")
def shared_schema() -> Draft202012Validator:
    return shared_pos_validator()


@pytest.mark.parametrize("document", VALID.values(), ids=VALID.keys())
def test_valid_documents_are_valid_for_the_model_and_the_shared_schema(
    document: Any, shared_schema: Draft202012Validator
) -> None:
    assert pos_receipt_problems(document) == []
    assert list(shared_schema.iter_errors(document)) == []


@pytest.mark.parametrize("document", INVALID.values(), ids=INVALID.keys())
def test_invalid_documents_are_refused_by_the_model_and_the_shared_schema(
    document: Any, shared_schema: Draft202012Validator
) -> None:
    assert pos_receipt_problems(document) != []
    assert not shared_schema.is_valid(document)


@pytest.mark.parametrize(
    "document", [*VALID.values(), *INVALID.values()], ids=[*VALID.keys(), *INVALID.keys()]
)
def test_the_exported_schema_agrees_with_the_model(document: Any) -> None:
    exported = validator(pos_receipt_schema())
    assert exported.is_valid(document) == (pos_receipt_problems(document) == [])


def test_a_valid_receipt_reads_into_exact_values() -> None:
    receipt = read_pos_receipt(json.dumps(SALE).encode())
    assert receipt.type is ReceiptType.SALE
    assert receipt.total == Decimal("2400.00")
    assert receipt.bonuses_spent == Decimal(100)
    assert receipt.items[0].quantity == Decimal(2)
    assert receipt.purchased_at.utcoffset() is not None
    assert receipt.customer.phone == "+79123456789"
    assert receipt.key() == "+79123456789"


def test_bonuses_spent_defaults_to_zero() -> None:
    receipt = read_pos_receipt({key: value for key, value in SALE.items() if key != "bonusesSpent"})
    assert receipt.bonuses_spent == 0


def test_document_gives_back_what_the_schema_accepts(shared_schema: Draft202012Validator) -> None:
    document = read_pos_receipt(SALE).document()
    assert list(shared_schema.iter_errors(document)) == []
    assert "originalNumber" not in document
    assert document["items"][0]["price"] == "450"
    assert read_pos_receipt(document) == read_pos_receipt(SALE)


def test_every_problem_is_listed_with_its_path() -> None:
    document = changed(with_item(amount="1.005", name=""), tenantId="", cashier="Olga", customer={})
    problems = pos_receipt_problems(document)
    paths = {problem.path for problem in problems}
    assert {"tenantId", "cashier", "customer", "items[0].amount", "items[0].name"} <= paths
    amount = next(problem for problem in problems if problem.path == "items[0].amount")
    assert amount.message == 'must be a decimal string such as "1250.50"'
    assert Problem("cashier", "not a field of a POS receipt") in problems


def test_missing_fields_are_named() -> None:
    problems = pos_receipt_problems({"tenantId": "t"})
    assert {problem.path for problem in problems if problem.message == "required"} == {
        "posId",
        "outletId",
        "number",
        "type",
        "purchasedAt",
        "customer",
        "items",
        "total",
        "paid",
    }


def test_a_body_that_is_not_json_is_one_problem() -> None:
    assert pos_receipt_problems(b"{not json") == [
        Problem("", pos_receipt_problems(b"{not json")[0].message)
    ]
    assert pos_receipt_problems(b"\xff\xfe\x00") != []
    assert pos_receipt_problems("[1, 2]") == [Problem("", "a receipt is a JSON object")]


def test_the_error_text_lists_every_problem_for_a_dead_letter() -> None:
    with pytest.raises(InvalidPosReceipt) as raised:
        read_pos_receipt(changed(SALE, total=2400.5, posId=""))
    assert "total: must be a string" in str(raised.value)
    assert "posId:" in str(raised.value)
    assert len(raised.value.problems) == 2


def test_code_can_build_a_receipt_with_decimals_and_datetimes() -> None:
    receipt = read_pos_receipt(SALE)
    rebuilt = PosReceipt.model_validate(
        {**receipt.document(), "total": Decimal("2400.00"), "purchasedAt": receipt.purchased_at}
    )
    assert rebuilt.total == receipt.total
    assert rebuilt.purchased_at == receipt.purchased_at
