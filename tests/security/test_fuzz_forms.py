"""Property-based tests of every form officers and members post (hypothesis).

Each form is posted through the test client with values drawn from ``tests/security/fuzz.py``:
mostly valid values, mixed with Vietnamese in NFC and NFD, 10,000-character texts, control
characters and NUL bytes, huge, negative and exotic numbers, and odd dates. Whatever is sent:

- the answer is never a 500 (the test client re-raises any exception a view lets escape);
- a refused post is shown again with its errors (200), and nothing was written: the row count
  of every table of the project, history included, is the same as before;
- whatever was stored is NFC and holds no NUL byte (PostgreSQL refuses NUL in text).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import CampaignFactory, MemberFactory, ProgramFactory
from tests.security.fuzz import (
    FUZZ,
    PYTHON_TALK,
    counts,
    date_field,
    field,
    form_errors,
    nasty_text,
    number_field,
    some_form,
    stored_text_problems,
    vietnamese,
)
from welfare.models import SupportRequest

pytestmark = pytest.mark.django_db

REDIRECTS = (301, 302, 303)


def post(client, url, data, *, files=None, allowed=(200, *REDIRECTS)):
    """Post and check: no 500, a refusal says why and writes nothing, stored text is clean."""
    before = counts()
    # A browser always sends the CSRF token, so a post is never empty (the test client does
    # not check it; an empty post would only show the blank form again).
    payload = {"csrfmiddlewaretoken": "x", **data}
    if files:
        payload.update(files)
    response = client.post(url, payload)
    assert response.status_code in allowed, (url, response.status_code, data)
    if response.status_code == 200:
        assert form_errors(response), f"a refused post must say why: {data!r}"
        said = PYTHON_TALK.search(response.content.decode("utf-8", "replace"))
        assert not said, f"a Python error reached the page: {said[0]!r}"
        assert counts() == before, f"a refused post wrote something: {data!r}"
    problems = stored_text_problems()
    assert not problems, "\n".join(problems)
    return response


def get(client, url, params, *, allowed=(200, *REDIRECTS, 404)):
    response = client.get(url, params)
    assert response.status_code in allowed, (url, response.status_code, params)
    return response


@pytest.fixture
def officer(client, officer_a):
    client.force_login(officer_a)
    return client


@pytest.fixture
def someone(tree):
    """A member of A's group, for the forms that name a member."""
    return MemberFactory(branch=tree.a_group, full_name="Đặng Thị Ánh", card_number="FZ000001")


@pytest.fixture
def program(tree):
    return ProgramFactory(branch=tree.a, code="CT-FZ", budget_vnd=None, cap_per_person_vnd=None)


def member_form(tree, prefix_children=True):
    fields = {
        "card_number": field("FZ123456", "FZ 12.34-56", "x" * 40),
        "full_name": field("Nguyễn Thị Hương"),
        "gender": field("female", "male", "other"),
        "date_of_birth": date_field("17/05/1985"),
        "national_id": field("001185012345", "12345678", "٠٠١١٨٥٠١٢٣٤٥"),
        "branch": field(str(tree.a.pk), str(tree.b.pk), "0", "-1"),
        "category": field("worker", "civil_servant"),
        "job_title": field("Chuyên viên"),
        "work_unit": field("Văn phòng Bộ"),
        "joined_on": date_field("01/03/2010"),
        "policy_group": field("", "war_invalid"),
        "hardship": field("on", ""),
        "phone": field("0912345678", "+84 912 345 678"),
        "email": field("an.nt@example.gov.vn", "a@b", "ẩn@ví-dụ.vn"),
    }
    if prefix_children:
        fields.update(
            {
                "children-TOTAL_FORMS": field("1", "0", "1001", "-1", "abc"),
                "children-INITIAL_FORMS": field("0", "5", "x"),
                "children-0-full_name": field("Nguyễn Minh Khôi"),
                "children-0-date_of_birth": date_field("01/06/2015"),
                "children-0-gender": field("male"),
            }
        )
    return some_form(**fields)


