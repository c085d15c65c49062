"""PostgreSQL backend for the test suite only (tests/settings.py selects it when DATABASE_URL is PostgreSQL)."""
