"""Checking the documents members attach to support requests.

A file is accepted by what it contains, never by its name or by the type the browser claims:
PDF (``%PDF-``), JPEG (``FF D8 FF``) or PNG (``89 50 4E 47 0D 0A 1A 0A``), images also opened
and verified with Pillow. Programs, web pages, SVG images and anything else are refused with a
message that says why. The name the member gave is kept only for display and download, cleaned
with ``os.path.basename`` and ``get_valid_filename``; the stored name is random
(``RequestAttachment.file``'s ``upload_to``) in the private storage, never under ``/media/``.
"""

import os
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image

from portal.text import nfc

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
MAX_NAME_LENGTH = 120
HEAD_BYTES = 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
# Content type: (magic bytes, usual extensions (first one used when the name has another), Pillow)
ACCEPTED = {
    PDF: (b"%PDF-", (".pdf",), None),
    JPEG: (b"\xff\xd8\xff", (".jpg", ".jpeg"), "JPEG"),
    PNG: (b"\x89PNG\r\n\x1a\n", (".png",), "PNG"),
}
ACCEPT_ATTRIBUTE = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

# Signs of what a refused file really is, to tell the member plainly.
PROGRAM_MAGIC = (
    b"MZ",  # Windows programs and libraries
    b"\x7fELF",  # Linux programs
    b"\xca\xfe\xba\xbe",  # Mach-O (universal) and Java classes
    b"\xcf\xfa\xed\xfe",  # Mach-O 64-bit
    b"\xce\xfa\xed\xfe",  # Mach-O 32-bit
    b"#!",  # scripts
)
MARKUP_STARTS = (b"<", b"\xef\xbb\xbf<")  # HTML, SVG, XML (also after a UTF-8 byte order mark)


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check, with what the check found."""

    upload: object
    content_type: str
    original_name: str
    size: int

    @property
    def extension(self):
        return ACCEPTED[self.content_type][1][0]


def clean_name(name, content_type):
    """A safe display name: no folders, only ordinary characters, the extension of the content."""
    base = os.path.basename(nfc(name).replace("\\", "/")).strip().lstrip(".")
    try:
        base = get_valid_filename(base)
    except SuspiciousFileOperation:
        base = ""
    stem, extension = os.path.splitext(base)
    extensions = ACCEPTED[content_type][1]
    if extension.lower() not in extensions:
        # "scan.pdf" that holds a PNG downloads as "scan.pdf.png"; "photo" as "photo.jpg".
        stem, extension = base, extensions[0]
    stem = stem.strip("._-")[: MAX_NAME_LENGTH - len(extension)] or "tai-lieu"
    return f"{stem}{extension.lower()}"


def sniff(head):
    """The accepted content type whose magic bytes start ``head``, or ``None``."""
    for content_type, (magic, _extensions, _format) in ACCEPTED.items():
        if head.startswith(magic):
            return content_type
    return None


def _refusal(head, name):
    if head.startswith(PROGRAM_MAGIC):
        return _("%(name)s is a program, not a document: it cannot be attached.") % {"name": name}
    start = head.lstrip(b" \t\r\n")
    if start.startswith(MARKUP_STARTS):
        if b"<svg" in head.lower():
            return _(
                "%(name)s is an SVG image, which is not accepted: attach a PDF, JPEG or PNG."
            ) % {"name": name}
        return _(
            "%(name)s is a web page (HTML or XML), which is not accepted: attach a PDF, JPEG or "
            "PNG."
        ) % {"name": name}
    return _("%(name)s is not a PDF, JPEG or PNG file. Only these kinds of files are accepted.") % {
        "name": name
    }


def _verify_image(upload, pillow_format):
    upload.seek(0)
    with warnings.catch_warnings():
        # A decompression bomb is refused, not just warned about.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(upload) as image:
            if image.format != pillow_format:
                raise ValueError(image.format)
            image.verify()


def check_upload(upload):
    """Check one uploaded file; return a ``CheckedFile`` or raise ``ValidationError``."""
    display = os.path.basename((upload.name or "").replace("\\", "/")) or "?"
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("%(name)s is empty."), code="empty", params={"name": display})
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("%(name)s is too large (%(size)s): at most %(max)s per file."),
            code="too_large",
            params={
                "name": display,
                "size": filesizeformat(size),
                "max": filesizeformat(MAX_ATTACHMENT_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(_refusal(head, display), code="file_type")
    pillow_format = ACCEPTED[content_type][2]
    if pillow_format:
        try:
            _verify_image(upload, pillow_format)
        except Exception as exc:  # Pillow raises many kinds of errors on a broken image.
            raise ValidationError(
                _("%(name)s is not a valid image: it could not be read."),
                code="bad_image",
                params={"name": display},
            ) from exc
        finally:
            upload.seek(0)
    return CheckedFile(
        upload=upload,
        content_type=content_type,
        original_name=clean_name(upload.name, content_type),
        size=size,
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to ``max_files`` documents; ``clean`` returns a list of ``CheckedFile``."""

    widget = MultipleFileInput

    def __init__(self, *, max_files=MAX_ATTACHMENTS, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("required", False)
        # Empty files get their own message, naming the file (in ``check_upload``).
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTRIBUTE)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > self.max_files:
            raise ValidationError(
                _("Attach at most %(max)s files (you chose %(count)s)."),
                code="too_many",
                params={"max": self.max_files, "count": len(uploads)},
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                super().clean(upload, initial)
                checked.append(check_upload(upload))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return checked
