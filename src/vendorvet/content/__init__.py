"""Versioned content (YAML data with its public source named in each file) and its loader."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml


class ContentError(ValueError):
    """A content file is missing a required part or is malformed."""


@lru_cache(maxsize=None)
def load(name: str) -> dict[str, Any]:
    """Load ``content/<name>.yaml``; every file must name its version and public source."""
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    return parse(name, text)


def parse(name: str, text: str) -> dict[str, Any]:
    """Parse and validate one content document (used by :func:`load` and by tests)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ContentError(f"{name}.yaml: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{name}.yaml: top level must be a mapping")
    for key in ("version", "source"):
        if not data.get(key):
            raise ContentError(f"{name}.yaml: '{key}' is required")
    return data
