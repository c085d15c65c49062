"""The security audit log: a tamper-evident hash chain of logins, exports, downloads, token use and changes to
members, roles and settings (see ``models`` and ``chain``)."""
