"""The Django project: inventory, accounts and (later) assessments, monitoring and reports."""
