"""Demo union tree and members, built on the seed article (DESIGN.md, "The seed scenario").

``load_unions(officer_ministry=..., officer_grassroots=..., member_user=...)`` is called by
``load_demo`` with the accounts ``canbo``, ``canbo_cs`` and ``doanvien``. It creates:

- the tree: the root ``CDBNV`` "Công đoàn Bộ Nội vụ", thirteen grassroots unions of units of a
  Ministry of Home Affairs and, under a few of them, divisions and groups;
- about a thousand generated members with Vietnamese names, ages, jobs and children. Exactly
  ``TET_GIFT_RECIPIENTS`` (144) active members are war invalids or children of war invalids or
  of martyrs, the Tết gift recipients of the seed article, and exactly ``HARDSHIP_VISITS`` (25)
  other active members are in especially difficult circumstances, the article's hardship visits.
  All of them joined the union before 2020, so they were members at the time;
- the three accounts' own member records: ``canbo`` chairs the root, ``canbo_cs`` chairs
  ``CDCS-VP`` (Công đoàn Văn phòng Bộ), ``doanvien`` is a member of ``CDCS-VP`` with two children;
- officer assignments of generated members (vice chairs, accountants, committee members, one
  assignment that has ended).

Generated people are combinations of common family, middle and given names drawn from a fixed
seed: nobody real on purpose. Idempotent: branches are keyed by ``code``, members by
``card_number``, assignments by branch, position and start date (the accounts' ones by member,
branch and position); what exists is never changed, so a second call creates nothing. Members and
children are bulk-created with their history.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal.text import fold, nfc
from unions.models import Branch, Dependant, Member, OfficerAssignment, normalize_card_number

SEED = 20200720  # the day of the seed article's conference
ROOT_CODE = "CDBNV"
HOME_CODE = "CDCS-VP"  # the grassroots union of ``canbo_cs`` and ``doanvien``
CARD_PREFIX = "CDBNV-"
FIRST_GENERATED_CARD = 101  # 1-100 are kept for the demo accounts' own records
EMAIL_DOMAIN = "example.gov.vn"
HISTORY_REASON = "Dữ liệu mẫu"

TET_GIFT_RECIPIENTS = 144
HARDSHIP_VISITS = 25
TET_POLICY_GROUPS = (
    Member.PolicyGroup.WAR_INVALID,
    Member.PolicyGroup.CHILD_OF_WAR_INVALID,
    Member.PolicyGroup.CHILD_OF_MARTYR,
)
WAR_INVALIDS = 14
CHILDREN_OF_WAR_INVALIDS = 78  # the rest of the 144 are children of martyrs
OTHER_POLICY_FAMILIES = 10
RETIRED = 9
LEFT = 5
MEMBERS_BEFORE = datetime.date(2020, 1, 1)  # Tết and hardship members joined before this day
TERM_START = datetime.date(2020, 1, 1)

HQ_ADDRESS = "Số 8 Tôn Thất Thuyết, quận Nam Từ Liêm, Hà Nội"


# --- The tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoBranch:
    code: str
    name: str
    level: str
    parent: str | None
    members: int  # generated members directly in this branch
    unit: str  # the work unit written on its members' records
    jobs: str  # a key of JOBS
    short_name: str = ""


G, D, T = Branch.Level.GRASSROOTS, Branch.Level.DIVISION, Branch.Level.GROUP

# Parents before children. Member counts add up to 1,037; with the three accounts, 1,040.
BRANCHES = [
    DemoBranch(
        ROOT_CODE, "Công đoàn Bộ Nội vụ", Branch.Level.MINISTRY, None, 7,
        "Công đoàn Bộ Nội vụ", "union", "CĐBNV",
    ),
    DemoBranch(
        HOME_CODE, "Công đoàn Văn phòng Bộ", G, ROOT_CODE, 85, "Văn phòng Bộ", "office",
        "CĐCS Văn phòng Bộ",
    ),
    DemoBranch(
        "CDCS-VP-HC", "Tổ công đoàn Phòng Hành chính", T, HOME_CODE, 40,
        "Văn phòng Bộ - Phòng Hành chính", "office",
    ),
    DemoBranch(
        "CDCS-VP-QT", "Tổ công đoàn Phòng Quản trị", T, HOME_CODE, 35,
        "Văn phòng Bộ - Phòng Quản trị", "office",
    ),
    DemoBranch(
        "CDCS-VP-XBV", "Tổ công đoàn Đội xe và Bảo vệ", T, HOME_CODE, 35,
        "Văn phòng Bộ - Đội xe và Bảo vệ", "support",
    ),
    DemoBranch(
        "CDCS-TCCB", "Công đoàn Vụ Tổ chức cán bộ", G, ROOT_CODE, 45, "Vụ Tổ chức cán bộ",
        "office", "CĐCS Vụ TCCB",
    ),
    DemoBranch(
        "CDCS-TTR", "Công đoàn Thanh tra Bộ", G, ROOT_CODE, 60, "Thanh tra Bộ", "inspection",
        "CĐCS Thanh tra Bộ",
    ),
    DemoBranch(
        "CDCS-TDKT", "Công đoàn Ban Thi đua - Khen thưởng Trung ương", G, ROOT_CODE, 20,
        "Ban Thi đua - Khen thưởng Trung ương", "office", "CĐCS Ban TĐKT TW",
    ),
    DemoBranch(
        "CDCS-TDKT-VP", "Công đoàn bộ phận Văn phòng Ban", D, "CDCS-TDKT", 30,
        "Ban Thi đua - Khen thưởng Trung ương - Văn phòng Ban", "office",
    ),
    DemoBranch(
        "CDCS-TDKT-VP-HC", "Tổ công đoàn Phòng Hành chính - Tổng hợp", T, "CDCS-TDKT-VP", 20,
        "Ban Thi đua - Khen thưởng Trung ương - Phòng Hành chính - Tổng hợp", "office",
    ),
    DemoBranch(
        "CDCS-TDKT-NV", "Công đoàn bộ phận các Vụ nghiệp vụ", D, "CDCS-TDKT", 55,
        "Ban Thi đua - Khen thưởng Trung ương - các Vụ nghiệp vụ", "office",
    ),
    DemoBranch(
        "CDCS-TGCP", "Công đoàn Ban Tôn giáo Chính phủ", G, ROOT_CODE, 30,
        "Ban Tôn giáo Chính phủ", "office", "CĐCS Ban Tôn giáo CP",
    ),
    DemoBranch(
        "CDCS-TGCP-VP", "Công đoàn bộ phận Văn phòng Ban", D, "CDCS-TGCP", 35,
        "Ban Tôn giáo Chính phủ - Văn phòng Ban", "office",
    ),
    DemoBranch(
        "CDCS-TGCP-NV", "Công đoàn bộ phận các Vụ nghiệp vụ", D, "CDCS-TGCP", 45,
        "Ban Tôn giáo Chính phủ - các Vụ nghiệp vụ", "office",
    ),
    DemoBranch(
        "CDCS-VTLT", "Công đoàn Cục Văn thư và Lưu trữ nhà nước", G, ROOT_CODE, 50,
        "Cục Văn thư và Lưu trữ nhà nước", "office", "CĐCS Cục VTLTNN",
    ),
    DemoBranch(
        "CDCS-VTLT-VP", "Công đoàn bộ phận Văn phòng Cục", D, "CDCS-VTLT", 40,
        "Cục Văn thư và Lưu trữ nhà nước - Văn phòng Cục", "office",
    ),
    DemoBranch(
        "CDCS-VTLT-LT", "Công đoàn bộ phận các Trung tâm lưu trữ", D, "CDCS-VTLT", 110,
        "Cục Văn thư và Lưu trữ nhà nước - các Trung tâm lưu trữ", "archive",
    ),
    DemoBranch(
        "CDCS-TRBD", "Công đoàn Trường Bồi dưỡng cán bộ, công chức", G, ROOT_CODE, 80,
        "Trường Bồi dưỡng cán bộ, công chức", "teaching", "CĐCS Trường Bồi dưỡng",
    ),
    DemoBranch(
        "CDCS-VKH", "Công đoàn Viện Khoa học tổ chức nhà nước", G, ROOT_CODE, 50,
        "Viện Khoa học tổ chức nhà nước", "research", "CĐCS Viện KHTCNN",
    ),
    DemoBranch(
        "CDCS-TCNN", "Công đoàn Tạp chí Tổ chức nhà nước", G, ROOT_CODE, 35,
        "Tạp chí Tổ chức nhà nước", "press", "CĐCS Tạp chí TCNN",
    ),
    DemoBranch(
        "CDCS-TTTT", "Công đoàn Trung tâm Thông tin", G, ROOT_CODE, 40, "Trung tâm Thông tin",
        "it", "CĐCS Trung tâm Thông tin",
    ),
    DemoBranch(
        "CDCS-CCHC", "Công đoàn Vụ Cải cách hành chính", G, ROOT_CODE, 45,
        "Vụ Cải cách hành chính", "office", "CĐCS Vụ CCHC",
    ),
    DemoBranch(
        "CDCS-CQDP", "Công đoàn Vụ Chính quyền địa phương", G, ROOT_CODE, 45,
        "Vụ Chính quyền địa phương", "office", "CĐCS Vụ CQĐP",
    ),
]  # fmt: skip

# Officer assignments of generated members: (branch code, position, from, until). The chairs of
# the root and of CDCS-VP are the demo accounts ``canbo`` and ``canbo_cs``.
P = OfficerAssignment.Position
ASSIGNMENTS = [
    (ROOT_CODE, P.VICE_CHAIR, TERM_START, None),
    (ROOT_CODE, P.ACCOUNTANT, datetime.date(2018, 3, 1), None),
    (HOME_CODE, P.VICE_CHAIR, TERM_START, None),
    (HOME_CODE, P.EXECUTIVE, TERM_START, None),
    (HOME_CODE, P.ACCOUNTANT, datetime.date(2019, 7, 1), None),
    (HOME_CODE, P.VICE_CHAIR, datetime.date(2015, 3, 1), datetime.date(2019, 12, 31)),
    ("CDCS-TCCB", P.CHAIR, TERM_START, None),
    ("CDCS-TTR", P.CHAIR, TERM_START, None),
    ("CDCS-TDKT", P.CHAIR, TERM_START, None),
    ("CDCS-TDKT", P.VICE_CHAIR, TERM_START, None),
    ("CDCS-TGCP", P.CHAIR, TERM_START, None),
    ("CDCS-TGCP", P.VICE_CHAIR, TERM_START, None),
    ("CDCS-VTLT", P.CHAIR, TERM_START, None),
    ("CDCS-VTLT", P.VICE_CHAIR, TERM_START, None),
    ("CDCS-VTLT-LT", P.CHAIR, datetime.date(2021, 6, 1), None),
    ("CDCS-TRBD", P.CHAIR, TERM_START, None),
    ("CDCS-TRBD", P.VICE_CHAIR, TERM_START, None),
    ("CDCS-VKH", P.CHAIR, TERM_START, None),
    ("CDCS-TCNN", P.CHAIR, TERM_START, None),
    ("CDCS-TTTT", P.CHAIR, TERM_START, None),
    ("CDCS-CCHC", P.CHAIR, TERM_START, None),
    ("CDCS-CQDP", P.CHAIR, TERM_START, None),
]


# --- Names and jobs ---------------------------------------------------------------------------

MALE, FEMALE = Member.Gender.MALE, Member.Gender.FEMALE
CS = Member.Category.CIVIL_SERVANT
PE = Member.Category.PUBLIC_EMPLOYEE
WK = Member.Category.WORKER

# Family names with rough weights (per cent of the population).
FAMILY_NAMES = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Huỳnh": 1, "Phan": 4.5,
    "Vũ": 3.5, "Võ": 1, "Đặng": 2.1, "Bùi": 2, "Đỗ": 1.4, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 1, "Đào": 1, "Trịnh": 0.8, "Mai": 0.6, "Tạ": 0.4, "Lương": 0.5, "Hà": 0.6,
    "Cao": 0.5, "Chu": 0.4, "Kiều": 0.3, "Lưu": 0.4, "Tô": 0.3,
}  # fmt: skip
MIDDLE_NAMES = {
    MALE: [
        "Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Xuân", "Mạnh",
        "Trung", "Anh", "Hoàng", "Công", "Duy", "Thế", "Tiến", "Việt", "Đình", "Hồng", "Bá",
    ],
    FEMALE: [
        "Thị", "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Thùy", "Phương", "Hồng",
        "Kim", "Diệu", "Bích", "Mai", "Hải", "Khánh", "Quỳnh", "Lan", "Hoài",
    ],
}  # fmt: skip
SECOND_MIDDLE_NAMES = ["Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim", "Phương", "Thúy", "Bích"]
GIVEN_NAMES = {
    MALE: [
        "An", "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Giang", "Hải", "Hiếu",
        "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam",
        "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh",
        "Toàn", "Trung", "Tú", "Tuấn", "Việt", "Vinh", "Hưng", "Lộc", "Hiệp", "Tùng",
    ],
    FEMALE: [
        "An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng",
        "Huệ", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "Ngọc", "Nhung", "Oanh",
        "Phương", "Quỳnh", "Tâm", "Thảo", "Thanh", "Thủy", "Trang", "Tuyết", "Vân", "Yến",
        "Hoài", "Nga", "Ly", "Duyên", "Thư",
    ],
}  # fmt: skip
CHILD_MIDDLE_NAMES = {
    MALE: ["Minh", "Gia", "Đức", "Quang", "Anh", "Bảo", "Hoàng", "Tuấn", "Nhật", "Hải", "Đăng"],
    FEMALE: ["Ngọc", "Khánh", "Bảo", "Minh", "Thảo", "Gia", "Phương", "Hà", "Tuệ", "Diệu", "An"],
}
CHILD_GIVEN_NAMES = {
    MALE: [
        "Khang", "Khôi", "Phúc", "Minh", "Nam", "Long", "An", "Huy", "Lâm", "Quân", "Bách",
        "Hưng", "Kiên", "Duy", "Vinh", "Phong", "Sơn", "Tùng",
    ],
    FEMALE: [
        "An", "Anh", "Chi", "Linh", "Ngân", "Nhi", "Vy", "My", "Hân", "Châu", "Trang", "Ngọc",
        "Thư", "Hà", "Mai", "Giang", "Nhiên", "Lam",
    ],
}  # fmt: skip
# Never generated: the demo accounts' people and the minister named in the seed article.
RESERVED_NAMES = {
    "Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Quang Minh", "Phạm Thu Hà", "Đỗ Hoài Nam",
    "Lê Vĩnh Tân",
}  # fmt: skip

# Jobs by kind of unit: (category, job title, weight, minimum age).
JOBS = {
    "union": [
        (CS, "Chuyên viên", 45, 0),
        (CS, "Chuyên viên chính", 30, 30),
        (CS, "Kế toán viên", 12, 0),
        (CS, "Phó Chánh Văn phòng", 8, 36),
        (WK, "Nhân viên", 5, 0),
    ],
    "office": [
        (CS, "Chuyên viên", 42, 0),
        (CS, "Chuyên viên chính", 20, 30),
        (CS, "Chuyên viên cao cấp", 3, 42),
        (CS, "Phó Trưởng phòng", 9, 32),
        (CS, "Trưởng phòng", 5, 36),
        (CS, "Cán sự", 4, 0),
        (CS, "Văn thư", 3, 0),
        (CS, "Kế toán viên", 3, 0),
        (PE, "Chuyên viên", 3, 0),
        (WK, "Nhân viên", 4, 0),
        (WK, "Nhân viên phục vụ", 2, 0),
        (WK, "Lái xe", 2, 0),
    ],
    "support": [
        (WK, "Lái xe", 45, 0),
        (WK, "Bảo vệ", 35, 0),
        (WK, "Nhân viên kỹ thuật", 10, 0),
        (CS, "Chuyên viên", 6, 0),
        (CS, "Đội trưởng Đội xe", 4, 38),
    ],
    "inspection": [
        (CS, "Thanh tra viên", 40, 0),
        (CS, "Thanh tra viên chính", 22, 32),
        (CS, "Thanh tra viên cao cấp", 3, 44),
        (CS, "Chuyên viên", 15, 0),
        (CS, "Phó Trưởng phòng", 8, 34),
        (CS, "Trưởng phòng", 4, 38),
        (WK, "Nhân viên", 5, 0),
        (WK, "Lái xe", 3, 0),
    ],
    "archive": [
        (PE, "Lưu trữ viên", 40, 0),
        (PE, "Lưu trữ viên chính", 18, 30),
        (PE, "Chuyên viên", 12, 0),
        (PE, "Phó Trưởng phòng", 7, 32),
        (PE, "Trưởng phòng", 3, 36),
        (PE, "Kỹ thuật viên bảo quản", 8, 0),
        (WK, "Nhân viên", 6, 0),
        (WK, "Bảo vệ", 6, 0),
    ],
    "teaching": [
        (PE, "Giảng viên", 40, 0),
        (PE, "Giảng viên chính", 20, 32),
        (PE, "Chuyên viên", 15, 0),
        (PE, "Phó Trưởng khoa", 6, 36),
        (PE, "Trưởng khoa", 3, 40),
        (PE, "Kế toán viên", 4, 0),
        (WK, "Nhân viên", 7, 0),
        (WK, "Bảo vệ", 5, 0),
    ],
    "research": [
        (PE, "Nghiên cứu viên", 40, 0),
        (PE, "Nghiên cứu viên chính", 20, 32),
        (PE, "Chuyên viên", 15, 0),
        (PE, "Phó Trưởng ban", 7, 36),
        (PE, "Trưởng ban", 3, 40),
        (CS, "Chuyên viên", 5, 0),
        (WK, "Nhân viên", 10, 0),
    ],
    "press": [
        (PE, "Biên tập viên", 40, 0),
        (PE, "Phóng viên", 25, 0),
        (PE, "Biên tập viên chính", 10, 32),
        (PE, "Trưởng ban Biên tập", 5, 38),
        (PE, "Kế toán viên", 5, 0),
        (PE, "Họa sĩ trình bày", 5, 0),
        (WK, "Nhân viên phát hành", 10, 0),
    ],
    "it": [
        (PE, "Chuyên viên công nghệ thông tin", 35, 0),
        (PE, "Kỹ thuật viên", 20, 0),
        (PE, "Biên tập viên", 15, 0),
        (PE, "Phó Trưởng phòng", 8, 32),
        (PE, "Trưởng phòng", 4, 36),
        (CS, "Chuyên viên", 8, 0),
        (WK, "Nhân viên", 10, 0),
    ],
}
# Province codes at the start of a 12-digit citizen ID (mostly Hà Nội and the Red River delta).
PROVINCE_CODES = ["001"] * 8 + ["034", "036", "038", "040", "030", "033", "035", "037", "042"]
LEFT_REASONS = ["Nghỉ việc theo nguyện vọng cá nhân", "Chuyển công tác ra ngoài Bộ"]
RETIRED_REASON = "Nghỉ hưu theo chế độ"


# --- Dates ------------------------------------------------------------------------------------


def add_years(day, years):
    """The same day ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def age_on(born, day):
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _between(rng, first, last):
    """A day from ``first`` to ``last`` (both included), using exactly one draw."""
    span = max((last - first).days, 0)
    return first + datetime.timedelta(days=int(rng.random() * (span + 1)))


