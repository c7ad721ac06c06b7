"""Stored (and reflected) XSS: hostile text in every free-text field comes back as text.

``PAYLOADS`` (script tags, event handlers, ``javascript:`` and ``data:`` URLs, SVG and MathML
tricks, entity and unicode escapes, ``</textarea>`` and ``</title>`` break-outs, CDATA, CSS
``expression()``, template tags) are stored, straight through the ORM so no form can soften them,
in branch, member, child, transfer, programme, aid record, request, attachment, campaign,
contribution, category and post fields, and in an imported file's cells and name. Then every page
that shows them is read back (public news pages, the RSS feeds, the officers' lists and detail
pages, the printable signature list and review, the member's area, the admin's lists and forms,
the import preview) and parsed with ``html.parser``: no element or attribute of a payload may
appear (no ``<script>`` holding ``alert(``, no ``on…=`` handler, no ``javascript:`` URL, no
``<base>``, ``<meta http-equiv>``, ``<iframe>``, ``<object>``, ``<math>``…), the post body keeps
only what the nh3 allow-list lets through, and each page shows the payloads as text.
"""

import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import Category, Post
from portal.models import SiteSettings
from tests.factories import BranchFactory, CampaignFactory, MemberFactory, ProgramFactory
from tests.security.conftest import content_of
from unions.models import Dependant, Member, Transfer
from welfare.models import AidRecord, Contribution, RequestAttachment, SupportRequest

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '<script>alert("xss01")</script>',
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '"><script>alert(4)</script>',
    "'><img src=x onerror=alert(5)>",
    "javascript:alert(6)",
    '<a href="javascript:alert(7)">bấm vào đây</a>',
    "</textarea><script>alert(8)</script>",
    "</title><script>alert(9)</script>",
    '<iframe src="javascript:alert(10)"></iframe>',
    "<body onload=alert(11)>",
    '<div style="background:url(javascript:alert(12))">x</div>',
    '<div style="width: expression(alert(13))">x</div>',
    "&lt;script&gt;alert(14)&lt;/script&gt;",
    "\\u003cscript\\u003ealert(15)\\u003c/script\\u003e",
    "<scr<script>ipt>alert(16)</script>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(17)>",
    '<a href="&#106;avascript:alert(18)">x</a>',
    '<img src="x" onerror="&#97;lert(19)">',
    '" onmouseover="alert(20)" x="',
    "<details open ontoggle=alert(21)>",
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgyMik8L3NjcmlwdD4="></object>',
    "]]><script>alert(23)</script><![CDATA[",
    "<style>@import 'http://x.example/x.css';</style>",
    '<!--<img src="--><img src=x onerror=alert(25)//">',
    '<base href="http://x.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(27)">',
    '<form action="javascript:alert(28)"><button>Gửi</button></form>',
    "{{ settings.SECRET_KEY }}{% debug %}",
    '<a href="data:text/html,<script>alert(30)</script>">Tải về</a>',
]
# An address is hostile when it runs code or leads to the payloads' host; a query string that
# merely quotes a payload is URL-encoded (``alert%28``) and harmless.
HOSTILE_STARTS = ("javascript:", "vbscript:", "data:text/html", "http://x.example", "//x.example")
HOSTILE_PARTS = ("alert(", "expression(", "url(javascript:")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "xlink:href",
    "background",
    "poster",
    "srcset",
    "style",
    "content",
}
FORBIDDEN_TAGS = {"base", "iframe", "object", "embed", "frame", "frameset", "applet", "math"}
DAY = datetime.date(2020, 4, 10)


def chunks(limit):
    """The payloads packed into texts of at most ``limit`` characters (a name's length)."""
    packed = [[]]
    for payload in PAYLOADS:
        if packed[-1] and len(" ".join([*packed[-1], payload])) > limit:
            packed.append([])
        packed[-1].append(payload)
    return [" ".join(group) for group in packed]


