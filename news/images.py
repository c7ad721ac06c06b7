"""Image uploads: validation, metadata stripping and renditions.

An uploaded picture is checked (:func:`validate_image_upload`, a model-field validator), then on
the model's ``save()`` (:func:`refresh_renditions`) its original is re-encoded without metadata and
three renditions are made once, each as WebP plus a JPEG fallback:

- ``thumb``: 480 px wide, for lists;
- ``detail``: 1200 px wide, for the article page (never upscaled, like ``thumb``);
- ``social``: 1200×630 cropped, for Open Graph cards.

The model keeps their storage names and sizes in a JSON field, which the ``picture`` tag of
``news/templatetags/news_images.py`` turns into ``<picture>`` with ``srcset``.

Plain Pillow is used rather than a library (sorl-thumbnail, easy-thumbnails, django-imagekit):
those make renditions lazily on first view and keep a cache or a key-value store of them, but they
neither validate uploads nor strip the stored original, which this module must do anyway. What is
left, three fixed sizes made once and recorded on the row, is a few lines of Pillow.
"""

import logging
import secrets
from contextlib import suppress
from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
# Pillow format name -> file extension of the stored original.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# How each format is written when the original is re-encoded.
ORIGINAL_OPTIONS = {"JPEG": {"quality": 90}, "PNG": {}, "WEBP": {"quality": 90}}
# Rendition name -> (width, height); a height means the picture is cropped to exactly that size.
RENDITIONS = {"detail": (1200, None), "thumb": (480, None), "social": (1200, 630)}
RENDITIONS_FOLDER = "news/renditions"

logger = logging.getLogger(__name__)


def validate_image_upload(upload):
    """Reject an upload that is not a JPEG, PNG or WebP image within the size limits.

    Checks the byte size, that Pillow can open, verify and decode the file, its format, and its
    pixel size (which also stops decompression bombs). A file already in storage was checked
    when it was uploaded, so it is not read again each time its model is cleaned.
    """
    if getattr(upload, "_committed", False):
        return
    _load(upload)  # Not closed: closing a Pillow image closes the file it was read from.


def refresh_renditions(instance, field_name, renditions_field):
    """Strip a new upload of its metadata and make its renditions; call before ``super().save()``.

    Work is done only when the image field holds a new upload, or a stored file the renditions were
    not made from (renditions empty, or the field pointed at another file). An ordinary save does
    nothing. An empty image field empties the renditions. Raises ``ValidationError`` for an
    upload that is not an acceptable image, as the model may be saved without ``full_clean()``;
    a stored file that cannot be read is logged and leaves the renditions empty.
    """
    field_file = getattr(instance, field_name)
    if not field_file:
        setattr(instance, renditions_field, {})
        return
    new_upload = not field_file._committed
    made_from = (getattr(instance, renditions_field) or {}).get("original", {}).get("name")
    if not new_upload and made_from == field_file.name:
        return
    try:
        source = _load(field_file)
    except (OSError, ValidationError):
        if new_upload:
            raise
        # A stored file gone missing or unreadable must not stop its post from being edited.
        logger.warning("No renditions made of %s", field_file.name, exc_info=True)
        field_file.close()
        setattr(instance, renditions_field, {})
        return
    with source:
        image_format = source.format
        image = ImageOps.exif_transpose(source)
    if new_upload:
        # Saved here rather than by the field's pre_save, so the stored name is known; the field
        # then sees a committed file and leaves it alone.
        name = f"{Path(field_file.name).stem}.{FORMATS[image_format]}"
        field_file.save(name, ContentFile(_without_metadata(image, image_format)), save=False)
    else:
        field_file.close()
    renditions = _make_renditions(image)
    renditions["original"] = {"name": field_file.name, "width": image.width, "height": image.height}
    setattr(instance, renditions_field, renditions)


