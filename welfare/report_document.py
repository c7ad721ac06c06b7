"""The review as an official Vietnamese report: one structured document, two renderers.

``review_document(branch=..., start=..., end=...)`` gathers what the document needs (the figures of
``welfare.reports.review``, what the campaigns gave away, the chair who signs, the place) and
``build_document(figures, ...)`` turns it into a ``ReviewDocument``: the heading (the issuing union
under its superior, the national motto, number, place and date), the title, numbered sections with
the figures written as sentences and as tables (money totals also in words), a closing line and the
signature block with its list of recipients. The printable page (``print.html``) and the Word file
(``welfare.report_docx``) only lay that document out, so they can never disagree.

The document is always written in Vietnamese, whatever language the interface is in: it is an
administrative document of a Vietnamese union, and its amounts in words and its dates are
Vietnamese. Every sentence is made here from the figures; none carries a number of its own.
"""

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.models import SiteSettings
from unions.models import Branch, Member, OfficerAssignment
from welfare.models import AidKind, Contribution
from welfare.reports import campaigns_in_period, review
from welfare.words import vnd_in_words

DOCUMENT_LANGUAGE = "vi"
DEFAULT_PLACE = "Hà Nội"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
PRESET_MONTHS = {
    "h1": (1, 6),
    "h2": (7, 12),
    "year": (1, 12),
    "q1": (1, 3),
    "q2": (4, 6),
    "q3": (7, 9),
    "q4": (10, 12),
}
ITALIC_START, ITALIC_END = "\x01", "\x02"
NBSP = "\u00a0"


def preset_period(preset, year):
    """The first and last day of a preset period ("h1", "year", "q3"...) of ``year``."""
    first, last = PRESET_MONTHS[preset]
    return datetime.date(year, first, 1), datetime.date(
        year, last, calendar.monthrange(year, last)[1]
    )


def period_preset(start, end):
    """The preset a period is exactly ("h1" for 01/01–30/06 of one year), or ``None``."""
    if start.year != end.year:
        return None
    for preset in PRESET_MONTHS:
        if preset_period(preset, start.year) == (start, end):
            return preset
    return None


# --- The document -----------------------------------------------------------------------------


@dataclass
class Run:
    text: str
    italic: bool = False


@dataclass
class Paragraph:
    """A paragraph of the body. ``style``: ``body`` (justified, first line indented), ``item``
    (a "- " line), ``subheading`` ("1. Theo loại hỗ trợ"), ``note`` (italic), ``placeholder``
    (text for the officers to replace before signing)."""

    runs: list
    style: str = "body"
    kind = "paragraph"

    @property
    def text(self):
        return "".join(run.text for run in self.runs)


@dataclass
class Column:
    header: str
    align: str = "left"  # left, right or center
    width: float = 1.0  # relative width


@dataclass
class Table:
    caption: str
    columns: list
    rows: list
    total: list | None = None
    kind = "table"

    @property
    def aligned_rows(self):
        """Each row as (text, align) pairs, for templates, which cannot zip."""
        return [list(zip(row, [c.align for c in self.columns], strict=True)) for row in self.rows]

    @property
    def aligned_total(self):
        if self.total is None:
            return None
        return list(zip(self.total, [c.align for c in self.columns], strict=True))


@dataclass
class Section:
    number: str
    title: str
    blocks: list = field(default_factory=list)

    @property
    def heading(self):
        return f"{self.number}. {self.title}"


@dataclass
class ReviewDocument:
    superior: str
    issuer: str
    number: str
    country: str
    motto: str
    place_date: str
    title: str
    subtitle: str
    period_line: str
    intro: list
    sections: list
    closing: Paragraph
    recipients_heading: str
    recipients: list
    signer_on_behalf: str
    signer_position: str
    signer_name: str
    filename: str

    def paragraphs(self):
        """Every paragraph of the body, in order (for tests and plain-text uses)."""
        yield from self.intro
        for section in self.sections:
            for block in section.blocks:
                if block.kind == "paragraph":
                    yield block
        yield self.closing


# --- Formats ----------------------------------------------------------------------------------


def number(value):
    """``11200`` → ``11.200``."""
    return f"{int(value):,}".replace(",", ".")


def decimal(value):
    """``51.04`` → ``51,0`` (one decimal, a comma)."""
    return f"{value:.1f}".replace(".", ",")


