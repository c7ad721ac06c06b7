"""Whatever path writes a body, only the allow-listed HTML is stored."""

import pytest

from news.sanitize import clean_body
from tests.factories import PostFactory

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    '<a href="&#106;avascript:alert(1)">bấm</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">bấm</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://example.com"></iframe>',
    '<p style="position:fixed;top:0;left:0;width:100%;height:100%">che trang</p>',
    '<div onmouseover="alert(1)">rê chuột</div>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://example.com"><input name="p"></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<p>a<style>body{display:none}</style></p>",
    '<base href="https://example.com/">',
    '<meta http-equiv="refresh" content="0;url=https://example.com">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<figure class="position-fixed w-100"><img src="/media/a.jpg" alt="a"></figure>',
    "<<script>script>alert(1)<</script>/script>",
]

DANGEROUS = [
    "<script",
    "onerror",
    "onload",
    "onmouseover",
    "javascript:",
    "<iframe",
    "<svg",
    "style=",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<base",
    "<meta",
    "data:text",
    "class=",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitiser_removes_the_payload(payload):
    cleaned = clean_body(payload).lower()
    for marker in DANGEROUS:
        assert marker not in cleaned


def test_sanitiser_keeps_what_the_editor_makes():
    html = (
        "<h2>Tiêu đề</h2><p><strong>đậm</strong> <em>nghiêng</em> "
        '<a href="https://congdoan.example.gov.vn/">liên kết</a></p>'
        "<ul><li>một</li></ul><ol><li>hai</li></ol><blockquote><p>trích</p></blockquote>"
        '<figure><img src="/media/a.jpg" alt="ảnh"><figcaption>chú thích</figcaption></figure>'
        "<table><tbody><tr><th>Loại</th><td>144</td></tr></tbody></table>"
    )
    cleaned = clean_body(html)
    for kept in [
        "<h2>",
        "<strong>",
        "<em>",
        'href="https://congdoan.example.gov.vn/"',
        "<ul>",
        "<ol>",
        "<blockquote>",
        "<figure>",
        'alt="ảnh"',
        "<figcaption>",
        "<table>",
        "<th>",
    ]:
        assert kept in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS[:6])
def test_saving_a_post_sanitises_on_every_path(payload, client):
    post = PostFactory(body=f"<p>Đoàn viên</p>{payload}")
    assert "<script" not in post.body.lower() and "javascript:" not in post.body.lower()
    html = client.get(post.get_absolute_url()).content.decode().lower()
    assert "alert(1)" not in html.split('<div class="post-body">')[1].split("</div>")[0]
