"""The tenant's logo: a PNG or JPEG upload, checked by extension, signature *and* by decoding it, then re-encoded
as a small PNG — so what is printed is pixels we produced, never the uploaded bytes (no metadata, no tricks)."""

from __future__ import annotations

import base64
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vendorvet.web.core.uploads import UploadRules, validate_upload

RULES = UploadRules(extensions=("png", "jpg", "jpeg"), max_bytes=1024 * 1024, default_name="logo")
MAX_PIXELS = 4096 * 4096  # refuse decompression bombs before decoding
BOX = (600, 200)  # the largest size kept (printed at most 6 cm × 2 cm)


def clean_logo(upload) -> tuple[bytes, str]:
    """(PNG bytes, display name) of an acceptable logo; ValidationError with the reason otherwise."""
    from PIL import Image, UnidentifiedImageError

    name, _content_type = validate_upload(upload, RULES)
    upload.seek(0)
    raw = upload.read()
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The image is too large (%(w)d × %(h)d pixels; at most 4096 × 4096)."),
                                      code="pixels", params={"w": width, "h": height})
            probe.load()
            image = probe.convert("RGBA")
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The file is not a readable PNG or JPEG image."), code="image") from exc
    image.thumbnail(BOX)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue(), name


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii") if png else ""
