"""The officers' aid pages: programmes, one record, the bulk list, actions, export, signatures.

Messages are compared through ``gettext`` so the tests hold before and after translation."""

import datetime
import html
import io

import openpyxl
import pytest
from django.utils.translation import gettext

from tests.factories import MemberFactory, ProgramFactory
from unions.models import Dependant
from welfare import services
from welfare.models import AidProgram, AidRecord
from welfare.services import AidInput

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 1, 20)
BASE = "/can-bo/ho-tro/"


def text(response):
    return html.unescape(response.content.decode())


def _(message):
    return gettext(message)


@pytest.fixture
def program(tree):
    return ProgramFactory(
        code="TET2020",
        name="Quà Tết Canh Tý 2020",
        branch=tree.a,
        budget_vnd=10_000_000,
        default_amount_vnd=1_000_000,
        cap_per_person_vnd=2_000_000,
    )


@pytest.fixture
def people(tree):
    class People:
        lan = MemberFactory(branch=tree.a_group, full_name="Nguyễn Thị Lan", card_number="DVA01")
        hung = MemberFactory(branch=tree.a, full_name="Trần Văn Hùng", card_number="DVA02")
        bao = MemberFactory(branch=tree.b, full_name="Đặng Quốc Bảo", card_number="DVB01")

    return People


def give(program, by, members, amount=1_000_000, status="approved"):
    return services.record_aid(
        program=program,
        by=by,
        date=DAY,
        entries=[AidInput(member=m, amount_vnd=amount) for m in members],
        status=status,
    )


def page_urls(program, record):
    p = f"{BASE}{program.pk}/"
    return [
        f"{p}",
        f"{p}sua/",
        f"{p}ghi-nhan/",
        f"{p}ghi-nhan-hang-loat/",
        f"{p}ky-nhan/",
        f"{p}?export=xlsx",
        f"{p}ban-ghi/{record.pk}/huy/",
    ]


def action_urls(program, record):
    p = f"{BASE}{program.pk}/ban-ghi/{record.pk}/"
    return [f"{p}duyet/", f"{p}da-chi/", f"{p}huy/", f"{p}xoa/"]