def _load(file):
    """The image in ``file``, opened, verified and decoded; the file is rewound afterwards."""
    if file.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is larger than %(limit)s MB."),
            code="too_large",
            params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    try:
        file.seek(0)
        with Image.open(file) as image:
            _check_format_and_size(image)
            image.verify()  # Checks the structure; the image must be opened again to be used.
        file.seek(0)
        image = Image.open(file)
        image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # The warning arrives as an exception only where warnings are turned into errors;
        # otherwise it is only shown, and MAX_PIXELS, below Pillow's limit, rejects the image.
        raise _too_many_pixels() from exc
    except Exception as exc:
        # Pillow reports damaged or foreign files with many kinds of exception (OSError,
        # SyntaxError, struct.error, ValueError...); each means the same to the uploader.
        raise ValidationError(
            _("Upload a valid image. The file is not a picture or it is damaged."),
            code="invalid_image",
        ) from exc
    finally:
        file.seek(0)
    return image


def _check_format_and_size(image):
    if image.format not in FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG or WebP picture; this file is %(format)s."),
            code="unsupported_format",
            params={"format": image.format},
        )
    if image.width * image.height > MAX_PIXELS or max(image.size) > MAX_SIDE:
        raise _too_many_pixels()


def _too_many_pixels():
    return ValidationError(
        _(
            "The picture has too many pixels: at most %(megapixels)s megapixels, and at most "
            "%(side)s pixels on a side."
        ),
        code="too_many_pixels",
        params={"megapixels": MAX_PIXELS // 1_000_000, "side": MAX_SIDE},
    )


def _without_metadata(image, image_format):
    """The bytes of ``image`` in ``image_format``, with no EXIF, XMP, GPS or comments.

    The colour profile and PNG transparency are kept: they are how the picture looks, not who took
    it where. Pillow writes EXIF and XMP only when asked, but takes comments from ``info``.
    """
    image.info = {k: v for k, v in image.info.items() if k in ("icc_profile", "transparency")}
    output = BytesIO()
    image.save(output, format=image_format, **ORIGINAL_OPTIONS[image_format])
    return output.getvalue()


def _make_renditions(image):
    """Save every rendition of ``image`` in storage; return their names and sizes by rendition."""
    image = _to_srgb(image)
    folder = f"{RENDITIONS_FOLDER}/{timezone.localdate():%Y/%m}"
    prefix = secrets.token_hex(8)
    renditions = {}
    for name, (width, height) in RENDITIONS.items():
        if height:
            picture = ImageOps.fit(image, (width, height), Image.Resampling.LANCZOS)
        elif image.width > width:
            size = (width, round(image.height * width / image.width))
            picture = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        else:
            picture = image
        renditions[name] = {
            "webp": _store(picture, "WEBP", f"{folder}/{prefix}-{name}.webp"),
            "jpeg": _store(_flatten(picture), "JPEG", f"{folder}/{prefix}-{name}.jpg"),
            "width": picture.width,
            "height": picture.height,
        }
    return renditions


def _to_srgb(image):
    """``image`` as RGB, or RGBA when it has transparency, in sRGB, the web's colour space.

    Converts through the embedded colour profile when there is a usable one (phone cameras write
    Display P3, print designers CMYK); otherwise converts plainly.
    """
    mode = "RGBA" if image.has_transparency_data else "RGB"
    if icc := image.info.get("icc_profile"):
        # A damaged profile, or one that does not fit the image's mode, is left out.
        with suppress(OSError, ImageCms.PyCMSError):
            source = ImageCms.ImageCmsProfile(BytesIO(icc))
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(image, source, srgb, outputMode=mode)
    return image.convert(mode)


def _flatten(image):
    """``image`` without transparency, on white, for JPEG."""
    if image.mode != "RGBA":
        return image
    background = Image.new("RGB", image.size, "white")
    background.paste(image, mask=image.getchannel("A"))
    return background


def _store(image, image_format, name):
    output = BytesIO()
    if image_format == "JPEG":
        image.save(output, format="JPEG", quality=82, optimize=True, progressive=True)
    else:
        image.save(output, format="WEBP", quality=80)
    return default_storage.save(name, ContentFile(output.getvalue()))
