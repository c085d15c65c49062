"""Watching what vendors publish: sub-processor lists, DPAs, security/trust and status pages (issue #19)."""
