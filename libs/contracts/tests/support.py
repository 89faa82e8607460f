"""What the contract tests share: where the design files are, and a JSON Schema validator."""

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

REPOSITORY = Path(__file__).resolve().parents[3]
DESIGN = REPOSITORY.parent / "shared" / "design"
DOCS = REPOSITORY / "docs" / "events"

# RFC 3339 section 5.6, which JSON Schema's "date-time" format refers to.
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII
)
FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True  # formats judge strings only; "type" judges the rest
    if not _RFC3339.fullmatch(value):
        return False
    datetime.fromisoformat(value.upper())  # month 13, hour 25 and the like raise
    return True


def design_file(name: str) -> Path:
    path = DESIGN / name
    if not path.is_file():
        pytest.skip(f"{path} is not here")
    return path


def validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FORMATS)


def shared_pos_validator() -> Draft202012Validator:
    schema = json.loads(design_file("pos-receipt.schema.json").read_text(encoding="utf-8"))
    return validator(schema)