def money(value):
    """``144000000`` → ``144.000.000 đồng`` (with a non-breaking space)."""
    return f"{number(value)}{NBSP}{_('đồng')}"


def money_in_words(value):
    """``144.000.000 đồng (Bằng chữ: Một trăm bốn mươi bốn triệu đồng)``; zero has no words."""
    if not value:
        return money(value)
    words = vnd_in_words(value)
    return f"{money(value)} ({_('In words:')} {ITALIC_START}{words}{ITALIC_END})"


def day(value):
    return value.strftime("%d/%m/%Y")


def share(part, whole):
    return decimal(part * 100 / whole) if whole else ""


def lower_first(text):
    """ "Khẩu trang y tế" → "khẩu trang y tế"; an abbreviation ("UBND tỉnh") stays as it is."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def abbreviation(branch):
    """The issuer's abbreviation in the document's number ("Số: …/BC-CĐVPB"): the branch's
    short name when it is one word, else the initials of its name ("Công đoàn Văn phòng Bộ" →
    "CĐVPB"), accents dropped but "Đ" kept."""
    short = (branch.short_name or "").strip()
    if short and " " not in short:
        return short
    initials = []
    for word in re.findall(r"[^\W\d_]+|\d+", branch.name):
        letter = word[0].upper()
        if letter != "Đ":
            letter = unicodedata.normalize("NFD", letter)[0]
        initials.append(letter)
    return "".join(initials) or branch.code


def place_and_date(place, issued_on):
    """ "Hà Nội, ngày 05 tháng 02 năm 2020": as Decree 30/2020/NĐ-CP writes dates on documents
    (a zero before days below 10 and before months 1 and 2)."""
    month = f"{issued_on.month:02d}" if issued_on.month < 3 else str(issued_on.month)
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{issued_on.day:02d}",
        "month": month,
        "year": issued_on.year,
    }


def _runs(text):
    """Split a sentence at the italic markers into runs."""
    runs = []
    italic = False
    for part in re.split(f"([{ITALIC_START}{ITALIC_END}])", text):
        if part == ITALIC_START:
            italic = True
        elif part == ITALIC_END:
            italic = False
        elif part:
            runs.append(Run(part, italic=italic))
    return runs


def para(text, style="body"):
    return Paragraph(_runs(text), style=style)


def item(text):
    return para(f"- {text}", style="item")


def joined(parts):
    return "; ".join(parts)


# --- Titles -----------------------------------------------------------------------------------


def title_of(start, end):
    """The title (sentence case) for the period: "Báo cáo sơ kết công tác 6 tháng đầu năm 2020"."""
    preset = period_preset(start, end)
    year = start.year
    if preset == "h1":
        return _("Review of the work of the first six months of %(year)s") % {"year": year}
    if preset == "h2":
        return _("Review of the work of the last six months of %(year)s") % {"year": year}
    if preset == "year":
        return _("Review of the work of the year %(year)s") % {"year": year}
    if preset:
        quarter = ROMAN[int(preset[1]) - 1]
        return _("Report on the work of quarter %(quarter)s of %(year)s") % {
            "quarter": quarter,
            "year": year,
        }
    return _("Report on the work from %(start)s to %(end)s") % {
        "start": day(start),
        "end": day(end),
    }


def tasks_title(start, end):
    """The title of the last section: the tasks for the period that follows."""
    preset = period_preset(start, end)
    year = start.year
    if preset == "h1":
        return _("Tasks for the last six months of %(year)s") % {"year": year}
    if preset in {"h2", "year"}:
        return _("Tasks for the year %(year)s") % {"year": year + 1}
    if preset:
        quarter = int(preset[1]) % 4
        return _("Tasks for quarter %(quarter)s of %(year)s") % {
            "quarter": ROMAN[quarter],
            "year": year + 1 if quarter == 0 else year,
        }
    return _("Tasks for the coming period")


# --- What the review dict does not hold -------------------------------------------------------


def campaign_gifts(branch, start, end):
    """What the campaigns of the review gave away in the period, by campaign, recipient and goods
    (one grouped query; the campaigns chosen as ``welfare.reports`` chooses them)."""
    campaigns = campaigns_in_period(branch, start, end)
    rows = (
        Contribution.objects.filter(
            campaign__in=campaigns,
            direction=Contribution.Direction.OUT,
            date__range=(start, end),
        )
        .values("campaign__code", "party", "branch__name", "item", "unit")
        .annotate(
            n=Count("id"), cash=Sum("amount_vnd"), quantity=Sum("quantity"), value=Sum("value_vnd")
        )
        .order_by("campaign__code", "-cash", "-value", "party", "branch__name", "item")
    )
    return [
        {
            "campaign": row["campaign__code"],
            "recipient": row["party"] or row["branch__name"] or "",
            "count": row["n"],
            "amount_vnd": int(row["cash"] or 0),
            "item": row["item"],
            "unit": row["unit"],
            "quantity": int(row["quantity"] or 0),
            "value_vnd": int(row["value"] or 0),
        }
        for row in rows
    ]


def chair_of(branch, on):
    """The full name of the branch's chair on a day, or "" when the post is vacant."""
    assignment = (
        OfficerAssignment.objects.active_on(on)
        .filter(branch=branch, position=OfficerAssignment.Position.CHAIR)
        .select_related("member")
        .order_by("-start_on")
        .first()
    )
    return assignment.member.full_name if assignment else ""


