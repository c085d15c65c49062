import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_by_default():
    """A German test request leaves its language active in the thread; start each test in English."""
    with translation.override("en"):
        yield
