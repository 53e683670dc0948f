"""An article's lead image as resized copies, so a phone never loads the original.

Each copy is re-encoded as a progressive JPEG: that drops the uploader's metadata
(a phone photo's EXIF can carry where it was taken) and keeps a 5 MB upload from
reaching readers.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1600)
QUALITY = 82


def make_variants(name):
    """Write the copies of the stored image `name`; return what a page needs.

    A copy is never wider than the original: a small upload gets one copy at its
    own width.
    """
    with default_storage.open(name) as file, Image.open(file) as original:
        picture = ImageOps.exif_transpose(original).convert("RGB")
    widths = [width for width in WIDTHS if width < picture.width]
    if min(picture.width, WIDTHS[-1]) not in widths:
        widths.append(min(picture.width, WIDTHS[-1]))
    stem = posixpath.splitext(name)[0]
    variants = []
    for width in widths:
        height = round(picture.height * width / picture.width)
        copy = picture.resize((width, height), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
        stored = default_storage.save(
            f"{stem}-{width}w.jpg", ContentFile(buffer.getvalue())
        )
        variants.append({"width": width, "height": height, "name": stored})
    return {"source": name, "variants": variants}


def delete_variants(image_variants):
    for variant in image_variants.get("variants", []):
        default_storage.delete(variant["name"])
