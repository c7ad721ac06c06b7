"""Officers see their branch and everything under it, never a sibling's; members see none of it."""

import csv
import datetime
import io

import openpyxl
import pytest

from tests.factories import BranchFactory, MemberFactory
from unions.models import Member, Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    """A member in A, one in A's group, one in B."""

    class People:
        in_a = MemberFactory(branch=tree.a, full_name="Lê Văn An", national_id="001085012345")
        in_a_group = MemberFactory(branch=tree.a_group, full_name="Phạm Thị Hoa", gender="female")
        in_b = MemberFactory(branch=tree.b, full_name="Đặng Quốc Bảo")

    return People


def officer_pages(tree, people):
    return [
        "/can-bo/",
        "/can-bo/cong-doan/",
        f"/can-bo/cong-doan/{tree.a.pk}/",
        "/can-bo/doan-vien/",
        f"/can-bo/doan-vien/{people.in_a.pk}/",
        f"/can-bo/doan-vien/{people.in_a.pk}/sua/",
        f"/can-bo/doan-vien/{people.in_a.pk}/chuyen/",
        f"/can-bo/doan-vien/{people.in_a.pk}/trang-thai/",
        "/can-bo/doan-vien/them/",
    ]


def test_anonymous_is_sent_to_sign_in(client, tree, people):
    for url in officer_pages(tree, people):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/tai-khoan/dang-nhap/"
        )


