"""Writers: one per output format, all rendering the same findings."""
