"""Demo welfare data: the seed article's aid and campaign, as real records (DESIGN.md, "The seed
scenario").

``load_welfare(officer_ministry=..., officer_grassroots=..., member_user=...)`` is called by
``load_demo`` with the accounts ``canbo``, ``canbo_cs`` and ``doanvien``, after
``unions.demo.load_unions`` (the tree and the members must exist). Everything goes through the
services of ``welfare.services``, so the demo obeys the same rules as the officers' pages (scope,
programme period, budget, cap, active members) and every row has its history with who did it.

First half of 2020, under the root ``CDBNV`` (all aid paid or delivered, so the reports count it):

- ``TET-CANHTY-2020``: 1,000,000 đồng to each of the 144 active war invalids, children of war
  invalids and children of martyrs (144,000,000), with the ministry's office, in January 2020;
- ``KKHO-2020``: 2,000,000 đồng to each of the 25 members in especially difficult circumstances
  (50,000,000), visited before Tết;
- ``COVID-TCN-2020``: 2,000,000 đồng to 19 members hit by the Covid-19 epidemic in the Workers'
  Month, May 2020 (38,000,000), chosen round the grassroots unions, workers first;
- ``KHAUTRANG-2020``: 11,200 antibacterial cloth masks handed to the grassroots unions in two
  rounds (collective records, in proportion to their active members) and 2,500 medical masks to
  the root itself, for guards, service staff and visitors;
- campaign ``UNGHO-COVID-HANMAN-2020``: 396,750,000 đồng raised (nearly the 400,000,000 goal) from
  the grassroots unions (a day's salary, a round for the western provinces, text messages to 1407,
  hand sanitiser) and from members; given away: 2 tonnes of rice worth 30,000,000 to the rice ATM
  of Cầu Giấy district and cash to the Vietnam Fatherland Front.

The 2020 programmes are closed once loaded. Today, in ``CDCS-VP``: an open sickness programme
``OMDAU-<year>`` of the current year and support requests in every status, three of them by
``doanvien`` (one submitted, one approved and paid, one withdrawn), decided by ``canbo_cs``.

Idempotent: programmes and the campaign are keyed by ``code``; a programme that already has records
and a campaign that already has contributions are left as they are; the requests are recognised by
their descriptions. A second call creates nothing.
"""

import datetime
import random
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.text import slugify_vi
from unions.demo import HOME_CODE, ROOT_CODE, TET_POLICY_GROUPS
from unions.models import Branch, Member
from welfare import services
from welfare.models import AidKind, AidProgram, AidRecord, Campaign, Contribution, SupportRequest
from welfare.services import AidInput

SEED = 20200722  # the day the seed article was published
HISTORY_REASON = "Dữ liệu mẫu"
CLOSED_REASON = "Kết thúc chương trình"
D = datetime.date

TET_CODE = "TET-CANHTY-2020"
TET_AMOUNT = 1_000_000
TET_MEETING = D(2020, 1, 17)  # the meeting at the ministry; the absent got theirs from their union
TET_LATER_DAYS = [D(2020, 1, 20), D(2020, 1, 21), D(2020, 1, 22)]

HARDSHIP_CODE = "KKHO-2020"
HARDSHIP_AMOUNT = 2_000_000
HARDSHIP_DAYS = [D(2020, 1, 13), D(2020, 1, 14), D(2020, 1, 15), D(2020, 1, 16)]

COVID_CODE = "COVID-TCN-2020"
COVID_SUPPORTS = 19
COVID_AMOUNT = 2_000_000
COVID_DAYS = [D(2020, 5, 25), D(2020, 5, 26), D(2020, 5, 27)]

MASKS_CODE = "KHAUTRANG-2020"
MASK_UNIT = "chiếc"
CLOTH_MASK = "Khẩu trang vải kháng khuẩn"
CLOTH_MASKS = 11_200
CLOTH_MASK_VALUE = 10_000  # declared value of one cloth mask (đồng)
CLOTH_MASK_ROUNDS = [  # (date, masks, note): the rounds add up to CLOTH_MASKS
    (D(2020, 3, 16), 6_000, "Đợt 1: phát cho cán bộ, công chức, viên chức, lao động của đơn vị"),
    (D(2020, 4, 20), 5_200, "Đợt 2: phát bổ sung trong thời gian giãn cách xã hội"),
]
MEDICAL_MASK = "Khẩu trang y tế"
MEDICAL_MASKS = 2_500
MEDICAL_MASK_VALUE = 5_000
MEDICAL_MASK_DATE = D(2020, 3, 10)

