"""Access, proved for every address: a walk of the whole URLconf (the admin included).

Every route that takes a parameter (an id, a slug, a token) must have an entry in ``ROUTES`` (or,
for the admin's per-model pages, in ``ADMIN_MODELS``): how to build an object that branch A (or
the member persona) owns, with a distinctive text in it, and what each persona of the roles table
(DESIGN.md) gets. Each persona then asks for it, for an object of A and for one of B (the answers
for B are those for A with the two sides swapped): allowed is 200 (or the documented redirect),
not allowed is 404, 403 or a redirect to sign in, and never the object's distinctive text. A
refused POST changes nothing. A new route missing from the tables fails
``test_every_route_with_a_parameter_is_in_the_table``, naming it.

Routes without a parameter that show people's data (lists, exports, the admin's change lists) are
in ``LISTS``: each persona sees exactly the rows of their scope (an officer of A never reads a
name of B's), and every other parameterless route is named in ``NO_PERSONAL_DATA``, so a new list
cannot be added unseen either.
"""

import datetime
import itertools
import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from audit.models import AccessEvent
from portal.templatetags.portal_tags import format_vnd
from tests.factories import (
    BranchFactory,
    CampaignFactory,
    CategoryFactory,
    MemberFactory,
    PostFactory,
    ProgramFactory,
    UserFactory,
)
from tests.security.conftest import CORE_PERSONAS, is_login_redirect, text_of
from unions.invitations import invitation_token_generator
from unions.models import Member, OfficerAssignment, Transfer
from welfare.models import (
    AidReceipt,
    AidRecord,
    Contribution,
    RequestAttachment,
    SupportRequest,
)

pytestmark = pytest.mark.django_db

# Outcomes -----------------------------------------------------------------------------------

OK = "200"
REDIRECT = "redirect"  # 301/302/303 somewhere other than a sign-in page
LOGIN = "sign-in"  # 302 to the portal's or the admin's sign-in page
NOT_FOUND = "404"
FORBIDDEN = "403"
ADMIN_MISSING = "admin: no such object"  # the admin's "does not exist" redirect to its index
DENIED = {LOGIN, NOT_FOUND, FORBIDDEN, ADMIN_MISSING}

SWAP = {
    "officer_a": "officer_b",
    "officer_b": "officer_a",
    "admin_officer_a": "admin_officer_b",
    "admin_officer_b": "admin_officer_a",
}

_serial = itertools.count(1)


def unique(text):
    """A distinctive text: a Vietnamese phrase with a serial, never found by chance."""
    return f"{text} Mật{next(_serial):04d}"


# The world the objects are built in ---------------------------------------------------------


@dataclass
class World:
    tree: type
    users: dict
    clients: dict

    def branch(self, side):
        return self.tree.a if side == "a" else self.tree.b

    def group(self, side):
        return self.tree.a_group if side == "a" else self.tree.b

    def owner(self, side):
        """The member who owns member-side objects: the ``member`` persona for A."""
        return (self.users["member"] if side == "a" else self.users["member_b"]).member

    def officer(self, side):
        return self.users["officer_a" if side == "a" else "officer_b"]


@dataclass
class Target:
    """What a persona asks for: the address, the text that must not leak, and for a POST the
    data and the state that a refused POST must leave as it was."""

    url: str
    secret: str | None = None
    data: dict | None = None
    state: object = None  # a callable: its value must be the same after a refused POST
    never: tuple = ()  # texts that nobody may read, even when allowed


def state_of(obj):
    """The stored row of ``obj`` (None once deleted), to compare before and after a POST."""

    def read():
        current = type(obj).objects.filter(pk=obj.pk).first()
        return None if current is None else model_to_dict(current)

    return read


# Builders -----------------------------------------------------------------------------------

DAY = datetime.date(2020, 4, 10)
PDF = b"%PDF-1.4\n%% "


def a_branch(w, side):
    return BranchFactory(
        code=f"SEC-{side.upper()}-{next(_serial)}",
        name=unique("Tổ công đoàn"),
        level="group",
        parent=w.branch(side),
    )


def a_member(w, side, **values):
    values.setdefault("full_name", unique("Phạm Thị Bảo"))
    values.setdefault("national_id", "001185012345")
    return MemberFactory(branch=w.group(side), **values)


def a_program(w, side):
    return ProgramFactory(branch=w.branch(side), name=unique("Chương trình thăm hỏi"))


def a_record(w, side, status=AidRecord.Status.PROPOSED):
    member = a_member(w, side)
    program = a_program(w, side)
    record = AidRecord.objects.create(
        program=program,
        member=member,
        branch=member.branch,
        date=DAY,
        amount_vnd=1_000_000,
        status=status,
        note=unique("Ghi chú"),
    )
    return record


def a_request(w, side, **values):
    values.setdefault("status", SupportRequest.Status.SUBMITTED)
    return SupportRequest.objects.create(
        member=w.owner(side),
        kind="sickness",
        description=unique("Điều trị tại bệnh viện"),
        happened_on=DAY,
        consent_given_at=timezone.now(),
        **values,
    )


def a_campaign(w, side, **values):
    values.setdefault("is_public", False)
    return CampaignFactory(branch=w.branch(side), name=unique("Cuộc vận động"), **values)


def program_url(name, w, side):
    program = a_program(w, side)
    return Target(reverse(name, kwargs={"pk": program.pk}), program.name)


def record_url(name, method="get", status=AidRecord.Status.PROPOSED):
    def build(w, side):
        record = a_record(w, side, status)
        url = reverse(name, kwargs={"pk": record.program_id, "record_pk": record.pk})
        return Target(
            url,
            record.member.full_name,
            data={} if method == "post" else None,
            state=state_of(record),
        )

    return build


def member_url(name, method="get"):
    def build(w, side):
        member = a_member(w, side, email="")
        return Target(
            reverse(name, kwargs={"pk": member.pk}),
            member.full_name,
            data={} if method == "post" else None,
            state=state_of(member),
        )

    return build


def request_url(name, method="get", **values):
    def build(w, side):
        support_request = a_request(w, side, **values)
        return Target(
            reverse(name, kwargs={"pk": support_request.pk}),
            support_request.description,
            data={} if method == "post" else None,
            state=state_of(support_request),
        )

    return build


