"""The vetting engine: pure Python, no Django import.

Collectors fetch facts, checks judge them, scoring explains the result. The web
application and the CLI are clients of this package like any other.
"""
