"""Money and dates the Vietnamese way."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from portal.templatetags.portal_tags import format_vnd


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (144_000_000, "144.000.000\u00a0₫"),
        (0, "0\u00a0₫"),
        (2_000_000, "2.000.000\u00a0₫"),
        (None, ""),
    ],
)
def test_money_is_shown_in_dong(amount, shown):
    assert format_vnd(amount) == shown


def test_dates_and_times_show_as_dd_mm_yyyy_in_hanoi_time():
    moment = datetime.datetime(2020, 7, 22, 1, 58, tzinfo=datetime.UTC)  # 08:58 in Hà Nội
    template = Template('{{ moment|date:"DATETIME_FORMAT" }} {{ day|date:"SHORT_DATE_FORMAT" }}')
    with translation.override("vi"), timezone.override("Asia/Ho_Chi_Minh"):
        rendered = template.render(Context({"moment": moment, "day": datetime.date(2020, 7, 20)}))
    assert rendered == "22/07/2020 - 08:58 20/07/2020"
