"""API views, split by resource."""