def campaign_url(name, method="get"):
    def build(w, side):
        campaign = a_campaign(w, side)
        return Target(
            reverse(name, kwargs={"pk": campaign.pk}),
            campaign.name,
            data={} if method == "post" else None,
            state=lambda: Contribution.objects.filter(campaign=campaign).count(),
        )

    return build


def build_receipt(w, side):
    record = a_record(w, side)
    secret = unique("Biên nhận")
    receipt = AidReceipt(
        record=record, original_name="bien-nhan.pdf", content_type="application/pdf", size=40
    )
    receipt.file.save("bien-nhan.pdf", ContentFile(PDF + secret.encode()), save=False)
    receipt.save()
    return Target(reverse("aid:receipt", kwargs={"receipt_pk": receipt.pk}), secret)


def build_attachment(w, side):
    support_request = a_request(w, side)
    secret = unique("Giấy ra viện")
    document = RequestAttachment(
        request=support_request,
        original_name="giay-ra-vien.pdf",
        content_type="application/pdf",
        size=40,
    )
    document.file.save("giay.pdf", ContentFile(PDF + secret.encode()), save=False)
    document.save()
    return Target(reverse("requests:attachment", kwargs={"pk": document.pk}), secret)


def members_csv(w, side, *, bad_cell=None):
    name = unique("Đinh Văn Nhập")
    birth = bad_cell or "17/05/1985"
    content = (
        "card_number,full_name,gender,date_of_birth,branch_code,category\n"
        f"NH{next(_serial):06d},{name},Nam,{birth},{w.group(side).code},Công chức\n"
    ).encode()
    return name if bad_cell is None else bad_cell, content


def import_url(name, method="get", *, bad=False, shown=True):
    """An import waiting in the uploading officer's session (officer_a for side A)."""

    def build(w, side):
        secret, content = members_csv(w, side, bad_cell=unique("ngày sai") if bad else None)
        uploader = w.clients["officer_a" if side == "a" else "officer_b"]
        response = uploader.post(
            reverse("unions-import:start"),
            {"kind": "members", "file": SimpleUploadedFile("doan-vien.csv", content)},
        )
        assert response.status_code == 302, "the upload itself must work"
        token = response["Location"].rstrip("/").split("/")[-1]
        return Target(
            reverse(name, kwargs={"token": token}),
            secret if shown else None,
            data={} if method == "post" else None,
            state=lambda: Member.objects.count(),
            never=() if shown else (secret,),
        )

    return build


def build_invite_branch(w, side):
    branch = a_branch(w, side)
    MemberFactory(branch=branch, full_name=unique("Hồ Văn Mời"), email="")
    return Target(
        reverse("members:invite-branch", kwargs={"pk": branch.pk}),
        branch.name,
        data={},
        state=lambda: Member.objects.filter(branch=branch, user__isnull=False).count(),
    )


def build_post(status, **values):
    def build(w, side):
        values["status"] = status
        if status in ("draft", "review", "unpublished"):
            values.update(published_at=None, first_published_at=None)
        elif status == "scheduled":
            later = timezone.now() + datetime.timedelta(days=3)
            values.update(status="published", published_at=later, first_published_at=None)
        return PostFactory(title=unique("Tin công đoàn"), **values)

    return build


def news_detail(status):
    def build(w, side):
        post = build_post(status)(w, side)
        return Target(reverse("news:detail", kwargs={"slug": post.slug}), post.title)

    return build


def news_preview(w, side):
    post = build_post("draft")(w, side)
    return Target(reverse("news:preview", kwargs={"pk": post.pk}), post.title)


def news_category(name):
    def build(w, side):
        category = CategoryFactory(name=unique("Chuyên mục"))
        draft = build_post("draft", category=category)(w, side)
        PostFactory(category=category, title=unique("Tin đã đăng"))
        return Target(
            reverse(name, kwargs={"slug": category.slug}), category.name, never=(draft.title,)
        )

    return build


def public_campaign(is_public):
    def build(w, side):
        campaign = a_campaign(w, side, is_public=is_public)
        donor = a_member(w, side)
        for amount in (2_345_678, 1_111_111):  # the branch's total is shown, not each gift
            Contribution.objects.create(
                campaign=campaign,
                direction="in",
                date=DAY,
                member=donor,
                branch=donor.branch,
                amount_vnd=amount,
            )
        Contribution.objects.create(
            campaign=campaign, direction="in", date=DAY, party=unique("Công ty"), amount_vnd=1
        )
        return Target(
            reverse("campaigns:public", kwargs={"slug": campaign.slug}),
            campaign.name,
            never=(donor.full_name, "2.345.678"),
        )

    return build


def sitemap_posts(w, side):
    draft = build_post("draft")(w, side)
    post = PostFactory(title=unique("Tin trong sơ đồ"))
    return Target(
        reverse("sitemap-section", kwargs={"section": "posts"}), post.slug, never=(draft.slug,)
    )


def link_user(w, side):
    """Someone with a pending link: not a persona, so no header shows their name."""
    user = UserFactory(username=f"nhanlink{next(_serial)}")
    MemberFactory(user=user, branch=w.group(side), full_name=unique("Lương Thị Liên"))
    return user


def activation(valid):
    def build(w, side):
        user = link_user(w, side)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = invitation_token_generator.make_token(user) if valid else "bad-token"
        return Target(
            reverse("members:activate", kwargs={"uidb64": uid, "token": token}),
            never=(user.email, user.member.full_name, user.member.card_number),
        )

    return build


def password_reset(valid):
    def build(w, side):
        user = link_user(w, side)
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user) if valid else "bad-token"
        return Target(
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
            never=(user.email, user.member.full_name, user.member.card_number),
        )

    return build


def view_on_site(w, side):
    member = a_member(w, side)
    content_type = ContentType.objects.get_for_model(Member)
    return Target(
        reverse("admin:view_on_site", args=[content_type.pk, member.pk]), member.full_name
    )


def user_password(w, side):
    user = w.users["member"] if side == "a" else w.users["member_b"]
    return Target(reverse("admin:auth_user_password_change", args=[user.pk]), user.username)


# Expectations -------------------------------------------------------------------------------


