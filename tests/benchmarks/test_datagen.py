"""The benchmark's data generator at a tiny size: the counts asked for, rows every model rule and
service rule accepts, derived fields as ``save()`` makes them, and data the portal shows."""

import datetime
import re
from html import unescape

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.utils.html import strip_tags

from benchmarks import datagen
from benchmarks.datagen import TINY, generate
from news.models import Category, Post
from news.sanitize import clean_body
from portal.text import fold, nfc, slugify_vi
from unions.models import Branch, Dependant, Member, OfficerAssignment, normalize_card_number
from welfare.models import (
    AidProgram,
    AidRecord,
    Campaign,
    Contribution,
    SupportRequest,
)
from welfare.reports import review

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny(db):
    return generate(TINY)


def test_sizes_scale_down_to_a_tree_with_every_level():
    assert TINY.posts == 100 and TINY.members == 20 and TINY.aid_records == 200
    assert TINY.support_requests == 5 and TINY.campaigns == 1 and TINY.contributions == 20
    assert TINY.branches >= 6 and TINY.categories == 8
    assert datagen.FULL.posts == 100_000 and datagen.FULL.aid_records == 200_000


def test_it_makes_what_was_asked_for(tiny):
    assert Post.objects.published().count() == TINY.posts
    assert Category.objects.count() == TINY.categories
    assert Branch.objects.count() == TINY.branches
    # The generated members and the officer account's own record.
    assert Member.objects.count() == TINY.members + 1
    assert AidRecord.objects.count() == TINY.aid_records
    assert SupportRequest.objects.count() == TINY.support_requests
    assert Campaign.objects.count() == TINY.campaigns
    assert Contribution.objects.count() == TINY.contributions
    assert tiny.root_id == Branch.objects.get(parent__isnull=True).pk
    levels = set(Branch.objects.values_list("level", flat=True))
    assert levels == {"ministry", "grassroots", "division", "group"}
    kinds = set(AidProgram.objects.values_list("kind", flat=True))
    assert kinds == {kind for kind, _label in datagen.AidKind.choices}


def test_every_row_passes_model_validation(tiny):
    for model in (Branch, Member, Dependant, OfficerAssignment, Category, AidProgram, Campaign):
        for obj in model.objects.all():
            obj.full_clean()
    for model in (Post, AidRecord, SupportRequest, Contribution):
        for obj in model.objects.all():
            obj.full_clean()


def test_posts_hold_what_save_would_store(tiny):
    for post in Post.objects.all():
        assert post.title == nfc(post.title).strip() and post.lead == nfc(post.lead).strip()
        assert clean_body(post.body) == post.body  # already what the sanitiser keeps
        assert post.body_text == " ".join(
            unescape(strip_tags(post.body.replace("<", " <"))).split()
        )
        assert post.slug.startswith(slugify_vi(post.title, max_length=240)[:200])
        assert post.first_published_at == post.published_at
        assert post.published_at <= datetime.datetime.now(datetime.UTC)
        assert 2_700 <= len(post.body.encode()) <= 4_000
    if connection.vendor == "postgresql":
        assert not Post.objects.filter(search_vector__isnull=True).exists()


def test_a_post_saved_again_does_not_change(tiny):
    post = Post.objects.order_by("?").first()
    before = Post.objects.filter(pk=post.pk).values("title", "slug", "body", "body_text").get()
    post.save()
    after = Post.objects.filter(pk=post.pk).values("title", "slug", "body", "body_text").get()
    assert before == after


def test_members_hold_what_save_would_store(tiny):
    today = datetime.date.today()
    for member in Member.objects.all():
        assert member.card_number == normalize_card_number(member.card_number)
        assert member.search_name == fold(member.full_name)
        assert member.full_name == " ".join(nfc(member.full_name).split())
        assert member.email == member.email.lower()
        assert member.joined_on <= today and member.date_of_birth < member.joined_on
        if member.status != Member.Status.ACTIVE:
            assert member.status_changed_on and member.status_reason


def _active_on(member, day):
    return member.joined_on <= day and (
        member.status == Member.Status.ACTIVE or member.status_changed_on > day
    )


