"""Helpers shared by the inventory views: HTMX detection, clean query strings, form errors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.cache import patch_vary_headers

PAGE_SIZE = 50


def is_htmx(request, target: str | None = None) -> bool:
    """An HTMX request (not a boosted page load), optionally aimed at one element id."""
    if request.headers.get("HX-Request") != "true" or request.headers.get("HX-Boosted") == "true":
        return False
    return target is None or request.headers.get("HX-Target") == target


def clean_query(params, keys) -> str:
    """``?a=1&b=2`` with only the non-empty values of ``keys`` (for pushed URLs and links)."""
    pairs = [(k, params.get(k)) for k in keys if params.get(k) not in (None, "")]
    return f"?{urlencode(pairs)}" if pairs else ""


def vary_on_htmx(response):
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response


def apply_validation_error(form, exc: ValidationError) -> None:
    """Put a model ValidationError (from services.save_object) onto the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
            else:
                form.add_error(None, errors if field == NON_FIELD_ERRORS else [f"{field}: {e}" for e in errors])
    else:
        form.add_error(None, exc.messages)


def feature_panel_urls(collection: str, pk: int) -> list[str]:
    """Panels that apps add to a detail page, from ``registry.integration_panels`` / ``registry.vendor_panels``.

    Each ``Panel`` names a URL that takes the object's pk; the page loads it with HTMX from the app's own
    (permission-checked) view.
    """
    from django.urls import NoReverseMatch, reverse

    from vendorvet.web.core.registry import registry

    urls = []
    for panel in registry.sorted(getattr(registry, collection)):
        try:
            urls.append(reverse(panel.url_name, args=[pk]))
        except NoReverseMatch:
            continue
    return urls
