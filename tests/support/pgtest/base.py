"""Django's PostgreSQL backend with one change for the tests: ``flush`` deletes rows instead of truncating.

pytest-django empties the whole database after every transactional test (``transaction=True``, live server,
browser tests) with ``flush``; Django's PostgreSQL flush is one ``TRUNCATE`` of every table (~100 here), which
makes new files for every table, index and TOAST table and took 6–15 s per test on the shared CI machine. The
tests leave a few rows in a few tables, so ``DELETE FROM`` each table is far cheaper and ends in the same state:
every table empty, sequences not restarted (Django's default flush does not restart them either). Django creates
foreign keys ``DEFERRABLE INITIALLY DEFERRED`` and the flush runs in one transaction, so the order of the deletes
does not matter. A flush that asks for ``reset_sequences`` keeps Django's TRUNCATE … RESTART IDENTITY.

The product's own settings never use this module.
"""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED; "
                + " ".join(f"DELETE FROM {self.quote_name(table)};" for table in tables)]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
