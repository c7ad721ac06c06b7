"""Image uploads: only real, sane images get in; originals lose their metadata; renditions are
made once and shown with <picture>."""

import struct
import warnings
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from news import images
from news.images import validate_image_upload
from news.models import Category, Post, PostImage

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def picture_bytes(size=(2400, 1600), image_format="JPEG", mode="RGB", color="teal", **save):
    output = BytesIO()
    Image.new(mode, size, color).save(output, format=image_format, **save)
    return output.getvalue()


def upload(content=None, name="anh-hoi-nghi.jpg"):
    return SimpleUploadedFile(name, content or picture_bytes(), content_type="image/jpeg")


def photo_with_gps():
    """A phone photo: EXIF with the camera, where it was taken, and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "Điện thoại"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (21.0, 1.0, 30.0)
    gps[3], gps[4] = "E", (105.0, 50.0, 0.0)
    content = picture_bytes(exif=exif, comment=b"Nha rieng cua Binh")
    with Image.open(BytesIO(content)) as check:  # The test means something only if it is there.
        assert check.getexif().get_ifd(GPS_IFD)
    return content


def png_claiming(width, height):
    """A PNG whose header claims ``width`` × ``height`` pixels, with next to no data."""

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def stored(name):
    with default_storage.open(name) as file, Image.open(file) as image:
        image.load()
        return image


def error_code(content, name="anh.jpg"):
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(upload(content, name))
    return caught.value.code


@pytest.fixture
def post():
    category = Category.objects.create(name="Hoạt động công đoàn")
    return Post.objects.create(title="Hội nghị cán bộ", lead="Tóm tắt.", category=category)


def add_image(post, content=None, name="anh-hoi-nghi.jpg"):
    """Validate then save, as the admin does: the upload must survive its validation."""
    image = PostImage(post=post, image=upload(content, name), alt="Hội trường")
    image.full_clean()
    image.save()
    return image


# Validation


def test_a_real_jpeg_passes_and_is_rewound():
    file = upload()
    validate_image_upload(file)
    assert file.tell() == 0


def test_a_text_file_named_jpg_is_refused(post):
    text = b"Day khong phai la anh."
    assert error_code(text) == "invalid_image"
    image = PostImage(post=post, image=upload(text), alt="Ảnh")
    with pytest.raises(ValidationError) as caught:
        image.full_clean()
    assert caught.value.error_dict["image"][0].code == "invalid_image"


def test_a_damaged_image_is_refused():
    assert error_code(picture_bytes()[:2000]) == "invalid_image"


def test_a_gif_is_refused():
    assert error_code(picture_bytes(image_format="GIF"), "anh.gif") == "unsupported_format"


def test_a_file_over_10_mb_is_refused_before_it_is_read():
    assert error_code(b"\xff\xd8" + b"\0" * (10 * 1024 * 1024)) == "too_large"


@pytest.mark.parametrize("size", [(12_001, 1), (8_000, 5_001)], ids=["side", "megapixels"])
def test_too_many_pixels_is_refused(size):
    assert error_code(picture_bytes(size, "PNG", mode="1"), "anh.png") == "too_many_pixels"


def test_a_decompression_bomb_is_a_validation_error_not_a_crash(post):
    bomb = png_claiming(100_000, 100_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(BytesIO(bomb))
    assert error_code(bomb, "bom.png") == "too_many_pixels"
    # Saved without full_clean(), the model still refuses it cleanly.
    with pytest.raises(ValidationError):
        PostImage.objects.create(post=post, image=upload(bomb, "bom.png"), alt="Bom")
    assert not PostImage.objects.exists()


def test_pillows_own_limit_is_a_validation_error(monkeypatch):
    content = picture_bytes((100, 100))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)  # 10,000 pixels: Pillow's error
    assert error_code(content) == "too_many_pixels"
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 6_000)  # Pillow's warning, here an error
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        assert error_code(content) == "too_many_pixels"


def test_a_stored_image_is_not_read_again_when_its_model_is_cleaned(post):
    image = add_image(post)
    default_storage.delete(image.image.name)
    image.full_clean()


# Metadata and renditions


def test_the_stored_original_has_no_gps_exif_or_comment(post):
    image = add_image(post, photo_with_gps())
    assert image.image.name.startswith("news/images/") and image.image.name.endswith(".jpg")
    original = stored(image.image.name)
    assert original.format == "JPEG"
    assert original.size == (2400, 1600)
    assert len(original.getexif()) == 0
    assert not original.getexif().get_ifd(GPS_IFD)
    assert not {"exif", "xmp", "comment"} & set(original.info)
    with default_storage.open(image.image.name) as file:
        assert b"Binh" not in file.read()


def test_exif_orientation_is_applied_before_it_is_dropped(post):
    exif = Image.Exif()
    exif[0x0112] = 6  # Turn 90° clockwise to show.
    image = add_image(post, picture_bytes((600, 400), exif=exif))
    assert stored(image.image.name).size == (400, 600)
    assert image.renditions["original"] == {"name": image.image.name, "width": 400, "height": 600}
    assert image.renditions["detail"]["width"] == 400


def test_renditions_are_stored_in_webp_and_jpeg_at_their_sizes(post):
    image = add_image(post)
    folder = f"news/renditions/{timezone.localdate():%Y/%m}/"
    expected = {"thumb": (480, 320), "detail": (1200, 800), "social": (1200, 630)}
    for name, size in expected.items():
        rendition = image.renditions[name]
        assert (rendition["width"], rendition["height"]) == size
        for key, image_format in [("webp", "WEBP"), ("jpeg", "JPEG")]:
            assert rendition[key].startswith(folder)
            assert rendition[key].endswith(f"-{name}.{'webp' if key == 'webp' else 'jpg'}")
            made = stored(rendition[key])
            assert (made.format, made.size) == (image_format, size)
            assert "exif" not in made.info
    assert image.renditions["original"]["width"] == 2400


def test_a_small_picture_is_not_upscaled_except_for_the_social_card(post):
    image = add_image(post, picture_bytes((300, 200)))
    assert image.renditions["thumb"]["width"] == image.renditions["detail"]["width"] == 300
    assert stored(image.renditions["social"]["jpeg"]).size == (1200, 630)


def test_a_transparent_png_keeps_its_format_and_gets_a_white_jpeg(post):
    content = picture_bytes((800, 600), "PNG", mode="RGBA", color=(0, 0, 0, 0))
    image = add_image(post, content, "logo.jpg")  # The content decides, not the name.
    original = stored(image.image.name)
    assert image.image.name.endswith(".png") and original.mode == "RGBA"
    assert stored(image.renditions["detail"]["webp"]).mode == "RGBA"
    jpeg = stored(image.renditions["detail"]["jpeg"])
    assert jpeg.getpixel((0, 0)) == (255, 255, 255)


def test_an_ordinary_save_does_not_make_renditions_again(post):
    image = add_image(post)
    before = (image.image.name, image.renditions)
    image.alt = "Hội trường tầng 3"
    image.save()
    image.refresh_from_db()
    image.save()
    assert (image.image.name, image.renditions) == before


def test_a_cover_is_processed_once_and_cleared_with_its_image(post):
    post.cover_image = upload(photo_with_gps())
    post.cover_alt = "Đại biểu dự hội nghị"
    post.save()
    renditions = post.cover_renditions
    assert not stored(post.cover_image.name).getexif().get_ifd(GPS_IFD)
    post.title = "Hội nghị cán bộ năm 2025"
    post.save()
    post.refresh_from_db()
    assert post.cover_renditions == renditions
    post.cover_image = None
    post.save()
    post.refresh_from_db()
    assert post.cover_renditions == {}


def test_a_stored_image_without_renditions_gets_them(post):
    image = add_image(post)
    name = image.image.name
    PostImage.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()
    image.save()
    assert image.image.name == name
    assert image.renditions["thumb"]["width"] == 480


def test_a_missing_stored_file_does_not_stop_an_edit(post, caplog):
    image = add_image(post)
    default_storage.delete(image.image.name)
    image.renditions = {}
    image.alt = "Ảnh đã mất"
    image.save()
    assert image.renditions == {}
    assert "No renditions made of news/images/" in caplog.text


def test_the_byte_limit_can_be_lowered(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1_000)
    assert error_code(picture_bytes()) == "too_large"


# Template tags


def render(source, **context):
    return Template("{% load news_images %}" + source).render(Context(context))


def test_picture_has_a_webp_source_a_jpeg_img_and_its_size(post):
    renditions = add_image(post).renditions
    html = render(
        '{% picture r alt sizes="(min-width: 992px) 800px, 100vw" css_class="img-fluid" %}',
        r=renditions,
        alt='Ban chấp hành <"công đoàn">',
    )
    url = default_storage.url
    thumb, detail = renditions["thumb"], renditions["detail"]
    assert html.startswith('<picture><source type="image/webp" ')
    assert f'srcset="{url(thumb["webp"])} 480w, {url(detail["webp"])} 1200w"' in html
    assert f'<img src="{url(detail["jpeg"])}"' in html
    assert f'srcset="{url(thumb["jpeg"])} 480w, {url(detail["jpeg"])} 1200w"' in html
    assert html.count('sizes="(min-width: 992px) 800px, 100vw"') == 2
    assert 'width="1200" height="800"' in html
    assert 'loading="lazy" decoding="async" class="img-fluid"' in html
    assert 'alt="Ban chấp hành &lt;&quot;công đoàn&quot;&gt;"' in html
    assert "fetchpriority" not in html
    assert html.endswith("></picture>")


def test_picture_of_a_small_image_lists_each_width_once(post):
    renditions = add_image(post, picture_bytes((300, 200))).renditions
    html = render('{% picture r "Ảnh" loading="eager" fetchpriority="high" %}', r=renditions)
    assert html.count(" 300w") == 2 and "480w" not in html
    assert 'loading="eager"' in html and 'fetchpriority="high"' in html


def test_picture_of_nothing_is_nothing():
    assert render('{% picture r "Ảnh" %}', r={}) == ""
    assert render('{% picture r "Ảnh" %}', r=None) == ""


def test_rendition_url_gives_the_social_jpeg_for_open_graph(post):
    renditions = add_image(post).renditions
    html = render('{{ r|rendition_url:"social" }} {{ r|rendition_url:"thumb.webp" }}', r=renditions)
    social, thumb = html.split()
    assert social == default_storage.url(renditions["social"]["jpeg"]) and social.endswith(".jpg")
    assert thumb == default_storage.url(renditions["thumb"]["webp"])
    assert render('{{ r|rendition_url:"social" }}', r={}) == ""
