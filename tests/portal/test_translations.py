"""The Vietnamese catalogue is complete, and the pages show no English from the templates."""

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_message_is_translated_and_none_is_fuzzy(domain):
    po = polib.pofile(str(CATALOGUE.with_name(f"{domain}.po")))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert po.percent_translated() == 100


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs GNU gettext (installed by .ci/run)"
)
def test_catalogue_holds_every_message_marked_in_the_code(tmp_path):
    """Run makemessages on a copy of the project: a string marked but not in the .po fails."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in (
        "manage.py",
        "portal",
        "unions",
        "news",
        "welfare",
        "audit",
        "templates",
        "locale",
    ):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, copy / name)
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-obsolete"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    refreshed = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [
        entry.msgid for entry in refreshed.untranslated_entries() + refreshed.fuzzy_entries()
    ]
    assert missing == [], "run makemessages -l vi and translate these"


class VisibleText(HTMLParser):
    """The text a person sees: no script, style or tags; attributes a person reads are kept."""

    def __init__(self):
        super().__init__()
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.skip += 1
        for name, value in attrs:
            if name in {"alt", "title", "aria-label", "placeholder"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


# Words that give away an English sentence; none of them is a Vietnamese word.
ENGLISH_WORDS = re.compile(
    r"\b(the|and|your|you|with|this|page|sign|password|home|search|news|account|log|email|"
    r"username|submit|save|required|field|found|error|forgot|reset|change|menu|skip|main|content|"
    r"address|phone|welcome|members?|officers?|language|close|please|enter)\b",
    re.IGNORECASE,
)


def english_in(text):
    allowed = {"English"}  # the name of the other language in the language switch
    return sorted(set(ENGLISH_WORDS.findall(text)) - allowed)


PUBLIC_PAGES = [
    "/",
    "/tai-khoan/dang-nhap/",
    "/tai-khoan/quen-mat-khau/",
    "/tai-khoan/quen-mat-khau/da-gui/",
    "/tai-khoan/dat-lai-mat-khau/xong/",
    "/tai-khoan/dat-lai-mat-khau/MQ/sai-ma/",
    "/trang-khong-ton-tai/",
]
SIGNED_IN_PAGES = ["/", "/tai-khoan/", "/tai-khoan/doi-mat-khau/", "/tai-khoan/doi-mat-khau/xong/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_show_no_english(client, url, settings):
    settings.LANGUAGE_CODE = "vi"
    response = client.get(url, follow=True)
    assert response.status_code in {200, 404}
    assert english_in(visible_text(response.content.decode())) == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", SIGNED_IN_PAGES)
def test_signed_in_pages_show_no_english(client_for, officer, url, settings):
    settings.LANGUAGE_CODE = "vi"
    response = client_for(officer).get(url)
    assert response.status_code == 200
    assert english_in(visible_text(response.content.decode())) == []


@pytest.mark.django_db
def test_form_errors_are_vietnamese(client, settings):
    settings.LANGUAGE_CODE = "vi"
    response = client.post("/tai-khoan/dang-nhap/", {"username": "", "password": ""})
    text = visible_text(response.content.decode())
    assert "Trường này là bắt buộc" in text
    assert english_in(text) == []


@pytest.mark.django_db
def test_english_is_available_through_the_language_switch(client):
    response = client.get("/ngon-ngu/en/?next=/tai-khoan/dang-nhap/", follow=True)
    assert response.redirect_chain == [("/tai-khoan/dang-nhap/", 302)]
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Sign in" in html
    response = client.get("/ngon-ngu/vi/?next=/", follow=True)
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_language_switch_refuses_unknown_languages_and_outside_addresses(client):
    assert client.get("/ngon-ngu/fr/").status_code == 404
    response = client.get("/ngon-ngu/en/?next=https://example.com/")
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_public_pages_set_no_csrf_cookie(client):
    response = client.get("/")
    assert "csrftoken" not in response.cookies


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    html = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
