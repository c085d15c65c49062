"""Watching what vendors publish: fetch a page politely, extract its meaningful text, fingerprint and diff it,
and read sub-processor tables into rows. Pure Python, no Django.

- :mod:`.extract` — HTML (stdlib ``html.parser``) or PDF (pypdf) to canonical lines: navigation, footers,
  scripts and styles dropped, whitespace normalised, "Last updated …"/"Stand: …" lines, timestamps and
  cache-busting tokens removed, table rows and list items sorted within their table or list (a reordering
  is not a change); the fingerprint and a readable line diff.
- :mod:`.subprocessors` — sub-processor tables (``<table>`` or lists) to rows (name, purpose, countries as ISO
  codes) and an order-free comparison.
- :mod:`.fetch` — one conditional GET through the engine's one SSRF-safe client (``collectors.http.send``):
  every redirect hop vetted again, a size cap, timeouts, robots.txt, a per-host limit.
"""
