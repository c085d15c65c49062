"""The JSON document of ``vendorvet scan --format json`` — the contract other tools depend on."""

from __future__ import annotations

import json
from typing import Any

from vendorvet.engine.models import TargetResult

SCHEMA_VERSION = 1


def document(results: list[TargetResult]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "targets": [r.as_dict() for r in results]}


def render(results: list[TargetResult]) -> str:
    return json.dumps(document(results), indent=2, ensure_ascii=False, default=str) + "\n"
