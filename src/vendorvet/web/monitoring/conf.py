"""The monitoring settings from ``content/monitoring.yaml`` (cadences, calendar thresholds, webhook limits,
default rules)."""

from __future__ import annotations

from vendorvet import content


def config() -> dict:
    return content.load("monitoring")