def everyone(outcome):
    return dict.fromkeys((*CORE_PERSONAS, "chief_editor", "outsider"), outcome)


def scoped(allowed=OK):
    """Officers whose scope holds the owning branch (A, or the root); 404 for everyone else."""
    return {
        **everyone(NOT_FOUND),
        "anonymous": LOGIN,
        "officer_a": allowed,
        "ministry": allowed,
        "admin_officer_a": allowed,
        "admin_officer_b": NOT_FOUND,
    }


def own(allowed=OK, officers=NOT_FOUND, anonymous=LOGIN):
    """The member who owns it; officers in scope only when ``officers`` says so."""
    return {
        **everyone(NOT_FOUND),
        "anonymous": anonymous,
        "member": allowed,
        "officer_a": officers,
        "ministry": officers,
    }


def uploader_only(allowed=OK):
    """An import waits in the session of the officer who uploaded it, and nobody else's."""
    return {
        **everyone(NOT_FOUND),
        "anonymous": LOGIN,
        "officer_a": allowed,
        "admin_officer_a": NOT_FOUND,
        "admin_officer_b": NOT_FOUND,
    }


@dataclass
class Case:
    build: object
    expect: dict
    method: str = "get"
    sides: tuple = ("a", "b")
    label: str = ""


def route(*cases):
    return list(cases)


OFFICER_TEMPLATE = {
    **everyone(NOT_FOUND),
    "anonymous": LOGIN,
    "officer_a": OK,
    "officer_b": OK,
    "ministry": OK,
    "admin_officer_a": OK,
    "admin_officer_b": OK,
}

ROUTES = {
    # news: public by status, preview for editors
    "news:category": route(Case(news_category("news:category"), everyone(OK), sides=("a",))),
    "news:category-feed": route(
        Case(news_category("news:category-feed"), everyone(OK), sides=("a",))
    ),
    "news:detail": route(
        Case(news_detail("published"), everyone(OK), sides=("a",), label="published"),
        Case(news_detail("draft"), everyone(NOT_FOUND), sides=("a",), label="draft"),
        Case(news_detail("scheduled"), everyone(NOT_FOUND), sides=("a",), label="scheduled"),
        Case(news_detail("review"), everyone(NOT_FOUND), sides=("a",), label="in review"),
    ),
    "news:preview": route(
        Case(
            news_preview,
            {
                **everyone(NOT_FOUND),
                "anonymous": LOGIN,
                "editor": OK,
                "chief_editor": OK,
                "admin_officer_a": NOT_FOUND,
            },
            sides=("a",),
        )
    ),
    "sitemap-section": route(Case(sitemap_posts, everyone(OK), sides=("a",))),
    "switch_language": route(
        Case(
            lambda w, side: Target(reverse("switch_language", kwargs={"code": "en"})),
            everyone(REDIRECT),
            sides=("a",),
        )
    ),
    # unions: branches and members, officers in scope only
    "unions:branch-detail": route(
        Case(
            lambda w, side: (
                lambda b: Target(reverse("unions:branch-detail", kwargs={"pk": b.pk}), b.name)
            )(a_branch(w, side)),
            scoped(),
        )
    ),
    "unions:member-detail": route(Case(member_url("unions:member-detail"), scoped())),
    "unions:member-edit": route(Case(member_url("unions:member-edit"), scoped())),
    "unions:member-transfer": route(Case(member_url("unions:member-transfer"), scoped())),
    "unions:member-status": route(Case(member_url("unions:member-status"), scoped())),
    "members:invite-member": route(
        Case(member_url("members:invite-member", "post"), scoped(REDIRECT), method="post")
    ),
    "members:invite-branch": route(
        Case(build_invite_branch, scoped(REDIRECT), method="post"),
    ),
    "members:activate": route(
        Case(activation(False), everyone(OK), label="a wrong token"),
        Case(activation(True), everyone(REDIRECT), label="the link's token"),
    ),
    "accounts:password_reset_confirm": route(
        Case(password_reset(False), everyone(OK), label="a wrong token"),
        Case(password_reset(True), everyone(REDIRECT), label="the link's token"),
    ),
    # imports: templates by level, a waiting file only in its officer's session
    "unions-import:template": route(
        Case(
            lambda w, side: Target(reverse("unions-import:template", kwargs={"kind": "members"})),
            OFFICER_TEMPLATE,
            sides=("a",),
            label="members",
        ),
        Case(
            lambda w, side: Target(reverse("unions-import:template", kwargs={"kind": "branches"})),
            {**everyone(NOT_FOUND), "anonymous": LOGIN, "ministry": OK},
            sides=("a",),
            label="branches",
        ),
    ),
    # The preview shows counts and errors, never the rows themselves.
    "unions-import:preview": route(
        Case(import_url("unions-import:preview", shown=False), uploader_only())
    ),
    "unions-import:errors": route(
        Case(import_url("unions-import:errors", bad=True), uploader_only())
    ),
    "unions-import:confirm": route(
        Case(import_url("unions-import:confirm", "post"), uploader_only(REDIRECT), method="post")
    ),
    "unions-import:cancel": route(
        Case(import_url("unions-import:cancel", "post"), uploader_only(REDIRECT), method="post")
    ),
    # aid
    "aid:program": route(Case(lambda w, s: program_url("aid:program", w, s), scoped())),
    "aid:program-edit": route(Case(lambda w, s: program_url("aid:program-edit", w, s), scoped())),
    "aid:record-create": route(Case(lambda w, s: program_url("aid:record-create", w, s), scoped())),
    "aid:bulk": route(Case(lambda w, s: program_url("aid:bulk", w, s), scoped())),
    "aid:signatures": route(Case(lambda w, s: program_url("aid:signatures", w, s), scoped())),
    "aid:program-history": route(
        Case(lambda w, s: program_url("aid:program-history", w, s), scoped())
    ),
    "aid:record": route(Case(record_url("aid:record"), scoped())),
    "aid:record-cancel": route(Case(record_url("aid:record-cancel"), scoped())),
    "aid:receipt-upload": route(
        Case(record_url("aid:receipt-upload", "post"), scoped(OK), method="post")
    ),
    "aid:record-approve": route(
        Case(record_url("aid:record-approve", "post"), scoped(REDIRECT), method="post")
    ),
    "aid:record-pay": route(
        Case(
            record_url("aid:record-pay", "post", status=AidRecord.Status.APPROVED),
            scoped(REDIRECT),
            method="post",
        )
    ),
    "aid:record-delete": route(
        Case(record_url("aid:record-delete", "post"), scoped(REDIRECT), method="post")
    ),
    "aid:receipt": route(Case(build_receipt, scoped())),
    # support requests: the member's own pages, the officers' review
    "requests:mine-detail": route(Case(request_url("requests:mine-detail"), own())),
    "requests:withdraw": route(
        Case(request_url("requests:withdraw", "post"), own(REDIRECT), method="post")
    ),
    "requests:attachment": route(Case(build_attachment, own(OK, officers=OK))),
    "requests:review": route(Case(request_url("requests:review"), scoped())),
    "requests:start-review": route(
        Case(request_url("requests:start-review", "post"), scoped(REDIRECT), method="post")
    ),
    # An empty decision is refused on the review page (200, the form's errors), never a 500.
    "requests:approve": route(
        Case(request_url("requests:approve", "post"), scoped(OK), method="post")
    ),
    "requests:reject": route(
        Case(request_url("requests:reject", "post"), scoped(OK), method="post")
    ),
    # campaigns: officers in scope; the public page of a public campaign, totals only
    "campaigns:detail": route(Case(campaign_url("campaigns:detail"), scoped())),
    "campaigns:edit": route(Case(campaign_url("campaigns:edit"), scoped())),
    "campaigns:history": route(Case(campaign_url("campaigns:history"), scoped())),
    "campaigns:add-in": route(
        Case(campaign_url("campaigns:add-in", "post"), scoped(OK), method="post")
    ),
    "campaigns:add-out": route(
        Case(campaign_url("campaigns:add-out", "post"), scoped(OK), method="post")
    ),
    "campaigns:public": route(
        Case(public_campaign(True), everyone(OK), label="public"),
        Case(public_campaign(False), everyone(NOT_FOUND), label="not public"),
    ),
    # the admin's own routes with a parameter
    "admin:view_on_site": route(
        Case(
            view_on_site,
            {
                **everyone(LOGIN),
                "editor": REDIRECT,
                "chief_editor": REDIRECT,
                "admin_officer_a": REDIRECT,
                "admin_officer_b": REDIRECT,
                "superuser": REDIRECT,
            },
        )
    ),
    "admin:app_list": route(
        Case(
            lambda w, side: Target(reverse("admin:app_list", kwargs={"app_label": "unions"})),
            {
                **everyone(LOGIN),
                "editor": NOT_FOUND,
                "chief_editor": NOT_FOUND,
                "admin_officer_a": OK,
                "admin_officer_b": OK,
                "superuser": OK,
            },
            sides=("a",),
        )
    ),
    "admin:auth_user_password_change": route(
        Case(
            user_password,
            {
                **everyone(LOGIN),
                "editor": FORBIDDEN,
                "chief_editor": FORBIDDEN,
                "admin_officer_a": FORBIDDEN,
                "admin_officer_b": FORBIDDEN,
                "superuser": OK,
            },
        )
    ),
    # The admin's catch-all: nothing to probe there, signed in or not.
    "pattern:admin/(?P<url>.*)$": route(
        Case(
            lambda w, side: Target(f"{reverse('admin:index')}khong-co/{a_member(w, side).pk}/"),
            {
                **everyone(LOGIN),
                "editor": NOT_FOUND,
                "chief_editor": NOT_FOUND,
                "admin_officer_a": NOT_FOUND,
                "admin_officer_b": NOT_FOUND,
                "superuser": NOT_FOUND,
            },
        )
    ),
}