CAMPAIGN_CODE = "UNGHO-COVID-HANMAN-2020"
CAMPAIGN_NAME = "Ủng hộ phòng, chống dịch Covid-19 và đồng bào miền Tây bị hạn, mặn"
CAMPAIGN_GOAL = 400_000_000
CAMPAIGN_RAISED = 396_750_000  # "nearly 400 million": cash plus declared value of goods in
SMS_PRICE = 20_000  # one text message to the 1407 switchboard
RICE = "Gạo"
RICE_KG = 2_000
RICE_VALUE = 30_000_000
RICE_PARTY = "Cây ATM gạo quận Cầu Giấy"
FRONT = "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam"

SICKNESS_PREFIX = "OMDAU"


@dataclass(frozen=True)
class DemoProgram:
    code: str
    name: str
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    default_amount_vnd: int
    budget_vnd: int | None = None
    cap_per_person_vnd: int | None = None
    funding_source: str = AidProgram.FundingSource.UNION_FUNDS
    eligibility_note: str = ""


PROGRAMS_2020 = [
    DemoProgram(
        TET_CODE,
        "Quà Tết Canh Tý 2020",
        AidKind.TET_GIFT,
        D(2020, 1, 1),
        D(2020, 1, 31),
        TET_AMOUNT,
        budget_vnd=150_000_000,
        funding_source=AidProgram.FundingSource.MINISTRY_OFFICE,
        eligibility_note=(
            "Công chức, viên chức, lao động là thương binh, con thương binh, con liệt sĩ. "
            "Công đoàn Bộ phối hợp với Văn phòng Bộ tổ chức gặp mặt, tặng quà."
        ),
    ),
    DemoProgram(
        HARDSHIP_CODE,
        "Thăm hỏi đoàn viên có hoàn cảnh đặc biệt khó khăn 6 tháng đầu năm 2020",
        AidKind.HARDSHIP,
        D(2020, 1, 1),
        D(2020, 6, 30),
        HARDSHIP_AMOUNT,
        budget_vnd=50_000_000,
        eligibility_note=(
            "Đoàn viên có hoàn cảnh đặc biệt khó khăn, theo đề nghị của công đoàn cơ sở."
        ),
    ),
    DemoProgram(
        COVID_CODE,
        "Hỗ trợ đoàn viên bị ảnh hưởng dịch Covid-19 - Tháng Công nhân 2020",
        AidKind.EPIDEMIC,
        D(2020, 5, 1),
        D(2020, 5, 31),
        COVID_AMOUNT,
        budget_vnd=40_000_000,
        cap_per_person_vnd=COVID_AMOUNT,
        eligibility_note=(
            "Đoàn viên bị ảnh hưởng do dịch Covid-19 và có hoàn cảnh khó khăn (vợ hoặc chồng mất "
            "việc làm, người thân ốm đau dài ngày, một mình nuôi con nhỏ), theo danh sách công "
            "đoàn cơ sở gửi trước ngày 15/5/2020."
        ),
    ),
    DemoProgram(
        MASKS_CODE,
        "Cấp phát khẩu trang phòng, chống dịch Covid-19",
        AidKind.EPIDEMIC,
        D(2020, 3, 1),
        D(2020, 5, 31),
        0,
        eligibility_note=(
            "Khẩu trang vải kháng khuẩn cho cán bộ, công chức, viên chức, lao động qua các công "
            "đoàn cơ sở; khẩu trang y tế cho bộ phận bảo vệ, phục vụ, người thường xuyên tiếp xúc "
            "với khách và khách đến liên hệ công tác tại trụ sở Bộ."
        ),
    ),
]


def sickness_program(year):
    return DemoProgram(
        f"{SICKNESS_PREFIX}-{year}",
        f"Thăm hỏi ốm đau {year}",
        AidKind.SICKNESS,
        D(year, 1, 1),
        D(year, 12, 31),
        1_000_000,
        budget_vnd=30_000_000,
        cap_per_person_vnd=2_000_000,
        eligibility_note=(
            "Đoàn viên Công đoàn Văn phòng Bộ ốm đau phải nằm viện hoặc điều trị dài ngày, theo "
            "quy chế chi tiêu nội bộ của công đoàn cơ sở."
        ),
    )