# --- Generation (pure: no database) -----------------------------------------------------------


@dataclass
class PersonSpec:
    card_number: str  # normalised
    branch_code: str
    full_name: str
    family_name: str
    gender: str
    date_of_birth: datetime.date
    category: str
    job_title: str
    work_unit: str
    joined_on: datetime.date
    phone: str
    email: str = ""
    national_id: str = ""
    status: str = Member.Status.ACTIVE
    status_changed_on: datetime.date | None = None
    status_reason: str = ""
    policy_group: str = ""
    hardship: bool = False


@dataclass
class ChildSpec:
    card_number: str  # the parent's
    full_name: str
    gender: str
    date_of_birth: datetime.date


def card_number(serial):
    return normalize_card_number(f"{CARD_PREFIX}{serial:06d}")


def _family_name(rng):
    return rng.choices(list(FAMILY_NAMES), weights=list(FAMILY_NAMES.values()))[0]


def _person_name(rng, gender, family):
    while True:
        middle = rng.choice(MIDDLE_NAMES[gender])
        if gender == FEMALE and middle == "Thị" and rng.random() < 0.25:
            middle = f"Thị {rng.choice(SECOND_MIDDLE_NAMES)}"
        given = rng.choice(GIVEN_NAMES[gender])
        name = f"{family} {middle} {given}"
        if given not in middle.split() and name not in RESERVED_NAMES:
            return nfc(name)