@pytest.mark.parametrize("persona", ["member", "outsider", "editor"])
def test_people_without_an_assignment_get_404(client, request, tree, people, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in officer_pages(tree, people):
        assert client.get(url).status_code == 404, url


def test_officer_of_a_sees_a_and_below_never_b(client, officer_a, tree, people):
    client.force_login(officer_a)
    for url in officer_pages(tree, people):
        assert client.get(url).status_code == 200, url
    listing = client.get("/can-bo/doan-vien/").content.decode()
    assert "Lê Văn An" in listing and "Phạm Thị Hoa" in listing
    assert "Đặng Quốc Bảo" not in listing
    for url in [
        f"/can-bo/cong-doan/{tree.b.pk}/",
        f"/can-bo/cong-doan/{tree.root.pk}/",
        f"/can-bo/doan-vien/{people.in_b.pk}/",
        f"/can-bo/doan-vien/{people.in_b.pk}/sua/",
        f"/can-bo/doan-vien/{people.in_b.pk}/chuyen/",
        f"/can-bo/doan-vien/{people.in_b.pk}/trang-thai/",
    ]:
        assert client.get(url).status_code == 404, url
    tree_page = client.get("/can-bo/cong-doan/").content.decode()
    assert (
        tree.a.name in tree_page and tree.a_group.name in tree_page and tree.b.name not in tree_page
    )


def test_ministry_officer_sees_everything(client, ministry_officer, tree, people):
    client.force_login(ministry_officer)
    listing = client.get("/can-bo/doan-vien/").content.decode()
    for name in ["Lê Văn An", "Phạm Thị Hoa", "Đặng Quốc Bảo"]:
        assert name in listing
    assert client.get(f"/can-bo/cong-doan/{tree.b.pk}/").status_code == 200


def test_an_ended_assignment_gives_no_scope(client, officer_a):
    assignment = officer_a.member.assignments.get()
    assignment.end_on = datetime.date(2021, 1, 1)
    assignment.save()
    client.force_login(officer_a)
    assert client.get("/can-bo/").status_code == 404


def test_exports_are_scoped_and_mask_the_national_id(client, officer_a, people):
    client.force_login(officer_a)
    response = client.get("/can-bo/doan-vien/?export=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Số thẻ đoàn viên"
    names = {row[1] for row in rows[1:]}
    assert "Lê Văn An" in names and "Đặng Quốc Bảo" not in names
    assert "001085012345" not in response.content.decode("utf-8-sig")
    assert "•••••••••345" in response.content.decode("utf-8-sig")
    response = client.get("/can-bo/doan-vien/?export=xlsx&q=le+van")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][1] == "Họ và tên"
    assert [row[1] for row in values[1:]] == ["Lê Văn An"]


def test_member_list_filters_and_accent_free_search(client, officer_a, tree, people):
    MemberFactory(
        branch=tree.a,
        full_name="Vũ Thị Mai",
        gender="female",
        hardship=True,
        policy_group="child_of_martyr",
    )
    client.force_login(officer_a)

    def names(query):
        html = client.get(f"/can-bo/doan-vien/?{query}").content.decode()
        return {n for n in ["Lê Văn An", "Phạm Thị Hoa", "Vũ Thị Mai"] if n in html}

    assert names("q=pham+thi") == {"Phạm Thị Hoa"}
    assert names("q=VU THI MAI") == {"Vũ Thị Mai"}
    assert names(f"q={people.in_a.card_number.lower()}") == {"Lê Văn An"}
    assert names("gender=female") == {"Phạm Thị Hoa", "Vũ Thị Mai"}
    assert names("hardship=1") == {"Vũ Thị Mai"}
    assert names("policy_group=any") == {"Vũ Thị Mai"}
    assert names(f"branch={tree.a_group.pk}") == {"Phạm Thị Hoa"}
    assert names("age_min=30&age_max=50") == {"Lê Văn An", "Phạm Thị Hoa", "Vũ Thị Mai"}
    assert names("age_min=60") == set()
    # A branch outside the scope is not a valid choice: the filter is refused, not applied.
    assert names(f"branch={tree.b.pk}") == {"Lê Văn An", "Phạm Thị Hoa", "Vũ Thị Mai"}
    for junk in [
        "page=abc",
        "page=999",
        "sort=evil",
        "age_min=-4",
        "joined_from=31/02/2020",
        "q=%00",
    ]:
        assert client.get(f"/can-bo/doan-vien/?{junk}").status_code == 200, junk


@pytest.mark.parametrize("count", [10, 300])
def test_member_list_query_count_does_not_grow(
    client, officer_a, tree, django_assert_max_num_queries, count
):
    group = BranchFactory(code="CDCS-A-T2", name="Tổ 2", level="group", parent=tree.a)
    MemberFactory.create_batch(count, branch=group)
    client.force_login(officer_a)
    client.get("/")
    url = f"/can-bo/doan-vien/?branch={tree.a.pk}&q=nguyen&sort=-joined"
    # First view of these filters: their fields are rendered (the branch options) and cached
    # under the branches' version (one more query); the next view takes them from the cache.
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_officer_creates_edits_transfers_and_marks_left(client, officer_a, tree, people):
    client.force_login(officer_a)
    data = {
        "card_number": "cd 0099-17",
        "full_name": "Hoàng   Minh Châu",
        "gender": "female",
        "date_of_birth": "05/09/1990",
        "national_id": "",
        "branch": tree.a_group.pk,
        "category": "public_employee",
        "job_title": "Chuyên viên",
        "work_unit": "Phòng Hành chính",
        "joined_on": "01/06/2015",
        "policy_group": "",
        "phone": "0987654321",
        "email": "chau@example.gov.vn",
        "children-TOTAL_FORMS": "1",
        "children-INITIAL_FORMS": "0",
        "children-0-full_name": "Nguyễn Hoàng Gia Bảo",
        "children-0-date_of_birth": "01/06/2018",
        "children-0-gender": "male",
    }
    response = client.post("/can-bo/doan-vien/them/", data)
    assert response.status_code == 302
    member = Member.objects.get(card_number="CD009917")
    assert member.full_name == "Hoàng Minh Châu" and member.dependants.count() == 1
    # Creating in B's branch is refused: the choice does not exist for officer A.
    response = client.post(
        "/can-bo/doan-vien/them/", {**data, "card_number": "X1", "branch": tree.b.pk}
    )
    assert response.status_code == 200 and not Member.objects.filter(card_number="X1").exists()
    # Bad dates get Vietnamese messages.
    response = client.post(
        "/can-bo/doan-vien/them/", {**data, "card_number": "X2", "date_of_birth": "01/01/2090"}
    )
    assert "Ngày sinh không được sau ngày hiện tại." in response.content.decode()
    # Transfer within A's scope, then out of it is not offered.
    response = client.post(
        f"/can-bo/doan-vien/{member.pk}/chuyen/",
        {"to_branch": tree.a.pk, "date": "01/10/2024", "reason": "Điều động"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.branch == tree.a and Transfer.objects.filter(member=member).count() == 1
    response = client.post(
        f"/can-bo/doan-vien/{member.pk}/chuyen/", {"to_branch": tree.b.pk, "date": "01/10/2024"}
    )
    assert response.status_code == 200
    member.refresh_from_db()
    assert member.branch == tree.a
    response = client.post(
        f"/can-bo/doan-vien/{member.pk}/trang-thai/",
        {"status": "left", "date": "15/10/2024", "reason": "Chuyển công tác ra ngoài Bộ"},
    )
    member.refresh_from_db()
    assert member.status == "left" and member.status_reason == "Chuyển công tác ra ngoài Bộ"
    detail = client.get(f"/can-bo/doan-vien/{member.pk}/").content.decode()
    assert "Điều động" in detail and "Chuyển công tác ra ngoài Bộ" in detail
    assert member.history.count() >= 3


def test_officer_of_b_cannot_post_to_a_member(client, officer_b, people):
    client.force_login(officer_b)
    response = client.post(
        f"/can-bo/doan-vien/{people.in_a.pk}/trang-thai/",
        {"status": "left", "date": "15/10/2024", "reason": "x"},
    )
    assert response.status_code == 404
    people.in_a.refresh_from_db()
    assert people.in_a.status == "active"


def test_admin_is_scoped_too(client, officer_a, tree, people):
    officer_a.is_staff = True
    officer_a.save()
    from django.contrib.auth.models import Group, Permission

    from portal.roles import GROUP_NAMES, OFFICER

    group = Group.objects.get(name=GROUP_NAMES[OFFICER])
    group.permissions.add(*Permission.objects.filter(content_type__app_label="unions"))
    client.force_login(officer_a)
    listing = client.get("/admin/unions/member/").content.decode()
    assert "Lê Văn An" in listing and "Đặng Quốc Bảo" not in listing
    assert (
        client.get(f"/admin/unions/member/{people.in_b.pk}/change/").status_code == 302
    )  # "does not exist"
    branches = client.get("/admin/unions/branch/").content.decode()
    assert tree.a.name in branches and tree.b.name not in branches
    form = client.get(f"/admin/unions/member/{people.in_a.pk}/change/").content.decode()
    assert f'value="{tree.b.pk}"' not in form