# The campaign, branch by branch: (grassroots union code, amount in đồng, date).
DAY_SALARY = [
    (HOME_CODE, 48_500_000, D(2020, 3, 20)),
    ("CDCS-TCCB", 12_600_000, D(2020, 3, 23)),
    ("CDCS-TTR", 16_800_000, D(2020, 3, 23)),
    ("CDCS-TDKT", 31_200_000, D(2020, 3, 24)),
    ("CDCS-TGCP", 27_400_000, D(2020, 3, 25)),
    ("CDCS-VTLT", 42_300_000, D(2020, 3, 25)),
    ("CDCS-TRBD", 18_900_000, D(2020, 3, 26)),
    ("CDCS-VKH", 13_500_000, D(2020, 3, 26)),
    ("CDCS-TCNN", 8_700_000, D(2020, 3, 27)),
    ("CDCS-TTTT", 10_200_000, D(2020, 3, 27)),
    ("CDCS-CCHC", 12_900_000, D(2020, 3, 30)),
    ("CDCS-CQDP", 12_600_000, D(2020, 3, 31)),
]
WESTERN_PROVINCES = [
    (HOME_CODE, 14_000_000, D(2020, 4, 2)),
    ("CDCS-TCCB", 3_500_000, D(2020, 4, 3)),
    ("CDCS-TTR", 5_000_000, D(2020, 4, 3)),
    ("CDCS-TDKT", 9_000_000, D(2020, 4, 6)),
    ("CDCS-TGCP", 7_500_000, D(2020, 4, 7)),
    ("CDCS-VTLT", 12_000_000, D(2020, 4, 7)),
    ("CDCS-TRBD", 5_500_000, D(2020, 4, 8)),
    ("CDCS-VKH", 4_000_000, D(2020, 4, 9)),
    ("CDCS-TCNN", 2_500_000, D(2020, 4, 10)),
    ("CDCS-TTTT", 3_000_000, D(2020, 4, 10)),
    ("CDCS-CCHC", 3_500_000, D(2020, 4, 13)),
    ("CDCS-CQDP", 3_500_000, D(2020, 4, 14)),
]
TEXT_MESSAGES = [  # (code, messages, date): SMS_PRICE each
    (HOME_CODE, 119, D(2020, 4, 17)),
    ("CDCS-TCCB", 26, D(2020, 4, 17)),
    ("CDCS-TTR", 38, D(2020, 4, 17)),
    ("CDCS-TDKT", 71, D(2020, 4, 20)),
    ("CDCS-TGCP", 64, D(2020, 4, 20)),
    ("CDCS-VTLT", 118, D(2020, 4, 20)),
    ("CDCS-TRBD", 45, D(2020, 4, 21)),
    ("CDCS-VKH", 30, D(2020, 4, 21)),
    ("CDCS-TCNN", 22, D(2020, 4, 21)),
    ("CDCS-TTTT", 27, D(2020, 4, 22)),
    ("CDCS-CCHC", 29, D(2020, 4, 22)),
    ("CDCS-CQDP", 31, D(2020, 4, 22)),
]
SANITISER = ("CDCS-VKH", "Nước rửa tay khô", 200, "chai", 9_000_000, D(2020, 3, 27))
# What members gave on their own, by the member's place in the round below (cash under 2 million,
# bank transfer from 2 million).
MEMBER_GIFTS = (
    [5_000_000]
    + [3_000_000] * 2
    + [2_000_000] * 6
    + [1_000_000] * 15
    + [500_000] * 16
    + [250_000] * 3
)
MEMBER_GIFT_DAYS = (D(2020, 3, 23), D(2020, 6, 26))
GIVEN_AWAY = [  # (date, party, cash, goods, note)
    (
        D(2020, 4, 10),
        FRONT,
        200_000_000,
        None,
        "Ủng hộ công tác phòng, chống dịch Covid-19",
    ),
    (
        D(2020, 4, 16),
        FRONT,
        100_000_000,
        None,
        "Ủng hộ đồng bào các tỉnh miền Tây bị hạn hán, xâm nhập mặn",
    ),
    (
        D(2020, 4, 24),
        RICE_PARTY,
        0,
        (RICE, RICE_KG, "kg", RICE_VALUE),
        "2 tấn gạo mua từ tiền quyên góp của đoàn viên, phát cho người lao động khó khăn",
    ),
]


