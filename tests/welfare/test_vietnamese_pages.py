"""Every officer and member page of the welfare and unions areas renders with no English words."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import CampaignFactory, MemberFactory, ProgramFactory
from tests.portal.test_translations import english_in, visible_text
from welfare import services
from welfare.models import SupportRequest
from welfare.services import AidInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(tree, officer_a, member):
    program = ProgramFactory(branch=tree.a, ends_on=datetime.date(2099, 12, 31))
    person = MemberFactory(branch=tree.a)
    (record,) = services.record_aid(
        program=program,
        by=officer_a,
        date=datetime.date(2020, 2, 1),
        entries=[AidInput(member=person, amount_vnd=1_000_000)],
        status="approved",
    )
    campaign = CampaignFactory(branch=tree.a)
    request = SupportRequest.objects.create(
        member=member.member,
        kind="sickness",
        description="Ốm",
        happened_on=datetime.date(2024, 1, 2),
        consent_given_at=timezone.now(),
    )
    return {
        "program": program,
        "record": record,
        "campaign": campaign,
        "request": request,
        "person": person,
    }


def officer_urls(o):
    p, r, c = o["program"].pk, o["record"].pk, o["campaign"].pk
    return [
        "/can-bo/",
        "/can-bo/cong-doan/",
        "/can-bo/doan-vien/",
        f"/can-bo/doan-vien/{o['person'].pk}/",
        f"/can-bo/doan-vien/{o['person'].pk}/sua/",
        f"/can-bo/doan-vien/{o['person'].pk}/chuyen/",
        f"/can-bo/doan-vien/{o['person'].pk}/trang-thai/",
        "/can-bo/ho-tro/",
        "/can-bo/ho-tro/them/",
        f"/can-bo/ho-tro/{p}/",
        f"/can-bo/ho-tro/{p}/sua/",
        f"/can-bo/ho-tro/{p}/ghi-nhan/",
        f"/can-bo/ho-tro/{p}/ghi-nhan-hang-loat/",
        f"/can-bo/ho-tro/{p}/ky-nhan/",
        f"/can-bo/ho-tro/{p}/lich-su/",
        f"/can-bo/ho-tro/{p}/ban-ghi/{r}/",
        f"/can-bo/ho-tro/{p}/ban-ghi/{r}/huy/",
        "/can-bo/de-nghi/",
        f"/can-bo/de-nghi/{o['request'].pk}/",
        "/can-bo/quyen-gop/",
        "/can-bo/quyen-gop/them/",
        f"/can-bo/quyen-gop/{c}/",
        f"/can-bo/quyen-gop/{c}/lich-su/",
        "/can-bo/bao-cao/",
        "/can-bo/nhap-du-lieu/",
    ]


def test_officer_pages_are_vietnamese(client, officer_a, objects):
    client.force_login(officer_a)
    for url in officer_urls(objects):
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in(visible_text(response.content.decode())) == [], url


def test_member_and_public_pages_are_vietnamese(client, member, objects):
    client.force_login(member)
    urls = [
        "/doan-vien/",
        "/doan-vien/lien-he/",
        "/doan-vien/de-nghi-ho-tro/",
        "/doan-vien/de-nghi-ho-tro/moi/",
        f"/doan-vien/de-nghi-ho-tro/{objects['request'].pk}/",
        "/quyen-gop/",
        f"/quyen-gop/{objects['campaign'].slug}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_in(visible_text(response.content.decode())) == [], url