def _child_name(rng, gender, family, taken):
    while True:
        name = nfc(
            f"{family} {rng.choice(CHILD_MIDDLE_NAMES[gender])} "
            f"{rng.choice(CHILD_GIVEN_NAMES[gender])}"
        )
        if name not in taken and name.split()[-1] != name.split()[-2]:
            return name


def _national_id(rng, gender, born):
    century = 0 if born.year < 2000 else 2
    digit = century + (1 if gender == FEMALE else 0)
    return f"{rng.choice(PROVINCE_CODES)}{digit}{born.year % 100:02d}{rng.randrange(10**6):06d}"


def _job(rng, jobs, age):
    fitting = [job for job in JOBS[jobs] if job[3] <= age]
    category, title, _weight, _min_age = rng.choices(fitting, weights=[j[2] for j in fitting])[0]
    return category, title


def generate_people(today):
    """The generated members, in card number order: the same list for the same ``today``."""
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    slots = [spec for spec in BRANCHES for _ in range(spec.members)]
    order = list(range(len(slots)))
    retired = set(rng.sample(order, RETIRED))
    left = set(rng.sample([i for i in order if i not in retired], LEFT))
    people = []
    for index, branch in enumerate(slots):
        serial = FIRST_GENERATED_CARD + index
        gender = FEMALE if rng.random() < 0.53 else MALE
        family = _family_name(rng)
        full_name = _person_name(rng, gender, family)
        if index in retired:
            retirement_age = 61 if gender == MALE else 57
            retired_on = _between(
                rng, today - datetime.timedelta(days=720), today - datetime.timedelta(days=60)
            ).replace(day=1)
            born = add_years(retired_on, -retirement_age) - datetime.timedelta(
                days=1 + int(rng.random() * 27)
            )
        else:
            oldest = 60 if gender == MALE else 57
            first = add_years(today, -(oldest + 1)) + datetime.timedelta(days=1)
            last = add_years(today, -23)
            born = first + datetime.timedelta(
                days=int(rng.triangular(0, 1, 0.6) * (last - first).days)
            )
            retired_on = None
        age = age_on(born, today)
        category, job_title = _job(rng, branch.jobs, age)
        earliest, latest = add_years(born, 21), add_years(born, 36)
        latest = min(latest, retired_on or today, today - datetime.timedelta(days=60))
        if latest <= earliest:
            earliest, latest = add_years(born, 18), today - datetime.timedelta(days=30)
        joined = _between(rng, earliest, latest)
        number = f"09{int(rng.random() * 10**8):08d}"
        wants_email = rng.random() < (0.6 if category == WK else 0.95)
        email = f"{fold(full_name).replace(' ', '')}.{serial}@{EMAIL_DOMAIN}" if wants_email else ""
        wants_id = rng.random() < 0.4
        national_id = _national_id(rng, gender, born) if wants_id else ""
        person = PersonSpec(
            card_number=card_number(serial),
            branch_code=branch.code,
            full_name=full_name,
            family_name=family,
            gender=gender,
            date_of_birth=born,
            category=category,
            job_title=job_title,
            work_unit=branch.unit,
            joined_on=joined,
            phone=number,
            email=email,
            national_id=national_id,
        )
        if retired_on:
            person.status = Member.Status.RETIRED
            person.status_changed_on = retired_on
            person.status_reason = RETIRED_REASON
        elif index in left:
            start = min(add_years(joined, 1), today - datetime.timedelta(days=30))
            person.status = Member.Status.LEFT
            person.status_changed_on = _between(rng, start, today - datetime.timedelta(days=7))
            person.status_reason = rng.choice(LEFT_REASONS)
        people.append(person)
    return people