@dataclass(frozen=True)
class DemoRequest:
    who: str  # "account" (doanvien), or a generated member: "anyone" or "young woman"
    kind: str
    days_ago: int  # when it happened, before today
    submitted_days_ago: int
    description: str
    outcome: str  # a SupportRequest status
    amount_requested_vnd: int | None = None
    amount_vnd: int = 0  # approved amount
    decision: str = ""  # note of an approval, reason of a refusal
    paid: bool = False


K = SupportRequest.Kind
S = SupportRequest.Status
REQUESTS = [
    DemoRequest(
        "account",
        K.SICKNESS,
        34,
        30,
        "Tôi phẫu thuật nội soi cắt ruột thừa tại Bệnh viện Bạch Mai, nằm viện 5 ngày, sau đó "
        "nghỉ điều trị tại nhà 2 tuần theo chỉ định của bác sĩ.",
        S.APPROVED,
        amount_requested_vnd=1_000_000,
        amount_vnd=1_000_000,
        decision="Mức thăm hỏi ốm đau phải nằm viện theo quy chế chi tiêu nội bộ.",
        paid=True,
    ),
    DemoRequest(
        "account",
        K.SICKNESS,
        21,
        20,
        "Con gái nhỏ của tôi bị ngã gãy tay, phải bó bột 4 tuần tại Bệnh viện Nhi Trung ương.",
        S.WITHDRAWN,
        amount_requested_vnd=500_000,
    ),
    DemoRequest(
        "account",
        K.SICKNESS,
        8,
        2,
        "Con trai lớn của tôi bị sốt xuất huyết, điều trị nội trú 6 ngày tại Bệnh viện Nhi "
        "Trung ương.",
        S.SUBMITTED,
        amount_requested_vnd=1_000_000,
    ),
    DemoRequest(
        "anyone",
        K.SICKNESS,
        26,
        24,
        "Tai nạn giao thông trên đường đi làm, gãy xương cẳng chân, nằm viện 10 ngày tại Bệnh "
        "viện Hữu nghị Việt Đức.",
        S.APPROVED,
        amount_requested_vnd=2_000_000,
        amount_vnd=2_000_000,
        decision="Nằm viện trên 7 ngày: mức thăm hỏi cao nhất của quy chế.",
    ),
    DemoRequest(
        "young woman",
        K.HARDSHIP,
        40,
        9,
        "Chồng mất việc làm do doanh nghiệp tạm dừng hoạt động; một mình nuôi hai con nhỏ và "
        "chăm mẹ chồng ốm nặng.",
        S.UNDER_REVIEW,
        amount_requested_vnd=3_000_000,
    ),
    DemoRequest(
        "anyone",
        K.SICKNESS,
        15,
        14,
        "Đề nghị hỗ trợ chi phí khám sức khỏe tổng quát tại phòng khám tư nhân.",
        S.REJECTED,
        amount_requested_vnd=1_500_000,
        decision=(
            "Khám sức khỏe định kỳ đã do cơ quan chi trả; quy chế thăm hỏi của công đoàn chỉ áp "
            "dụng khi đoàn viên ốm đau phải nằm viện hoặc điều trị dài ngày."
        ),
    ),
    DemoRequest(
        "young woman",
        K.MATERNITY,
        12,
        5,
        "Sinh con thứ hai tại Bệnh viện Phụ sản Hà Nội, đang nghỉ chế độ thai sản.",
        S.SUBMITTED,
    ),
]


# --- Helpers ----------------------------------------------------------------------------------


@contextmanager
def acting_as(user):
    """History rows written inside say ``user`` did it, as the request middleware does on a page.

    The services save with the history of the signed-in user; outside a request (a command, the
    demo) nobody is signed in, so the demo says who the officer or the member was.
    """
    context = HistoricalRecords.context
    had_request = hasattr(context, "request")
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if had_request:
            context.request = previous
        else:
            del context.request


