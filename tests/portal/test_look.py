"""The portal's look: its own typeface is linked and served, the header band names the union from
the site settings, the phone menu is operable, and no template of the layout runs inline script
(a Content Security Policy without 'unsafe-inline' must be able to forbid it)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from portal.models import SiteSettings

pytestmark = pytest.mark.django_db

FONT_STYLESHEETS = ["400.css", "400-italic.css", "600.css", "700.css"]
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# The layout and the pages whose look this issue owns.
LAYOUT_TEMPLATES = [
    TEMPLATES / "base.html",
    TEMPLATES / "error_page.html",
    *sorted((TEMPLATES / "includes").glob("*.html")),
    *sorted((TEMPLATES / "portal").glob("*.html")),
    *sorted((TEMPLATES / "news").rglob("*.html")),
    *sorted((TEMPLATES / "registration").glob("*.html")),
    *sorted((TEMPLATES / "accounts").glob("*.html")),
]


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside <header>."""

    def __init__(self):
        super().__init__()
        self.tags = []
        self.header_depth = 0
        self.header_text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "header" or self.header_depth:
            self.header_depth += tag == "header"

    def handle_endtag(self, tag):
        if tag == "header" and self.header_depth:
            self.header_depth -= 1

    def handle_data(self, data):
        if self.header_depth:
            self.header_text.append(data)

    def find(self, tag, **attrs):
        return [
            a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]


def parse(response):
    assert response.status_code == 200
    page = Elements()
    page.feed(response.content.decode())
    return page


def test_every_page_links_the_vendored_font_and_the_files_are_served(client):
    page = parse(client.get("/"))
    stylesheets = [a["href"] for a in page.find("link", rel="stylesheet")]
    for name in FONT_STYLESHEETS:
        url = f"{settings.STATIC_URL}vendor/be-vietnam-pro/{name}"
        assert f"/{url.lstrip('/')}" in stylesheets, name
        css_path = finders.find(f"vendor/be-vietnam-pro/{name}")
        assert css_path, f"{name} is not found by the static files finders"
        css = Path(css_path).read_text()
        # The Vietnamese subset (ă, ơ, ư, đ and the tone marks) is among the faces it declares.
        assert "be-vietnam-pro-vietnamese-" in css and "U+1EA0-1EF9" in css
        for font_file in re.findall(r"url\(\./(files/[^)]+\.woff2)\)", css):
            assert finders.find(f"vendor/be-vietnam-pro/{font_file}"), font_file
    portal_css = Path(finders.find("css/portal.css")).read_text()
    assert "--bs-body-font-family: var(--portal-font)" in portal_css
    assert re.search(r'--portal-font: "Be Vietnam Pro", system-ui', portal_css)


def test_the_print_stylesheet_is_linked_for_print_only(client):
    page = parse(client.get("/"))
    (link,) = [a for a in page.find("link", rel="stylesheet") if a["href"].endswith("print.css")]
    assert link["media"] == "print"
    assert finders.find("css/print.css")


def test_the_header_band_shows_the_emblem_and_the_union_names_from_the_settings(client):
    site = SiteSettings.get_solo()
    site.name = "Công đoàn Bộ Thử nghiệm"
    site.superior_name = "Công đoàn Viên chức Việt Nam"
    site.save()
    page = parse(client.get("/"))
    header = " ".join(" ".join(page.header_text).split())
    # The superior union above the union's own name, both in the header band.
    assert "Công đoàn Viên chức Việt Nam Công đoàn Bộ Thử nghiệm" in header
    (emblem,) = [a for a in page.find("img") if a.get("class") == "brand-emblem"]
    assert emblem["src"].endswith("img/emblem.svg") and emblem["alt"] == ""
    assert finders.find("img/emblem.svg")


def test_the_header_band_leaves_out_an_empty_superior_union(client):
    site = SiteSettings.get_solo()
    site.name = "Công đoàn Bộ Thử nghiệm"
    site.superior_name = ""
    site.save()
    html = client.get("/").content.decode()
    assert 'class="brand-superior"' not in html
    assert 'class="brand-name">Công đoàn Bộ Thử nghiệm<' in html


def test_the_phone_menu_toggle_controls_the_navigation_and_says_whether_it_is_open(client):
    response = client.get("/")
    page = parse(response)
    (toggle,) = page.find("button", **{"class": "navbar-toggler"})
    assert toggle["aria-controls"] == "main-nav"
    assert toggle["aria-expanded"] == "false"
    assert toggle["data-bs-toggle"] == "collapse" and toggle["data-bs-target"] == "#main-nav"
    assert toggle["aria-label"] == "Mở trình đơn"
    (menu,) = page.find("div", id="main-nav")
    assert "collapse" in menu["class"].split()
    # The navigation and the sign-in link are inside the part the toggle opens.
    html = response.content.decode()
    menu_html = html[
        html.index('id="main-nav"') : html.index("</nav>", html.index('id="main-nav"'))
    ]
    assert 'href="/tin-tuc/"' in menu_html and "Đăng nhập" in menu_html


@pytest.mark.parametrize("template", LAYOUT_TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_layout_templates_have_no_inline_script_style_or_handlers(template):
    source = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", source):
        # Only external scripts, or JSON-LD data blocks (data, never executed).
        assert "src=" in tag or 'type="application/ld+json"' in tag, tag
    assert not re.search(r"\sstyle=", source)
    assert not re.search(r"\son[a-z]+=", source)


def test_base_template_loads_only_external_scripts():
    source = (TEMPLATES / "base.html").read_text()
    scripts = re.findall(r"<script\b[^>]*>", source)
    assert scripts and all(" src=" in tag for tag in scripts)


@pytest.mark.parametrize("url", ["/", "/tin-tuc/", "/tai-khoan/dang-nhap/", "/tim-kiem/?q=cong"])
def test_rendered_pages_run_no_inline_script(client, url):
    page = parse(client.get(url))
    for attrs in page.find("script"):
        assert attrs.get("src") or attrs.get("type") == "application/ld+json", attrs
