from tests.web.conftest import inventory_a, inventory_b, login  # noqa: F401  (fixtures)