# Branches and members ---------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_member_create(officer, tree, data):
    post(officer, reverse("unions:member-create"), data.draw(member_form(tree)))


@FUZZ
@given(data=st.data())
def test_member_edit(officer, tree, someone, data):
    url = reverse("unions:member-edit", kwargs={"pk": someone.pk})
    post(officer, url, data.draw(member_form(tree)))


@FUZZ
@given(data=st.data())
def test_member_transfer(officer, tree, someone, data):
    url = reverse("unions:member-transfer", kwargs={"pk": someone.pk})
    form = some_form(
        to_branch=field(str(tree.a.pk), str(tree.a_group.pk), str(tree.b.pk)),
        date=date_field("10/04/2020"),
        reason=field("Điều động công tác"),
    )
    post(officer, url, data.draw(form))


@FUZZ
@given(data=st.data())
def test_member_status(officer, someone, data):
    url = reverse("unions:member-status", kwargs={"pk": someone.pk})
    form = some_form(
        status=field("retired", "left", "active", "deceased", "transferred"),
        date=date_field("10/04/2020"),
        reason=field("Nghỉ hưu theo chế độ"),
    )
    post(officer, url, data.draw(form))


@FUZZ
@given(data=st.data())
def test_member_list_filters(officer, tree, data):
    params = data.draw(
        some_form(
            q=field("Nguyễn"),
            branch=field(str(tree.a.pk), str(tree.b.pk)),
            category=field("worker"),
            status=field("active"),
            policy_group=field("any"),
            hardship=field("1"),
            gender=field("female"),
            age_min=number_field("30"),
            age_max=number_field("40"),
            joined_from=date_field("01/01/2000"),
            joined_to=date_field("31/12/2020"),
            sort=field("-born", "name", "-x"),
            page=number_field("2"),
            export=field("", "csv", "xlsx"),
        )
    )
    get(officer, reverse("unions:member-list"), params)


# Aid -------------------------------------------------------------------------------------------


def program_form(tree):
    return some_form(
        code=field("CT-2020-01"),
        name=field("Thăm hỏi ốm đau 2020"),
        kind=field("sickness", "tet_gift", "nope"),
        branch=field(str(tree.a.pk), str(tree.b.pk)),
        starts_on=date_field("01/01/2020"),
        ends_on=date_field("31/12/2020"),
        budget_vnd=number_field("100.000.000"),
        default_amount_vnd=number_field("1.000.000"),
        cap_per_person_vnd=number_field(""),
        funding_source=field("union_funds"),
        eligibility_note=field("Đoàn viên ốm đau nằm viện"),
        is_open=field("on", ""),
    )


@FUZZ
@given(data=st.data())
def test_program_create(officer, tree, data):
    post(officer, reverse("aid:program-create"), data.draw(program_form(tree)))


@FUZZ
@given(data=st.data())
def test_program_edit(officer, tree, program, data):
    url = reverse("aid:program-edit", kwargs={"pk": program.pk})
    post(officer, url, data.draw(program_form(tree)))


@FUZZ
@given(data=st.data())
def test_record_create(officer, tree, program, someone, data):
    url = reverse("aid:record-create", kwargs={"pk": program.pk})
    form = some_form(
        card_number=field(someone.card_number, "fz-000-001", "KHONGCO"),
        branch=field("", str(tree.a_group.pk), str(tree.b.pk)),
        date=date_field("10/04/2020"),
        amount_vnd=number_field("500.000"),
        item=field("", "Khẩu trang vải"),
        quantity=number_field(""),
        unit=field("", "chiếc"),
        value_vnd=number_field(""),
        note=field("Thăm hỏi"),
        status=field("proposed", "approved", "paid"),
        confirm_duplicate=field("on", ""),
    )
    post(officer, url, data.draw(form))