# Scope ------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, program, people, officer_a):
    (record,) = give(program, officer_a, [people.lan], status="proposed")
    for url in [BASE, f"{BASE}them/", *page_urls(program, record)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/tai-khoan/dang-nhap/"), url
    for url in action_urls(program, record):
        response = client.post(url, {"reason": "x"})
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    assert AidRecord.objects.get().status == "proposed"


@pytest.mark.parametrize("persona", ["member", "outsider", "editor"])
def test_people_without_an_assignment_get_404(client, request, program, people, officer_a, persona):
    (record,) = give(program, officer_a, [people.lan], status="proposed")
    client.force_login(request.getfixturevalue(persona))
    for url in [BASE, f"{BASE}them/", *page_urls(program, record)]:
        assert client.get(url).status_code == 404, url
    for url in action_urls(program, record):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert AidRecord.objects.get().status == "proposed"


def test_an_officer_of_b_gets_404_on_a_programme_of_a(
    client, program, people, officer_a, officer_b, tree
):
    (record,) = give(program, officer_a, [people.lan], status="proposed")
    ProgramFactory(branch=tree.b, name="Chương trình của B")
    client.force_login(officer_b)
    listing = text(client.get(BASE))
    assert "Chương trình của B" in listing and program.name not in listing
    for url in page_urls(program, record):
        assert client.get(url).status_code == 404, url
    for url in action_urls(program, record):
        assert client.post(url, {"reason": "Nhầm"}).status_code == 404, url
    record.refresh_from_db()
    assert record.status == "proposed"


def test_officers_of_a_and_of_the_ministry_see_the_programme(
    client, program, people, officer_a, ministry_officer
):
    (record,) = give(program, officer_a, [people.lan], status="proposed")
    for user in (officer_a, ministry_officer):
        client.force_login(user)
        for url in [BASE, f"{BASE}them/", *page_urls(program, record)]:
            assert client.get(url).status_code == 200, url
        assert program.name in text(client.get(BASE))


def test_a_record_of_another_programme_is_404_under_this_one(
    client, program, people, officer_a, tree
):
    other = ProgramFactory(branch=tree.a)
    (record,) = give(other, officer_a, [people.lan], status="proposed")
    client.force_login(officer_a)
    assert client.post(f"{BASE}{program.pk}/ban-ghi/{record.pk}/duyet/").status_code == 404


# Programmes -------------------------------------------------------------------------------


def programme_data(branch_, **changes):
    data = {
        "code": "COVID2020",
        "name": "Hỗ trợ đoàn viên bị ảnh hưởng dịch Covid-19",
        "kind": "epidemic",
        "branch": branch_.pk,
        "starts_on": "01/03/2020",
        "ends_on": "30/06/2020",
        "budget_vnd": "50.000.000",
        "default_amount_vnd": "2000000",
        "cap_per_person_vnd": "2 000 000 ₫",
        "funding_source": "union_funds",
        "eligibility_note": "Đoàn viên có hoàn cảnh khó khăn do dịch bệnh.",
        "is_open": "on",
    }
    data.update(changes)
    return data


def test_an_officer_creates_a_programme_with_amounts_in_whole_dong(client, officer_a, tree):
    client.force_login(officer_a)
    form = text(client.get(f"{BASE}them/"))
    assert tree.a.name in form and tree.b.name not in form  # the branch list is the scope
    response = client.post(f"{BASE}them/", programme_data(tree.a_group))
    program = AidProgram.objects.get(code="COVID2020")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{program.pk}/"
    assert (program.budget_vnd, program.default_amount_vnd, program.cap_per_person_vnd) == (
        50_000_000,
        2_000_000,
        2_000_000,
    )
    assert program.starts_on == datetime.date(2020, 3, 1) and program.branch == tree.a_group
    page = text(client.get(response["Location"]))
    assert "Hỗ trợ đoàn viên bị ảnh hưởng dịch Covid-19" in page and "50.000.000\u00a0₫" in page


def test_programme_form_refuses_bad_input(client, officer_a, tree):
    client.force_login(officer_a)
    cases = [
        {"branch": str(tree.b.pk)},  # outside the scope
        {"ends_on": "01/02/2020"},  # ends before it starts
        {"budget_vnd": "1,5"},  # no fractions of a đồng
        {"budget_vnd": "-5"},
        {"default_amount_vnd": "3.000.000"},  # above the cap
    ]
    for changes in cases:
        response = client.post(f"{BASE}them/", programme_data(tree.a, **changes))
        assert response.status_code == 200, changes
        assert response.context["form"].errors, changes
    assert not AidProgram.objects.exists()
    response = client.post(f"{BASE}them/", programme_data(tree.a, ends_on="01/02/2020"))
    assert _("The programme cannot end before it starts.") in text(response)


def test_editing_a_programme_with_records_keeps_its_branch(
    client, program, people, officer_a, tree
):
    give(program, officer_a, [people.lan])
    client.force_login(officer_a)
    data = programme_data(tree.a_group, code=program.code, name="Quà Tết 2020", is_open="")
    response = client.post(f"{BASE}{program.pk}/sua/", data)
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Quà Tết 2020" and not program.is_open
    assert program.branch == tree.a  # disabled field: the posted branch is ignored
    assert program.history.count() == 2


# One record -------------------------------------------------------------------------------


def record_data(**changes):
    data = {
        "card_number": "",
        "branch": "",
        "date": "20/01/2020",
        "amount_vnd": "1.000.000",
        "item": "",
        "quantity": "",
        "unit": "",
        "value_vnd": "",
        "note": "",
        "status": "proposed",
    }
    data.update(changes)
    return data


def test_a_single_record_by_card_number(client, program, people, officer_a):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan/"
    form = text(client.get(url))
    assert 'list="member-cards"' in form and "DVA01" in form and "DVB01" not in form
    response = client.post(url, record_data(card_number="dv-a-01", status="approved"))
    assert response.status_code == 302
    record = AidRecord.objects.get()
    assert (record.member, record.branch, record.amount_vnd, record.status) == (
        people.lan,
        people.lan.branch,
        1_000_000,
        "approved",
    )
    assert record.created_by == officer_a and record.approved_by == officer_a
    assert record.date == DAY
    assert services.committed_total(program) == 1_000_000


def test_service_refusals_show_on_the_form_and_nothing_is_saved(
    client, program, people, officer_a, tree
):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan/"

    def refused(data, url=url):
        response = client.post(url, data)
        assert response.status_code == 200
        assert not AidRecord.objects.filter(status__in=["proposed", "approved"]).exclude(
            pk__in=kept
        )
        return text(response)

    kept = []
    # Over the cap per person.
    page = refused(record_data(card_number="DVA01", amount_vnd="2.500.000"))
    assert _("Nothing was saved:") in page and "2.000.000\u00a0₫" in page
    # Over the budget, with how much is left.
    give(program, officer_a, [MemberFactory(branch=tree.a) for _ in range(5)], amount=2_000_000)
    kept = list(AidRecord.objects.values_list("pk", flat=True))
    program.budget_vnd = 11_500_000
    program.save()
    page = refused(record_data(card_number="DVA01", amount_vnd="2.000.000", status="approved"))
    assert "1.500.000\u00a0₫" in page and "2.000.000\u00a0₫" in page
    # A card number outside the officer's scope is not even looked up.
    page = refused(record_data(card_number="DVB01"))
    assert _("No member of your branches has this card number.") in page
    # Neither a member nor a branch, or both.
    page = refused(record_data())
    assert _("Give the member's card number, or a branch for a collective gift.") in page
    refused(record_data(card_number="DVA01", branch=tree.a.pk))
    # A closed programme takes nothing.
    program.is_open = False
    program.save()
    page = refused(record_data(card_number="DVA01"))
    assert _("The programme is closed: it takes no new records.") in page


def test_a_member_outside_the_programmes_branch_is_refused(client, people, officer_a, tree):
    program = ProgramFactory(branch=tree.a_group)
    client.force_login(officer_a)
    response = client.post(
        f"{BASE}{program.pk}/ghi-nhan/", record_data(card_number=people.hung.card_number)
    )
    assert response.status_code == 200 and not AidRecord.objects.exists()
    page = text(response)
    assert "Trần Văn Hùng" in page and tree.a_group.name in page


def test_a_duplicate_needs_the_confirmation_box(client, program, people, officer_a):
    give(program, officer_a, [people.lan])
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan/"
    assert 'name="confirm_duplicate"' not in text(client.get(url))
    response = client.post(url, record_data(card_number="DVA01"))
    page = text(response)
    assert 'name="confirm_duplicate"' in page and "Nguyễn Thị Lan" in page
    assert AidRecord.objects.count() == 1
    response = client.post(url, record_data(card_number="DVA01", confirm_duplicate="on"))
    assert response.status_code == 302
    second = AidRecord.objects.latest("id")
    assert AidRecord.objects.count() == 2 and second.duplicate_confirmed


def test_a_collective_gift_of_masks_to_a_branch(client, program, people, officer_a, tree):
    client.force_login(officer_a)
    response = client.post(
        f"{BASE}{program.pk}/ghi-nhan/",
        record_data(
            branch=tree.a_group.pk,
            amount_vnd="",
            item="Khẩu trang vải kháng khuẩn",
            quantity="11200",
            unit="chiếc",
            value_vnd="0",
            status="approved",
        ),
    )
    assert response.status_code == 302
    record = AidRecord.objects.get()
    assert record.member is None and record.branch == tree.a_group
    assert (record.item, record.quantity, record.unit, record.amount_vnd) == (
        "Khẩu trang vải kháng khuẩn",
        11_200,
        "chiếc",
        0,
    )
    page = text(client.get(f"{BASE}{program.pk}/"))
    assert "Khẩu trang vải kháng khuẩn: 11200 chiếc" in page
    assert _("Collective gift") in page


def test_goods_without_a_quantity_or_a_name_are_refused(client, program, people, officer_a):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan/"
    client.post(url, record_data(card_number="DVA01", amount_vnd="", item="Gạo"))
    client.post(url, record_data(card_number="DVA01", quantity="10"))
    assert not AidRecord.objects.exists()


# Bulk -------------------------------------------------------------------------------------


@pytest.fixture
def families(tree):
    """Three members of A's subtree in a policy group, two not, one in B (out of scope)."""

    class Families:
        policy = [
            MemberFactory(branch=tree.a, full_name="Lê Văn Thương", policy_group="war_invalid"),
            MemberFactory(
                branch=tree.a_group, full_name="Vũ Thị Mai", policy_group="child_of_martyr"
            ),
            MemberFactory(
                branch=tree.a_group, full_name="Hoàng Văn Nam", policy_group="child_of_war_invalid"
            ),
        ]
        others = [MemberFactory(branch=tree.a, hardship=True), MemberFactory(branch=tree.a)]
        outside = MemberFactory(branch=tree.b, policy_group="war_invalid", full_name="Bên B")

    return Families


def bulk_post(members, amounts=None, **changes):
    data = {
        "date": "20/01/2020",
        "status": "approved",
        "item": "",
        "quantity": "",
        "unit": "",
        "value_vnd": "",
        "note": "Thăm hỏi gia đình chính sách",
        "selected": [str(m.pk) for m in members],
    }
    for member in members:
        data[f"amount_{member.pk}"] = (amounts or {}).get(member.pk, "1.000.000")
    data.update(changes)
    return data


def test_bulk_from_a_filtered_list_end_to_end(client, program, families, officer_a):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/?policy_group=any"
    response = client.get(url)
    rows = response.context["rows"]
    assert [r["member"] for r in rows] and {r["member"].pk for r in rows} == {
        m.pk for m in families.policy
    }
    assert all(r["ticked"] and r["amount"] == "1.000.000" for r in rows)
    page = text(response)
    assert page.count('name="selected"') == 3 and "Bên B" not in page
    response = client.post(url, bulk_post(families.policy))
    assert response.status_code == 302 and response["Location"] == f"{BASE}{program.pk}/"
    records = AidRecord.objects.filter(program=program)
    assert records.count() == 3 and set(records.values_list("status", flat=True)) == {"approved"}
    assert services.committed_total(program) == 3_000_000
    assert services.remaining_budget(program) == 7_000_000
    detail = text(client.get(response["Location"]))
    assert "3.000.000\u00a0₫" in detail and "7.000.000\u00a0₫" in detail
    assert "30%" in detail


def test_bulk_amounts_can_be_adjusted_and_members_unticked(client, program, families, officer_a):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/?policy_group=any"
    chosen = families.policy[:2]
    response = client.post(
        url, bulk_post(chosen, amounts={chosen[0].pk: "1500000", chosen[1].pk: "500.000 ₫"})
    )
    assert response.status_code == 302
    amounts = dict(AidRecord.objects.values_list("member_id", "amount_vnd"))
    assert amounts == {chosen[0].pk: 1_500_000, chosen[1].pk: 500_000}


def test_bulk_flags_members_who_already_have_a_record(client, program, families, officer_a):
    give(program, officer_a, families.policy[:1])
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/?policy_group=any"
    rows = {r["member"].pk: r for r in client.get(url).context["rows"]}
    first = families.policy[0].pk
    assert rows[first]["already"] and not rows[first]["ticked"]
    assert all(r["ticked"] and not r["already"] for pk, r in rows.items() if pk != first)
    # Ticking the flagged member without the confirmation is refused as a whole.
    response = client.post(url, bulk_post(families.policy))
    assert response.status_code == 200 and AidRecord.objects.count() == 1
    assert "Lê Văn Thương" in " ".join(response.context["problems"])
    assert response.context["rows"][0]["ticked"]  # what was posted stays ticked
    response = client.post(url, bulk_post(families.policy, confirm_duplicates="on"))
    assert response.status_code == 302 and AidRecord.objects.count() == 4
    confirmed = AidRecord.objects.filter(duplicate_confirmed=True)
    assert list(confirmed.values_list("member_id", flat=True)) == [first]


def test_bulk_filters_by_hardship_category_branch_and_childrens_ages(
    client, tree, families, officer_a
):
    program = ProgramFactory(
        branch=tree.a, kind="children", starts_on=datetime.date(2020, 6, 1), budget_vnd=None
    )
    young, older, none = families.policy
    Dependant.objects.create(
        member=young, full_name="Bé Na", date_of_birth=datetime.date(2014, 6, 2), gender="female"
    )  # 5 on 1 June 2020
    Dependant.objects.create(
        member=older, full_name="Bé Tí", date_of_birth=datetime.date(2004, 6, 1), gender="male"
    )  # 16 on 1 June 2020
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/"

    def listed(**filters):
        return {r["member"] for r in client.get(url, filters).context["rows"]}

    assert listed(child_age_min=0, child_age_max=15) == {young}
    assert listed(child_age_min=6, child_age_max=16) == {older}
    assert listed(child_age_max=16) == {young, older}
    assert none not in listed(child_age_min=0)
    assert listed(hardship="1") == {families.others[0]}
    assert listed(branch=tree.a_group.pk) == {older, none}
    assert listed(policy_group="war_invalid") == {young}
    assert families.outside not in listed()
    assert client.get(url, {"branch": tree.b.pk}).context["filters"].errors


def test_bulk_refuses_a_crafted_member_id_outside_the_scope(client, program, families, officer_a):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/?policy_group=any"
    response = client.post(url, bulk_post([*families.policy, families.outside]))
    assert response.status_code == 200
    assert not AidRecord.objects.exists()
    assert response.context["problems"]
    response = client.post(url, bulk_post(families.policy, selected=["abc"]))
    assert response.status_code == 200 and not AidRecord.objects.exists()


def test_bulk_shows_service_refusals_and_saves_nothing(client, program, families, officer_a):
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/?policy_group=any"
    amounts = {families.policy[0].pk: "3.000.000", families.policy[1].pk: "1.0.0"}
    response = client.post(url, bulk_post(families.policy, amounts=amounts))
    assert response.status_code == 200 and not AidRecord.objects.exists()
    assert "Vũ Thị Mai" in " ".join(response.context["problems"])
    response = client.post(url, bulk_post(families.policy, amounts={families.policy[0].pk: "3tr"}))
    assert response.status_code == 200 and not AidRecord.objects.exists()
    response = client.post(url, bulk_post(families.policy[:1], amounts={}, date="01/01/2021"))
    assert response.status_code == 200 and not AidRecord.objects.exists()
    assert "31/12/2020" in " ".join(response.context["problems"])
    response = client.post(url, bulk_post([]))
    assert response.status_code == 200 and _("Tick at least one member.") in text(response)


@pytest.mark.parametrize("size", [30, 300])
def test_saving_a_bulk_list_takes_a_bounded_number_of_queries(
    client, tree, officer_a, size, django_assert_max_num_queries
):
    members = MemberFactory.create_batch(size, branch=tree.a_group, hardship=True)
    program = ProgramFactory(branch=tree.a, budget_vnd=None, cap_per_person_vnd=None)
    client.force_login(officer_a)
    url = f"{BASE}{program.pk}/ghi-nhan-hang-loat/?hardship=1"
    data = bulk_post(members, status="proposed")
    with django_assert_max_num_queries(25):
        response = client.post(url, data)
    assert response.status_code == 302
    assert AidRecord.objects.filter(program=program).count() == size
    assert AidRecord.history.filter(program_id=program.pk).count() == size


# Actions ----------------------------------------------------------------------------------


def test_approve_pay_cancel_and_delete(client, program, people, officer_a):
    first, second = give(program, officer_a, [people.lan, people.hung], status="proposed")
    client.force_login(officer_a)
    p = f"{BASE}{program.pk}/ban-ghi/"
    response = client.post(f"{p}{first.pk}/duyet/", {"back": "status=proposed&page=1&x=y"})
    assert response["Location"] == f"{BASE}{program.pk}/?status=proposed&page=1"
    first.refresh_from_db()
    assert first.status == "approved" and first.approved_by == officer_a
    client.post(f"{p}{first.pk}/da-chi/")
    first.refresh_from_db()
    assert first.status == "paid" and first.paid_by == officer_a
    # A paid record is never deleted: the service refuses and says so.
    response = client.post(f"{p}{first.pk}/xoa/", follow=True)
    assert AidRecord.objects.filter(pk=first.pk).exists()
    assert _("An approved or paid record is never deleted: cancel it with a reason.") in text(
        response
    )
    # Cancelling needs a reason.
    response = client.post(f"{p}{first.pk}/huy/", {"reason": "  "})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(f"{p}{first.pk}/huy/", {"reason": "Đoàn viên từ chối nhận"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == "cancelled" and first.cancel_reason == "Đoàn viên từ chối nhận"
    assert services.committed_total(program) == 0
    # A proposed record may be deleted.
    client.post(f"{p}{second.pk}/xoa/")
    assert not AidRecord.objects.filter(pk=second.pk).exists()
    # The actions answer POST only.
    assert client.get(f"{p}{first.pk}/duyet/").status_code == 405


def test_approving_over_the_budget_is_refused_with_a_message(client, program, people, officer_a):
    program.budget_vnd = 1_500_000
    program.save()
    give(program, officer_a, [people.lan])
    (proposed,) = give(program, officer_a, [people.hung], status="proposed")
    client.force_login(officer_a)
    response = client.post(f"{BASE}{program.pk}/ban-ghi/{proposed.pk}/duyet/", follow=True)
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert "500.000\u00a0₫" in text(response)


# Programme page, export, signature list ---------------------------------------------------


def test_the_programme_page_lists_records_filters_by_status_and_pages(
    client, program, people, officer_a, tree
):
    give(program, officer_a, [people.lan])
    give(program, officer_a, [people.hung], status="proposed")
    client.force_login(officer_a)
    page = text(client.get(f"{BASE}{program.pk}/"))
    assert "Nguyễn Thị Lan" in page and "Trần Văn Hùng" in page
    assert 'role="progressbar"' in page and "10%" in page
    page = text(client.get(f"{BASE}{program.pk}/?status=proposed"))
    assert "Trần Văn Hùng" in page and "Nguyễn Thị Lan" not in page
    program.budget_vnd = None
    program.save()
    give(program, officer_a, MemberFactory.create_batch(60, branch=tree.a), amount=100_000)
    response = client.get(f"{BASE}{program.pk}/?page=2")
    assert len(response.context["records"]) == 12 and 'rel="prev"' in text(response)


@pytest.mark.parametrize("size", [5, 200])
def test_the_programme_page_takes_a_bounded_number_of_queries(
    client, program, officer_a, tree, size, django_assert_max_num_queries
):
    program.budget_vnd = None
    program.save()
    give(program, officer_a, MemberFactory.create_batch(size, branch=tree.a), amount=100_000)
    AidRecord.objects.create(
        program=program, branch=tree.a_group, date=DAY, item="Gạo", quantity=20, unit="kg"
    )
    client.force_login(officer_a)
    client.get(f"{BASE}{program.pk}/")  # the site settings row is created on a first visit
    with django_assert_max_num_queries(10):
        assert client.get(f"{BASE}{program.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"{BASE}{program.pk}/?status=approved&page=2").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"{BASE}{program.pk}/ky-nhan/").status_code == 200


def test_the_xlsx_export(client, program, people, officer_a, tree):
    give(program, officer_a, [people.lan], amount=1_500_000)
    (cancelled,) = give(program, officer_a, [people.hung], status="proposed")
    services.cancel_aid(record=cancelled, by=officer_a, reason="Trùng danh sách")
    services.record_aid(
        program=program,
        by=officer_a,
        date=DAY,
        entries=[
            AidInput(
                member=None,
                branch=tree.a_group,
                item="Khẩu trang vải kháng khuẩn",
                quantity=11_200,
                unit="chiếc",
                value_vnd=56_000,
            )
        ],
        status="paid",
    )
    client.force_login(officer_a)
    response = client.get(f"{BASE}{program.pk}/?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "attachment" in response["Content-Disposition"]
        and "tet2020" in (response["Content-Disposition"])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = rows[0]
    assert header[2] == _("Beneficiary") and header[6] == _("Cash (đồng)")
    body = {row[2]: row for row in rows[1:-1]}
    assert set(body) == {"Nguyễn Thị Lan", "Trần Văn Hùng", _("Collective gift")}
    lan = body["Nguyễn Thị Lan"]
    assert lan[1] == "DVA01" and lan[3] == people.lan.branch.name and lan[6] == 1_500_000
    assert lan[4].date() == DAY
    masks = body[_("Collective gift")]
    assert masks[7:11] == ["Khẩu trang vải kháng khuẩn", 11_200, "chiếc", 56_000]
    totals = rows[-1]
    assert totals[6] == 1_500_000 and totals[10] == 56_000  # the cancelled record left out
    assert sheet.cell(row=2, column=7).number_format == "#,##0"
    assert sheet.cell(row=len(rows), column=7).number_format == "#,##0"
    assert sheet.cell(row=2, column=5).number_format == "DD/MM/YYYY"
    # The status filter applies to the export too.
    response = client.get(f"{BASE}{program.pk}/?status=cancelled&export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [row[2].value for row in sheet.iter_rows(min_row=2)] == ["Trần Văn Hùng", None]


def test_the_signature_list(client, program, officer_a, tree):
    program.budget_vnd = program.cap_per_person_vnd = None
    program.save()
    in_group = MemberFactory(branch=tree.a_group, full_name="An Văn Cuối")
    in_a = [MemberFactory(branch=tree.a, full_name=name) for name in ("Vũ Thị Mai", "Bùi Văn An")]
    give(program, officer_a, [in_group, *in_a], amount=48_000_000)
    give(program, officer_a, [MemberFactory(branch=tree.a)], status="proposed")
    (paid,) = give(program, officer_a, [MemberFactory(branch=tree.a, full_name="Đỗ Paid")])
    services.mark_paid(record=paid, by=officer_a)
    (cancelled,) = give(program, officer_a, [MemberFactory(branch=tree.a, full_name="Hủy Bỏ")])
    services.cancel_aid(record=cancelled, by=officer_a, reason="Nhầm")
    client.force_login(officer_a)
    response = client.get(f"{BASE}{program.pk}/ky-nhan/")
    page = text(response)
    assert _("Signature list") in page and program.name in page
    assert "css/print_list.css" in page and "<script>" not in page
    names = [r.member.full_name for r in response.context["records"]]
    # Members first, by branch (code) then name; proposed and cancelled records not listed.
    assert names == ["Bùi Văn An", "Đỗ Paid", "Vũ Thị Mai", "An Văn Cuối"]
    assert response.context["total"] == 3 * 48_000_000 + 1_000_000
    assert "145.000.000\u00a0₫" in page
    assert "Một trăm bốn mươi lăm triệu đồng" in page
    assert _("Prepared by") in page and _("Chair of the trade union") in page


def test_the_signature_list_total_of_the_tet_gifts(client, program, officer_a, tree):
    program.budget_vnd = 144_000_000
    program.cap_per_person_vnd = None
    program.save()
    give(program, officer_a, MemberFactory.create_batch(144, branch=tree.a_group))
    client.force_login(officer_a)
    page = text(client.get(f"{BASE}{program.pk}/ky-nhan/"))
    assert "144.000.000\u00a0₫" in page and "Một trăm bốn mươi bốn triệu đồng" in page