def pick_officers(people, today):
    """For each of ASSIGNMENTS, the card number of the generated member who holds it."""
    used, picks = set(), []
    for code, position, start_on, end_on in ASSIGNMENTS:
        for person in people:
            if (
                person.branch_code == code
                and person.card_number not in used
                and person.status == Member.Status.ACTIVE
                and person.category != WK
                and person.joined_on < start_on
                and age_on(person.date_of_birth, today) >= 30
            ):
                used.add(person.card_number)
                picks.append((code, position, start_on, end_on, person.card_number))
                break
        else:  # pragma: no cover - the tree above always has someone
            raise RuntimeError(f"No member of {code} can be {position} from {start_on}.")
    return picks


def mark_policy_and_hardship(people, officers):
    """Give exactly 144 active members a Tết policy group and 25 others the hardship flag."""
    rng = random.Random(SEED + 1)  # noqa: S311 - demo data, not security
    eligible = [
        p for p in people if p.status == Member.Status.ACTIVE and p.joined_on < MEMBERS_BEFORE
    ]
    chosen = set()

    def take(candidates, count, **changes):
        candidates = [p for p in candidates if p.card_number not in chosen]
        if len(candidates) < count:  # pragma: no cover - only if the tree above shrinks
            raise RuntimeError("Not enough demo members for the seed scenario.")
        for person in rng.sample(candidates, count):
            chosen.add(person.card_number)
            for field, value in changes.items():
                setattr(person, field, value)

    PG = Member.PolicyGroup
    take(
        [p for p in eligible if p.gender == MALE and p.date_of_birth.year <= 1972],
        WAR_INVALIDS,
        policy_group=PG.WAR_INVALID,
    )
    take(
        [p for p in eligible if p.date_of_birth.year <= 1996],
        CHILDREN_OF_WAR_INVALIDS,
        policy_group=PG.CHILD_OF_WAR_INVALID,
    )
    take(
        [p for p in eligible if p.date_of_birth.year <= 1990],
        TET_GIFT_RECIPIENTS - WAR_INVALIDS - CHILDREN_OF_WAR_INVALIDS,
        policy_group=PG.CHILD_OF_MARTYR,
    )
    take(eligible, OTHER_POLICY_FAMILIES, policy_group=PG.OTHER)
    take([p for p in eligible if p.card_number not in officers], HARDSHIP_VISITS, hardship=True)