def document_place():
    """The place written before the date: the site settings' ``place`` when there is such a
    field and it is filled in, else ``settings.REVIEW_DOCUMENT_PLACE``, else Hà Nội."""
    place = getattr(SiteSettings.get_solo(), "place", "")
    return place or getattr(settings, "REVIEW_DOCUMENT_PLACE", "") or DEFAULT_PLACE


def review_document(*, branch, start, end, issued_on=None, figures=None):
    """Everything the document of ``branch`` over ``start``–``end`` needs, built."""
    issued_on = issued_on or timezone.localdate()
    if figures is None:
        figures = review(branch=branch, start=start, end=end)
    branch = Branch.objects.select_related("parent").get(pk=branch.pk)
    superior = branch.parent.name if branch.parent else SiteSettings.get_solo().superior_name
    return build_document(
        figures,
        branch=branch,
        superior=superior,
        start=start,
        end=end,
        issued_on=issued_on,
        place=document_place(),
        signer=chair_of(branch, issued_on),
        gifts=campaign_gifts(branch, start, end),
    )


# --- The builder ------------------------------------------------------------------------------


def build_document(figures, *, branch, superior, start, end, issued_on, place, signer, gifts):
    """The document, in Vietnamese, from the review's figures and the few facts around them."""
    with translation.override(DOCUMENT_LANGUAGE):
        return _build(figures, branch, superior, start, end, issued_on, place, signer, gifts)


def _build(figures, branch, superior, start, end, issued_on, place, signer, gifts):
    has_children = any(not row["own"] for row in figures["aid"]["by_branch"])
    name = figures["branch"]["name"]
    who = _("%(branch)s and the unions under it") % {"branch": name} if has_children else name
    title = title_of(start, end)
    context = {
        "name": name,
        "who": who,
        "start": start,
        "end": end,
        "has_children": has_children,
    }
    sections = [
        _members_section(figures["members"], context),
        _aid_section(figures["aid"], context),
        _campaigns_section(figures["campaigns"], gifts),
        _requests_section(figures["support_requests"]),
        _comparison_section(figures, context),
        Section(
            "",
            _("General assessment"),
            [
                para(
                    _(
                        "[The executive committee writes here its assessment of the period: "
                        "what went well, the difficulties and their causes.]"
                    ),
                    style="placeholder",
                )
            ],
        ),
        Section(
            "",
            tasks_title(start, end),
            [
                para(
                    _(
                        "[The executive committee writes here the tasks and targets for the "
                        "coming period, and its proposals to the superior union.]"
                    ),
                    style="placeholder",
                )
            ],
        ),
    ]
    for index, section in enumerate(sections):
        section.number = ROMAN[index]
        section.title = section.title.upper()
    intro_period = _("from %(start)s to %(end)s") % {"start": day(start), "end": day(end)}
    recipients = [_("- %(superior)s (for information);") % {"superior": superior}]
    if has_children:
        recipients.append(_("- The unions under it;"))
    recipients += [_("- Members of the executive committee;"), _("- Filed: office.")]
    return ReviewDocument(
        superior=superior.upper(),
        issuer=name.upper(),
        number=_("No.: ……/BC-%(code)s") % {"code": abbreviation(branch)},
        country=_("SOCIALIST REPUBLIC OF VIETNAM"),
        motto=_("Independence - Freedom - Happiness"),
        place_date=place_and_date(place, issued_on),
        title=title.upper(),
        subtitle=_("on caring for and supporting union members"),
        period_line=""
        if period_preset(start, end) is None
        else f"({_('From %(start)s to %(end)s') % {'start': day(start), 'end': day(end)}})",
        intro=[
            para(
                _(
                    "The executive committee of %(branch)s reports on the care and support given "
                    "to union members by %(who)s %(period)s, as follows:"
                )
                % {"branch": name, "who": who, "period": intro_period}
            )
        ],
        sections=sections,
        closing=para(
            _("The above is the %(title)s of the executive committee of %(branch)s./.")
            % {"title": lower_first(title), "branch": name}
        ),
        recipients_heading=_("Recipients:"),
        recipients=recipients,
        signer_on_behalf=_("ON BEHALF OF THE EXECUTIVE COMMITTEE"),
        signer_position=_("CHAIR"),
        signer_name=signer,
        filename=f"bao-cao-{branch.code}-{start.isoformat()}-{end.isoformat()}".lower(),
    )


