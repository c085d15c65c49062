import json
from pathlib import Path

import pytest

from vendorvet.engine.supplychain.store import OsvStore

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
OSV_DIR = FIXTURES / "osv"
SBOM_DIR = FIXTURES / "sbom"


def load_record(record_id: str) -> dict:
    return json.loads((OSV_DIR / f"{record_id}.json").read_text())


@pytest.fixture
def osv_store(tmp_path):
    store = OsvStore(tmp_path / "osv.sqlite3")
    store.import_path(OSV_DIR)
    yield store
    store.close()
