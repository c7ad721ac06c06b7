"""The programme page's table: each record's links and action forms lead to that record, and the
budget figures follow the records' statuses on the next request."""

import datetime
import html
import re

import pytest
from django.urls import reverse

from tests.factories import MemberFactory, ProgramFactory
from welfare import services
from welfare.models import AidRecord
from welfare.services import AidInput

pytestmark = pytest.mark.django_db
DAY = datetime.date(2020, 1, 20)


@pytest.fixture
def program(tree):
    return ProgramFactory(
        code="TET2020",
        name="Quà Tết Canh Tý 2020",
        branch=tree.a,
        budget_vnd=10_000_000,
        default_amount_vnd=1_000_000,
        cap_per_person_vnd=None,
    )


def give(program, by, member, amount, status):
    (record,) = services.record_aid(
        program=program,
        by=by,
        date=DAY,
        entries=[AidInput(member=member, amount_vnd=amount)],
        status=status,
    )
    return record


def page_of(client, program):
    return html.unescape(client.get(f"/can-bo/ho-tro/{program.pk}/").content.decode())


def row_of(page, text):
    """The table row that holds ``text``."""
    return next(row for row in re.findall(r"<tr>.*?</tr>", page, re.S) if text in row)


def actions(row):
    return re.findall(r'<form method="post" action="([^"]+)"', row)


def test_each_row_links_and_acts_on_its_own_record(client, program, officer_a, tree):
    proposed = give(
        program, officer_a, MemberFactory(branch=tree.a, full_name="Lê An"), 1, "proposed"
    )
    approved = give(
        program, officer_a, MemberFactory(branch=tree.a, full_name="Vũ Mai"), 1, "approved"
    )
    client.force_login(officer_a)
    page = page_of(client, program)

    def url(name, record):
        return reverse(name, kwargs={"pk": program.pk, "record_pk": record.pk})

    row = row_of(page, "Lê An")
    assert f'<a href="{url("aid:record", proposed)}">' in row
    assert actions(row) == [
        url("aid:record-approve", proposed),
        url("aid:record-delete", proposed),
        url("aid:record-cancel", proposed),
    ]
    row = row_of(page, "Vũ Mai")
    assert f'<a href="{url("aid:record", approved)}">' in row
    assert actions(row) == [url("aid:record-pay", approved), url("aid:record-cancel", approved)]

    # The address taken from the page does what its button says.
    client.post(actions(row_of(page, "Lê An"))[0])
    proposed.refresh_from_db()
    assert proposed.status == AidRecord.Status.APPROVED
    assert client.get(re.search(r'<a href="([^"]+)">', row).group(1)).status_code == 200


def test_the_budget_follows_approvals_and_cancellations(client, program, officer_a, tree):
    members = MemberFactory.create_batch(3, branch=tree.a)
    give(program, officer_a, members[0], 1_000_000, "approved")
    proposed = give(program, officer_a, members[1], 2_000_000, "proposed")
    paid = give(program, officer_a, members[2], 500_000, "approved")
    services.mark_paid(record=paid, by=officer_a)
    client.force_login(officer_a)
    page = page_of(client, program)
    assert "1.500.000\u00a0₫" in page and "15%" in page
    assert "8.500.000\u00a0₫" in page  # left
    assert "2.000.000\u00a0₫" in page  # proposed, awaiting approval

    services.approve_aid(record=proposed, by=officer_a)
    page = page_of(client, program)
    assert "3.500.000\u00a0₫" in page and "35%" in page and "6.500.000\u00a0₫" in page

    services.cancel_aid(record=paid, by=officer_a, reason="Trả lại")
    page = page_of(client, program)
    assert "3.000.000\u00a0₫" in page and "30%" in page and "7.000.000\u00a0₫" in page
    assert "Trả lại" in row_of(page, paid.member.full_name)
