"""Checks: one module per check id."""
