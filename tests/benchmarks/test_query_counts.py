"""Every public, member and officer page makes as many queries with twice the data.

The benchmark's generator builds a tiny portal, each page is asked for (the second request
counted: the first may fill caches), the generator adds as much data again under the same tree,
categories, programmes and campaigns, and each page is counted again.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from benchmarks import datagen
from benchmarks.datagen import TINY, generate
from news.models import Category, Post
from portal import roles
from tests.factories import UserFactory
from unions.models import Branch, Member
from welfare.models import AidProgram, Campaign, SupportRequest

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"
# Pages known to grow, each with its cause; remove a page from here once it is fixed (the test
# then fails until this list says the truth).
KNOWN_TO_GROW = {}


def _pages():
    """(name, who, path) of every page, on objects chosen once in the first data set."""
    root = Branch.objects.get(parent__isnull=True)
    category = Category.objects.annotate(n=Count("posts")).order_by("-n", "pk").first()
    post = Post.objects.published().order_by("published_at")[TINY.posts // 2]
    program = (
        AidProgram.objects.filter(starts_on__year=datagen.REVIEW_YEAR)
        .annotate(n=Count("records"))
        .order_by("-n", "pk")
        .first()
    )
    record = program.records.order_by("pk").first()
    campaign = Campaign.objects.public().order_by("pk").first()
    officer = get_user_model().objects.get(username=datagen.OFFICER_USERNAME)
    officer_member = officer.member
    support_request = SupportRequest.objects.order_by("pk").first()
    year = datagen.REVIEW_YEAR
    review = f"preset=year&year={year}&branch={root.pk}"
    return [
        ("home", "anonymous", "/"),
        ("news", "anonymous", "/tin-tuc/"),
        ("news page 2", "anonymous", "/tin-tuc/?page=2"),
        ("category", "anonymous", category.get_absolute_url()),
        ("post", "anonymous", post.get_absolute_url()),
        ("search", "anonymous", "/tim-kiem/?q=cong+doan"),
        ("search, one word", "anonymous", "/tim-kiem/?q=doan"),
        ("feed", "anonymous", "/tin-tuc/rss/"),
        ("category feed", "anonymous", f"{category.get_absolute_url()}rss/"),
        ("sitemap", "anonymous", "/sitemap.xml"),
        ("sitemap of posts", "anonymous", "/sitemap-posts.xml"),
        ("sitemap of categories", "anonymous", "/sitemap-categories.xml"),
        ("robots.txt", "anonymous", "/robots.txt"),
        ("campaigns", "anonymous", "/quyen-gop/"),
        ("campaign", "anonymous", f"/quyen-gop/{campaign.slug}/"),
        ("sign-in", "anonymous", "/tai-khoan/dang-nhap/"),
        ("health check", "anonymous", "/healthz"),
        ("password change", "member", "/tai-khoan/doi-mat-khau/"),
        ("account", "member", "/tai-khoan/"),
        ("member area", "member", "/doan-vien/"),
        ("member's contacts", "member", "/doan-vien/lien-he/"),
        ("member's requests", "member", "/doan-vien/de-nghi-ho-tro/"),
        ("member's request", "member", f"/doan-vien/de-nghi-ho-tro/{support_request.pk}/"),
        ("new request", "member", "/doan-vien/de-nghi-ho-tro/moi/"),
        ("officers' overview", "officer", "/can-bo/"),
        ("branches", "officer", "/can-bo/cong-doan/"),
        ("branch", "officer", f"/can-bo/cong-doan/{root.pk}/"),
        ("members", "officer", "/can-bo/doan-vien/"),
        ("members, searched", "officer", "/can-bo/doan-vien/?q=nguyen&sort=-joined"),
        ("member", "officer", f"/can-bo/doan-vien/{officer_member.pk}/"),
        ("member form", "officer", f"/can-bo/doan-vien/{officer_member.pk}/sua/"),
        ("transfer form", "officer", f"/can-bo/doan-vien/{officer_member.pk}/chuyen/"),
        ("status form", "officer", f"/can-bo/doan-vien/{officer_member.pk}/trang-thai/"),
        ("new member", "officer", "/can-bo/doan-vien/them/"),
        ("programmes", "officer", "/can-bo/ho-tro/"),
        ("new programme", "officer", "/can-bo/ho-tro/them/"),
        ("programme form", "officer", f"/can-bo/ho-tro/{program.pk}/sua/"),
        ("programme (aid records)", "officer", f"/can-bo/ho-tro/{program.pk}/"),
        ("programme, paid", "officer", f"/can-bo/ho-tro/{program.pk}/?status=paid"),
        ("aid record", "officer", f"/can-bo/ho-tro/{program.pk}/ban-ghi/{record.pk}/"),
        ("cancel form", "officer", f"/can-bo/ho-tro/{program.pk}/ban-ghi/{record.pk}/huy/"),
        ("record form", "officer", f"/can-bo/ho-tro/{program.pk}/ghi-nhan/"),
        ("bulk form", "officer", f"/can-bo/ho-tro/{program.pk}/ghi-nhan-hang-loat/"),
        ("signature list", "officer", f"/can-bo/ho-tro/{program.pk}/ky-nhan/"),
        ("programme history", "officer", f"/can-bo/ho-tro/{program.pk}/lich-su/"),
        ("request queue", "officer", "/can-bo/de-nghi/"),
        ("request queue, all", "officer", "/can-bo/de-nghi/?status=all"),
        ("request", "officer", f"/can-bo/de-nghi/{support_request.pk}/"),
        ("campaigns (officer)", "officer", "/can-bo/quyen-gop/"),
        ("campaign (officer)", "officer", f"/can-bo/quyen-gop/{campaign.pk}/"),
        ("new campaign", "officer", "/can-bo/quyen-gop/them/"),
        ("campaign form", "officer", f"/can-bo/quyen-gop/{campaign.pk}/sua/"),
        ("campaign history", "officer", f"/can-bo/quyen-gop/{campaign.pk}/lich-su/"),
        ("review", "officer", f"/can-bo/bao-cao/?{review}"),
        ("printable review", "officer", f"/can-bo/bao-cao/ban-in/?{review}"),
        ("imports", "officer", "/can-bo/nhap-du-lieu/"),
    ], support_request.member


def _count(client, path):
    client.get(path)  # fills the caches a page may use
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(context.captured_queries)


def _counts(pages, clients):
    return {name: _count(clients[who], path) for name, who, path in pages}


def test_no_page_makes_more_queries_with_twice_the_data(client, django_user_model, settings):
    from django.test import Client

    # The views' own queries are counted: no anonymous page from the page cache (news/cache.py).
    settings.PAGE_CACHE_SECONDS = 0

    generate(TINY)
    pages, requester = _pages()
    member_user = UserFactory(username="doanvien_bench", roles=[roles.MEMBER])
    Member.objects.filter(pk=requester.pk).update(user=member_user, status="active")
    officer = django_user_model.objects.get(username=datagen.OFFICER_USERNAME)
    clients = {"anonymous": Client(), "member": Client(), "officer": Client()}
    clients["member"].force_login(member_user, backend=BACKEND)
    clients["officer"].force_login(officer, backend=BACKEND)
    # Pages that show today's date or "open for more than 7 days" must not depend on it here.
    assert datetime.date.today().year > datagen.REVIEW_YEAR

    small = _counts(pages, clients)
    generate(TINY)
    assert Post.objects.count() == 2 * TINY.posts
    large = _counts(pages, clients)

    grown = {name: (small[name], large[name]) for name in small if large[name] != small[name]}
    assert set(grown) == set(KNOWN_TO_GROW), f"queries (tiny, twice tiny) of the pages: {grown}"
