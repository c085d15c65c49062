"""DORA register of information: EBA code lists and template column definitions (YAML, sources named inside)."""