# The admin's pages of each model ------------------------------------------------------------
# Each builder returns an object of the side; the admin's pages name it by ``str(obj)``, which is
# distinctive for every object built here.


def admin_member(w, side):
    return a_member(w, side)


def admin_assignment(w, side):
    return OfficerAssignment.objects.create(
        member=a_member(w, side), branch=w.group(side), position="executive", start_on=DAY
    )


def admin_transfer(w, side):
    member = a_member(w, side)
    return Transfer.objects.create(
        member=member, from_branch=w.branch(side), to_branch=member.branch, date=DAY
    )


def admin_contribution(w, side):
    campaign = a_campaign(w, side)
    return Contribution.objects.create(
        campaign=campaign, direction="in", date=DAY, party=unique("Công ty"), amount_vnd=5_000_000
    )


def admin_site_settings(w, side):
    from portal.models import SiteSettings

    return SiteSettings.get_solo()


def admin_user(w, side):
    return link_user(w, side)


def admin_group(w, side):
    from django.contrib.auth.models import Group

    return Group.objects.create(name=unique("Nhóm"))


def admin_axes(model_name):
    def build(w, side):
        from django.apps import apps

        model = apps.get_model("axes", model_name)
        values = {
            "username": f"dangnhap{next(_serial)}",
            "ip_address": "10.0.0.1",
            "user_agent": "test",
            "http_accept": "*/*",
            "path_info": "/tai-khoan/dang-nhap/",
            "get_data": "",
            "post_data": "",
            "failures_since_start": 1,
            "attempt_time": timezone.now(),
        }
        names = {f.name for f in model._meta.get_fields()}
        return model.objects.create(**{k: v for k, v in values.items() if k in names})

    return build


def otp_device(kind):
    def build(w, side):
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        model = TOTPDevice if kind == "totp" else StaticDevice
        return model.objects.create(user=link_user(w, side), name=unique("Thiết bị"))

    return build


def totp_page(name):
    """The admin's page of a TOTP device's key (``config``) or its QR code: the secret that
    signs a person in. Superusers only, or nobody with ``OTP_ADMIN_HIDE_SENSITIVE_DATA``."""

    def build(w, side):
        device = otp_device("totp")(w, side)
        secret = re.search(r"secret=([A-Z2-7]+)", device.config_url)[1]
        return Target(reverse(name, kwargs={"pk": device.pk}), secret)

    return build