def _members_section(members, context):
    total = members["total"]
    women = members["by_gender"].get("female", 0)
    end = day(context["end"])
    facts = {"date": end, "who": context["who"], "total": number(total)}
    if total:
        first = _(
            "By %(date)s, %(who)s had %(total)s active members, %(women)s of them women "
            "(%(share)s%%)."
        ) % {**facts, "women": number(women), "share": share(women, total)}
    else:
        first = _("By %(date)s, %(who)s had %(total)s active members.") % facts
    blocks = [para(first)]
    categories = dict(Member.Category.choices)
    parts = [
        f"{number(count)} {lower_first(str(categories.get(key, key)))}"
        for key, count in members["by_category"].items()
        if count
    ]
    if parts:
        blocks.append(para(_("By category: %(parts)s.") % {"parts": joined(parts)}))
    blocks.append(
        para(
            _(
                "During the period %(joined)s members joined the union and %(left)s left it "
                "(transfer, retirement, leaving or death)."
            )
            % {"joined": number(members["joined"]), "left": number(members["left"])}
        )
    )
    genders = dict(Member.Gender.choices)
    rows = [
        ["1", _("Active members on %(date)s") % {"date": end}, number(total), share(total, total)]
    ]
    for key, count in members["by_category"].items():
        rows.append(["", f"- {categories.get(key, key)}", number(count), share(count, total)])
    for key, count in members["by_gender"].items():
        rows.append(["", f"- {genders.get(key, key)}", number(count), share(count, total)])
    rows.append(["2", _("Joined in the period"), number(members["joined"]), ""])
    rows.append(["3", _("Left in the period"), number(members["left"]), ""])
    blocks.append(
        Table(
            _("Membership"),
            [
                Column(_("No."), "center", 0.8),
                Column(_("Indicator"), "left", 5),
                Column(_("Number"), "right", 1.6),
                Column(_("Share (%)"), "right", 1.4),
            ],
            rows,
        )
    )
    return Section("", _("Membership"), blocks)


def _aid_section(aid, context):
    blocks = []
    if aid["records"]:
        facts = {
            "who": context["who"],
            "records": number(aid["records"]),
            "beneficiaries": number(aid["beneficiaries"]),
            "amount": money_in_words(aid["amount_vnd"]),
            "value": money_in_words(aid["value_vnd"]),
        }
        if aid["value_vnd"]:
            text = _(
                "In the period %(who)s made %(records)s visits, allowances and gifts to "
                "%(beneficiaries)s members, with %(amount)s in cash and goods worth %(value)s."
            )
        else:
            text = _(
                "In the period %(who)s made %(records)s visits, allowances and gifts to "
                "%(beneficiaries)s members, with %(amount)s in cash."
            )
        blocks.append(para(text % facts))
    else:
        blocks.append(para(_("No aid was approved or paid in the period.")))
    blocks.append(
        para(
            _(
                "Only approved and paid or delivered aid is counted; proposed and cancelled "
                "records are not."
            ),
            style="note",
        )
    )
    parts = [_aid_by_kind(aid), _aid_by_program(aid)]
    if context["has_children"]:
        parts.append(_aid_by_branch(aid))
    parts.append(_aid_in_kind(aid))
    for index, (heading, content) in enumerate(parts, start=1):
        blocks.append(para(f"{index}. {heading}", style="subheading"))
        blocks += content
    return Section("", _("Care and support for members"), blocks)


