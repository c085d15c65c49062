"""Location checks: where the endpoints' addresses are registered."""
