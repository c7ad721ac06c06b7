"""The charts of the officers' review page: their data (json_script) equals the review's figures,
the drawing code is a deferred file (no inline script), every chart has a caption, a summary for
screen readers and the same numbers in a table; by-month figures; scope; the seed scenario."""

import datetime
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.factories import CampaignFactory, MemberFactory, ProgramFactory
from unions.models import Branch
from welfare import services
from welfare.models import Contribution
from welfare.reports import review
from welfare.services import AidInput

pytestmark = pytest.mark.django_db
D = datetime.date


class Page(HTMLParser):
    """What the tests look at: scripts, canvases, figures and tables (caption, rows of cells)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.scripts, self.canvases, self.figures, self.tables = [], [], [], []
        self._script = self._table = self._row = self._cell = self._caption = None
        self._figure = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._script = {"attrs": attrs, "text": ""}
        elif tag == "canvas":
            self.canvases.append(attrs)
            if self._figure is not None:
                self._figure["canvas"] = attrs
        elif tag == "figure":
            self._figure = {"canvas": None, "caption": ""}
        elif tag == "figcaption" and self._figure is not None:
            self._figure["in_caption"] = True
        elif tag == "table":
            self._table = {"caption": "", "rows": []}
        elif tag == "caption" and self._table is not None:
            self._caption = ""
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append(self._script)
            self._script = None
        elif tag == "figure" and self._figure is not None:
            self.figures.append(self._figure)
            self._figure = None
        elif tag == "figcaption" and self._figure is not None:
            self._figure["in_caption"] = False
        elif tag == "caption" and self._caption is not None:
            self._table["caption"] = self._caption.strip()
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(re.sub(r"[ \t\r\n]+", " ", self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table["rows"].append(self._row)
            self._row = None
        elif tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data
        if self._figure is not None and self._figure.get("in_caption"):
            self._figure["caption"] += data
        if self._caption is not None:
            self._caption += data
        if self._cell is not None:
            self._cell += data

    def table(self, caption):
        (table,) = [t for t in self.tables if t["caption"] == caption]
        return table["rows"]

    def data(self):
        (script,) = [s for s in self.scripts if s["attrs"].get("id") == "report-figures"]
        assert script["attrs"].get("type") == "application/json"
        return json.loads(script["text"])


def said(label, name):
    """The part of a chart's summary about ``name``: the summary is a sentence saying what the
    chart is, then one part a bar or month, separated by semicolons."""
    (part,) = [p for p in re.split(r"; |\. ", label.rstrip(".")) if p.startswith(f"{name}:")]
    return part


def give(program, by, date, entries, status="paid"):
    return services.record_aid(program=program, by=by, date=date, entries=entries, status=status)


@pytest.fixture
def figures_data(tree, ministry_officer):
    """Aid in January, March and June 2020 (nothing in the other months), under A and under B, and
    a campaign of A with a goal."""
    tet = ProgramFactory(branch=tree.root, kind="tet_gift", budget_vnd=None)
    hardship = ProgramFactory(branch=tree.root, kind="hardship", budget_vnd=None)
    in_a, in_b = MemberFactory(branch=tree.a_group), MemberFactory(branch=tree.b)
    by = ministry_officer
    give(tet, by, D(2020, 1, 31), [AidInput(member=in_a, amount_vnd=1_000_000)])
    give(tet, by, D(2020, 1, 31), [AidInput(member=in_b, amount_vnd=1_000_000)])
    give(hardship, by, D(2020, 3, 1), [AidInput(member=in_a, amount_vnd=2_500_000)])
    give(
        hardship,
        by,
        D(2020, 6, 30),
        [
            AidInput(
                member=None, branch=tree.b, item="Gạo", quantity=20, unit="kg", value_vnd=300_000
            )
        ],
    )
    campaign = CampaignFactory(branch=tree.a, goal_vnd=8_000_000, name="Ủng hộ đồng bào lũ lụt")
    for amount in (3_000_000, 2_000_000):
        Contribution.objects.create(
            campaign=campaign, direction="in", date=D(2020, 4, 2), party="X", amount_vnd=amount
        )
    return tree


def page_for(client, user, branch, query="preset=h1&year=2020"):
    client.force_login(user)
    response = client.get(f"/can-bo/bao-cao/?{query}&branch={branch.pk}")
    assert response.status_code == 200
    return response.content.decode(), Page(response.content.decode())


def test_chart_data_equals_the_review_and_the_script_is_a_deferred_file(
    client, ministry_officer, figures_data
):
    tree = figures_data
    _html, page = page_for(client, ministry_officer, tree.root)
    with translation.override("vi"):
        expected = review(branch=tree.root, start=D(2020, 1, 1), end=D(2020, 6, 30))
    data = page.data()
    for key in ("period", "branch", "aid", "campaigns", "support_requests", "members"):
        assert data[key] == expected[key]
    assert data["aid"]["by_kind"]["tet_gift"]["amount_vnd"] == 2_000_000
    assert [m["amount_vnd"] for m in data["aid"]["by_month"]] == [2_000_000, 0, 2_500_000, 0, 0, 0]
    (campaign,) = data["campaigns"]
    assert (campaign["raised_vnd"], campaign["goal_vnd"], campaign["goal_percent"]) == (
        5_000_000,
        8_000_000,
        62.5,
    )
    # Chart.js from the portal itself, then the page's chart code, both deferred; no inline code.
    sources = [s["attrs"].get("src", "") for s in page.scripts if "src" in s["attrs"]]
    chart_js = [s for s in sources if s.endswith("vendor/chartjs/chart.umd.min.js")]
    drawing = [s for s in sources if s.endswith("js/report-charts.js")]
    assert len(chart_js) == len(drawing) == 1
    assert sources.index(chart_js[0]) < sources.index(drawing[0])
    for script in page.scripts:
        if "src" in script["attrs"]:
            assert "defer" in script["attrs"] and not script["attrs"]["src"].startswith("http")
        else:
            assert script["attrs"].get("type") == "application/json"


def test_every_chart_has_a_caption_a_summary_and_the_labels_it_draws(
    client, ministry_officer, figures_data
):
    html, page = page_for(client, ministry_officer, figures_data.root)
    ids = [figure["canvas"]["id"] for figure in page.figures]
    assert ids == ["chart-by-kind", "chart-by-month", "chart-by-branch", "chart-campaigns"]
    for figure in page.figures:
        assert figure["caption"].strip()
        assert figure["canvas"]["role"] == "img"
    labels = {f["canvas"]["id"]: f["canvas"]["aria-label"] for f in page.figures}
    kind = said(labels["chart-by-kind"], "Quà Tết")
    assert "2.000.000\u00a0₫" in kind and " 2 " in kind
    assert "2.500.000\u00a0₫" in said(labels["chart-by-month"], "03/2020")
    june = said(labels["chart-by-month"], "06/2020")
    assert "0\u00a0₫" in june and "300.000\u00a0₫" in june
    assert "3.500.000\u00a0₫" in said(labels["chart-by-branch"], "Công đoàn Văn phòng Bộ")
    campaign = said(labels["chart-campaigns"], "Ủng hộ đồng bào lũ lụt")
    assert "5.000.000\u00a0₫" in campaign and "8.000.000\u00a0₫" in campaign
    # The words the script puts on the charts come from the page, translated.
    assert 'data-label-cash="Số tiền (đồng)"' in html
    assert 'data-label-beneficiaries="Số người được hỗ trợ"' in html


def test_the_by_month_and_campaign_tables_show_the_figures(client, ministry_officer, figures_data):
    _html, page = page_for(client, ministry_officer, figures_data.root)
    (table,) = [
        t for t in page.tables if len(t["rows"]) == 1 + 6 + 1 and t["rows"][1][0] == "01/2020"
    ]
    rows = table["rows"]
    assert rows[1] == ["01/2020", "2", "2", "2.000.000\u00a0₫", "0\u00a0₫"]
    assert rows[2] == ["02/2020", "0", "0", "0\u00a0₫", "0\u00a0₫"]
    assert rows[3] == ["03/2020", "1", "1", "2.500.000\u00a0₫", "0\u00a0₫"]
    assert rows[6] == ["06/2020", "1", "0", "0\u00a0₫", "300.000\u00a0₫"]
    assert rows[7][1:] == ["4", "2", "4.500.000\u00a0₫", "300.000\u00a0₫"]  # totals
    (campaigns,) = [t for t in page.tables if any("Ủng hộ đồng bào lũ lụt" in r for r in t["rows"])]
    (row,) = [r for r in campaigns["rows"] if r[0] == "Ủng hộ đồng bào lũ lụt"]
    assert row[1:4] == ["8.000.000\u00a0₫", "5.000.000\u00a0₫", "62,5%"]


def test_downloads_include_the_printable_review_and_word(client, ministry_officer, figures_data):
    html, _page = page_for(client, ministry_officer, figures_data.root)
    query = f"preset=h1&amp;year=2020&amp;branch={figures_data.root.pk}"
    assert f'href="{reverse("reports:print")}?{query}"' in html
    assert f'href="?{query}&amp;download=docx"' in html


def test_no_aid_gives_sentences_instead_of_empty_charts(client, officer_b, tree):
    html, page = page_for(client, officer_b, tree.b, "preset=h1&year=2030")
    assert page.canvases == [] and page.figures == []
    assert page.data()["aid"]["records"] == 0
    assert html.count('class="report-empty"') == 3 + 1  # three aid charts and the campaigns


def test_an_officer_of_a_sibling_branch_gets_no_figures_nor_chart_data(
    client, officer_b, figures_data
):
    client.force_login(officer_b)
    response = client.get(f"/can-bo/bao-cao/?preset=h1&year=2020&branch={figures_data.a.pk}")
    html = response.content.decode()
    page = Page(html)
    assert response.context["figures"] is None
    assert page.canvases == [] and "report-figures" not in html
    assert "report-charts.js" not in html and "2.500.000" not in html


def test_the_seed_scenario_in_the_charts_data_after_load_demo(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    root = Branch.objects.get(parent__isnull=True)
    canbo = get_user_model().objects.get(username="canbo")
    html, page = page_for(client, canbo, root)
    aid = page.data()["aid"]
    kinds = aid["by_kind"]
    assert (kinds["tet_gift"]["beneficiaries"], kinds["tet_gift"]["amount_vnd"]) == (
        144,
        144_000_000,
    )
    assert (kinds["hardship"]["beneficiaries"], kinds["hardship"]["amount_vnd"]) == (25, 50_000_000)
    assert (kinds["epidemic"]["beneficiaries"], kinds["epidemic"]["amount_vnd"]) == (19, 38_000_000)
    goods = {g["item"]: g["quantity"] for g in aid["in_kind"]}
    assert goods["Khẩu trang vải kháng khuẩn"] == 11_200 and goods["Khẩu trang y tế"] == 2_500
    # Six months, January to June, adding up to the period.
    assert [m["label"] for m in aid["by_month"]] == [f"0{n}/2020" for n in range(1, 7)]
    assert sum(m["amount_vnd"] for m in aid["by_month"]) == aid["amount_vnd"] == 232_000_000
    assert sum(m["records"] for m in aid["by_month"]) == aid["records"]
    assert sum(row["amount_vnd"] for row in aid["by_branch"]) == aid["amount_vnd"]
    (campaign,) = page.data()["campaigns"]
    assert campaign["raised_vnd"] == 396_750_000 and campaign["goal_percent"] == 99.2
    labels = {f["canvas"]["id"]: f["canvas"]["aria-label"] for f in page.figures}
    assert "144.000.000\u00a0₫" in said(labels["chart-by-kind"], "Quà Tết")
    assert "396.750.000\u00a0₫" in labels["chart-campaigns"]
    rows = page.table("Hỗ trợ theo loại")
    assert ["Quà Tết", "144", "144", "144.000.000\u00a0₫", "0\u00a0₫"] in rows
    assert "99,2%" in html
