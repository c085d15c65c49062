"""API error mapping: model validation → 400 with field errors, protected deletes → 409.

Role errors (``PermissionDeniedError``) are Django ``PermissionDenied`` and become 403
through DRF's own handler.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The object is still referenced and cannot be deleted.")
    default_code = "conflict"


def validation_detail(exc: DjangoValidationError, field_map: dict[str, str] | None = None) -> dict | list:
    """Django's error structure in DRF's shape (``__all__`` → ``non_field_errors``)."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}
    detail: dict[str, list[str]] = {}
    for name, errors in exc.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else (field_map or {}).get(name, name)
        detail.setdefault(key, []).extend(errors)
    return detail


def as_drf_validation_error(exc: DjangoValidationError, field_map: dict[str, str] | None = None):
    return exceptions.ValidationError(validation_detail(exc, field_map))


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_validation_error(exc)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = Conflict()
    elif isinstance(exc, IntegrityError):
        # Uniqueness is validated before saving; this is the backstop for a concurrent write.
        exc = Conflict(_("The change conflicts with an existing object."))
    return drf_exception_handler(exc, context)