def generate_children(people, today):
    """About 40% of the members have one to three children under 18."""
    rng = random.Random(SEED + 2)  # noqa: S311 - demo data, not security
    children = []
    youngest_born = add_years(today, -18) + datetime.timedelta(days=1)
    for person in people:
        # Always the same number of draws per member, whatever ``today`` is.
        has_children, how_many = rng.random(), rng.random()
        draws = [(rng.random(), rng.random()) for _ in range(3)]
        if has_children >= 0.42:
            continue
        first = max(add_years(person.date_of_birth, 22), youngest_born)
        last = min(add_years(person.date_of_birth, 42), today - datetime.timedelta(days=30))
        if last <= first:
            continue
        count = 1 if how_many < 0.45 else 2 if how_many < 0.9 else 3
        family = person.family_name if person.gender == MALE else _family_name(rng)
        taken = set()
        for when, sex in draws[:count]:
            gender = MALE if sex < 0.5 else FEMALE
            name = _child_name(rng, gender, family, taken)
            taken.add(name)
            born = first + datetime.timedelta(days=int(when * ((last - first).days + 1)))
            children.append(ChildSpec(person.card_number, name, gender, born))
    return children


# --- Loading ----------------------------------------------------------------------------------


def _contacts(spec):
    """Address, phone and e-mail of a branch: the root and grassroots unions have their own."""
    if spec.parent is None:
        return {
            "address": HQ_ADDRESS,
            "phone": "024 3824 0000",
            "email": f"congdoan@{EMAIL_DOMAIN}",
        }
    if spec.level == G:
        return {"address": HQ_ADDRESS, "email": f"{spec.code.lower()}@{EMAIL_DOMAIN}"}
    return {}