def superuser_sees_secrets():
    from django.conf import settings

    hidden = getattr(settings, "OTP_ADMIN_HIDE_SENSITIVE_DATA", False)
    return {
        **everyone(LOGIN),
        **dict.fromkeys(STAFF, FORBIDDEN),
        "superuser": FORBIDDEN if hidden else OK,
    }


def admin_access_event(w, side):
    from audit.models import AccessEvent

    return AccessEvent.objects.create(
        username=f"canbo{next(_serial)}",
        action=AccessEvent.Action.VIEW_MEMBER,
        target=unique("Đoàn viên"),
        path="/can-bo/doan-vien/1/",
    )


def scoped_admin():
    """Unions and welfare models: only the staff officers whose scope holds the object; an
    object outside the scope is missing from every page (history included)."""
    refused = {**everyone(LOGIN), "editor": FORBIDDEN, "chief_editor": FORBIDDEN}
    return {
        "change": {
            **refused,
            "admin_officer_a": OK,
            "admin_officer_b": ADMIN_MISSING,
            "superuser": OK,
        },
        "history": {
            **refused,
            "editor": NOT_FOUND,
            "chief_editor": NOT_FOUND,
            "admin_officer_a": OK,
            "admin_officer_b": NOT_FOUND,
            "superuser": OK,
        },
        # No delete permission for the staff officers: refused before the object is looked up.
        "delete": {
            **refused,
            "admin_officer_a": FORBIDDEN,
            "admin_officer_b": FORBIDDEN,
            "superuser": OK,
        },
    }


def staff_admin(change_by, delete_by):
    """News, site settings, accounts: by the roles' permissions, nothing to do with scope."""

    def by(allowed):
        return {
            **everyone(LOGIN),
            **{p: OK if p in allowed or p == "superuser" else FORBIDDEN for p in STAFF},
        }

    return {"change": by(change_by), "history": by(change_by), "delete": by(delete_by)}


STAFF = ("editor", "chief_editor", "admin_officer_a", "admin_officer_b", "superuser")
SUPERUSER_ONLY = staff_admin((), ())
NEWS_ROLES = staff_admin(("editor", "chief_editor"), ("chief_editor",))

ADMIN_MODELS = {
    # model: (builder, expectations, whether its pages show the object's name)
    "unions.branch": (a_branch, scoped_admin(), True),
    "unions.member": (admin_member, scoped_admin(), True),
    "unions.officerassignment": (admin_assignment, scoped_admin(), True),
    "unions.transfer": (admin_transfer, scoped_admin(), True),
    "welfare.aidprogram": (a_program, scoped_admin(), True),
    "welfare.aidrecord": (a_record, scoped_admin(), True),
    "welfare.supportrequest": (a_request, scoped_admin(), True),
    "welfare.campaign": (a_campaign, scoped_admin(), True),
    "welfare.contribution": (admin_contribution, scoped_admin(), True),
    "news.post": (build_post("draft"), NEWS_ROLES, True),
    "news.category": (lambda w, side: CategoryFactory(name=unique("Chuyên mục")), NEWS_ROLES, True),
    # The settings are the public footer's: nothing to hide, only who may change them.
    "portal.sitesettings": (
        admin_site_settings,
        {
            **staff_admin(("editor", "chief_editor"), ()),
            "delete": {**everyone(LOGIN), **dict.fromkeys(STAFF, FORBIDDEN)},
        },
        False,
    ),
    "auth.user": (admin_user, SUPERUSER_ONLY, True),
    "auth.group": (admin_group, SUPERUSER_ONLY, True),
    "axes.accessattempt": (admin_axes("AccessAttempt"), SUPERUSER_ONLY, True),
    "axes.accesslog": (admin_axes("AccessLog"), SUPERUSER_ONLY, True),
    "axes.accessfailurelog": (admin_axes("AccessFailureLog"), SUPERUSER_ONLY, True),
    "otp_totp.totpdevice": (otp_device("totp"), SUPERUSER_ONLY, True),
    "otp_static.staticdevice": (otp_device("static"), SUPERUSER_ONLY, True),
    # The access log: read by superusers, changed or removed by nobody.
    "audit.accessevent": (
        admin_access_event,
        {**SUPERUSER_ONLY, "delete": {**everyone(LOGIN), **dict.fromkeys(STAFF, FORBIDDEN)}},
        True,
    ),
}
ADMIN_VIEWS = ("change", "history", "delete", "simple_history", "object")


def admin_routes():
    """Table entries for the admin's per-model routes, derived from ``ADMIN_MODELS``."""
    entries = {}
    for label, (build, expect, named) in ADMIN_MODELS.items():
        app_label, model_name = label.split(".")
        prefix = f"admin:{app_label}_{model_name}"
        sides = ("a", "b") if app_label in ("unions", "welfare") else ("a",)
        for view in ADMIN_VIEWS:
            entries[f"{prefix}_{view}"] = [
                Case(
                    _admin_build(build, prefix, view, named),
                    _admin_expect(expect, view),
                    sides=sides,
                )
            ]
    return entries


def _admin_build(build, prefix, view, named):
    def make(w, side):
        obj = build(w, side)
        if view == "simple_history":
            history_id = obj.history.latest().history_id
            url = reverse(f"{prefix}_simple_history", args=[obj.pk, history_id])
        elif view == "object":
            url = reverse(f"{prefix}_change", args=[obj.pk]).removesuffix("change/")
        else:
            url = reverse(f"{prefix}_{view}", args=[obj.pk])
        return Target(url, str(obj) if named else None)

    return make


def _admin_expect(expect, view):
    if view == "object":
        # The bare object address only redirects staff to the change page (which decides).
        return {p: LOGIN if o == LOGIN else REDIRECT for p, o in expect["change"].items()}
    # Non-staff are all turned away by the admin's one gate: asked once, on the change page.
    chosen = expect["history" if view == "simple_history" else view]
    if view == "change":
        return chosen
    return {p: o for p, o in chosen.items() if p in STAFF or p == "anonymous"}


