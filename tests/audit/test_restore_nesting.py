"""A backup table whose JSON line nests 100,000 deep is refused with the file and line named (no RecursionError)."""

from __future__ import annotations

import pytest

from vendorvet.web.backup.restore import RestoreError, _load_table
from vendorvet.web.core.models import ObjectChange


def test_a_deeply_nested_line_is_a_clear_restore_error(tmp_path):
    table = tmp_path / "core.objectchange.jsonl"
    table.write_text('{"pk": 1, "fields": {"prechange_data": ' + "[" * 100_000 + "]" * 100_000 + "}}\n")
    with pytest.raises(RestoreError, match=r"core.objectchange.jsonl, line 1: the JSON is too deeply nested"):
        _load_table(table, ObjectChange)
