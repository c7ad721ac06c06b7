"""Donation campaigns: the officers' pages (scope, forms, totals) and the public pages."""

import datetime

import pytest
from django.urls import reverse

from tests.factories import BranchFactory, CampaignFactory, MemberFactory
from welfare.models import Campaign, Contribution

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 4, 10)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def campaign(tree):
    return CampaignFactory(
        branch=tree.a,
        code="VD-A",
        name="Chung tay phòng, chống dịch Covid-19",
        slug="chung-tay-phong-chong-dich",
        description="Ủng hộ đồng bào khó khăn vì dịch bệnh.",
        goal_vnd=400_000_000,
        is_public=True,
    )


def give(campaign, direction="in", **values):
    values.setdefault("amount_vnd", 1_000_000)
    values.setdefault("date", DAY)
    if not any(values.get(name) for name in ("member", "branch", "party")):
        values["party"] = "Công ty Cổ phần Bình An"
    return Contribution.objects.create(campaign=campaign, direction=direction, **values)


def detail_url(campaign):
    return reverse("campaigns:detail", kwargs={"pk": campaign.pk})


def post_in(client, campaign, **data):
    payload = {"in-date": "10/04/2020", "in-channel": "cash"}
    payload.update({f"in-{name}": value for name, value in data.items()})
    return client.post(reverse("campaigns:add-in", kwargs={"pk": campaign.pk}), payload)


def post_out(client, campaign, **data):
    payload = {"out-date": "10/04/2020", "out-channel": "other"}
    payload.update({f"out-{name}": value for name, value in data.items()})
    return client.post(reverse("campaigns:add-out", kwargs={"pk": campaign.pk}), payload)


# --- Who may see what -------------------------------------------------------------------------


def test_urls_are_the_documented_ones(campaign):
    assert reverse("campaigns:list") == "/can-bo/quyen-gop/"
    assert reverse("campaigns:create") == "/can-bo/quyen-gop/them/"
    assert detail_url(campaign) == f"/can-bo/quyen-gop/{campaign.pk}/"
    assert reverse("campaigns:edit", kwargs={"pk": campaign.pk}).endswith("/sua/")
    assert reverse("campaigns:public-list") == "/quyen-gop/"
    assert reverse("campaigns:public", kwargs={"slug": campaign.slug}) == (
        "/quyen-gop/chung-tay-phong-chong-dich/"
    )


def test_anonymous_people_sign_in_and_non_officers_get_404(client, client_for, campaign, member):
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    signed_in = client_for(member)
    for url in (
        reverse("campaigns:list"),
        reverse("campaigns:create"),
        detail_url(campaign),
        reverse("campaigns:edit", kwargs={"pk": campaign.pk}),
    ):
        assert signed_in.get(url).status_code == 404, url
    assert post_in(signed_in, campaign, party="X", **{"amount_vnd": "1000"}).status_code == 404


def test_officers_see_their_subtree_and_404_elsewhere(client_for, tree, campaign, officer_b):
    other = CampaignFactory(branch=tree.b, name="Vận động của B")
    client = client_for(officer_b)
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert "Vận động của B" in listing and campaign.name not in listing
    assert client.get(detail_url(campaign)).status_code == 404
    assert client.get(reverse("campaigns:edit", kwargs={"pk": campaign.pk})).status_code == 404
    response = post_in(client, campaign, party="Nhà hảo tâm", amount_vnd="5000000")
    assert response.status_code == 404
    assert not Contribution.objects.exists()
    assert client.get(detail_url(other)).status_code == 200


def test_ministry_officer_sees_every_campaign(client_for, tree, campaign, ministry_officer):
    other = CampaignFactory(branch=tree.b)
    client = client_for(ministry_officer)
    assert client.get(detail_url(campaign)).status_code == 200
    assert client.get(detail_url(other)).status_code == 200


# --- Creating and editing ---------------------------------------------------------------------


