"""Members' pictures: an uploaded image checked and re-encoded here, or initials.

An upload is never stored as sent. Pillow reads only its header first (so a
decompression bomb is refused before any pixel is decoded), then the picture is
turned upright, cropped to a square, scaled down and saved as a new JPEG: what
is served is always an image this code drew, with no metadata (GPS) left in it.
"""

import hashlib
import io
import warnings
from xml.sax.saxutils import escape as xml_escape

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
# A picture with more pixels than this would take too much memory to decode,
# however small its file (a "decompression bomb").
MAX_PIXELS = 40_000_000
SIZE = 256  # the stored square; pages show it at 40 or 96 px
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# Backgrounds for white initials, each with a contrast ratio of at least 4.5:1
# against white (WCAG 1.4.3, checked by tests/accounts/test_profiles.py).
PALETTE = [
    "#1f5f8b",
    "#6d3a8e",
    "#2e6b30",
    "#9a3412",
    "#6b4f1d",
    "#0f5e5e",
    "#8b1e3f",
    "#44546a",
]


def checked_image(upload):
    """The upload read as a Pillow image, or ValidationError saying why not."""
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _(
                "This picture is %(size)s; the largest we take is %(limit)s. "
                "Please choose a smaller one."
            ),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_BYTES),
            },
        )
    not_a_picture = ValidationError(
        _(
            "This file is not a picture we can read. Please choose a JPEG, PNG, WebP "
            "or GIF image."
        ),
        code="not_image",
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload)
            if image.format not in FORMATS:
                raise not_a_picture
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise not_a_picture from error
    return image


def _too_many_pixels():
    return ValidationError(
        _(
            "This picture has too many pixels to open safely. Please choose one "
            "under 40 megapixels (a photo from a phone is fine)."
        ),
        code="too_many_pixels",
    )


def reencoded(image):
    """A SIZE x SIZE JPEG of `image` (upright, centre-cropped) as a ContentFile."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image)
    square = ImageOps.fit(image.convert("RGB"), (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, "JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name=f"{get_random_string(16)}.jpg")


def initials(name):
    """Up to two letters for `name`: the first letter or digit of its first and
    last words ("Ana María López" gives "AL", "(Dr) Jo" gives "DJ")."""
    firsts = [next((c for c in word if c.isalnum()), "") for word in name.split()]
    firsts = [c.upper()[:1] for c in firsts if c]
    if not firsts:
        return "?"
    return firsts[0] + (firsts[-1] if len(firsts) > 1 else "")


def colour_for(member_id):
    """An index into PALETTE, the same for a member on every page."""
    digest = hashlib.sha256(str(member_id).encode()).digest()
    return digest[0] % len(PALETTE)


def initials_svg(letters, colour):
    """A round SVG with `letters` in white on PALETTE[colour]."""
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<circle cx="32" cy="32" r="32" fill="{PALETTE[colour]}"/>'
        '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="#fff" '
        'font-family="sans-serif" font-size="26" font-weight="bold">'
        f"{xml_escape(letters)}</text></svg>"
    )


def contrast_ratio(background, foreground="#ffffff"):
    """WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted([luminance(background), luminance(foreground)], reverse=True)
    return (light + 0.05) / (dark + 0.05)