def _grassroots_of():
    """For every branch id, its grassroots union (the root maps to itself)."""
    branches = {b.pk: b for b in Branch.objects.all()}
    result = {}
    for pk, branch in branches.items():
        node = branch
        while node.level not in (Branch.Level.GRASSROOTS, Branch.Level.MINISTRY) and node.parent_id:
            node = branches[node.parent_id]
        result[pk] = node
    return result


def _grassroots(root):
    return list(Branch.objects.subtree(root).filter(level=Branch.Level.GRASSROOTS).order_by("code"))


def _share(total, weights, step):
    """``total`` shared in proportion to ``weights``, in multiples of ``step``, exactly (largest
    remainders get the units left)."""
    units = total // step
    weights = weights if sum(weights) else [1] * len(weights)
    exact = [units * w / sum(weights) for w in weights]
    parts = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[: units - sum(parts)]:
        parts[i] += 1
    return [p * step for p in parts]


def _joined_by(day):
    return Q(joined_on__isnull=True) | Q(joined_on__lte=day)


def _program(spec, branch):
    """The programme of ``spec`` (created if missing) and whether it was created."""
    program = AidProgram.objects.filter(code=spec.code).first()
    if program is not None:
        return program, False
    program = AidProgram(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        branch=branch,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
        budget_vnd=spec.budget_vnd,
        default_amount_vnd=spec.default_amount_vnd,
        cap_per_person_vnd=spec.cap_per_person_vnd,
        funding_source=spec.funding_source,
        eligibility_note=spec.eligibility_note,
        is_open=True,
    )
    program._change_reason = HISTORY_REASON
    program.save()
    return program, True


def _record(program, by, by_day):
    """Paid records, one ``record_aid`` call per day; returns how many were created."""
    created = 0
    for day in sorted(by_day):
        created += len(
            services.record_aid(
                program=program,
                by=by,
                date=day,
                entries=by_day[day],
                status=AidRecord.Status.PAID,
            )
        )
    return created


# --- The 2020 programmes ----------------------------------------------------------------------


def _tet_entries(root):
    members = (
        Member.objects.in_subtree(root)
        .filter(status=Member.Status.ACTIVE, policy_group__in=TET_POLICY_GROUPS)
        .filter(_joined_by(TET_MEETING))
        .select_related("branch")
        .order_by("card_number")
    )
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    by_day = defaultdict(list)
    for member in members:
        if rng.random() < 0.8:
            day, note = TET_MEETING, "Trao tại buổi gặp mặt đầu xuân ở trụ sở Bộ"
        else:
            day, note = rng.choice(TET_LATER_DAYS), "Công đoàn cơ sở trao tận tay trước Tết"
        by_day[day].append(AidInput(member=member, amount_vnd=TET_AMOUNT, note=note))
    return by_day


def _hardship_entries(root, grassroots_of):
    members = (
        Member.objects.in_subtree(root)
        .filter(status=Member.Status.ACTIVE, hardship=True)
        .filter(_joined_by(HARDSHIP_DAYS[0]))
        .select_related("branch")
        .order_by("card_number")
    )
    unions = sorted({grassroots_of[m.branch_id].code for m in members})
    by_day = defaultdict(list)
    for member in members:
        union = grassroots_of[member.branch_id].code
        day = HARDSHIP_DAYS[unions.index(union) % len(HARDSHIP_DAYS)]
        by_day[day].append(
            AidInput(
                member=member,
                amount_vnd=HARDSHIP_AMOUNT,
                note="Thăm hỏi tại gia đình trước Tết Canh Tý",
            )
        )
    return by_day


def covid_recipients(root, grassroots_of):
    """The 19 members of the Workers' Month support: round the grassroots unions (by code), in
    each the workers first, then by card number; none of the Tết or hardship recipients, nor the
    demo accounts."""
    candidates = (
        Member.objects.in_subtree(root)
        .filter(status=Member.Status.ACTIVE, hardship=False, policy_group="", user__isnull=True)
        .filter(_joined_by(COVID_DAYS[0]))
        .select_related("branch")
    )
    queues = defaultdict(list)
    for member in candidates:
        union = grassroots_of[member.branch_id]
        if union.level == Branch.Level.GRASSROOTS:
            queues[union.code].append(member)
    for queue in queues.values():
        queue.sort(key=lambda m: (m.category != Member.Category.WORKER, m.card_number))
    chosen, round_ = [], 0
    while len(chosen) < COVID_SUPPORTS and any(len(q) > round_ for q in queues.values()):
        for code in sorted(queues):
            if len(chosen) < COVID_SUPPORTS and len(queues[code]) > round_:
                chosen.append(queues[code][round_])
        round_ += 1
    return chosen