ALL_ROUTES = {
    **ROUTES,
    **admin_routes(),
    # django-otp's own admin pages of a TOTP device (its key, its QR code)
    "admin:otp_totp_totpdevice_config": route(
        Case(totp_page("admin:otp_totp_totpdevice_config"), superuser_sees_secrets())
    ),
    "admin:otp_totp_totpdevice_qrcode": route(
        Case(
            lambda w, side: Target(
                reverse(
                    "admin:otp_totp_totpdevice_qrcode",
                    kwargs={"pk": otp_device("totp")(w, side).pk},
                )
            ),
            superuser_sees_secrets(),
        )
    ),
}


# The walk -----------------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _takes_parameters(route_text):
    """Whether a route has a converter (``<int:pk>``) or a regex group."""
    return bool(re.search(r"<[^>]+>|\((?!\?:)", route_text))


def url_routes():
    """``(key, route)`` of every route of the URLconf; the key is the route's name with its
    namespace, or ``pattern:<route>`` for an unnamed one."""
    routes = []
    for route_text, namespace, pattern in _walk(get_resolver().url_patterns):
        name = pattern.name or ""
        qualified = f"{namespace}:{name}" if namespace else name
        routes.append((qualified if name else f"pattern:{route_text}", route_text))
    return routes


def _admin_key(key, route_text):
    """The admin's unnamed ``<object_id>/`` redirect is filed under its model's ``_object``."""
    match = re.fullmatch(r"admin/(\w+)/(\w+)/<path:object_id>/", route_text)
    if key.startswith("pattern:") and match:
        return f"admin:{match[1]}_{match[2]}_object"
    return key


def routes_with_parameters():
    found = {}
    for key, route_text in url_routes():
        if _takes_parameters(route_text):
            found.setdefault(_admin_key(key, route_text), route_text)
    return found


def test_every_route_with_a_parameter_is_in_the_table():
    missing = sorted(
        f"{key} ({route_text})"
        for key, route_text in routes_with_parameters().items()
        if key not in ALL_ROUTES
    )
    assert not missing, (
        "These routes take an id, a slug or a token but the access walk does not know them. "
        "Add each to ROUTES (or its model to ADMIN_MODELS) in tests/security/test_access_walk.py "
        "with who may see it: " + "; ".join(missing)
    )


def test_every_model_in_the_admin_is_in_the_table():
    missing = sorted(
        f"{m._meta.app_label}.{m._meta.model_name}"
        for m in admin.site._registry
        if f"{m._meta.app_label}.{m._meta.model_name}" not in ADMIN_MODELS
    )
    assert not missing, f"Add these admin models to ADMIN_MODELS: {missing}"


AREAS = {
    # area: key prefixes; the walk runs one test per area (each failure names its route)
    "news and public pages": ("news:", "sitemap", "switch_language", "campaigns:public"),
    "accounts and invitations": ("accounts:", "members:activate"),
    "branches and members": ("unions:", "members:"),
    "imports": ("unions-import:",),
    "aid": ("aid:",),
    "support requests": ("requests:",),
    "campaigns": ("campaigns:",),
    "admin: unions": ("admin:unions_",),
    "admin: welfare": ("admin:welfare_",),
    "admin: other": ("admin:", "pattern:admin/"),
}


def area_of(key):
    return next(area for area, prefixes in AREAS.items() if key.startswith(prefixes))


def _walked_cases():
    """(key, case) of every table entry whose route exists (a model without
    django-simple-history has no ``_simple_history`` route)."""
    present = routes_with_parameters()
    return [
        (key, number, case)
        for key in sorted(ALL_ROUTES)
        if key in present
        for number, case in enumerate(ALL_ROUTES[key])
    ]


def test_every_table_entry_names_every_core_persona():
    for key, number, case in _walked_cases():
        if key.startswith("admin:") and not key.endswith(("_change", "_object")):
            continue  # non-staff meet the admin's one gate, asked on the change page
        for persona in CORE_PERSONAS:
            assert persona in case.expect, f"{key}[{number}]: no expectation for {persona}"


def expectation_for(expect, side, persona):
    """What ``persona`` gets for an object of ``side``: B's answers are A's, sides swapped; on B
    the ``member`` persona is just another member."""
    if side == "a":
        return expect[persona]
    if persona in SWAP:
        return expect[SWAP[persona]]
    if persona == "member":
        return expect["other_member"]
    return expect[persona]


def check(response, outcome):
    status = response.status_code
    if outcome == OK:
        return status == 200
    if outcome == REDIRECT:
        return status in (301, 302, 303) and not is_login_redirect(response)
    if outcome == LOGIN:
        return is_login_redirect(response)
    if outcome == NOT_FOUND:
        return status == 404
    if outcome == FORBIDDEN:
        return status == 403
    if outcome == ADMIN_MISSING:
        return status == 302 and response["Location"] == reverse("admin:index")
    raise AssertionError(outcome)


def describe(response):
    location = response.get("Location")
    return f"{response.status_code}" + (f" → {location}" if location else "")


def ask(world, key, case, side, persona, target):
    """One persona asks for one target; the problems found, as sentences."""
    outcome = expectation_for(case.expect, side, persona)
    before = target.state() if target.state else None
    client = world.clients[persona]
    if case.method == "post":
        response = client.post(target.url, target.data or {})
    else:
        response = client.get(target.url)
    body = text_of(response)
    where = f"{key}: {persona} on {side.upper()}'s object, {case.method.upper()} {target.url}"
    if not check(response, outcome):
        return [f"{where}: expected {outcome}, got {describe(response)}"]
    problems = []
    if outcome in DENIED:
        if target.secret and target.secret in body:
            problems.append(f"{where}: refused, yet the body holds {target.secret!r}")
        if target.state and target.state() != before:
            problems.append(f"{where}: refused, yet the POST changed the stored data")
    elif outcome == OK and case.method == "get" and target.secret and target.secret not in body:
        problems.append(f"{where}: allowed, but {target.secret!r} is not shown")
    problems += [
        f"{where}: the body holds {text!r}, which nobody may read"
        for text in target.never
        if text in body
    ]
    return problems


@pytest.mark.parametrize("area", list(AREAS))
def test_each_persona_gets_what_the_roles_table_allows(area, tree, users, clients):
    world = World(tree=tree, users=users, clients=clients)
    wrong = []
    cases = [(key, case) for key, _n, case in _walked_cases() if area_of(key) == area]
    assert cases, f"no route in {area}"
    for key, case in cases:
        for side in case.sides:
            # A GET changes nothing: one object for every persona. A POST may: one each.
            shared = case.build(world, side) if case.method == "get" else None
            for persona in case.expect:
                target = shared or case.build(world, side)
                wrong += ask(world, key, case, side, persona, target)
    assert not wrong, "\n".join(wrong)


