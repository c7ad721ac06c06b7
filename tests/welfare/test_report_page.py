"""The officers' review page: scoped branch picker, presets, figures and downloads."""

import datetime
import io
import json

import openpyxl
import pytest

from tests.factories import MemberFactory, ProgramFactory
from welfare import services
from welfare.services import AidInput
from welfare.views_reports import preset_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def aid(tree, ministry_officer):
    program = ProgramFactory(branch=tree.root, budget_vnd=None)
    services.record_aid(
        program=program,
        by=ministry_officer,
        date=datetime.date(2020, 2, 1),
        entries=[AidInput(member=MemberFactory(branch=tree.a), amount_vnd=1_000_000)],
        status="paid",
    )


def test_presets():
    assert preset_period("h1", 2020) == (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
    assert preset_period("q1", 2024) == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert preset_period("h2", 2020) == (datetime.date(2020, 7, 1), datetime.date(2020, 12, 31))


def test_officer_sees_figures_of_their_subtree_and_downloads_them(client, officer_a, tree, aid):
    client.force_login(officer_a)
    url = f"/can-bo/bao-cao/?preset=h1&year=2020&branch={tree.a.pk}"
    html = client.get(url).content.decode()
    assert "1.000.000\u00a0₫" in html and "01/01/2020 – 30/06/2020" in html
    payload = json.loads(client.get(url + "&download=json").content)
    assert payload["aid"]["amount_vnd"] == 1_000_000 and payload["branch"]["code"] == "CDCS-A"
    book = openpyxl.load_workbook(io.BytesIO(client.get(url + "&download=xlsx").content))
    assert len(book.sheetnames) == 8  # summary, kind, branch, month, goods, campaigns, …


def test_another_branch_cannot_be_picked(client, officer_b, tree, aid):
    client.force_login(officer_b)
    response = client.get(f"/can-bo/bao-cao/?preset=h1&year=2020&branch={tree.a.pk}&download=json")
    assert response["Content-Type"].startswith("text/html")  # the form refuses the choice
    assert "1.000.000" not in response.content.decode()


def test_non_officers_get_404_and_bad_input_a_message(client, member, officer_a, tree):
    client.force_login(member)
    assert client.get("/can-bo/bao-cao/").status_code == 404
    client.force_login(officer_a)
    response = client.get(
        f"/can-bo/bao-cao/?preset=custom&year=2020&branch={tree.a.pk}&start=01/07/2020&end=01/01/2020"
    )
    assert response.status_code == 200 and "trước" in response.content.decode()
    assert client.get("/can-bo/bao-cao/?preset=h1&year=abc").status_code == 200


def test_opening_the_page_shows_this_half_year_for_the_scope(client, officer_a, tree):
    client.force_login(officer_a)
    response = client.get("/can-bo/bao-cao/")
    assert response.status_code == 200
    assert response.context["figures"]["branch"]["code"] == "CDCS-A"