def _covid_entries(root, grassroots_of):
    unions = sorted(grassroots_of[b.pk].code for b in _grassroots(root))
    by_day = defaultdict(list)
    for member in covid_recipients(root, grassroots_of):
        union = grassroots_of[member.branch_id].code
        day = COVID_DAYS[unions.index(union) % len(COVID_DAYS)]
        by_day[day].append(
            AidInput(
                member=member,
                amount_vnd=COVID_AMOUNT,
                note="Bị ảnh hưởng do dịch Covid-19, có hoàn cảnh khó khăn",
            )
        )
    return by_day


def _mask_entries(root):
    unions = _grassroots(root)
    weights = [
        Member.objects.in_subtree(union).filter(status=Member.Status.ACTIVE).count()
        for union in unions
    ]
    by_day = defaultdict(list)
    for day, masks, note in CLOTH_MASK_ROUNDS:
        for union, quantity in zip(unions, _share(masks, weights, 10), strict=True):
            if quantity:
                by_day[day].append(
                    AidInput(
                        member=None,
                        branch=union,
                        item=CLOTH_MASK,
                        quantity=quantity,
                        unit=MASK_UNIT,
                        value_vnd=quantity * CLOTH_MASK_VALUE,
                        note=note,
                    )
                )
    by_day[MEDICAL_MASK_DATE].append(
        AidInput(
            member=None,
            branch=root,
            item=MEDICAL_MASK,
            quantity=MEDICAL_MASKS,
            unit=MASK_UNIT,
            value_vnd=MEDICAL_MASKS * MEDICAL_MASK_VALUE,
            note=(
                "Cho bộ phận bảo vệ, phục vụ, người thường xuyên tiếp xúc với khách và phát miễn "
                "phí cho khách đến liên hệ công tác tại trụ sở Bộ"
            ),
        )
    )
    return by_day


def load_programs_2020(root, by):
    """The four programmes of the first half of 2020, their paid records, then closed."""
    grassroots_of = _grassroots_of()
    entries = {
        TET_CODE: lambda: _tet_entries(root),
        HARDSHIP_CODE: lambda: _hardship_entries(root, grassroots_of),
        COVID_CODE: lambda: _covid_entries(root, grassroots_of),
        MASKS_CODE: lambda: _mask_entries(root),
    }
    created = existing = records = 0
    for spec in PROGRAMS_2020:
        program, was_created = _program(spec, root)
        created += was_created
        existing += not was_created
        if program.records.exists():
            continue
        if not program.is_open:
            program.is_open = True
            program.save(update_fields=["is_open", "updated_at"])
        records += _record(program, by, entries[spec.code]())
        program.is_open = False
        program._change_reason = CLOSED_REASON
        program.save()
    return created, existing, records


# --- The campaign -----------------------------------------------------------------------------


def _member_donors(root):
    """Members who gave on their own: round every branch of the tree (by code), by card number."""
    queues = defaultdict(list)
    members = (
        Member.objects.in_subtree(root)
        .filter(status=Member.Status.ACTIVE, policy_group="", hardship=False, user__isnull=True)
        .filter(_joined_by(MEMBER_GIFT_DAYS[0]))
        .select_related("branch")
        .order_by("card_number")
    )
    for member in members:
        queues[member.branch.code].append(member)
    chosen, round_ = [], 0
    while len(chosen) < len(MEMBER_GIFTS) and any(len(q) > round_ for q in queues.values()):
        for code in sorted(queues):
            if len(chosen) < len(MEMBER_GIFTS) and len(queues[code]) > round_:
                chosen.append(queues[code][round_])
        round_ += 1
    return chosen