def campaign_data(branch, **values):
    data = {
        "code": "vd 2020",
        "name": "Chung tay ủng hộ đồng bào miền Trung",
        "slug": "",
        "description": "Quyên góp giúp đồng bào bị lũ lụt.",
        "branch": branch.pk,
        "starts_on": "01/10/2020",
        "ends_on": "31/12/2020",
        "goal_vnd": "200.000.000",
        "is_public": "on",
    }
    data.update(values)
    return data


def test_create_folds_the_slug_the_vietnamese_way(client_for, tree, officer_a):
    client = client_for(officer_a)
    response = client.post(reverse("campaigns:create"), campaign_data(tree.a_group))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(campaign)
    assert campaign.slug == "chung-tay-ung-ho-dong-bao-mien-trung"
    assert campaign.code == "VD2020"
    assert campaign.goal_vnd == 200_000_000 and campaign.is_public
    assert campaign.ends_on == datetime.date(2020, 12, 31)
    assert campaign.history.count() == 1
    # A second campaign of the same name gets its own address.
    client.post(reverse("campaigns:create"), campaign_data(tree.a, code="VD2021"))
    assert Campaign.objects.get(code="VD2021").slug == "chung-tay-ung-ho-dong-bao-mien-trung-2"


def test_create_refuses_a_branch_outside_scope_and_bad_values(client_for, tree, officer_a):
    client = client_for(officer_a)
    response = client.post(
        reverse("campaigns:create"),
        campaign_data(tree.b, ends_on="01/01/2020", goal_vnd="2,5"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"branch", "ends_on", "goal_vnd"}
    assert not Campaign.objects.exists()


def test_code_and_slug_must_be_unique(client_for, tree, officer_a, campaign):
    client = client_for(officer_a)
    response = client.post(
        reverse("campaigns:create"),
        campaign_data(tree.a, code="vd-a", slug="chung-tay-phong-chong-dich"),
    )
    assert set(response.context["form"].errors) == {"code", "slug"}


def test_edit_keeps_scope(client_for, tree, officer_a, campaign):
    client = client_for(officer_a)
    url = reverse("campaigns:edit", kwargs={"pk": campaign.pk})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        campaign_data(
            tree.a, code="VD-A", name="Tên mới", slug=campaign.slug, is_public="", goal_vnd=""
        ),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Tên mới" and not campaign.is_public and campaign.goal_vnd is None
    assert campaign.slug == "chung-tay-phong-chong-dich"


# --- Contributions in and out -----------------------------------------------------------------


def test_contributions_in_from_a_member_a_branch_and_an_outside_donor(
    client_for, tree, officer_a, campaign
):
    donor = MemberFactory(branch=tree.a_group, card_number="DV777001")
    client = client_for(officer_a)
    response = post_in(client, campaign, card_number="dv 777 001", amount_vnd="500.000")
    assert response.status_code == 302 and response["Location"].endswith("#contributions")
    post_in(client, campaign, branch=tree.a.pk, amount_vnd="20000000", channel="bank")
    post_in(
        client,
        campaign,
        party="Công ty Cổ phần Bình An",
        item="Khẩu trang y tế",
        quantity="2.500",
        unit="chiếc",
        value_vnd="5.000.000",
    )
    by_member = Contribution.objects.get(member=donor)
    assert by_member.branch == tree.a_group  # the member's branch of the day
    assert by_member.amount_vnd == 500_000 and by_member.created_by == officer_a
    assert by_member.history.get().history_user == officer_a
    goods = Contribution.objects.get(item="Khẩu trang y tế")
    assert (goods.quantity, goods.value_vnd, goods.amount_vnd) == (2500, 5_000_000, 0)
    assert Contribution.objects.get(branch=tree.a, member=None).channel == "bank"

    page = client.get(detail_url(campaign))
    totals = page.context["totals"]
    # Raised counts money and the declared value of goods.
    assert totals["raised_vnd"] == 500_000 + 20_000_000 + 5_000_000
    assert totals["contributions"] == 3
    content = page.content.decode()
    assert "25.500.000" in content and donor.full_name in content


def test_disbursement_of_two_tonnes_of_rice(client_for, officer_a, campaign):
    give(campaign, amount_vnd=100_000_000)
    client = client_for(officer_a)
    response = post_out(
        client,
        campaign,
        party="Cây ATM gạo quận Cầu Giấy",
        item="Gạo",
        quantity="2.000",
        unit="kg",
        value_vnd="30.000.000",
    )
    assert response.status_code == 302
    rice = Contribution.objects.get(direction="out")
    assert (rice.party, rice.item, rice.quantity, rice.unit, rice.value_vnd) == (
        "Cây ATM gạo quận Cầu Giấy",
        "Gạo",
        2000,
        "kg",
        30_000_000,
    )
    totals = client.get(detail_url(campaign)).context["totals"]
    assert totals["given_vnd"] == 30_000_000
    assert totals["balance_vnd"] == 70_000_000


def test_service_errors_are_shown_on_the_form(client_for, tree, ministry_officer, campaign):
    # The ministry officer may see a member of B, but the campaign belongs to A.
    outsider = MemberFactory(branch=tree.b, card_number="DV888001")
    client = client_for(ministry_officer)
    response = post_in(client, campaign, card_number=outsider.card_number, amount_vnd="100000")
    assert response.status_code == 200
    assert "The member is not under the campaign&#x27;s branch." in response.content.decode()
    assert response.context["in_form"].non_field_errors()
    assert not Contribution.objects.exists()


def test_form_errors(client_for, tree, officer_a, campaign):
    other = MemberFactory(branch=tree.b, card_number="DV999001")
    client = client_for(officer_a)
    cases = [
        ({"amount_vnd": "100000"}, "__all__"),  # no donor at all
        ({"party": "A", "branch": tree.a.pk, "amount_vnd": "1"}, "__all__"),  # two donors
        ({"card_number": other.card_number, "amount_vnd": "1"}, "card_number"),  # out of scope
        ({"party": "A"}, "amount_vnd"),  # nothing given
        ({"party": "A", "item": "Gạo", "quantity": "10"}, "value_vnd"),  # goods without value
        ({"party": "A", "amount_vnd": "-5"}, "amount_vnd"),
        ({"party": "A", "amount_vnd": "20.000.000.000"}, "amount_vnd"),  # over the ceiling
        ({"party": "A", "amount_vnd": "1", "date": "01/01/2020"}, "date"),  # before the start
    ]
    for data, field in cases:
        response = post_in(client, campaign, **data)
        assert response.status_code == 200, data
        assert field in response.context["in_form"].errors, (
            data,
            response.context["in_form"].errors,
        )
    assert not Contribution.objects.exists()
    response = post_out(client, campaign, amount_vnd="1000")
    assert "Give one recipient" in response.content.decode()


def test_totals_by_branch(client_for, tree, officer_a, campaign):
    in_group = MemberFactory(branch=tree.a_group)
    give(campaign, member=in_group, amount_vnd=300_000)  # counted in the member's branch
    give(campaign, member=in_group, branch=tree.a_group, amount_vnd=200_000)
    give(campaign, branch=tree.a, amount_vnd=5_000_000, item="Gạo", quantity=100, value_vnd=1_000)
    give(campaign, party="Nhà hảo tâm", amount_vnd=7_000_000)
    give(campaign, "out", party="Cây ATM gạo", amount_vnd=1_000_000)
    rows = client_for(officer_a).get(detail_url(campaign)).context["by_branch"]
    assert [(row["name"], row["total_vnd"], row["count"]) for row in rows] == [
        (tree.a.name, 5_001_000, 1),
        (tree.a_group.name, 500_000, 2),
        ("Outside donors", 7_000_000, 1),
    ]


@pytest.mark.parametrize("count", [5, 200])
def test_detail_queries_do_not_grow(
    client_for, tree, officer_a, campaign, django_assert_max_num_queries, count
):
    members = [MemberFactory(branch=tree.a_group) for _ in range(3)]
    Contribution.objects.bulk_create(
        Contribution(
            campaign=campaign,
            direction="in" if n % 4 else "out",
            date=DAY,
            member=members[n % 3] if n % 2 else None,
            branch=tree.a if n % 3 == 0 else None,
            party="" if n % 2 else f"Nhà hảo tâm {n}",
            amount_vnd=1000 + n,
            created_by=officer_a,
        )
        for n in range(count)
    )
    client = client_for(officer_a)
    client.get(detail_url(campaign))  # warm the caches (site settings, navigation)
    with django_assert_max_num_queries(10):
        response = client.get(detail_url(campaign))
    assert response.context["totals"]["contributions"] == count
    with django_assert_max_num_queries(10):
        client.get(reverse("campaigns:list"))


# --- Public pages -----------------------------------------------------------------------------


def test_public_page_shows_totals_and_never_a_donor(client, tree, campaign):
    donor = MemberFactory(branch=tree.a_group, full_name="Phùng Thị Độc Đáo")
    give(campaign, member=donor, branch=tree.a_group, amount_vnd=1_234_567)
    give(campaign, branch=tree.a_group, amount_vnd=10_000_000)
    give(campaign, party="Ông Lê Văn Hảo Tâm", amount_vnd=7_654_321)
    give(campaign, party="Công ty Cổ phần Bình An", amount_vnd=1_000_000)
    recipient = MemberFactory(branch=tree.a, full_name="Đoàn Thị Nhận Quà")
    give(campaign, "out", member=recipient, branch=tree.a, amount_vnd=2_345_678)
    give(
        campaign,
        "out",
        party="Cây ATM gạo quận Cầu Giấy",
        amount_vnd=0,
        item="Gạo",
        quantity=2000,
        unit="kg",
        value_vnd=30_000_000,
    )
    response = client.get(reverse("campaigns:public", kwargs={"slug": campaign.slug}))
    assert response.status_code == 200
    content = response.content.decode()
    for secret in (
        donor.full_name,
        donor.card_number,
        ">1.234.567",
        "Ông Lê Văn Hảo Tâm",
        "Công ty Cổ phần Bình An",
        ">7.654.321",
        recipient.full_name,
        recipient.card_number,
    ):
        assert secret not in content, secret
    # The branch sums, the goal, the progress and what was given away are there.
    assert tree.a_group.name in content and "11.234.567" in content
    assert "Outside donors" in content and "8.654.321" in content
    assert "400.000.000" in content and "Chung tay phòng, chống dịch Covid-19" in content
    assert "Cây ATM gạo quận Cầu Giấy" in content and "Gạo" in content
    assert "2.000 kg" in content and "30.000.000" in content
    assert "Support to 1 union member" in content
    assert '<progress class="w-100" max="100" value="4"' in content  # 19.888.888 of 400 million
    assert "19.888.888" in content and "(4%)" in content
    assert "01/03/2020" in content  # dd/mm/yyyy


def test_non_public_campaigns_are_404_even_to_officers(client_for, client, tree, officer_a):
    hidden = CampaignFactory(branch=tree.a, is_public=False, slug="noi-bo", name="Nội bộ")
    assert client.get("/quyen-gop/noi-bo/").status_code == 404
    assert client_for(officer_a).get("/quyen-gop/noi-bo/").status_code == 404
    assert "Nội bộ" not in client.get("/quyen-gop/").content.decode()
    assert hidden.pk


def test_public_list(client, tree, campaign):
    give(campaign, amount_vnd=100_000_000)
    content = client.get(reverse("campaigns:public-list")).content.decode()
    assert campaign.name in content and "/quyen-gop/chung-tay-phong-chong-dich/" in content
    assert "100.000.000" in content and "(25%)" in content


def test_public_page_queries(client, tree, campaign, django_assert_max_num_queries):
    branches = [BranchFactory(parent=tree.root) for _ in range(5)]
    for n in range(60):
        give(
            campaign,
            member=MemberFactory(branch=branches[n % 5]) if n % 2 else None,
            branch=branches[n % 5] if n % 3 == 0 else None,
            amount_vnd=1000 + n,
        )
        if n % 10 == 0:
            give(campaign, "out", party=f"Nơi nhận {n}", amount_vnd=500)
    url = reverse("campaigns:public", kwargs={"slug": campaign.slug})
    client.get(url)
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reverse("campaigns:public-list")).status_code == 200