NAMES = chunks(150)  # names and other short fields: every payload, a few in each
LONG = "\n".join(PAYLOADS)  # text fields: every payload at once


# The detector ---------------------------------------------------------------------------------


def hostile_address(value):
    text = value.strip().lower()
    return text.startswith(HOSTILE_STARTS) or any(part in text for part in HOSTILE_PARTS)


class Injected(HTMLParser):
    """Collects every sign that a payload became markup, and the page's text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.text = []
        self._raw = None  # (tag, attrs, parts) inside <script> or <style>

    def handle_starttag(self, tag, attrs):
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"element {where}")
        if tag == "meta" and any(k == "http-equiv" for k, _v in attrs):
            self.found.append(f"element {where}")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and "alert" in value:
                self.found.append(f"event handler {where}")
            elif (
                name in URL_ATTRIBUTES
                and hostile_address(value)
                and not (
                    tag == "meta" and name == "content"  # <meta name="description"> holds text
                )
            ):
                self.found.append(f"URL attribute {where}")
        if tag in ("script", "style"):
            self._raw = (tag, dict(attrs), [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._raw = None

    def handle_endtag(self, tag):
        if self._raw and tag == self._raw[0]:
            kind, attrs, parts = self._raw
            self._raw = None
            content = "".join(parts)
            if attrs.get("type") in ("application/ld+json", "application/json"):
                # Data for search engines or charts (json_script): inert if it stays JSON
                # and holds no "<" that could close the element.
                if "<" in content:
                    self.found.append(f"a raw < inside a JSON <script>: {content[:80]!r}")
                json.loads(content)
            elif any(m in content for m in ("alert(", "x.example")):
                self.found.append(f"<{kind}> holding {content[:80]!r}")

    def handle_data(self, data):
        if self._raw:
            self._raw[2].append(data)
        else:
            self.text.append(data)


def inspect(html):
    parser = Injected()
    parser.feed(html)
    parser.close()
    return parser.found, "".join(parser.text)


def problems_of(response, url, *, shows=True):
    """What is wrong with a page: a 500, a payload turned into markup, no payload shown."""
    if response.status_code != 200:
        return [f"{url}: answered {response.status_code}"]
    html = content_of(response).decode("utf-8", "replace")
    found, text = inspect(html)
    problems = [f"{url}: {item}" for item in found]
    if settings.SECRET_KEY in html:
        problems.append(f"{url}: the secret key is on the page ({{{{ }}}} was evaluated)")
    if shows and "alert(" not in text:
        problems.append(f"{url}: no payload is shown as text (nothing was checked)")
    return problems


# Unit checks of the detector itself --------------------------------------------------------


def test_the_detector_sees_every_payload_as_markup_when_it_is_not_escaped():
    # Not markup even unescaped: entities and \u escapes as text, a broken tag name that no
    # browser runs (it only fools filters that strip "<script>" once), template tags.
    for payload in PAYLOADS[:13] + PAYLOADS[16:28] + PAYLOADS[29:]:
        found, _text = inspect(f"<p>{payload}</p>")
        if payload.startswith(("javascript:", '" onmouseover', "'>")):
            found, _text = inspect(f'<a href="{payload}">x</a>')
        assert found, payload


def test_the_detector_accepts_every_payload_escaped():
    from django.utils.html import escape

    for payload in PAYLOADS:
        found, text = inspect(f'<p title="{escape(payload)}">{escape(payload)}</p>')
        assert not found, payload
        assert payload in text


# The hostile world ------------------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def fit(model, field, text):
    return text[: model._meta.get_field(field).max_length]


class Hostile:
    """Every object of the portal, its free text full of payloads, under grassroots union A."""

    def __init__(self, tree, member_user):
        self.branches = [
            BranchFactory(
                code=f"XSS{n}",
                name=name,
                short_name=name[:100],
                address=name[:300],
                level="group",
                parent=tree.a,
            )
            for n, name in enumerate(NAMES)
        ]
        self.members = []
        for n, name in enumerate(NAMES):
            member = MemberFactory(
                branch=self.branches[n],
                card_number=f"XSSDV{n:03d}",
                full_name=name,
                job_title=name,
                work_unit=name,
                status_reason=name[:300],
                hardship=True,
            )
            Dependant.objects.create(
                member=member, full_name=name, date_of_birth=DAY, gender="female"
            )
            Transfer.objects.create(
                member=member,
                from_branch=tree.a,
                to_branch=member.branch,
                date=DAY,
                reason=name[:300],
            )
            self.members.append(member)
        own = member_user.member
        own.job_title = own.work_unit = NAMES[0]
        own.phone = NAMES[1][:20]
        own.save()
        Dependant.objects.create(member=own, full_name=NAMES[2], date_of_birth=DAY, gender="male")

        self.program = ProgramFactory(
            branch=tree.a,
            code="XSS-CT",
            name=NAMES[0],
            eligibility_note=LONG,
            budget_vnd=None,
            starts_on=datetime.date(2020, 1, 1),
            ends_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        ProgramFactory(branch=tree.a, code="XSS-CT2", name=NAMES[1])
        self.records = [
            AidRecord.objects.create(
                program=self.program,
                member=member,
                branch=member.branch,
                date=DAY,
                amount_vnd=1_000_000,
                item=name[:200],
                quantity=3,
                unit=name[:30],
                value_vnd=30_000,
                note=name[:300],
                status=AidRecord.Status.PAID,
            )
            for member, name in zip(self.members, NAMES, strict=True)
        ]
        AidRecord.objects.create(
            program=self.program,
            branch=self.branches[0],
            date=DAY,
            item=NAMES[1][:200],
            quantity=100,
            unit=NAMES[2][:30],
            value_vnd=500_000,
            note=NAMES[3][:300],
            status=AidRecord.Status.CANCELLED,
            cancel_reason=NAMES[4][:300],
        )
        self.requests = []
        for n, name in enumerate(NAMES[:4]):
            support_request = SupportRequest.objects.create(
                member=own if n % 2 == 0 else self.members[n],
                kind="sickness",
                description=LONG,
                happened_on=DAY,
                consent_given_at=timezone.now(),
                status="rejected" if n == 0 else "submitted",
                decision_reason=name if n == 0 else "",
                decided_at=timezone.now() if n == 0 else None,
            )
            attachment = RequestAttachment(
                request=support_request,
                original_name=name[:200],
                content_type="application/pdf",
                size=20,
            )
            attachment.file.save("tai-lieu.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
            attachment.save()
            self.requests.append(support_request)

        self.campaigns = []
        for n, name in enumerate(NAMES[:3]):
            campaign = CampaignFactory(
                branch=tree.a,
                code=f"XSS-VD{n}",
                slug=f"xss-vd{n}",
                name=name,
                description=LONG,
                is_public=True,
                starts_on=datetime.date(2020, 1, 1),
            )
            for m, party in enumerate(NAMES):
                Contribution.objects.create(
                    campaign=campaign,
                    direction="in" if m % 2 else "out",
                    date=DAY,
                    party=party[:200],
                    branch=self.branches[m] if m % 3 == 0 else None,
                    amount_vnd=100_000,
                    item=party[:200],
                    quantity=2,
                    unit=party[:30],
                    value_vnd=10_000,
                    note=party[:300],
                )
            self.campaigns.append(campaign)

        self.categories = []
        for n, name in enumerate(NAMES[:3]):
            category = Category.objects.create(
                name=name[:120], slug=f"xss-{n}", description=LONG, show_in_navigation=True
            )
            self.categories.append(category)
        self.posts = []
        for n, name in enumerate(NAMES):
            post = Post(
                title=name,
                category=self.categories[n % len(self.categories)],
                lead=LONG,
                body=LONG + "<p>" + "".join(PAYLOADS) + "</p>",
                byline=fit(Post, "byline", name),
                cover_alt=fit(Post, "cover_alt", name),
                cover_caption=fit(Post, "cover_caption", name),
                meta_description=fit(Post, "meta_description", name),
                status="published",
                published_at=timezone.now() - datetime.timedelta(hours=n + 1),
            )
            if n == 0:
                post.cover_image = SimpleUploadedFile("anh.png", png_bytes(), "image/png")
            post.save()
            self.posts.append(post)
        self.draft = Post.objects.create(
            title=NAMES[0], category=self.categories[0], lead=LONG, body=LONG, status="draft"
        )
        site = SiteSettings.get_solo()
        site.tagline = NAMES[0][:200]
        site.address = NAMES[1][:300]
        site.office_hours = NAMES[2][:200]
        site.save()


@pytest.fixture
def hostile(tree, member):
    return Hostile(tree, member)


@pytest.fixture
def ministry(client, ministry_officer):
    client.force_login(ministry_officer)
    return client


def read_all(client, urls, *, shows=True):
    problems = []
    for url in urls:
        problems += problems_of(client.get(url), url, shows=shows)
    return problems


# Public pages ----------------------------------------------------------------------------------


def test_public_news_pages_show_the_payloads_as_text(client, hostile):
    urls = [
        "/",
        reverse("news:list"),
        *[c.get_absolute_url() for c in hostile.categories],
        *[p.get_absolute_url() for p in hostile.posts],
        reverse("campaigns:public-list"),
        *[reverse("campaigns:public", kwargs={"slug": c.slug}) for c in hostile.campaigns],
    ]
    problems = read_all(client, urls)
    for payload in PAYLOADS:
        url = reverse("news:search") + "?" + _query(q=payload)
        problems += problems_of(client.get(url), url, shows=False)
    assert not problems, "\n".join(problems)


def _query(**params):
    from urllib.parse import urlencode

    return urlencode(params)


def test_the_post_body_keeps_only_what_the_allow_list_lets_through(client, hostile):
    post = hostile.posts[1]
    post.refresh_from_db()
    found, _text = inspect(post.body)
    assert not found, found
    assert not re.search(r"<(script|iframe|object|style|svg|math|form|base|meta)\b", post.body)


def test_feeds_and_sitemap_stay_well_formed_and_inert(client, hostile):
    problems = []
    for url in [
        reverse("news:feed"),
        *[reverse("news:category-feed", kwargs={"slug": c.slug}) for c in hostile.categories],
        reverse("sitemap"),
        reverse("sitemap-section", kwargs={"section": "posts"}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        root = ET.fromstring(content_of(response))  # well formed, whatever the titles hold
        for element in root.iter():
            if element.tag in ("script", "style") or element.tag.endswith("}script"):
                problems.append(f"{url}: a <{element.tag}> element")
        for item in root.iter("item"):
            # Feed readers render an item's description as HTML: it must hold the lead as text.
            found, text = inspect(item.findtext("description") or "")
            problems += [f"{url}: description: {f}" for f in found]
            if "alert(" not in text:
                problems.append(f"{url}: the description lost the lead")
    assert not problems, "\n".join(problems)


# Officers' pages -------------------------------------------------------------------------------


def officer_urls(hostile):
    member = hostile.members[0]
    record = hostile.records[0]
    campaign = hostile.campaigns[0]
    program = hostile.program
    return [
        reverse("unions:dashboard"),
        reverse("unions:branch-list"),
        reverse("unions:branch-detail", kwargs={"pk": hostile.branches[0].pk}),
        reverse("unions:member-list"),
        reverse("unions:member-list") + "?hardship=1&" + _query(q=PAYLOADS[0]),
        *[reverse("unions:member-detail", kwargs={"pk": m.pk}) for m in hostile.members],
        reverse("unions:member-edit", kwargs={"pk": member.pk}),
        reverse("unions:member-transfer", kwargs={"pk": member.pk}),
        reverse("unions:member-status", kwargs={"pk": member.pk}),
        reverse("aid:programs"),
        reverse("aid:program", kwargs={"pk": program.pk}),
        reverse("aid:program-edit", kwargs={"pk": program.pk}),
        reverse("aid:record-create", kwargs={"pk": program.pk}),
        reverse("aid:bulk", kwargs={"pk": program.pk}),
        reverse("aid:signatures", kwargs={"pk": program.pk}),
        reverse("aid:program-history", kwargs={"pk": program.pk}),
        reverse("aid:record", kwargs={"pk": program.pk, "record_pk": record.pk}),
        reverse("aid:record-cancel", kwargs={"pk": program.pk, "record_pk": record.pk}),
        reverse("requests:queue"),
        reverse("requests:queue") + "?status=all",
        *[reverse("requests:review", kwargs={"pk": r.pk}) for r in hostile.requests],
        reverse("campaigns:list"),
        reverse("campaigns:detail", kwargs={"pk": campaign.pk}),
        reverse("campaigns:edit", kwargs={"pk": campaign.pk}),
        reverse("campaigns:history", kwargs={"pk": campaign.pk}),
        reverse("reports:report") + f"?preset=year&year=2020&branch={hostile.program.branch_id}",
    ]


def test_officers_pages_show_the_payloads_as_text(ministry, hostile):
    problems = read_all(ministry, officer_urls(hostile))
    assert not problems, "\n".join(problems)


def test_the_printable_review_shows_the_payloads_as_text(ministry, hostile):
    branch = hostile.program.branch_id
    url = reverse("reports:print") + f"?preset=year&year=2020&branch={branch}"
    response = ministry.get(url)
    assert response.status_code < 500
    if response.status_code == 200:
        found, _text = inspect(content_of(response).decode())
        assert not found, found


def test_messages_and_forms_sent_back_keep_the_payloads_as_text(ministry, hostile, tree):
    problems = []
    # A success message names the beneficiary.
    member = hostile.members[1]
    url = reverse("aid:record-create", kwargs={"pk": hostile.program.pk})
    response = ministry.post(
        url,
        {
            "card_number": member.card_number,
            "date": "10/04/2020",
            "amount_vnd": "500.000",
            "status": "proposed",
            "confirm_duplicate": "on",
            "note": PAYLOADS[1],
        },
        follow=True,
    )
    problems += problems_of(response, url)
    # A refused form is sent back with what was typed.
    url = reverse("unions:member-create")
    response = ministry.post(
        url,
        {
            "card_number": PAYLOADS[3][:30],
            "full_name": NAMES[0],
            "gender": "female",
            "date_of_birth": PAYLOADS[4][:40],
            "branch": tree.a.pk,
            "category": "worker",
            "job_title": NAMES[1],
            "work_unit": NAMES[2],
            "phone": PAYLOADS[5][:20],
            "email": PAYLOADS[6][:40],
            "children-TOTAL_FORMS": "1",
            "children-INITIAL_FORMS": "0",
            "children-0-full_name": NAMES[3],
            "children-0-date_of_birth": PAYLOADS[7][:20],
        },
    )
    problems += problems_of(response, url)
    url = reverse("campaigns:add-in", kwargs={"pk": hostile.campaigns[0].pk})
    response = ministry.post(
        url, {"in-party": NAMES[0][:200], "in-note": NAMES[1][:300], "in-date": PAYLOADS[2]}
    )
    problems += problems_of(response, url)
    assert not problems, "\n".join(problems)


# The member's area -----------------------------------------------------------------------------


def test_the_members_own_pages_show_the_payloads_as_text(client, member, hostile):
    client.force_login(member)
    own = [r for r in hostile.requests if r.member.user_id == member.pk]
    urls = [
        reverse("members:home"),
        reverse("members:contact"),
        reverse("requests:mine"),
        *[reverse("requests:mine-detail", kwargs={"pk": r.pk}) for r in own],
    ]
    problems = read_all(client, [urls[0], *urls[3:]])
    problems += read_all(client, urls[1:3], shows=False)
    assert not problems, "\n".join(problems)


# The admin -------------------------------------------------------------------------------------


def test_the_admin_shows_the_payloads_as_text(client, django_user_model, hostile):
    admin_user = django_user_model.objects.create_superuser(
        "quantri_xss", "quantri@example.gov.vn", "mat-khau-quan-tri-2020"
    )
    client.force_login(admin_user)
    member = hostile.members[0]
    urls = [
        reverse("admin:unions_branch_changelist"),
        reverse("admin:unions_member_changelist"),
        reverse("admin:unions_member_change", args=[member.pk]),
        reverse("admin:unions_member_history", args=[member.pk]),
        reverse("admin:unions_transfer_changelist"),
        reverse("admin:welfare_aidprogram_changelist"),
        reverse("admin:welfare_aidrecord_changelist"),
        reverse("admin:welfare_aidrecord_change", args=[hostile.records[0].pk]),
        reverse("admin:welfare_supportrequest_changelist"),
        reverse("admin:welfare_supportrequest_change", args=[hostile.requests[0].pk]),
        reverse("admin:welfare_campaign_changelist"),
        reverse("admin:welfare_contribution_changelist"),
        reverse("admin:news_post_changelist"),
        reverse("admin:news_post_change", args=[hostile.posts[0].pk]),
        reverse("admin:news_post_history", args=[hostile.posts[0].pk]),
        reverse("admin:news_category_changelist"),
        reverse("news:preview", kwargs={"pk": hostile.draft.pk}),
    ]
    problems = read_all(client, urls)
    assert not problems, "\n".join(problems)


# Imports -----------------------------------------------------------------------------------------


def test_an_imported_file_and_its_name_come_back_as_text(ministry, tree):
    header = "card_number,full_name,gender,date_of_birth,branch_code,category," + ",".join(
        '"' + p.replace('"', '""') + '"' for p in PAYLOADS[:5]
    )
    rows = [header]
    for n, payload in enumerate(PAYLOADS):
        cell = '"' + payload.replace('"', '""') + '"'
        rows.append(f"XSSN{n:03d},{cell},{cell},{cell},{tree.a.code},{cell}")
    name = "<img src=x onerror=alert(1)>.csv"
    upload = SimpleUploadedFile(name, "\n".join(rows).encode())
    response = ministry.post(reverse("unions-import:start"), {"kind": "members", "file": upload})
    assert response.status_code == 302
    problems = problems_of(ministry.get(response["Location"]), response["Location"])
    # A clean file under a hostile name: its summary after the import names it.
    rows = [
        "card_number,full_name,gender,branch_code,category",
        *[
            f'XSSOK{n:03d},"{p.replace(chr(34), chr(34) * 2)}",Nữ,{tree.a.code},Viên chức'
            for n, p in enumerate(PAYLOADS)
        ],
    ]
    upload = SimpleUploadedFile(name, "\n".join(rows).encode())
    response = ministry.post(reverse("unions-import:start"), {"kind": "members", "file": upload})
    preview = response["Location"]
    problems += problems_of(ministry.get(preview), preview, shows=False)
    confirmed = ministry.post(preview + "xac-nhan/", follow=True)
    problems += problems_of(confirmed, "after confirming", shows=False)
    assert Member.objects.filter(card_number__startswith="XSSOK").count() == len(PAYLOADS)
    problems += problems_of(
        ministry.get(reverse("unions:member-list") + "?q=XSSOK"), "the imported members"
    )
    assert not problems, "\n".join(problems)