def _campaign_rows(root):
    """Every contribution of the campaign, unsaved, in date order."""
    branches = {b.code: b for b in Branch.objects.subtree(root)}
    In, Out = Contribution.Direction.IN, Contribution.Direction.OUT
    C = Contribution.Channel
    rows = []
    for code, amount, day in DAY_SALARY:
        rows.append(
            Contribution(
                direction=In,
                date=day,
                branch=branches[code],
                amount_vnd=amount,
                channel=C.BANK,
                note="Ủng hộ một ngày lương phòng, chống dịch Covid-19",
            )
        )
    for code, amount, day in WESTERN_PROVINCES:
        rows.append(
            Contribution(
                direction=In,
                date=day,
                branch=branches[code],
                amount_vnd=amount,
                channel=C.CASH,
                note="Ủng hộ đồng bào miền Tây bị hạn hán, xâm nhập mặn",
            )
        )
    for code, messages, day in TEXT_MESSAGES:
        rows.append(
            Contribution(
                direction=In,
                date=day,
                branch=branches[code],
                amount_vnd=messages * SMS_PRICE,
                channel=C.SMS,
                note=f"{messages} tin nhắn ủng hộ qua tổng đài 1407",
            )
        )
    code, item, quantity, unit, value, day = SANITISER
    rows.append(
        Contribution(
            direction=In,
            date=day,
            branch=branches[code],
            item=item,
            quantity=quantity,
            unit=unit,
            value_vnd=value,
            channel=C.OTHER,
            note="Ủng hộ bằng hiện vật",
        )
    )
    donors = _member_donors(root)
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    first, last = MEMBER_GIFT_DAYS
    for member, amount in zip(donors, MEMBER_GIFTS, strict=False):
        day = first + datetime.timedelta(days=int(rng.random() * ((last - first).days + 1)))
        if day.weekday() >= 5:  # offices are closed at the weekend
            day -= datetime.timedelta(days=day.weekday() - 4)
        rows.append(
            Contribution(
                direction=In,
                date=day,
                member=member,
                amount_vnd=amount,
                channel=C.BANK if amount >= 2_000_000 else C.CASH,
                note="Đoàn viên ủng hộ",
            )
        )
    for day, party, cash, goods, note in GIVEN_AWAY:
        row = Contribution(
            direction=Out,
            date=day,
            party=party,
            amount_vnd=cash,
            channel=C.BANK if cash else C.OTHER,
            note=note,
        )
        if goods:
            row.item, row.quantity, row.unit, row.value_vnd = goods
        rows.append(row)
    rows.sort(key=lambda r: (r.date, r.direction))
    return rows


def load_campaign(root, by):
    """The campaign and its contributions; returns (campaigns created, contributions created)."""
    campaign = Campaign.objects.filter(code=CAMPAIGN_CODE).first()
    created = campaign is None
    if created:
        campaign = Campaign(
            code=CAMPAIGN_CODE,
            name=CAMPAIGN_NAME,
            slug=slugify_vi(CAMPAIGN_NAME, max_length=120),
            description=(
                "Cuộc vận động cán bộ, công chức, viên chức, lao động, đoàn viên các đơn vị thuộc "
                "Bộ Nội vụ quyên góp, ủng hộ công tác phòng, chống dịch Covid-19 và đồng bào các "
                "tỉnh miền Tây bị hạn hán, xâm nhập mặn mùa khô 2019 - 2020. Đoàn viên có thể ủng "
                "hộ qua công đoàn cơ sở, chuyển khoản hoặc nhắn tin qua tổng đài 1407."
            ),
            branch=root,
            starts_on=D(2020, 3, 1),
            ends_on=D(2020, 6, 30),
            goal_vnd=CAMPAIGN_GOAL,
            is_public=True,
        )
        campaign._change_reason = HISTORY_REASON
        campaign.save()
    if campaign.contributions.exists():
        return int(created), 0
    rows = _campaign_rows(root)
    for row in rows:
        row.campaign = campaign
        services.add_contribution(contribution=row, by=by)
    return int(created), len(rows)


# --- Support requests of today ----------------------------------------------------------------


def _request_members(home, member_user, today):
    """The member of each of REQUESTS: ``doanvien``, or generated members of ``CDCS-VP``."""
    account = Member.objects.get(user=member_user)
    others = list(
        Member.objects.in_subtree(home)
        .filter(status=Member.Status.ACTIVE, user__isnull=True, hardship=False)
        .exclude(assignments__isnull=False)
        .order_by("card_number")
    )
    women = [m for m in others if m.gender == Member.Gender.FEMALE]
    men = [m for m in others if m.gender != Member.Gender.FEMALE]
    pools = {
        "anyone": men + women,
        "young woman": [m for m in women if m.date_of_birth and m.age_on(today) <= 38],
    }
    used, picks = set(), []
    for spec in REQUESTS:
        if spec.who == "account":
            picks.append(account)
            continue
        pool = pools[spec.who]
        # From a quarter further into the pool each time: several groups of the union.
        start = len(used) * len(pool) // 4
        member = next(m for m in pool[start:] + pool if m.pk not in used)
        used.add(member.pk)
        picks.append(member)
    return picks


