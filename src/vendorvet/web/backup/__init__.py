"""Backup and restore of a whole installation (``vendorvet backup`` / ``vendorvet restore``): the database as
backend-neutral JSON lines, the uploaded files, a manifest with SHA-256 hashes, optional passphrase encryption."""