def load_branches():
    """The tree, parents first; an existing branch (by code) is left as it is."""
    branches, created = {}, 0
    for spec in BRANCHES:
        branch, was_created = Branch.objects.get_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "level": spec.level,
                "parent": branches[spec.parent] if spec.parent else None,
                **_contacts(spec),
            },
        )
        branches[spec.code] = branch
        created += was_created
    return branches, created


def _member(spec, branch):
    full_name = " ".join(nfc(spec.full_name).split())
    return Member(
        card_number=normalize_card_number(spec.card_number),
        full_name=full_name,
        search_name=fold(full_name),
        gender=spec.gender,
        date_of_birth=spec.date_of_birth,
        national_id=spec.national_id,
        branch=branch,
        category=spec.category,
        job_title=nfc(spec.job_title).strip(),
        work_unit=nfc(spec.work_unit).strip(),
        joined_on=spec.joined_on,
        status=spec.status,
        status_changed_on=spec.status_changed_on,
        status_reason=spec.status_reason,
        policy_group=spec.policy_group,
        hardship=spec.hardship,
        phone=spec.phone,
        email=spec.email.strip().lower(),
    )


def _account_people(today, officer_ministry, officer_grassroots, member_user):
    """The demo accounts' own member records and children (dates relative to ``today``)."""

    def name(user):
        return " ".join(nfc(f"{user.last_name} {user.first_name}").split())

    def born(years, month, day):
        return datetime.date(today.year - years, month, day)

    people = [
        (
            officer_ministry,
            PersonSpec(
                card_number=card_number(1),
                branch_code=ROOT_CODE,
                full_name=name(officer_ministry),
                family_name="",
                gender=MALE,
                date_of_birth=born(49, 3, 21),
                category=CS,
                job_title="Chuyên viên cao cấp",
                work_unit="Công đoàn Bộ Nội vụ",
                joined_on=born(26, 9, 1),
                phone="0912480321",
                national_id="001077004821",
            ),
        ),
        (
            officer_grassroots,
            PersonSpec(
                card_number=card_number(2),
                branch_code=HOME_CODE,
                full_name=name(officer_grassroots),
                family_name="",
                gender=FEMALE,
                date_of_birth=born(44, 11, 2),
                category=CS,
                job_title="Chuyên viên chính",
                work_unit="Văn phòng Bộ",
                joined_on=born(21, 10, 15),
                phone="0983215507",
            ),
        ),
        (
            member_user,
            PersonSpec(
                card_number=card_number(3),
                branch_code=HOME_CODE,
                full_name=name(member_user),
                family_name="",
                gender=MALE,
                date_of_birth=born(37, 8, 15),
                category=CS,
                job_title="Chuyên viên",
                work_unit="Văn phòng Bộ - Phòng Hành chính",
                joined_on=born(13, 4, 1),
                phone="0904637218",
            ),
        ),
    ]
    family = member_user.last_name.split()[0] if member_user.last_name else "Đỗ"
    children = [
        (f"{family} Minh Khang", MALE, born(10, 9, 12)),
        (f"{family} Khánh Linh", FEMALE, born(5, 4, 3)),
    ]
    return people, children