def test_aid_follows_the_services_rules(tiny):
    for record in AidRecord.objects.select_related("program", "member", "branch"):
        program = record.program
        assert program.starts_on <= record.date <= program.ends_on
        under = set(Branch.objects.subtree(program.branch).values_list("pk", flat=True))
        assert record.branch_id in under
        if record.member:
            assert record.member.branch_id == record.branch_id
            assert _active_on(record.member, record.date)
            if program.cap_per_person_vnd is not None:
                assert record.amount_vnd <= program.cap_per_person_vnd
        else:
            assert record.item and record.quantity
        if record.status == AidRecord.Status.CANCELLED:
            assert record.cancel_reason and record.cancelled_at
        if record.status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID):
            assert record.approved_at and record.approved_by_id
    live = (
        AidRecord.objects.exclude(status=AidRecord.Status.CANCELLED)
        .filter(member__isnull=False)
        .values("program", "member")
        .annotate(n=Count("id"), confirmed=Count("id", filter=Q(duplicate_confirmed=True)))
    )
    for row in live:
        assert row["confirmed"] == row["n"] - 1  # every record after the first is confirmed
    committed = (
        AidRecord.objects.counted()
        .values("program")
        .annotate(cash=Sum("amount_vnd"), goods=Sum("value_vnd"))
    )
    budgets = dict(AidProgram.objects.values_list("pk", "budget_vnd"))
    for row in committed:
        if budgets[row["program"]] is not None:
            assert row["cash"] + row["goods"] <= budgets[row["program"]]
    statuses = set(AidRecord.objects.values_list("status", flat=True))
    assert {"approved", "paid"} <= statuses


def test_requests_and_contributions_follow_their_rules(tiny):
    for request in SupportRequest.objects.select_related("aid_record", "member"):
        assert request.happened_on <= request.submitted_at.date()
        if request.status == SupportRequest.Status.APPROVED:
            assert request.aid_record.member_id == request.member_id
            assert request.aid_record.program.kind == request.kind
        if request.status == SupportRequest.Status.REJECTED:
            assert request.decision_reason
    for contribution in Contribution.objects.select_related("campaign", "member"):
        assert contribution.date >= contribution.campaign.starts_on
        if contribution.member:
            under = Member.objects.in_subtree(contribution.campaign.branch)
            assert under.filter(pk=contribution.member_id).exists()


def test_posts_are_listed_and_found_by_search(tiny, client):
    newest = Post.objects.published().order_by("-published_at").first()
    assert newest.get_absolute_url() in client.get("/tin-tuc/").content.decode()
    # The words of its title and the number in its lead, accent-free: the search vector the
    # database trigger made covers both.
    number = re.search(r"(\d+) đoàn viên", newest.lead).group(1)
    query = f"{fold(newest.title)} {number}"
    pages = []
    for page in range(1, TINY.posts // 20 + 2):
        found = client.get("/tim-kiem/", {"q": query, "page": page})
        if found.status_code == 404:
            break
        pages.append(found.content.decode())
    assert any(newest.get_absolute_url() in page for page in pages)
    other = client.get("/tim-kiem/", {"q": f"{fold(newest.title)} khongcotrongbai"})
    assert newest.get_absolute_url() not in other.content.decode()


def test_the_review_runs_on_it(tiny):
    root = Branch.objects.get(parent__isnull=True)
    year = datagen.REVIEW_YEAR
    figures = review(branch=root, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    expected = AidRecord.objects.counted().filter(date__year=year).count()
    assert figures["aid"]["records"] == expected > 0
    assert figures["members"]["total"] > 0
    assert figures["support_requests"]["submitted"] >= 0


def test_the_same_seed_gives_the_same_data(db):
    def snapshot():
        with transaction.atomic():
            generate(TINY)
            data = (
                list(Post.objects.order_by("published_at").values_list("title", "slug", "body")),
                list(Member.objects.order_by("card_number").values_list("full_name", "joined_on")),
                list(AidRecord.objects.order_by("date", "amount_vnd").values_list(
                    "date", "amount_vnd", "item", "status"
                )),
            )  # fmt: skip
            transaction.set_rollback(True)
        return data

    assert snapshot() == snapshot()


def test_a_second_call_adds_as_much_again(tiny):
    generate(TINY)
    assert Post.objects.count() == 2 * TINY.posts
    assert AidRecord.objects.count() == 2 * TINY.aid_records
    assert Member.objects.count() == 2 * TINY.members + 1
    assert Branch.objects.count() == TINY.branches  # the same tree
    assert Category.objects.count() == TINY.categories
    assert Post.objects.values("slug").distinct().count() == 2 * TINY.posts