def _aid_columns(first, goods=True):
    columns = [
        Column(_("No."), "center", 0.8),
        Column(first, "left", 4),
        Column(_("Times"), "right", 1.1),
        Column(_("Number of members"), "right", 1.3),
        Column(_("Cash (đồng)"), "right", 2),
    ]
    if goods:
        columns.append(Column(_("Goods value (đồng)"), "right", 2))
    return columns


def _aid_by_kind(aid):
    labels = dict(AidKind.choices)
    order = list(labels)
    kinds = sorted(
        aid["by_kind"].items(), key=lambda pair: order.index(pair[0]) if pair[0] in order else 99
    )
    blocks = []
    rows = []
    for index, (kind, row) in enumerate(kinds, start=1):
        label = str(labels.get(kind, kind))
        facts = {
            "kind": label,
            "records": number(row["records"]),
            "beneficiaries": number(row["beneficiaries"]),
            "amount": money_in_words(row["amount_vnd"]),
            "value": money(row["value_vnd"]),
        }
        if row["value_vnd"]:
            text = _(
                "%(kind)s: %(records)s times, %(beneficiaries)s members helped, %(amount)s in "
                "cash and goods worth %(value)s."
            )
        else:
            text = _("%(kind)s: %(records)s times, %(beneficiaries)s members helped, %(amount)s.")
        blocks.append(item(text % facts))
        rows.append(
            [
                str(index),
                label,
                number(row["records"]),
                number(row["beneficiaries"]),
                number(row["amount_vnd"]),
                number(row["value_vnd"]),
            ]
        )
    if not rows:
        blocks.append(para(_("None in the period.")))
        return _("By kind of aid"), blocks
    blocks.append(
        Table(
            _("Aid by kind"),
            _aid_columns(_("Kind of aid")),
            rows,
            total=[
                "",
                _("Total"),
                number(aid["records"]),
                number(aid["beneficiaries"]),
                number(aid["amount_vnd"]),
                number(aid["value_vnd"]),
            ],
        )
    )
    return _("By kind of aid"), blocks


def _aid_by_program(aid):
    programs = aid["by_program"]
    if not programs:
        return _("By programme"), [para(_("None in the period."))]
    blocks = [
        para(
            _("%(count)s aid programmes were carried out in the period:")
            % {"count": number(len(programs))}
        )
    ]
    rows = [
        [
            str(index),
            row["name"],
            number(row["records"]),
            number(row["beneficiaries"]),
            number(row["amount_vnd"]),
            number(row["value_vnd"]),
        ]
        for index, row in enumerate(programs, start=1)
    ]
    blocks.append(Table(_("Aid by programme"), _aid_columns(_("Programme or round of aid")), rows))
    return _("By programme"), blocks


def _aid_by_branch(aid):
    rows = []
    for index, row in enumerate(aid["by_branch"], start=1):
        name = row["name"]
        if row["own"]:
            name = _("%(branch)s (given directly)") % {"branch": name}
        rows.append(
            [
                str(index),
                name,
                number(row["records"]),
                number(row["beneficiaries"]),
                number(row["amount_vnd"]),
            ]
        )
    busiest = sorted(
        (row for row in aid["by_branch"] if row["records"] and not row["own"]),
        key=lambda row: (-row["records"], row["code"]),
    )[:3]
    blocks = []
    if busiest:
        names = [
            _("%(branch)s (%(records)s times)")
            % {"branch": row["name"], "records": number(row["records"])}
            for row in busiest
        ]
        blocks.append(
            para(_("The unions with the most aid were %(list)s.") % {"list": joined(names)})
        )
    blocks.append(
        Table(
            _("Aid by union"),
            _aid_columns(_("Union"), goods=False),
            rows,
            total=[
                "",
                _("Total"),
                number(aid["records"]),
                number(aid["beneficiaries"]),
                number(aid["amount_vnd"]),
            ],
        )
    )
    return _("By union"), blocks


