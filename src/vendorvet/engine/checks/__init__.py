"""Built-in checks. ``checks/<family>/…/<name>.py`` defines the check ``<family>.….<name>``.

Each module has ``METADATA`` (validated by :mod:`vendorvet.engine.registry`) and
``check(facts: ScanFacts) -> Verdict``. Checks are pure: they read collected facts only.
"""