# Lists and exports: routes without a parameter ------------------------------------------------


@dataclass
class Listed:
    """What each side owns and a list could show: a member (in a sub-branch, an officer there,
    once transferred), the sub-branch, a programme with a paid record, a campaign (its name and
    code) with an outside donor, and the owner's request (the owner's card number, the amount
    asked)."""

    member: str
    branch: str
    program: str
    campaign: str
    campaign_code: str
    donor: str
    requester_card: str
    request_amount: str


def listed_world(w):
    sides = {}
    for side in ("a", "b"):
        branch = a_branch(w, side)
        member = a_member(w, side)
        Transfer.objects.create(
            member=member, from_branch=member.branch, to_branch=branch, date=DAY
        )
        member.branch = branch
        member.save()
        OfficerAssignment.objects.create(
            member=member, branch=branch, position="inspection", start_on=DAY
        )
        program = a_program(w, side)
        AidRecord.objects.create(
            program=program,
            member=member,
            branch=branch,
            date=DAY,
            amount_vnd=1_000_000,
            status=AidRecord.Status.PAID,
        )
        amount = 7_000_000 + 1_000 * next(_serial)
        support_request = a_request(w, side, amount_requested_vnd=amount)
        campaign = a_campaign(w, side, code=f"VD-{side.upper()}-{next(_serial)}")
        donor = unique("Nhà hảo tâm")
        Contribution.objects.create(
            campaign=campaign, direction="in", date=DAY, party=donor, amount_vnd=3_000_000
        )
        AccessEvent.objects.create(
            username=w.officer(side).username,
            action=AccessEvent.Action.VIEW_MEMBER,
            target=f"#{member.pk} {member.full_name}",
            branch=branch,
            member=member,
            path=member.get_absolute_url(),
        )
        sides[side] = Listed(
            member=member.full_name,
            branch=branch.name,
            program=program.name,
            campaign=campaign.name,
            campaign_code=campaign.code,
            donor=donor,
            requester_card=support_request.member.card_number,
            request_amount=format_vnd(amount),
        )
    return sides


def officers_see():
    """An officer of A sees A's, one of B sees B's, the ministry both; others 404 or sign in."""
    return {
        **everyone(NOT_FOUND),
        "anonymous": LOGIN,
        "officer_a": {"a"},
        "officer_b": {"b"},
        "ministry": {"a", "b"},
        "admin_officer_a": {"a"},
        "admin_officer_b": {"b"},
    }


def admin_list_sees():
    return {
        **everyone(LOGIN),
        "editor": FORBIDDEN,
        "chief_editor": FORBIDDEN,
        "admin_officer_a": {"a"},
        "admin_officer_b": {"b"},
        "superuser": {"a", "b"},
    }


def member_area():
    """A member sees their own record and requests (the ``member`` persona owns A's request);
    other members, and officers (members too), their own: none of these."""
    return {
        **everyone(set()),
        "anonymous": LOGIN,
        "member": {"a"},
        "editor": NOT_FOUND,
        "chief_editor": NOT_FOUND,
        "outsider": NOT_FOUND,
    }


def report_query(download):
    """The review of the top of the asker's scope for 2020 (the root for the ministry)."""

    def query(w, persona):
        top = {"officer_b": w.tree.b, "admin_officer_b": w.tree.b, "ministry": w.tree.root}
        branch = top.get(persona, w.tree.a)
        return f"?preset=year&year=2020&branch={branch.pk}&download={download}"

    return query


LISTS = {
    # key: (query, what each side's rows show, who sees which side)
    "unions:dashboard": ("", ("member",), officers_see()),
    "unions:branch-list": ("", ("branch",), officers_see()),
    "unions:member-list": ("", ("member",), officers_see()),
    "unions:member-list csv": ("?export=csv", ("member",), officers_see()),
    "unions:member-list xlsx": ("?export=xlsx", ("member",), officers_see()),
    "aid:programs": ("", ("program",), officers_see()),
    "requests:queue": ("", ("requester_card", "request_amount"), officers_see()),
    "campaigns:list": ("", ("campaign",), officers_see()),
    "reports:report": ("", ("branch",), officers_see()),
    "reports:report csv": (report_query("csv"), ("campaign_code",), officers_see()),
    "reports:report xlsx": (report_query("xlsx"), ("campaign_code",), officers_see()),
    "reports:report json": (report_query("json"), ("campaign_code", "program"), officers_see()),
    "members:home": ("", ("requester_card",), member_area()),
    "requests:mine": ("", ("request_amount",), member_area()),
    "members:my-data json": ("?format=json", ("requester_card",), member_area()),
    "members:my-data xlsx": ("?format=xlsx", ("requester_card",), member_area()),
    "campaigns:public-list": ("", ("campaign", "donor"), everyone(set())),
    # The access log: ministry-level officers only (who saw whose data).
    "audit:log": (
        "",
        ("member",),
        {
            **officers_see(),
            "officer_a": FORBIDDEN,
            "officer_b": FORBIDDEN,
            "admin_officer_a": FORBIDDEN,
            "admin_officer_b": FORBIDDEN,
        },
    ),
    "admin:unions_branch_changelist": ("", ("branch",), admin_list_sees()),
    "admin:unions_member_changelist": ("", ("member",), admin_list_sees()),
    "admin:unions_officerassignment_changelist": ("", ("member",), admin_list_sees()),
    "admin:unions_transfer_changelist": ("", ("member",), admin_list_sees()),
    "admin:welfare_aidprogram_changelist": ("", ("program",), admin_list_sees()),
    "admin:welfare_aidrecord_changelist": ("", ("member",), admin_list_sees()),
    "admin:welfare_supportrequest_changelist": ("", ("requester_card",), admin_list_sees()),
    "admin:welfare_campaign_changelist": ("", ("campaign",), admin_list_sees()),
    "admin:welfare_contribution_changelist": ("", ("donor",), admin_list_sees()),
}

