"""Responsive pictures from the renditions that ``news.images.refresh_renditions`` records.

Load with ``{% load news_images %}``.

``{% picture renditions alt sizes="100vw" loading="lazy" css_class="" default="detail" %}``
    A ``<picture>`` with a WebP ``<source>`` and a JPEG ``<img>``, both with ``srcset`` and
    ``sizes``; the ``<img>`` takes its ``src``, ``width`` and ``height`` from the ``default``
    rendition, and ``decoding="async"``. ``thumb`` and ``detail`` share one ``srcset`` (same
    crop, two widths); ``social`` (cropped) stands alone. ``alt`` is escaped. Renders nothing
    when there are no renditions. Only ``renditions`` and ``alt`` are required; the others are
    keywords with the defaults shown, and ``fetchpriority=""`` (left out when empty). For the
    picture at the top of a page, pass ``loading="eager" fetchpriority="high"``::

        {% picture post.cover_renditions post.cover_alt sizes="(min-width: 992px) 800px, 100vw" %}

``{{ renditions|rendition_url:"social" }}``
    The URL of one rendition: JPEG by default, WebP with ``"social.webp"``. Empty when missing.
    For ``og:image``, make it absolute with ``request.build_absolute_uri`` in the view, or prefix
    the site's address.
"""

from django import template
from django.core.files.storage import default_storage
from django.utils.html import format_html, format_html_join

register = template.Library()

# Renditions of the same crop, offered together in one srcset.
SAME_CROP = ("thumb", "detail")


@register.simple_tag
def picture(
    renditions,
    alt,
    sizes="100vw",
    loading="lazy",
    css_class="",
    default="detail",
    fetchpriority="",
):
    """A ``<picture>`` of ``renditions``; see the module docstring."""
    if not renditions or default not in renditions:
        return ""
    main = renditions[default]
    names = SAME_CROP if default in SAME_CROP else (default,)
    # Keyed by width: a picture narrower than 480 px has two identical renditions.
    candidates = {renditions[n]["width"]: renditions[n] for n in names if n in renditions}
    optional = {"class": css_class, "fetchpriority": fetchpriority}
    extra = format_html_join("", ' {}="{}"', ((k, v) for k, v in optional.items() if v))
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}"'
        ' decoding="async"{}></picture>',
        _srcset(candidates, "webp"),
        sizes,
        default_storage.url(main["jpeg"]),
        _srcset(candidates, "jpeg"),
        sizes,
        main["width"],
        main["height"],
        alt,
        loading,
        extra,
    )


@register.filter
def rendition_url(renditions, name):
    """The URL of rendition ``name`` (``"social"``, ``"thumb.webp"``), JPEG unless named."""
    key, _, image_format = name.partition(".")
    stored = (renditions or {}).get(key, {}).get(image_format or "jpeg")
    return default_storage.url(stored) if stored else ""


def _srcset(candidates, image_format):
    """``url 480w, url 1200w`` from renditions keyed by width."""
    return ", ".join(
        f"{default_storage.url(rendition[image_format])} {width}w"
        for width, rendition in sorted(candidates.items())
    )