def goods_phrase(quantity, unit, item_name):
    """ "11.200 chiếc khẩu trang y tế", "2.000 kg (2 tấn) gạo"."""
    text = f"{number(quantity)} {unit}".strip()
    if unit.strip().lower() == "kg" and quantity >= 1000 and quantity % 1000 == 0:
        text += " " + _("(%(tonnes)s tonnes)") % {"tonnes": number(quantity // 1000)}
    return f"{text} {lower_first(item_name)}"


def _aid_in_kind(aid):
    goods = aid["in_kind"]
    if not goods:
        return _("Goods"), [para(_("No goods were given in the period."))]
    parts = [
        _("%(goods)s (worth %(value)s)")
        % {
            "goods": goods_phrase(row["quantity"], row["unit"], row["item"]),
            "value": money(row["value_vnd"]),
        }
        for row in goods
    ]
    total = sum(row["value_vnd"] for row in goods)
    blocks = [
        para(_("The unions gave %(list)s.") % {"list": joined(parts)}),
        para(_("Total value of the goods: %(value)s.") % {"value": money_in_words(total)}),
        Table(
            _("Goods given"),
            [
                Column(_("No."), "center", 0.8),
                Column(_("Goods"), "left", 4),
                Column(_("Unit"), "center", 1.2),
                Column(_("Quantity"), "right", 1.4),
                Column(_("Value (đồng)"), "right", 2),
            ],
            [
                [
                    str(index),
                    row["item"],
                    row["unit"],
                    number(row["quantity"]),
                    number(row["value_vnd"]),
                ]
                for index, row in enumerate(goods, start=1)
            ],
            total=["", _("Total"), "", "", number(total)],
        ),
    ]
    return _("Goods"), blocks


def _campaigns_section(campaigns, gifts):
    if not campaigns:
        return Section("", _("Fund-raising campaigns"), [para(_("No campaign ran in the period."))])
    blocks = []
    given_out = {}
    for gift in gifts:
        given_out[gift["campaign"]] = given_out.get(gift["campaign"], 0) + gift["count"]
    for campaign in campaigns:
        raised, given = campaign["raised_vnd"], campaign["disbursed_vnd"]
        if not (raised or given or campaign["contributions"]):
            blocks.append(
                para(
                    _("The campaign “%(name)s” received and gave nothing in the period.")
                    % {"name": campaign["name"]}
                )
            )
            continue
        facts = {
            "name": campaign["name"],
            "count": number(max(campaign["contributions"] - given_out.get(campaign["code"], 0), 0)),
            "raised": money_in_words(raised),
            "given": money_in_words(given),
        }
        text = (
            _(
                "The campaign “%(name)s” received %(count)s contributions worth %(raised)s in all "
                "(money and the declared value of goods)"
            )
            % facts
        )
        if campaign.get("goal_vnd"):
            text += ", " + _("%(share)s%% of its goal of %(goal)s") % {
                "share": share(raised, campaign["goal_vnd"]),
                "goal": money(campaign["goal_vnd"]),
            }
        text += "; " + _("it gave away %(given)s") % facts
        if raised >= given:
            text += "; " + _("%(balance)s remain") % {"balance": money(raised - given)}
        blocks.append(para(text + "."))
        own_gifts = [gift for gift in gifts if gift["campaign"] == campaign["code"]]
        if own_gifts:
            blocks.append(para(_("What it gave:"), style="body"))
            for gift in own_gifts:
                blocks.append(item(_gift_sentence(gift)))
    blocks.append(
        Table(
            _("Campaigns"),
            [
                Column(_("No."), "center", 0.8),
                Column(_("Campaign"), "left", 4),
                Column(_("Goal (đồng)"), "right", 1.9),
                Column(_("Raised (đồng)"), "right", 1.9),
                Column(_("Given away (đồng)"), "right", 1.9),
            ],
            [
                [
                    str(index),
                    row["name"],
                    number(row["goal_vnd"]) if row.get("goal_vnd") else "",
                    number(row["raised_vnd"]),
                    number(row["disbursed_vnd"]),
                ]
                for index, row in enumerate(campaigns, start=1)
            ],
            total=[
                "",
                _("Total"),
                "",
                number(sum(row["raised_vnd"] for row in campaigns)),
                number(sum(row["disbursed_vnd"] for row in campaigns)),
            ],
        )
    )
    if gifts:
        blocks.append(
            Table(
                _("Given away by the campaigns"),
                [
                    Column(_("No."), "center", 0.8),
                    Column(_("Given to"), "left", 3.2),
                    Column(_("Cash (đồng)"), "right", 1.7),
                    Column(_("Goods"), "left", 2.6),
                    Column(_("Goods value (đồng)"), "right", 1.7),
                ],
                [
                    [
                        str(index),
                        gift["recipient"] or "—",
                        number(gift["amount_vnd"]) if gift["amount_vnd"] else "",
                        goods_phrase(gift["quantity"], gift["unit"], gift["item"])
                        if gift["item"]
                        else "",
                        number(gift["value_vnd"]) if gift["value_vnd"] else "",
                    ]
                    for index, gift in enumerate(gifts, start=1)
                ],
            )
        )
    return Section("", _("Fund-raising campaigns"), blocks)


def _gift_sentence(gift):
    what = []
    if gift["amount_vnd"]:
        what.append(money(gift["amount_vnd"]))
    if gift["item"]:
        what.append(
            _("%(goods)s worth %(value)s")
            % {
                "goods": goods_phrase(gift["quantity"], gift["unit"], gift["item"]),
                "value": money(gift["value_vnd"]),
            }
        )
    recipient = gift["recipient"] or _("other recipients")
    return f"{recipient}: {', '.join(what)}."


def _requests_section(requests):
    labels = [
        ("submitted", _("Filed")),
        ("approved", _("Granted")),
        ("rejected", _("Refused")),
        ("withdrawn", _("Withdrawn by the member")),
        ("pending", _("Still being considered")),
    ]
    if not requests["submitted"]:
        blocks = [para(_("No member filed a support request in the period."))]
    else:
        blocks = [
            para(
                _(
                    "In the period members filed %(submitted)s support requests through the "
                    "portal: %(approved)s were granted, %(rejected)s refused, %(withdrawn)s "
                    "withdrawn by the member, and %(pending)s are still being considered."
                )
                % {key: number(requests.get(key) or 0) for key, _label in labels}
            )
        ]
        median = requests.get("median_days_to_decision")
        if median is not None:
            blocks.append(
                para(
                    _("Half of the decisions were made within %(days)s days of the request.")
                    % {"days": decimal(median)}
                )
            )
    blocks.append(
        Table(
            _("Support requests"),
            [
                Column(_("No."), "center", 0.8),
                Column(_("Requests"), "left", 5),
                Column(_("Number"), "right", 1.6),
            ],
            [
                [str(index), label, number(requests.get(key) or 0)]
                for index, (key, label) in enumerate(labels, start=1)
            ],
        )
    )
    return Section("", _("Support requests from members"), blocks)


def _change(now, before, percent):
    if not before:
        return _("none in the previous period") if now else _("unchanged")
    if percent is None or percent == 0:
        return _("unchanged")
    if percent > 0:
        return _("up %(percent)s%%") % {"percent": decimal(percent)}
    return _("down %(percent)s%%") % {"percent": decimal(-percent)}


def _comparison_section(figures, context):
    previous = figures["previous"]
    change = figures.get("change_percent", {})
    aid = figures["aid"]
    indicators = [
        ("aid_records", _("Aid given (times)"), aid["records"], number),
        ("aid_beneficiaries", _("Members helped"), aid["beneficiaries"], number),
        ("aid_amount_vnd", _("Cash given"), aid["amount_vnd"], money),
    ]
    period = previous["period"]
    blocks = [
        para(
            _("Compared with the previous period, from %(start)s to %(end)s:")
            % {
                "start": day(datetime.date.fromisoformat(period["from"])),
                "end": day(datetime.date.fromisoformat(period["to"])),
            }
        )
    ]
    rows = []
    for index, (key, label, now, show) in enumerate(indicators, start=1):
        before = previous.get(key, 0)
        blocks.append(
            item(
                _("%(indicator)s: %(now)s, against %(before)s in the previous period (%(change)s).")
                % {
                    "indicator": label,
                    "now": show(now),
                    "before": show(before),
                    "change": _change(now, before, change.get(key)),
                }
            )
        )
        percent = change.get(key)
        rows.append(
            [
                str(index),
                label if show is number else _("Cash given (đồng)"),
                number(now),
                number(before),
                ("+" if percent and percent > 0 else "") + decimal(percent)
                if percent is not None
                else "—",
            ]
        )
    blocks.append(
        Table(
            _("Comparison with the previous period"),
            [
                Column(_("No."), "center", 0.8),
                Column(_("Indicator"), "left", 3.6),
                Column(_("This period"), "right", 1.9),
                Column(_("Previous period"), "right", 1.9),
                Column(_("Change (%)"), "right", 1.5),
            ],
            rows,
        )
    )
    return Section("", _("Comparison with the previous period"), blocks)
