"""The front door: login lockout, passwords, sessions and invitations (a sub-app of accounts)."""