def _link_accounts(today, branches, officer_ministry, officer_grassroots, member_user):
    """Each account's member record (an existing one is kept as it is). Returns them, created."""
    people, children = _account_people(today, officer_ministry, officer_grassroots, member_user)
    records, created = [], 0
    for user, spec in people:
        member = Member.objects.filter(user=user).first()
        if member is None:
            member = Member.objects.filter(card_number=spec.card_number).first()
            if member is None:
                member = _member(spec, branches[spec.branch_code])
                member.user = user
                member.email = user.email or ""
                member._change_reason = HISTORY_REASON
                member.save()
                created += 1
            elif member.user_id is None:
                member.user = user
                member._change_reason = HISTORY_REASON
                member.save()
        records.append(member)
    dependants = 0
    for full_name, gender, date_of_birth in children:
        _child, was_created = Dependant.objects.get_or_create(
            member=records[2],
            full_name=nfc(full_name),
            defaults={"gender": gender, "date_of_birth": date_of_birth},
        )
        dependants += was_created
    return records, created, dependants


def load_unions(*, officer_ministry, officer_grassroots, member_user, today=None):
    """Load the demo tree, members and officers; idempotent. Returns what was created.

    ``officer_ministry`` (``canbo``) chairs the root, ``officer_grassroots`` (``canbo_cs``) chairs
    CDCS-VP and ``member_user`` (``doanvien``) is a member of CDCS-VP.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        branches, branches_created = load_branches()

        people = generate_people(today)
        officers = pick_officers(people, today)
        mark_policy_and_hardship(people, {card for *_rest, card in officers})
        children = generate_children(people, today)

        cards = [p.card_number for p in people]
        existing = set(
            Member.objects.filter(card_number__in=cards).values_list("card_number", flat=True)
        )
        new_members = [
            _member(p, branches[p.branch_code]) for p in people if p.card_number not in existing
        ]
        bulk_create_with_history(
            new_members, Member, batch_size=500, default_change_reason=HISTORY_REASON
        )
        new_cards = {m.card_number for m in new_members}
        ids = dict(Member.objects.filter(card_number__in=cards).values_list("card_number", "pk"))
        new_children = [
            Dependant(
                member_id=ids[c.card_number],
                full_name=" ".join(nfc(c.full_name).split()),
                gender=c.gender,
                date_of_birth=c.date_of_birth,
            )
            for c in children
            if c.card_number in new_cards
        ]
        bulk_create_with_history(
            new_children, Dependant, batch_size=500, default_change_reason=HISTORY_REASON
        )

        accounts, accounts_created, account_children = _link_accounts(
            today, branches, officer_ministry, officer_grassroots, member_user
        )

        officers_created = officers_existing = 0
        ministry, grassroots, _member_record = accounts
        for member, code in ((ministry, ROOT_CODE), (grassroots, HOME_CODE)):
            _assignment, was_created = OfficerAssignment.objects.get_or_create(
                member=member,
                branch=branches[code],
                position=OfficerAssignment.Position.CHAIR,
                defaults={"start_on": TERM_START},
            )
            officers_created += was_created
            officers_existing += not was_created
        for code, position, start_on, end_on, card in officers:
            branch = branches[code]
            if OfficerAssignment.objects.filter(
                branch=branch, position=position, start_on=start_on
            ).exists():
                officers_existing += 1
                continue
            OfficerAssignment.objects.create(
                member_id=ids[card],
                branch=branch,
                position=position,
                start_on=start_on,
                end_on=end_on,
            )
            officers_created += 1

    members_total = len(people) + len(accounts)
    members_created = len(new_members) + accounts_created
    return {
        "root": ROOT_CODE,
        "grassroots": HOME_CODE,
        "branches_created": branches_created,
        "branches_existing": len(BRANCHES) - branches_created,
        "members_created": members_created,
        "members_existing": members_total - members_created,
        "dependants_created": len(new_children) + account_children,
        "officers_created": officers_created,
        "officers_existing": officers_existing,
    }
