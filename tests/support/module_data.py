"""Data loaded once per test module and rolled back after it, for fixtures that are slow to build.

``loaded_for_module(request, django_db_blocker, load)`` runs ``load()`` inside a transaction that stays open for
the module's tests: each test's own ``db`` transaction is then a savepoint inside it, so whatever a test changes
is rolled back to the loaded state before the next test (Django's ``setUpTestData`` works the same way), and the
loaded data itself is rolled back after the module's last test. It yields what ``load()`` returned.

A module with ``transaction=True`` tests cannot share an open transaction (their data must be committed and is
flushed after each test): there it yields ``None`` and the fixture loads per test as before.
"""

from __future__ import annotations

from contextlib import contextmanager


def _transactional(module) -> bool:
    marks = getattr(module, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    return any(m.name == "django_db" and (m.kwargs.get("transaction") or (m.args and m.args[0])) for m in marks)


@contextmanager
def loaded_for_module(request, django_db_blocker, load):
    if _transactional(request.module):
        yield None
        return
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            value = load()
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
