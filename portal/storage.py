"""Where uploaded files live: on local disk (the default) or in S3-compatible object storage.

Public media (post images and their renditions, post documents) use the "default" storage; files
that must never be public (support request attachments, aid receipts, pending imports) use the
"private" one, which has no URL at all: they are served only by views that check who asks.
"""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from portal.env import ConfigError

NO_URL = "Private files have no URL; serve them through a permission-checked view."
# Key prefixes in the bucket(s): fixed, so a bucket policy can name them and a private bucket can
# be added later by copying `private/` across.
PUBLIC_PREFIX = "media"
PRIVATE_PREFIX = "private"
# A file opened from S3 is downloaded into a temporary file held in memory up to this size, then
# on disk (django-storages keeps it all in memory by default).
MAX_MEMORY_SIZE = 5 * 1024 * 1024
ADDRESSING_STYLES = ("auto", "path", "virtual")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT``, read from the settings each time (tests move it), and
    with no URL at all."""

    def __init__(self, **kwargs):
        kwargs.pop("location", None)
        kwargs.pop("base_url", None)
        super().__init__()

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError(NO_URL)


def private_file_response(field_file, *, filename, content_type):
    """The response sending a private file, once the view has checked who asks.

    The portal streams it; or, for files on local disk with ``PRIVATE_MEDIA_X_ACCEL_PREFIX`` set,
    answers with an empty body and ``X-Accel-Redirect`` so that nginx sends the file from an
    ``internal`` location (the worker is free at once). A missing file is a 404 either way.
    """
    from urllib.parse import quote

    from django.http import FileResponse, Http404, HttpResponse
    from django.utils.http import content_disposition_header

    if not field_file:
        raise Http404
    prefix = settings.PRIVATE_MEDIA_X_ACCEL_PREFIX
    if prefix and isinstance(field_file.storage, FileSystemStorage):
        if not field_file.storage.exists(field_file.name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix + quote(field_file.name)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)


def _private_s3_class():
    # Imported late: boto3 (about 35 MB per process, 0.2-0.5 s) is loaded only by portals that
    # use object storage.
    from storages.backends.s3 import S3Storage

    @deconstructible(path="portal.storage.PrivateS3Storage")
    class PrivateS3Storage(S3Storage):
        """Private objects in S3: written with the private ACL (or none, in a bucket that is never
        public), and no URL, signed or not."""

        def url(self, name, *args, **kwargs):
            raise ValueError(NO_URL)

    return PrivateS3Storage


def __getattr__(name):
    # ``portal.storage.PrivateS3Storage`` for the STORAGES setting, without importing boto3 here.
    if name == "PrivateS3Storage":
        cls = _private_s3_class()
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def s3_storages(
    *,
    bucket,
    private_bucket,
    endpoint_url,
    region,
    access_key,
    secret_key,
    custom_domain,
    addressing_style,
    use_acl,
):
    """The STORAGES entries for public and private media in S3, and the origins public media are
    served from (for the Content Security Policy). Raises ``ConfigError`` on a bad combination."""
    if endpoint_url and not endpoint_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"S3_ENDPOINT_URL={endpoint_url!r} needs a scheme, e.g. https://{endpoint_url}"
        )
    if endpoint_url and not urlsplit(endpoint_url).hostname:
        raise ConfigError(f"S3_ENDPOINT_URL={endpoint_url!r} names no host")
    if bool(access_key) != bool(secret_key):
        raise ConfigError(
            "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together: set both, or neither "
            "(on AWS, to use the server's role)"
        )
    if endpoint_url and not access_key:
        raise ConfigError(
            "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required with S3_ENDPOINT_URL"
        )
    if addressing_style not in ADDRESSING_STYLES:
        raise ConfigError(
            f"S3_ADDRESSING_STYLE={addressing_style!r} is not one of {', '.join(ADDRESSING_STYLES)}"
        )
    private_bucket = private_bucket or bucket
    if not use_acl and private_bucket == bucket:
        raise ConfigError(
            "S3_USE_ACL=0 needs S3_PRIVATE_BUCKET, a bucket that is never public: without ACLs "
            "the bucket's policy alone would decide who may read the private files"
        )
    protocol = "https:"
    if custom_domain:
        if "://" in custom_domain:
            parts = urlsplit(custom_domain)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ConfigError(
                    f"S3_CUSTOM_DOMAIN={custom_domain!r} is not a host name such as "
                    "media.example.gov.vn or https://media.example.gov.vn"
                )
            protocol = f"{parts.scheme}:"
            custom_domain = parts.netloc + parts.path.rstrip("/")
        elif " " in custom_domain or not urlsplit(f"//{custom_domain}").hostname:
            raise ConfigError(f"S3_CUSTOM_DOMAIN={custom_domain!r} is not a host name")
    common = {
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "addressing_style": addressing_style,
        "file_overwrite": False,  # two uploads named alike must not replace each other
        "max_memory_size": MAX_MEMORY_SIZE,
    }
    public = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": bucket,
            "location": PUBLIC_PREFIX,
            "default_acl": "public-read" if use_acl else None,
            # Plain, lasting addresses: pages holding them are cached and shared.
            "querystring_auth": False,
            "custom_domain": custom_domain or None,
            "url_protocol": protocol,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    private = {
        "BACKEND": "portal.storage.PrivateS3Storage",
        "OPTIONS": {
            **common,
            "bucket_name": private_bucket,
            "location": PRIVATE_PREFIX,
            "default_acl": "private" if use_acl else None,
            "querystring_auth": True,
            "custom_domain": None,
        },
    }
    return (
        public,
        private,
        _media_origins(bucket, endpoint_url, region, addressing_style, custom_domain, protocol),
    )


def _media_origins(bucket, endpoint_url, region, addressing_style, custom_domain, protocol):
    if custom_domain:
        return [f"{protocol}//{custom_domain.split('/', 1)[0]}"]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        if addressing_style == "virtual":
            return [f"{parts.scheme}://{bucket}.{parts.netloc}"]
        if addressing_style == "path":
            return [f"{parts.scheme}://{parts.netloc}"]
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    hosts = [f"{bucket}.s3.amazonaws.com", "s3.amazonaws.com"]
    if region:
        hosts += [f"{bucket}.s3.{region}.amazonaws.com", f"s3.{region}.amazonaws.com"]
    return [f"https://{host}" for host in hosts]