@FUZZ
@given(data=st.data())
def test_bulk_records(officer, tree, program, someone, data):
    url = reverse("aid:bulk", kwargs={"pk": program.pk})
    form = some_form(
        date=date_field("10/04/2020"),
        status=field("proposed"),
        item=field(""),
        quantity=number_field(""),
        unit=field(""),
        value_vnd=number_field(""),
        note=field("Quà Tết"),
        confirm_duplicates=field("on", ""),
        selected=field(str(someone.pk), "-1", str(someone.pk * 1000)),
        **{f"amount_{someone.pk}": number_field("1.000.000")},
    )
    post(officer, url, data.draw(form))
    filters = some_form(
        branch=field(str(tree.a.pk)),
        category=field("worker"),
        policy_group=field("any"),
        hardship=field("1"),
        child_age_min=number_field("6"),
        child_age_max=number_field("15"),
    )
    get(officer, url, data.draw(filters))


@FUZZ
@given(data=st.data())
def test_record_cancel(officer, program, someone, data):
    from welfare.models import AidRecord

    record = AidRecord.objects.create(
        program=program,
        member=someone,
        branch=someone.branch,
        date=program.starts_on,
        amount_vnd=100_000,
    )
    url = reverse("aid:record-cancel", kwargs={"pk": program.pk, "record_pk": record.pk})
    post(officer, url, data.draw(some_form(reason=field("Ghi nhầm"), back=nasty_text())))


