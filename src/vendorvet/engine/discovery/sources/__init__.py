"""One module per discovery source; the module's name is the source's id, its ``SOURCE`` the declaration
(:class:`vendorvet.engine.discovery.source.DiscoverySource`). :mod:`vendorvet.engine.discovery.registry`
finds them; adding a source is adding a module here."""