# Parameterless routes that show nobody's personal data (or only the asker's own account).
NO_PERSONAL_DATA = {
    "home",
    "news:list",
    "news:feed",
    "news:search",
    "sitemap",
    "healthz",
    "robots_txt",
    "pattern:favicon.ico",
    "accounts:profile",
    "accounts:landing",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "accounts:otp_verify",  # two-step sign-in: the asker's own devices only
    "accounts:otp_setup",
    "accounts:otp_recovery",
    "members:contact",  # the member's own phone and e-mail form
    "requests:new",  # the member's own new request form
    "unions:member-create",
    "aid:program-create",
    "campaigns:create",
    "unions-import:start",
    "unions-import:done",
    "reports:print",  # the printable review: its scope is walked in tests/welfare
    "admin:index",
    "admin:portal_sitesettings_change",  # django-solo's own address of the one settings row
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:autocomplete",
}


def _list_route(key):
    return key.split(" ")[0]


def test_every_route_without_a_parameter_is_accounted_for():
    """A new list or export cannot slip in without saying who may read it."""
    named = {_list_route(key) for key in LISTS} | NO_PERSONAL_DATA
    missing = []
    for key, route_text in url_routes():
        if _takes_parameters(route_text) or key in named:
            continue
        if key.startswith("admin:") and key.endswith(("_changelist", "_add", "_history")):
            # Each model's change list is in LISTS when it holds people's data; the add forms
            # and solo's history page hold none.
            model_key = key.removeprefix("admin:").rsplit("_", 1)[0]
            app_label = model_key.split("_", 1)[0]
            if key.endswith("_changelist") and app_label in ("unions", "welfare"):
                missing.append(f"{key} ({route_text})")
            continue
        if key.startswith("pattern:admin/"):
            continue  # solo's literal "^$"/"^history/$" routes
        missing.append(f"{key} ({route_text})")
    assert not missing, (
        "Add these routes to LISTS (who sees which rows) or NO_PERSONAL_DATA in "
        "tests/security/test_access_walk.py: " + "; ".join(sorted(missing))
    )


LIST_AREAS = {
    "officers' pages and exports": lambda key: (
        not key.startswith(("admin:", "members:", "requests:mine"))
    ),
    "member area": lambda key: key.startswith(("members:", "requests:mine")),
    "admin change lists": lambda key: key.startswith("admin:"),
}


@pytest.mark.parametrize("area", list(LIST_AREAS))
def test_lists_and_exports_show_each_persona_only_their_scope(area, tree, users, clients):
    world = World(tree=tree, users=users, clients=clients)
    listed = listed_world(world)
    wrong = []
    for key in [key for key in sorted(LISTS) if LIST_AREAS[area](key)]:
        query, shown, expect = LISTS[key]
        secrets = {side: [getattr(listed[side], name) for name in shown] for side in ("a", "b")}
        for persona, outcome in expect.items():
            url = reverse(_list_route(key)) + (query(world, persona) if callable(query) else query)
            wrong += look(clients[persona], url, f"{key}: {persona}", outcome, secrets)
    assert not wrong, "\n".join(wrong)


def look(client, url, who, outcome, secrets):
    response = client.get(url)
    body = text_of(response)
    where = f"{who} ({url})"
    if not isinstance(outcome, set):
        problems = [] if check(response, outcome) else [f"{where}: got {describe(response)}"]
        return problems + [
            f"{where}: refused, yet reads {secret!r}"
            for values in secrets.values()
            for secret in values
            if secret in body
        ]
    if response.status_code != 200:
        return [f"{where}: expected 200, got {describe(response)}"]
    problems = []
    for side, values in secrets.items():
        for secret in values:
            if side in outcome and secret not in body:
                problems.append(f"{where}: {side.upper()}'s {secret!r} is missing")
            if side not in outcome and secret in body:
                problems.append(f"{where}: reads {side.upper()}'s {secret!r}")
    return problems


# Answers that are easy to get wrong ------------------------------------------------------------


def test_a_staff_officer_cannot_revert_a_member_of_another_branch_from_the_admin(
    tree, users, clients
):
    """django-simple-history's version page takes a POST that restores the version: outside the
    asker's scope it must be a 404, and the member unchanged."""
    world = World(tree=tree, users=users, clients=clients)
    member = a_member(world, "a", full_name="Phạm Thị Cũ")
    member.full_name = "Phạm Thị Mới"
    member.save()
    oldest = member.history.earliest()
    url = reverse("admin:unions_member_simple_history", args=[member.pk, oldest.history_id])
    form = {
        "card_number": member.card_number,
        "full_name": "Phạm Thị Cũ",
        "gender": member.gender,
        "branch": member.branch_id,
        "category": member.category,
        "status": member.status,
        "_change_history": "1",
    }
    response = clients["admin_officer_b"].post(url, form)
    assert response.status_code == 404
    member.refresh_from_db()
    assert member.full_name == "Phạm Thị Mới"
    assert clients["admin_officer_a"].get(url).status_code == 200


def test_the_review_of_another_branch_shows_nothing_of_it(tree, users, clients):
    """The review's branch is a query parameter: B's id in A's officer's hands is refused."""
    world = World(tree=tree, users=users, clients=clients)
    listed = listed_world(world)
    for download in ("", "csv", "xlsx", "json"):
        url = reverse("reports:report") + (
            f"?preset=year&year=2020&branch={tree.b.pk}&download={download}"
        )
        response = clients["officer_a"].get(url)
        assert response.status_code in (200, 404), url
        body = text_of(response)
        for secret in (listed["b"].campaign_code, listed["b"].program, listed["b"].branch):
            assert secret not in body, (url, secret)


def test_the_admin_page_of_a_missing_totp_device_is_not_a_500(users, clients):
    """django-otp's key and QR-code pages look the device up without a 404: with
    ``OTP_ADMIN_HIDE_SENSITIVE_DATA = True`` (portal/settings.py) they refuse before that."""
    for name in ("admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"):
        url = reverse(name, kwargs={"pk": 999_999})
        for persona in ("editor", "superuser"):
            response = clients[persona].get(url)
            assert response.status_code in (403, 404), f"{persona} {url}: {response.status_code}"