@FUZZ
@given(data=st.data())
def test_receipt_upload(officer, program, someone, data):
    from welfare.models import AidRecord

    record = AidRecord.objects.filter(program=program).first() or AidRecord.objects.create(
        program=program,
        member=someone,
        branch=someone.branch,
        date=program.starts_on,
        amount_vnd=100_000,
    )
    url = reverse("aid:receipt-upload", kwargs={"pk": program.pk, "record_pk": record.pk})
    content = data.draw(
        st.one_of(
            st.binary(max_size=2000),
            st.sampled_from([b"%PDF-1.4\n%%EOF\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b""]),
        )
    )
    name = data.draw(st.one_of(nasty_text(), st.just("bien-nhan.pdf")))
    name = (name.replace("\x00", "") or "tep")[:200]
    post(officer, url, {}, files={"file": SimpleUploadedFile(name, content)})


# Support requests --------------------------------------------------------------------------------


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@FUZZ
@given(data=st.data())
def test_support_request(member_client, data):
    form = some_form(
        kind=field("sickness", "tet_gift", ""),
        happened_on=date_field("05/03/2020"),
        description=field("Tôi nằm viện điều trị 10 ngày."),
        amount_requested_vnd=number_field("2.000.000"),
        consent=field("on", ""),
    )
    content = data.draw(st.one_of(st.none(), st.binary(max_size=500)))
    files = {"attachments": SimpleUploadedFile("giay.pdf", content)} if content is not None else {}
    post(member_client, reverse("requests:new"), data.draw(form), files=files)


@FUZZ
@given(data=st.data())
def test_member_contact(member_client, data):
    form = some_form(phone=field("0912 345 678"), email=field("binh@example.gov.vn"))
    post(member_client, reverse("members:contact"), data.draw(form))


@pytest.fixture
def open_request(member, tree):
    program = ProgramFactory(
        branch=tree.a,
        code="CT-FZ-OPEN",
        kind="sickness",
        starts_on=timezone.localdate().replace(month=1, day=1),
        ends_on=timezone.localdate().replace(month=12, day=31),
        budget_vnd=None,
    )
    support_request = SupportRequest.objects.create(
        member=member.member,
        kind="sickness",
        description="Nằm viện",
        happened_on=timezone.localdate(),
        consent_given_at=timezone.now(),
    )
    return support_request, program


@FUZZ
@given(data=st.data())
def test_request_decisions(officer, open_request, data):
    support_request, program = open_request
    approve = some_form(
        program=field(str(program.pk), "0", "abc"),
        amount_vnd=number_field(""),
        note=field("Chúc chị mau khỏe"),
    )
    reject = some_form(reason=field("Không thuộc diện hỗ trợ"))
    which = data.draw(st.sampled_from(["approve", "reject"]))
    url = reverse(f"requests:{which}", kwargs={"pk": support_request.pk})
    post(officer, url, data.draw(approve if which == "approve" else reject))
    filters = some_form(
        status=field("open", "all", "approved"),
        kind=field("sickness"),
        branch=field(str(support_request.member.branch_id)),
        older_than=number_field("7"),
        page=number_field("1"),
    )
    get(officer, reverse("requests:queue"), data.draw(filters))


# Campaigns ---------------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_campaign_create(officer, tree, data):
    form = some_form(
        code=field("VD-2020"),
        name=field("Chung tay phòng, chống dịch Covid-19"),
        slug=field("", "chung-tay", "Chung Tay!"),
        description=field("Ủng hộ đồng bào"),
        branch=field(str(tree.a.pk)),
        starts_on=date_field("01/03/2020"),
        ends_on=date_field(""),
        goal_vnd=number_field("400.000.000"),
        is_public=field("on", ""),
    )
    post(officer, reverse("campaigns:create"), data.draw(form))


@FUZZ
@given(data=st.data())
def test_contributions(officer, tree, someone, data):
    campaign = CampaignFactory(branch=tree.a, code=f"VD-FZ-{CampaignCounter.next()}")
    direction = data.draw(st.sampled_from(["in", "out"]))
    form = some_form(
        **{
            f"{direction}-card_number": field("", someone.card_number),
            f"{direction}-branch": field("", str(tree.a_group.pk), str(tree.b.pk)),
            f"{direction}-party": field("Công ty Bình An"),
            f"{direction}-date": date_field("10/04/2020"),
            f"{direction}-amount_vnd": number_field("1.000.000"),
            f"{direction}-item": field("", "gạo"),
            f"{direction}-quantity": number_field(""),
            f"{direction}-unit": field("", "tấn"),
            f"{direction}-value_vnd": number_field(""),
            f"{direction}-channel": field("cash", "bank"),
            f"{direction}-note": field(""),
        }
    )
    url = reverse(f"campaigns:add-{direction}", kwargs={"pk": campaign.pk})
    post(officer, url, data.draw(form))


class CampaignCounter:
    value = 0

    @classmethod
    def next(cls):
        cls.value += 1
        return cls.value


# Reports, search and public pages -------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_review_page(officer, tree, data):
    params = data.draw(
        some_form(
            preset=field("h1", "custom", "q5"),
            year=number_field("2020"),
            start=date_field("01/01/2020"),
            end=date_field("30/06/2020"),
            branch=field(str(tree.a.pk), str(tree.b.pk)),
            download=field("", "csv", "xlsx", "json", "docx", "pdf"),
        )
    )
    get(officer, reverse("reports:report"), params)


@FUZZ
@given(data=st.data())
def test_public_search_and_lists(client, data):
    get(
        client, reverse("news:search"), data.draw(some_form(q=nasty_text(), page=number_field("1")))
    )
    get(client, reverse("news:list"), data.draw(some_form(page=number_field("1"))))


# Accounts ----------------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_sign_in_and_password_forms(client, member, data):
    response = client.post(
        reverse("accounts:login"),
        data.draw(some_form(username=field("doanvien_test"), password=nasty_text())),
    )
    assert response.status_code < 500
    response = client.post(
        reverse("accounts:password_reset"), data.draw(some_form(email=field("a@example.gov.vn")))
    )
    assert response.status_code < 500
    client.force_login(member)
    post(
        client,
        reverse("accounts:password_change"),
        data.draw(
            some_form(
                old_password=nasty_text(),
                new_password1=field("mat-khau-moi-2020-ABC"),
                new_password2=field("mat-khau-moi-2020-ABC"),
            )
        ),
    )
    client.logout()


@FUZZ
@given(data=st.data())
def test_import_upload_form(officer, data):
    kind = data.draw(field("members", "branches", "aid"))
    name = data.draw(st.one_of(st.just("doan-vien.csv"), st.just("a.xlsx"), nasty_text()))
    name = (name.replace("\x00", "").replace("/", "") or "tep")[:200]
    content = data.draw(st.binary(max_size=3000))
    post(
        officer,
        reverse("unions-import:start"),
        {"kind": kind},
        files={"file": SimpleUploadedFile(name, content)},
    )


# A value the fuzz found once stays tested ----------------------------------------------------


@pytest.mark.parametrize(
    "amount", ["9" * 5000, "²³", "١٢٣٤", "１２３", "9" * 25, "-1", "1e9", "NaN"]
)
def test_exotic_amounts_are_refused_or_read_never_a_500(officer, program, someone, amount):
    url = reverse("aid:record-create", kwargs={"pk": program.pk})
    data = {
        "card_number": someone.card_number,
        "date": "10/04/2020",
        "amount_vnd": amount,
        "status": "proposed",
    }
    post(officer, url, data)
    post(officer, reverse("aid:program-create"), {"code": "X", "budget_vnd": amount})
    post(officer, reverse("campaigns:create"), {"code": "Y", "goal_vnd": amount})
    bulk = {"date": "10/04/2020", "status": "proposed", "selected": [amount, str(someone.pk)]}
    bulk[f"amount_{someone.pk}"] = amount
    post(officer, reverse("aid:bulk", kwargs={"pk": program.pk}), bulk)


@pytest.mark.parametrize("quantity", ["10000000001", "9" * 25, "2147483648"])
def test_huge_quantities_of_goods_are_refused_never_a_500(
    officer, tree, program, someone, quantity
):
    url = reverse("aid:record-create", kwargs={"pk": program.pk})
    data = {
        "card_number": someone.card_number,
        "date": "10/04/2020",
        "item": "Khẩu trang",
        "quantity": quantity,
        "unit": "chiếc",
        "status": "proposed",
    }
    post(officer, url, data)
    campaign = CampaignFactory(branch=tree.a, code=f"VD-Q-{len(quantity)}")
    url = reverse("campaigns:add-out", kwargs={"pk": campaign.pk})
    data = {
        "out-party": "Cây ATM gạo",
        "out-date": "10/04/2020",
        "out-item": "gạo",
        "out-quantity": quantity,
        "out-unit": "kg",
        "out-value_vnd": "30.000.000",
        "out-channel": "other",
    }
    post(officer, url, data)
    url = reverse("aid:bulk", kwargs={"pk": program.pk})
    data = {
        "date": "10/04/2020",
        "status": "proposed",
        "item": "Gạo",
        "quantity": quantity,
        "unit": "kg",
        "selected": str(someone.pk),
        f"amount_{someone.pk}": "0",
        "confirm_duplicates": "on",
    }
    post(officer, url, data)


def test_vietnamese_in_nfd_is_stored_in_nfc(officer, tree):
    import unicodedata

    name = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    note = unicodedata.normalize("NFD", "Thăm hỏi ốm đau")
    response = officer.post(
        reverse("aid:program-create"),
        {
            "code": "CT-NFD",
            "name": name,
            "kind": "sickness",
            "branch": tree.a.pk,
            "starts_on": "01/01/2020",
            "ends_on": "31/12/2020",
            "default_amount_vnd": "0",
            "funding_source": "union_funds",
            "eligibility_note": note,
        },
    )
    assert response.status_code == 302
    assert not stored_text_problems()


def test_a_vietnamese_strategy_really_sends_nfd_sometimes():
    import unicodedata

    seen = set()

    @FUZZ
    @given(vietnamese())
    def collect(text):
        seen.add(unicodedata.is_normalized("NFC", text))

    collect()
    assert seen == {True, False}