def load_requests(home, *, officer_grassroots, member_user, now):
    """The sickness programme of this year and REQUESTS, decided; returns what was created."""
    nothing = {"programs_created": 0, "aid_records_created": 0, "requests_created": 0}
    if SupportRequest.objects.filter(description__in=[r.description for r in REQUESTS]).exists():
        return nothing
    year = timezone.localdate().year  # approving records the aid today
    program, program_created = _program(sickness_program(year), home)
    today = timezone.localdate(now)
    created = []
    for spec, member in zip(REQUESTS, _request_members(home, member_user, today), strict=True):
        submitted = now - datetime.timedelta(days=spec.submitted_days_ago, hours=3)
        request = SupportRequest(
            member=member,
            kind=spec.kind,
            description=spec.description,
            happened_on=today - datetime.timedelta(days=spec.days_ago),
            amount_requested_vnd=spec.amount_requested_vnd,
            consent_given_at=submitted,
        )
        own = member.user_id == member_user.pk
        request._change_reason = "Gửi đề nghị" if own else "Nhập đề nghị bằng giấy của đoàn viên"
        with acting_as(member_user if own else officer_grassroots):
            request.save()
        # The submission time is set by the database; the demo's requests came in over weeks.
        SupportRequest.objects.filter(pk=request.pk).update(submitted_at=submitted)
        created.append((spec, request))
    for spec, request in created:
        if spec.outcome == S.WITHDRAWN:
            with acting_as(member_user):
                services.withdraw_request(support_request=request, by=member_user)
            continue
        if spec.outcome == S.SUBMITTED:
            continue
        with acting_as(officer_grassroots):
            services.start_review(support_request=request, by=officer_grassroots)
            if spec.outcome == S.APPROVED:
                decided = services.approve_request(
                    support_request=request,
                    by=officer_grassroots,
                    program=program,
                    amount_vnd=spec.amount_vnd,
                    note=spec.decision,
                )
                if spec.paid:
                    services.mark_paid(record=decided.aid_record, by=officer_grassroots)
            elif spec.outcome == S.REJECTED:
                services.reject_request(
                    support_request=request, by=officer_grassroots, reason=spec.decision
                )
    return {
        "programs_created": int(program_created),
        "aid_records_created": sum(1 for spec, _request in created if spec.outcome == S.APPROVED),
        "requests_created": len(created),
    }


# --- Entry point ------------------------------------------------------------------------------


def load_welfare(*, officer_ministry, officer_grassroots, member_user, now=None):
    """Load the demo aid, campaign and requests; idempotent. Returns what was created.

    Runs after ``unions.demo.load_unions``: ``officer_ministry`` (``canbo``) chairs the root and
    records the 2020 aid and contributions, ``officer_grassroots`` (``canbo_cs``) chairs CDCS-VP
    and decides its members' requests, ``member_user`` (``doanvien``) files some of them.
    """
    now = now or timezone.now()
    for user in (officer_ministry, officer_grassroots, member_user):
        user.__dict__.pop("_unions_scope_roots", None)  # the assignments may be new
    root = Branch.objects.get(code=ROOT_CODE)
    home = Branch.objects.get(code=HOME_CODE)
    with transaction.atomic():
        with acting_as(officer_ministry):
            programs_created, programs_existing, records = load_programs_2020(
                root, officer_ministry
            )
            campaigns_created, contributions_created = load_campaign(root, officer_ministry)
        sickness = load_requests(
            home, officer_grassroots=officer_grassroots, member_user=member_user, now=now
        )
    return {
        "programs_created": programs_created + sickness["programs_created"],
        "programs_existing": programs_existing,
        "aid_records_created": records + sickness["aid_records_created"],
        "campaigns_created": campaigns_created,
        "contributions_created": contributions_created,
        "requests_created": sickness["requests_created"],
    }
