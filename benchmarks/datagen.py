"""A portal at scale, made up deterministically and bulk-inserted: the benchmark's data set.

``generate(Sizes(...))`` (or ``generate(FULL.scaled(0.001))`` in the tests) writes, in one
transaction:

- 8 news categories (through ``Category.save()``: few rows) and published posts with Vietnamese
  titles, leads and ~3 KB bodies. Bodies are built from blocks that are already what
  ``news.sanitize.clean_body`` keeps, ``body_text`` is what ``Post.save()`` derives, slugs are
  folded the Vietnamese way and unique as ``Post._unique_slug`` makes them; ``search_vector`` is
  filled by the PostgreSQL trigger of ``news/migrations/0002_post_search.py``, which fires for
  ``COPY`` as for any insert.
- The union tree (ministry root, grassroots unions, divisions, groups; every level rule of
  ``Branch.clean()``), members (card numbers normalised, ``search_name`` folded, national IDs of
  9 or 12 digits, nobody born or joining in the future or joining before birth), their children,
  the chairs of the grassroots unions and one ministry-level officer account to sign in with.
- Aid programmes of every ``AidKind`` over three years (the root's and the grassroots unions' own)
  and aid records following ``welfare.services``: the beneficiary an active member of the
  programme's subtree who had joined by the date, the date inside the programme's period, at most
  the cap per person, a second record in a programme marked confirmed, collective gifts in kind to
  branches, mostly approved or paid, some proposed, some cancelled with a reason; each programme's
  budget is set above what it committed.
- Support requests in every status (approved ones point at an aid record of their kind, rejected
  ones carry a reason) and campaigns with contributions in and out (from members of the campaign's
  subtree, branches or outside parties; never before the campaign started).
- A creation entry in the history of every history-tracked row written in bulk (as
  ``bulk_create_with_history`` would), except posts (an editor's revisions; not needed here).

The big tables go in with PostgreSQL ``COPY`` (batched ``executemany`` on SQLite), never one
ORM ``save()`` per row; ids are given explicitly and the sequences reset afterwards. Every date
is fixed (2017–2025; a few payments land early in 2026), so the same seed gives the same data
whatever today is. Calling
``generate`` again on the same database adds as much again (new posts, members, records...)
under the same categories, tree, programmes and campaigns: the tests use that to compare a page
at two data sizes.
"""

import datetime
import io
import json
import queue
import random
import re
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from zoneinfo import ZoneInfo

import psycopg2
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import Sum
from simple_history.utils import bulk_create_with_history

from benchmarks.sizes import FULL, SEED, TINY, VERSION, Sizes  # noqa: F401 - re-exported
from news.models import Category, Post
from portal import roles
from portal.text import fold, slugify_vi
from unions.demo import (
    CHILD_GIVEN_NAMES,
    CHILD_MIDDLE_NAMES,
    FAMILY_NAMES,
    GIVEN_NAMES,
    JOBS,
    MIDDLE_NAMES,
    PROVINCE_CODES,
)
from unions.models import Branch, Dependant, Member, OfficerAssignment
from welfare.models import (
    MAX_AMOUNT_VND,
    AidKind,
    AidProgram,
    AidRecord,
    Campaign,
    Contribution,
    SupportRequest,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date

YEARS = (2023, 2024, 2025)  # the three years of aid, requests and campaigns
REVIEW_YEAR = YEARS[-1]  # the year whose review the benchmark computes
FIRST_POST_DAY = D(2017, 1, 1)
LAST_DAY = D(2025, 12, 31)
CODE_PREFIX = "BM"  # codes of generated branches, programmes, campaigns and card numbers
ROOT_CODE = "CDBNV"
ROOT_NAME = "Công đoàn Bộ Nội vụ"
OFFICER_USERNAME = "bench_canbo"
OFFICER_NAME = "Nguyễn Hữu Bình"
HISTORY_REASON = "Dữ liệu thử hiệu năng"
EMAIL_DOMAIN = "example.gov.vn"


@dataclass
class Result:
    sizes: Sizes
    seed: int
    seconds: float
    steps: dict = field(default_factory=dict)  # step name -> seconds
    officer_username: str = OFFICER_USERNAME
    root_id: int | None = None


# --- Writing rows in bulk -----------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_text(value):
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return _NULL
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False).translate(_COPY_ESCAPES)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _text_converter(value):
    return _NULL if value is None else value.translate(_COPY_ESCAPES)


def _plain_converter(value):
    return _NULL if value is None else str(value)


def _date_converter(value):
    return _NULL if value is None else value.isoformat()


def _converter(model_field):
    """The fastest correct way to write this field's values in COPY text format."""
    kind = model_field.get_internal_type()
    if kind in {"CharField", "TextField", "SlugField", "EmailField", "FileField", "ImageField"}:
        return _text_converter
    if kind in {"DateField", "DateTimeField"}:
        return _date_converter
    if kind.endswith("IntegerField") or kind in {"AutoField", "BigAutoField", "ForeignKey"}:
        return _plain_converter
    return _copy_text


def _default(model_field):
    """What a model instance would hold for a field left out: its default, "" for text, or None."""
    return model_field.get_default()


class Writer:
    """Inserts rows given as dicts of attnames: COPY on PostgreSQL, executemany elsewhere."""

    CHUNK = 5_000

    def __init__(self, using):
        self.connection = connections[using]
        self.postgres = self.connection.vendor == "postgresql"
        self.written = set()

    def next_id(self, model):
        table, pk = model._meta.db_table, model._meta.pk.column
        with self.connection.cursor() as cursor:
            cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')  # noqa: S608
            return cursor.fetchone()[0] + 1

    def _chunks(self, model, rows, skip):
        """(fields, chunk of value lists) for ``rows``; fields a row leaves out get defaults."""
        fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
        defaults = [(f.attname, _default(f), not f.null) for f in fields]
        table = model._meta.db_table
        self.written.add(model)
        chunk = []
        for row in rows:
            values = []
            for name, default, required in defaults:
                value = row.get(name, default)
                if value is None and required:
                    raise ValueError(f"{table}.{name} cannot be empty (row {row.get('id')})")
                values.append(value)
            chunk.append(values)
            if len(chunk) >= self.CHUNK:
                yield fields, chunk
                chunk = []
        if chunk:
            yield fields, chunk

    @staticmethod
    def _copy_sql(model, fields):
        columns = ", ".join(f'"{f.column}"' for f in fields)
        return f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN'

    @staticmethod
    def _copy_buffer(fields, chunk):
        converters = [_converter(f) for f in fields]
        lines = [
            "\t".join([c(v) for c, v in zip(converters, values, strict=True)]) for values in chunk
        ]
        lines.append("")
        return io.StringIO("\n".join(lines))

    def insert(self, model, rows, skip=()):
        """Write ``rows`` (an iterable of dicts) in this connection's transaction."""
        for fields, chunk in self._chunks(model, rows, skip):
            with self.connection.cursor() as cursor:
                if self.postgres:
                    cursor.copy_expert(
                        self._copy_sql(model, fields), self._copy_buffer(fields, chunk)
                    )
                else:
                    columns = ", ".join(f'"{f.column}"' for f in fields)
                    placeholders = ", ".join(["%s"] * len(fields))
                    cursor.executemany(
                        f'INSERT INTO "{model._meta.db_table}" ({columns}) '  # noqa: S608
                        f"VALUES ({placeholders})",
                        [
                            [
                                f.get_db_prep_save(v, self.connection)
                                for f, v in zip(fields, values, strict=True)
                            ]
                            for values in chunk
                        ],
                    )

    def insert_parallel(self, model, rows, *, workers, skip=()):
        """COPY ``rows`` through ``workers`` connections of their own, each committing its share:
        for a table whose inserts cost the server more than the client (a trigger), on PostgreSQL
        only and outside any transaction of the default connection."""
        params = dict(self.connection.get_connection_params())
        params.pop("cursor_factory", None)
        links = [psycopg2.connect(**params) for _ in range(workers)]
        inboxes = [queue.Queue(maxsize=2) for _ in range(workers)]
        errors = []

        def work(link, inbox):
            failed = False
            while (item := inbox.get()) is not None:
                if failed:
                    continue  # keep taking chunks so the producer never blocks
                try:
                    with link.cursor() as cursor:
                        cursor.copy_expert(*item)
                except Exception as exc:
                    errors.append(exc)
                    failed = True
            if not failed:
                link.commit()

        threads = [
            threading.Thread(target=work, args=pair, daemon=True)
            for pair in zip(links, inboxes, strict=True)
        ]
        for thread in threads:
            thread.start()
        try:
            for n, (fields, chunk) in enumerate(self._chunks(model, rows, skip)):
                inboxes[n % workers].put(
                    (self._copy_sql(model, fields), self._copy_buffer(fields, chunk))
                )
        finally:
            for inbox in inboxes:
                inbox.put(None)
            for thread in threads:
                thread.join()
            for link in links:
                link.close()
        if errors:
            raise errors[0]

    def history(self, model, rows, *, user_id, reason=HISTORY_REASON):
        """The creation entry ("+") of each row in the model's django-simple-history table."""
        history_model = model.history.model
        base = {f.attname: _default(f) for f in model._meta.concrete_fields}
        names = [
            f.attname
            for f in history_model._meta.concrete_fields
            if not f.attname.startswith("history_")
        ]
        next_id = self.next_id(history_model)

        def entries():
            for offset, row in enumerate(rows):
                entry = {name: row.get(name, base.get(name)) for name in names}
                entry["history_id"] = next_id + offset
                entry["history_date"] = row.get("updated_at") or row.get("created_at")
                entry["history_change_reason"] = reason
                entry["history_type"] = "+"
                entry["history_user_id"] = user_id
                yield entry

        self.insert(history_model, entries())

    def reset_sequences(self, models=None):
        models = list(models or self.written)
        statements = self.connection.ops.sequence_reset_sql(no_style(), models)
        with self.connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- Helpers ------------------------------------------------------------------------------------


def _allocate(total, weights):
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if not weight_sum:
        return [0] * len(weights)
    raw = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _day_between(rng, first, last):
    span = max((last - first).days, 0)
    return first + datetime.timedelta(days=rng.randint(0, span))


def _at(day, rng, first_hour=8, last_hour=17):
    """A local time on ``day`` during office hours."""
    return datetime.datetime(
        day.year, day.month, day.day, rng.randint(first_hour, last_hour), rng.randint(0, 59),
        tzinfo=TZ,
    )  # fmt: skip


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return D(day.year + years, 3, 1)


def _round_to(value, step):
    return max(step, round(value / step) * step)


_TAG = re.compile(r"<[^>]+>")


def text_of(html):
    """What ``Post.save()`` stores as ``body_text`` for these simple, clean fragments."""
    return " ".join(unescape(_TAG.sub(" ", html)).split())


# --- The union tree ---------------------------------------------------------------------------

# (unit, short name, kind of jobs in unions.demo.JOBS)
UNITS = [
    ("Văn phòng Bộ", "VP", "office"),
    ("Vụ Tổ chức cán bộ", "TCCB", "office"),
    ("Thanh tra Bộ", "TTR", "inspection"),
    ("Vụ Pháp chế", "PC", "office"),
    ("Vụ Kế hoạch - Tài chính", "KHTC", "office"),
    ("Vụ Hợp tác quốc tế", "HTQT", "office"),
    ("Vụ Cải cách hành chính", "CCHC", "office"),
    ("Vụ Chính quyền địa phương", "CQDP", "office"),
    ("Vụ Công chức - Viên chức", "CCVC", "office"),
    ("Vụ Tiền lương", "TL", "office"),
    ("Cục Văn thư và Lưu trữ nhà nước", "VTLT", "archive"),
    ("Ban Thi đua - Khen thưởng Trung ương", "TDKT", "office"),
    ("Ban Tôn giáo Chính phủ", "TGCP", "office"),
    ("Trường Bồi dưỡng cán bộ, công chức", "TRBD", "teaching"),
    ("Viện Khoa học tổ chức nhà nước", "VKH", "research"),
    ("Tạp chí Tổ chức nhà nước", "TCNN", "press"),
    ("Trung tâm Thông tin", "TTTT", "it"),
    ("Cục Việc làm", "CVL", "office"),
    ("Cục Quản lý lao động ngoài nước", "QLLDNN", "office"),
    ("Trung tâm Lưu trữ quốc gia I", "TTLT1", "archive"),
]
DIVISIONS = ["Văn phòng", "các Phòng nghiệp vụ", "các Trung tâm", "khối Hành chính"]
GROUPS = [
    "Phòng Hành chính",
    "Phòng Quản trị",
    "Phòng Tổng hợp",
    "Phòng Kế toán",
    "Đội xe và Bảo vệ",
    "Phòng Nghiệp vụ 1",
    "Phòng Nghiệp vụ 2",
    "Phòng Công nghệ thông tin",
]


@dataclass
class _Node:
    branch: Branch
    unit: str
    jobs: str
    grassroots: "Branch | None"  # the grassroots union it belongs to (None for the root)


def _build_tree(count):
    """The root (the existing one, if any) and ``count - 1`` generated branches under it."""
    root = Branch.objects.filter(parent__isnull=True).first()
    if root is None:
        root = Branch(code=ROOT_CODE, name=ROOT_NAME, short_name="CĐBNV", level="ministry")
        root.save()
    nodes = [_Node(root, ROOT_NAME, "union", None)]
    grassroots_count = max(2, (count - 1) // 4)
    rest = count - 1 - grassroots_count
    wanted = []  # (code, name, short name, level, parent code, unit, jobs, grassroots code)
    for g in range(grassroots_count):
        unit, short, jobs = UNITS[g % len(UNITS)]
        if g >= len(UNITS):
            unit = f"{unit} {g // len(UNITS) + 1}"
        code = f"{CODE_PREFIX}-G{g + 1:02d}"
        wanted.append((code, f"Công đoàn {unit}", f"CĐCS {short}", "grassroots", None, unit, jobs))
    subs = defaultdict(list)
    for i in range(rest):
        subs[i % grassroots_count].append(i)
    for g, indexes in sorted(subs.items()):
        parent_code = f"{CODE_PREFIX}-G{g + 1:02d}"
        unit, _short, jobs = UNITS[g % len(UNITS)]
        division_code = None
        for k, _i in enumerate(indexes):
            if k == 0 and g % 2 == 0:
                division_code = f"{parent_code}-D1"
                name = DIVISIONS[g % len(DIVISIONS)]
                wanted.append(
                    (division_code, f"Công đoàn bộ phận {name}", "", "division", parent_code,
                     f"{unit} - {name}", jobs)
                )  # fmt: skip
                continue
            group = GROUPS[k % len(GROUPS)]
            under = division_code if division_code and k % 2 == 1 else parent_code
            wanted.append(
                (f"{parent_code}-T{k}", f"Tổ công đoàn {group}", "", "group", under,
                 f"{unit} - {group}", "support" if "xe" in group else jobs)
            )  # fmt: skip
    existing = {b.code: b for b in Branch.objects.filter(code__in=[w[0] for w in wanted])}
    by_code = {root.code: root, **existing}
    grassroots_of = {}
    for code, name, short, level, parent_code, unit, jobs in wanted:
        branch = existing.get(code)
        if branch is None:
            branch = Branch(
                code=code,
                name=name,
                short_name=short,
                level=level,
                parent=by_code[parent_code] if parent_code else root,
                address="Số 8 Tôn Thất Thuyết, quận Nam Từ Liêm, Hà Nội",
            )
            branch.save()
        by_code[code] = branch
        grassroots_of[code] = branch if level == "grassroots" else grassroots_of[parent_code]
        nodes.append(_Node(branch, unit, jobs, grassroots_of[code]))
    return root, nodes


# --- Members ----------------------------------------------------------------------------------

MEMBER_STATUS_WEIGHTS = {
    Member.Status.ACTIVE: 91,
    Member.Status.RETIRED: 4,
    Member.Status.TRANSFERRED: 2,
    Member.Status.LEFT: 2,
    Member.Status.DECEASED: 1,
}
STATUS_REASONS = {
    Member.Status.RETIRED: "Nghỉ hưu theo chế độ",
    Member.Status.TRANSFERRED: "Chuyển công tác ra ngoài Bộ",
    Member.Status.LEFT: "Nghỉ việc theo nguyện vọng cá nhân",
    Member.Status.DECEASED: "Từ trần",
}
POLICY_WEIGHTS = {
    "": 950,
    Member.PolicyGroup.WAR_INVALID: 5,
    Member.PolicyGroup.CHILD_OF_WAR_INVALID: 20,
    Member.PolicyGroup.CHILD_OF_MARTYR: 15,
    Member.PolicyGroup.OTHER: 10,
}
_FAMILY = list(FAMILY_NAMES)
_FAMILY_WEIGHTS = list(FAMILY_NAMES.values())


def _name(rng, gender, middle=MIDDLE_NAMES, given=GIVEN_NAMES):
    family = rng.choices(_FAMILY, weights=_FAMILY_WEIGHTS)[0]
    return f"{family} {rng.choice(middle[gender])} {rng.choice(given[gender])}"


def _job(rng, jobs, age):
    options = [(c, t, w) for c, t, w, min_age in JOBS[jobs] if age >= min_age]
    category, title, _w = rng.choices(options, weights=[o[2] for o in options])[0]
    return category, title


def _member_rows(rng, count, first_id, nodes, now):
    weights = [0.15 if node.branch.parent_id is None else rng.uniform(0.5, 1.5) for node in nodes]
    per_node = _allocate(count, weights)
    rows, member_id = [], first_id
    for node, n in zip(nodes, per_node, strict=True):
        for _ in range(n):
            gender = Member.Gender.FEMALE if rng.random() < 0.52 else Member.Gender.MALE
            born = _day_between(rng, D(1966, 1, 1), D(2002, 12, 31))
            joined = _day_between(rng, max(_add_years(born, 20), D(1995, 1, 1)), LAST_DAY)
            age = LAST_DAY.year - born.year
            category, job_title = _job(rng, node.jobs, age)
            full_name = _name(rng, gender)
            status = rng.choices(
                list(MEMBER_STATUS_WEIGHTS), weights=list(MEMBER_STATUS_WEIGHTS.values())
            )[0]
            changed_on, reason = None, ""
            if status != Member.Status.ACTIVE:
                first = max(joined + datetime.timedelta(days=1), D(YEARS[0], 1, 1))
                if first > LAST_DAY:
                    status = Member.Status.ACTIVE
                else:
                    changed_on, reason = _day_between(rng, first, LAST_DAY), STATUS_REASONS[status]
            national_id = ""
            kind = rng.random()
            if kind < 0.88:
                century = (0 if born.year < 2000 else 2) + (gender == Member.Gender.FEMALE)
                national_id = (
                    f"{rng.choice(PROVINCE_CODES)}{century}{born.year % 100:02d}"
                    f"{rng.randint(0, 999_999):06d}"
                )
            elif kind < 0.93:
                national_id = f"{rng.randint(10_000_000, 199_999_999):09d}"
            created = _at(min(joined, LAST_DAY), rng)
            rows.append(
                {
                    "id": member_id,
                    "created_at": created,
                    "updated_at": created,
                    "card_number": f"{CODE_PREFIX}{member_id:07d}",
                    "full_name": full_name,
                    "search_name": fold(full_name),
                    "gender": gender,
                    "date_of_birth": born,
                    "national_id": national_id,
                    "branch_id": node.branch.pk,
                    "category": category,
                    "job_title": job_title,
                    "work_unit": node.unit,
                    "joined_on": joined,
                    "status": status,
                    "status_changed_on": changed_on,
                    "status_reason": reason,
                    "policy_group": rng.choices(
                        list(POLICY_WEIGHTS), weights=list(POLICY_WEIGHTS.values())
                    )[0],
                    "hardship": rng.random() < 0.02,
                    "phone": f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.95 else "",
                    "email": (
                        f"{slugify_vi(full_name).replace('-', '.')}.{member_id}@{EMAIL_DOMAIN}"
                        if rng.random() < 0.85
                        else ""
                    ),
                    "user_id": None,
                }
            )
            member_id += 1
    return rows


def _dependant_rows(rng, members, first_id):
    rows, dependant_id = [], first_id
    for member in members:
        for _ in range(rng.choices([0, 1, 2], weights=[50, 30, 20])[0]):
            born = _day_between(
                rng, max(_add_years(member["date_of_birth"], 20), D(2003, 1, 1)), LAST_DAY
            )
            if born > LAST_DAY:
                continue
            gender = rng.choice([Member.Gender.MALE, Member.Gender.FEMALE])
            family = member["full_name"].split()[0]
            rows.append(
                {
                    "id": dependant_id,
                    "created_at": member["created_at"],
                    "updated_at": member["created_at"],
                    "member_id": member["id"],
                    "full_name": f"{family} {rng.choice(CHILD_MIDDLE_NAMES[gender])} "
                    f"{rng.choice(CHILD_GIVEN_NAMES[gender])}",
                    "date_of_birth": born,
                    "gender": gender,
                }
            )
            dependant_id += 1
    return rows


def _active_on(member, day):
    return member["joined_on"] <= day and (
        member["status"] == Member.Status.ACTIVE or member["status_changed_on"] > day
    )


# --- The officer to sign in with ----------------------------------------------------------------


def _officer(root, password):
    """``bench_canbo``: a member of the root who chairs it (ministry-level scope)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=OFFICER_USERNAME,
        defaults={"first_name": "Bình", "last_name": "Nguyễn Hữu", "email": "canbo@example.gov.vn"},
    )
    if created or password:
        user.set_password(password or secrets.token_urlsafe(24))
        user.save()
    roles.sync_role_groups()
    user.groups.add(
        *Group.objects.filter(
            name__in=[roles.GROUP_NAMES[roles.OFFICER], roles.GROUP_NAMES[roles.MEMBER]]
        )
    )
    member = Member.objects.filter(user=user).first()
    if member is None:
        member = Member(
            card_number=f"{CODE_PREFIX}OFFICER",
            full_name=OFFICER_NAME,
            gender=Member.Gender.MALE,
            date_of_birth=D(1975, 5, 19),
            branch=root,
            category=Member.Category.CIVIL_SERVANT,
            job_title="Chủ tịch Công đoàn Bộ",
            work_unit=ROOT_NAME,
            joined_on=D(1998, 3, 26),
            user=user,
        )
        member.save()
    OfficerAssignment.objects.get_or_create(
        member=member,
        branch=root,
        position=OfficerAssignment.Position.CHAIR,
        defaults={"start_on": D(2020, 1, 1)},
    )
    return user


def _chairs(rng, nodes, members, now):
    """A chair for each grassroots union that has none, chosen among its active members."""
    assignments = []
    taken = set(
        OfficerAssignment.objects.filter(position=OfficerAssignment.Position.CHAIR).values_list(
            "branch_id", flat=True
        )
    )
    by_branch = defaultdict(list)
    for member in members:
        if member["status"] == Member.Status.ACTIVE:
            by_branch[member["branch_id"]].append(member["id"])
    for node in nodes:
        branch = node.branch
        if (
            branch.level != Branch.Level.GRASSROOTS
            or branch.pk in taken
            or not by_branch[branch.pk]
        ):
            continue
        assignments.append(
            OfficerAssignment(
                member_id=rng.choice(by_branch[branch.pk]),
                branch=branch,
                position=OfficerAssignment.Position.CHAIR,
                start_on=D(2022, 10, 1),
            )
        )
    if assignments:
        bulk_create_with_history(assignments, OfficerAssignment)


# --- Aid ----------------------------------------------------------------------------------------

CAN_CHI = {2023: "Quý Mão", 2024: "Giáp Thìn", 2025: "Ất Tỵ"}
# kind: (share of records, cash range in đồng, programme name, first and last month of its period)
AID_KINDS = {
    AidKind.TET_GIFT: (20, (500_000, 2_000_000), "Quà Tết {canchi} {year}", (1, 2)),
    AidKind.POLICY: (
        4, (500_000, 1_500_000), "Thăm hỏi gia đình chính sách nhân ngày 27/7 năm {year}", (7, 7)
    ),
    AidKind.SICKNESS: (16, (500_000, 3_000_000), "Thăm hỏi đoàn viên ốm đau năm {year}", (1, 12)),
    AidKind.MATERNITY: (
        5, (500_000, 1_000_000), "Hỗ trợ đoàn viên nữ sinh con năm {year}", (1, 12)
    ),
    AidKind.BEREAVEMENT: (6, (1_000_000, 2_000_000), "Phúng viếng, chia buồn năm {year}", (1, 12)),
    AidKind.WEDDING: (5, (500_000, 1_000_000), "Mừng đoàn viên kết hôn năm {year}", (1, 12)),
    AidKind.HARDSHIP: (
        6, (1_000_000, 5_000_000), "Hỗ trợ đoàn viên có hoàn cảnh khó khăn năm {year}", (1, 12)
    ),
    AidKind.EPIDEMIC: (
        6, (500_000, 2_000_000), "Hỗ trợ đoàn viên bị ảnh hưởng bởi dịch bệnh năm {year}", (1, 12)
    ),
    AidKind.DISASTER: (
        4, (1_000_000, 5_000_000), "Hỗ trợ đoàn viên bị thiệt hại do thiên tai năm {year}", (1, 12)
    ),
    AidKind.EDUCATION: (
        10, (200_000, 1_000_000), "Khen thưởng con đoàn viên học giỏi năm học {year}-{next}",
        (8, 10),
    ),
    AidKind.CHILDREN: (
        12, (100_000, 300_000), "Quà Tết Thiếu nhi 1/6 và Trung thu năm {year}", (5, 9)
    ),
    AidKind.OTHER: (6, (200_000, 1_000_000), "Các hoạt động hỗ trợ khác năm {year}", (1, 12)),
}  # fmt: skip
# Kinds the grassroots unions run programmes of their own for, with their own money (a Tết gift
# to 20,000 members would be beyond one programme's ceiling of ten billion đồng anyway).
GRASSROOTS_KINDS = [
    AidKind.TET_GIFT,
    AidKind.CHILDREN,
    AidKind.EDUCATION,
    AidKind.SICKNESS,
    AidKind.BEREAVEMENT,
    AidKind.WEDDING,
    AidKind.MATERNITY,
]
CAPPED_KINDS = {AidKind.SICKNESS, AidKind.BEREAVEMENT, AidKind.WEDDING, AidKind.MATERNITY}
# kind: (share in kind, [(item, unit, value of one, quantity for a person, for a branch)])
GOODS = {
    AidKind.TET_GIFT: (0.10, [("Quà Tết", "suất", 500_000, (1, 1), (20, 200))]),
    AidKind.CHILDREN: (0.5, [("Bánh trung thu", "hộp", 150_000, (1, 3), (50, 400)),
                             ("Sách vở", "bộ", 200_000, (1, 2), (50, 300))]),
    AidKind.EPIDEMIC: (0.4, [("Khẩu trang y tế", "hộp", 50_000, (1, 5), (100, 2_000)),
                             ("Nước rửa tay sát khuẩn", "chai", 60_000, (1, 3), (50, 500))]),
    AidKind.DISASTER: (0.3, [("Gạo", "kg", 15_000, (10, 50), (200, 2_000)),
                             ("Mì tôm", "thùng", 120_000, (1, 5), (20, 200))]),
    AidKind.HARDSHIP: (0.1, [("Gạo", "kg", 15_000, (10, 30), (100, 500))]),
}  # fmt: skip
CANCEL_REASONS = [
    "Đoàn viên đã nhận hỗ trợ ở đợt khác",
    "Ghi nhầm đối tượng",
    "Đoàn viên chuyển công tác trước ngày nhận",
    "Trùng với đề nghị của công đoàn cơ sở",
]
NOTES = ["", "", "", "Trao tận tay đoàn viên", "Chuyển khoản", "Công đoàn cơ sở nhận thay"]


def _program_period(kind, year):
    first, last = AID_KINDS[kind][3]
    end = D(year, last + 1, 1) - datetime.timedelta(days=1) if last < 12 else D(year, 12, 31)
    return D(year, first, 1), end


def _programs(nodes, root):
    """Every programme (created through the ORM when missing): the root's of each kind and year,
    and each grassroots union's own for the common kinds."""
    wanted = []
    grassroots = [n.branch for n in nodes if n.branch.level == Branch.Level.GRASSROOTS]
    for year in YEARS:
        for kind, (_share, (low, high), name, _months) in AID_KINDS.items():
            start, end = _program_period(kind, year)
            label = name.format(canchi=CAN_CHI[year], year=year, next=year + 1)
            wanted.append(
                (f"{CODE_PREFIX}-{kind.upper()}-{year}", label, kind, root, start, end, low, high)
            )
            if kind in GRASSROOTS_KINDS:
                for branch in grassroots:
                    wanted.append(
                        (f"{CODE_PREFIX}-{kind.upper()}-{year}-{branch.code}",
                         f"{label} - {branch.short_name or branch.name}", kind, branch, start, end,
                         low, high)
                    )  # fmt: skip
    existing = {p.code: p for p in AidProgram.objects.filter(code__in=[w[0] for w in wanted])}
    programs = []
    for code, name, kind, branch, start, end, low, high in wanted:
        program = existing.get(code)
        if program is None:
            program = AidProgram(
                code=code,
                name=name,
                kind=kind,
                branch=branch,
                starts_on=start,
                ends_on=end,
                default_amount_vnd=_round_to((low + high) / 2, 100_000),
                cap_per_person_vnd=high if kind in CAPPED_KINDS else None,
                funding_source=(
                    AidProgram.FundingSource.MINISTRY_OFFICE
                    if kind == AidKind.TET_GIFT
                    else AidProgram.FundingSource.DONATIONS
                    if kind == AidKind.DISASTER
                    else AidProgram.FundingSource.UNION_FUNDS
                ),
                eligibility_note="Đoàn viên công đoàn thuộc phạm vi của chương trình.",
                is_open=end.year >= REVIEW_YEAR,
            )
            program.save()
        programs.append(program)
    return programs


def _aid_rows(
    rng, count, first_id, programs, members_by_grassroots, all_members, nodes, officer_id
):
    """``count`` aid records spread over the years and kinds by their shares."""
    subtree_branches = defaultdict(list)  # grassroots id (or root id) -> branch ids under it
    for node in nodes:
        subtree_branches[node.grassroots.pk if node.grassroots else node.branch.pk].append(
            node.branch.pk
        )
        if node.grassroots:
            subtree_branches[nodes[0].branch.pk].append(node.branch.pk)
    by_year_kind = defaultdict(list)
    for program in programs:
        by_year_kind[(program.starts_on.year, program.kind)].append(program)
    cells = [(year, kind) for year in YEARS for kind in AID_KINDS]
    quotas = _allocate(count, [AID_KINDS[kind][0] for _year, kind in cells])
    seen = set(
        AidRecord.objects.exclude(status=AidRecord.Status.CANCELLED)
        .filter(program__in=programs, member__isnull=False)
        .values_list("program_id", "member_id")
    )
    rows, record_id = [], first_id
    for (year, kind), quota in zip(cells, quotas, strict=True):
        candidates = by_year_kind[(year, kind)]
        low, high = AID_KINDS[kind][1]
        in_kind_share, goods = GOODS.get(kind, (0, []))
        for _ in range(quota):
            program = rng.choice(candidates)
            date = _day_between(rng, program.starts_on, program.ends_on)
            pool = (
                all_members
                if program.branch.parent_id is None
                else members_by_grassroots.get(program.branch_id, [])
            )
            member = None
            for _try in range(20):
                if not pool:
                    break
                pick = rng.choice(pool)
                if _active_on(pick, date):
                    member = pick
                    break
            row = {
                "id": record_id,
                "program_id": program.pk,
                "date": date,
                "note": rng.choice(NOTES),
                "created_by_id": officer_id,
            }
            collective = member is None or (goods and rng.random() < 0.02)
            if collective:
                item, unit, value, _person, (q_low, q_high) = rng.choice(
                    goods or GOODS[AidKind.EPIDEMIC][1]
                )
                quantity = rng.randint(q_low, q_high)
                row.update(
                    member_id=None,
                    branch_id=rng.choice(subtree_branches[program.branch_id]),
                    item=item, unit=unit, quantity=quantity, value_vnd=quantity * value,
                    amount_vnd=0,
                )  # fmt: skip
            else:
                row.update(member_id=member["id"], branch_id=member["branch_id"])
                if goods and rng.random() < in_kind_share:
                    item, unit, value, (q_low, q_high), _branch = rng.choice(goods)
                    quantity = rng.randint(q_low, q_high)
                    row.update(item=item, unit=unit, quantity=quantity, value_vnd=quantity * value)
                    row["amount_vnd"] = (
                        0 if rng.random() < 0.6 else _round_to(rng.uniform(low, high) / 2, 100_000)
                    )
                else:
                    row["amount_vnd"] = min(_round_to(rng.uniform(low, high), 100_000), high)
            status = rng.choices(
                [AidRecord.Status.PAID, AidRecord.Status.APPROVED, AidRecord.Status.PROPOSED,
                 AidRecord.Status.CANCELLED],
                weights=[78, 12, 6, 4] if year < REVIEW_YEAR else [60, 22, 13, 5],
            )[0]  # fmt: skip
            created = _at(date, rng, 8, 10)
            updated = created
            row.update(status=status, created_at=created)
            if status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID):
                updated = created + datetime.timedelta(hours=rng.randint(1, 6))
                row.update(approved_by_id=officer_id, approved_at=updated)
            if status == AidRecord.Status.PAID:
                updated = updated + datetime.timedelta(days=rng.randint(0, 10))
                row.update(paid_by_id=officer_id, paid_at=updated)
            if status == AidRecord.Status.CANCELLED:
                updated = created + datetime.timedelta(days=rng.randint(1, 20))
                row.update(
                    cancelled_by_id=officer_id,
                    cancelled_at=updated,
                    cancel_reason=rng.choice(CANCEL_REASONS),
                )
            row["updated_at"] = updated
            if row["member_id"] is not None and status != AidRecord.Status.CANCELLED:
                key = (program.pk, row["member_id"])
                row["duplicate_confirmed"] = key in seen
                seen.add(key)
            rows.append(row)
            record_id += 1
    return rows


def _set_budgets(programs, rng):
    """Each programme's budget a little above what it committed (approved and paid); a few have
    none, as the model allows."""
    committed = {
        row["program_id"]: (row["cash"] or 0) + (row["goods"] or 0)
        for row in AidRecord.objects.counted()
        .filter(program__in=programs)
        .values("program_id")
        .annotate(cash=Sum("amount_vnd"), goods=Sum("value_vnd"))
    }
    changed = []
    for program in programs:
        used = committed.get(program.pk, 0)
        budget = _round_to(used * rng.uniform(1.05, 1.3) + 10_000_000, 1_000_000)
        if program.kind == AidKind.OTHER or budget > MAX_AMOUNT_VND:
            budget = None
        if program.budget_vnd != budget:
            program.budget_vnd = budget
            changed.append(program)
    AidProgram.objects.bulk_update(changed, ["budget_vnd"])


# --- Support requests -----------------------------------------------------------------------------

REQUEST_DESCRIPTIONS = {
    "sickness": "Tôi bị ốm phải điều trị nội trú tại bệnh viện, chi phí điều trị lớn.",
    "maternity": "Tôi sinh con thứ hai, đề nghị công đoàn thăm hỏi theo quy định.",
    "bereavement": "Bố tôi mất, đề nghị công đoàn thăm viếng, chia buồn cùng gia đình.",
    "wedding": "Tôi tổ chức lễ cưới, đề nghị công đoàn chúc mừng theo quy chế.",
    "hardship": "Gia đình tôi có hoàn cảnh khó khăn, vợ ốm dài ngày, con còn nhỏ.",
    "disaster": "Nhà tôi ở quê bị hư hỏng nặng do bão, đề nghị công đoàn hỗ trợ.",
    "epidemic": "Cả gia đình tôi mắc bệnh truyền nhiễm, phải cách ly, điều trị.",
    "education": "Con tôi đạt giải học sinh giỏi cấp thành phố năm học vừa qua.",
    "other": "Đề nghị công đoàn xem xét hỗ trợ trường hợp đặc biệt của gia đình tôi.",
}
REJECT_REASONS = [
    "Không thuộc đối tượng hỗ trợ theo quy chế chi tiêu nội bộ.",
    "Hồ sơ chưa đủ giấy tờ chứng minh, đề nghị bổ sung và gửi lại.",
    "Đã được hỗ trợ cho cùng sự việc ở chương trình khác.",
]
REQUEST_STATUS_WEIGHTS = {
    SupportRequest.Status.APPROVED: 55,
    SupportRequest.Status.REJECTED: 15,
    SupportRequest.Status.WITHDRAWN: 10,
    SupportRequest.Status.SUBMITTED: 10,
    SupportRequest.Status.UNDER_REVIEW: 10,
}


def _request_rows(rng, count, first_id, aid_rows, members, officer_id):
    """Approved requests point at an approved or paid aid record of their kind (one each)."""
    kinds = set(SupportRequest.Kind.values)
    program_kind = {p.pk: p.kind for p in AidProgram.objects.all().only("id", "kind")}
    usable = [
        r
        for r in aid_rows
        if r["member_id"] is not None
        and r["status"] in (AidRecord.Status.APPROVED, AidRecord.Status.PAID)
        and program_kind[r["program_id"]] in kinds
    ]
    rng.shuffle(usable)
    active = [m for m in members if m["status"] == Member.Status.ACTIVE]
    rows, request_id = [], first_id
    for _ in range(count):
        status = rng.choices(
            list(REQUEST_STATUS_WEIGHTS), weights=list(REQUEST_STATUS_WEIGHTS.values())
        )[0]
        if status == SupportRequest.Status.APPROVED and not usable:
            status = SupportRequest.Status.REJECTED
        row = {"id": request_id, "status": status}
        if status == SupportRequest.Status.APPROVED:
            record = usable.pop()
            kind = program_kind[record["program_id"]]
            decided = record["approved_at"]
            submitted = decided - datetime.timedelta(
                days=rng.randint(1, 12), hours=rng.randint(0, 8)
            )
            row.update(
                member_id=record["member_id"], aid_record_id=record["id"],
                amount_requested_vnd=record["amount_vnd"] or None,
                decided_by_id=officer_id, decided_at=decided,
            )  # fmt: skip
        else:
            member = rng.choice(active)
            kind = rng.choice(SupportRequest.Kind.values)
            if status in SupportRequest.OPEN_STATUSES:
                day = _day_between(rng, D(REVIEW_YEAR, 10, 1), LAST_DAY)
            else:
                day = _day_between(rng, D(YEARS[0], 1, 1), LAST_DAY)
            day = max(day, member["joined_on"])
            submitted = _at(day, rng, 7, 21)
            row.update(
                member_id=member["id"],
                amount_requested_vnd=_round_to(rng.uniform(500_000, 5_000_000), 100_000)
                if rng.random() < 0.7
                else None,
            )
            if status == SupportRequest.Status.REJECTED:
                row.update(
                    decided_by_id=officer_id,
                    decided_at=submitted + datetime.timedelta(days=rng.randint(1, 15)),
                    decision_reason=rng.choice(REJECT_REASONS),
                )
        happened = submitted.date() - datetime.timedelta(days=rng.randint(0, 20))
        row.update(
            kind=kind,
            description=REQUEST_DESCRIPTIONS[kind],
            happened_on=happened,
            consent_given_at=submitted,
            submitted_at=submitted,
            created_at=submitted,
            updated_at=row.get("decided_at") or submitted,
        )
        rows.append(row)
        request_id += 1
    return rows


# --- Campaigns ----------------------------------------------------------------------------------

CAMPAIGN_THEMES = [
    "Ủng hộ đồng bào miền Trung bị lũ lụt",
    "Quỹ Vì người nghèo",
    "Ủng hộ xây dựng nhà Đại đoàn kết cho hộ nghèo",
    "Quỹ Mái ấm Công đoàn",
    "Ủng hộ đồng bào các tỉnh phía Bắc bị ảnh hưởng bởi bão",
    "Chương trình Tết Sum vầy",
    "Ủng hộ Quỹ Bảo trợ trẻ em",
    "Áo ấm cho trẻ em vùng cao",
    "Ủng hộ đồng bào miền Tây bị hạn, mặn",
    "Quỹ Khuyến học",
]
OUTSIDE_DONORS = [
    "Công ty Cổ phần Sách và Thiết bị trường học Hà Nội",
    "Ngân hàng Thương mại cổ phần Công thương - Chi nhánh Ba Đình",
    "Nhà hảo tâm giấu tên",
    "Hội Cựu chiến binh cơ quan Bộ",
]
RECIPIENTS = [
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Bình",
    "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Yên Bái",
    "Cây ATM gạo quận Cầu Giấy",
    "Trường Tiểu học xã Pả Vi, huyện Mèo Vạc, tỉnh Hà Giang",
    "Quỹ Vì người nghèo thành phố Hà Nội",
]
CONTRIBUTION_GOODS = [
    ("Gạo", "kg", 15_000, (50, 1_000)),
    ("Mì tôm", "thùng", 120_000, (5, 100)),
    ("Quần áo", "bộ", 100_000, (10, 200)),
    ("Sách vở", "bộ", 200_000, (10, 100)),
]


def _campaigns(rng, count, nodes, root):
    existing = list(Campaign.objects.filter(code__startswith=f"{CODE_PREFIX}-VD-").order_by("code"))
    if len(existing) >= count:
        return existing
    grassroots = [n.branch for n in nodes if n.branch.level == Branch.Level.GRASSROOTS]
    taken = set(Campaign.objects.values_list("slug", flat=True))
    campaigns = list(existing)
    for n in range(len(existing), count):
        start = _day_between(rng, D(YEARS[0], 1, 1), D(REVIEW_YEAR, 10, 31))
        branch = root if rng.random() < 0.4 else rng.choice(grassroots)
        theme = CAMPAIGN_THEMES[n % len(CAMPAIGN_THEMES)]
        name = f"{theme} năm {start.year}"
        if branch != root:
            name = f"{name} - {branch.short_name or branch.name}"
        slug = base = slugify_vi(name, max_length=110)
        k = 2
        while slug in taken:
            slug, k = f"{base}-{k}", k + 1
        taken.add(slug)
        ends = (
            None
            if rng.random() < 0.2
            else min(start + datetime.timedelta(days=rng.randint(30, 120)), LAST_DAY)
        )
        campaign = Campaign(
            code=f"{CODE_PREFIX}-VD-{n + 1:03d}",
            name=name,
            slug=slug,
            description=f"{theme}: mỗi đoàn viên đóng góp tối thiểu một ngày lương.",
            branch=branch,
            starts_on=start,
            ends_on=ends,
            goal_vnd=_round_to(rng.uniform(50_000_000, 1_000_000_000), 10_000_000),
            is_public=n == 0 or rng.random() < 0.6,
        )
        campaign.save()
        campaigns.append(campaign)
    return campaigns


def _contribution_rows(
    rng, count, first_id, campaigns, members_by_grassroots, all_members, nodes, officer_id
):
    branches_under = defaultdict(list)
    root_id = nodes[0].branch.pk
    for node in nodes:
        branches_under[root_id].append(node.branch.pk)
        if node.grassroots:
            branches_under[node.grassroots.pk].append(node.branch.pk)
    quotas = _allocate(count, [rng.uniform(0.3, 1.7) for _c in campaigns])
    rows, contribution_id = [], first_id
    for campaign, quota in zip(campaigns, quotas, strict=True):
        last = min(campaign.ends_on or LAST_DAY, LAST_DAY)
        members = (
            all_members
            if campaign.branch_id == root_id
            else members_by_grassroots.get(campaign.branch_id, [])
        )
        for _ in range(quota):
            date = _day_between(rng, campaign.starts_on, last)
            row = {
                "id": contribution_id,
                "campaign_id": campaign.pk,
                "date": date,
                "created_by_id": officer_id,
                "created_at": _at(date, rng),
            }
            row["updated_at"] = row["created_at"]
            if rng.random() < 0.92:
                row["direction"] = Contribution.Direction.IN
                who = rng.random()
                if who < 0.55 and members:
                    row["member_id"] = rng.choice(members)["id"]
                    cash = _round_to(rng.uniform(100_000, 5_000_000), 50_000)
                elif who < 0.9:
                    row["branch_id"] = rng.choice(branches_under[campaign.branch_id])
                    cash = _round_to(rng.uniform(5_000_000, 50_000_000), 500_000)
                else:
                    row["party"] = rng.choice(OUTSIDE_DONORS)
                    cash = _round_to(rng.uniform(2_000_000, 100_000_000), 1_000_000)
                row["channel"] = rng.choices(
                    [Contribution.Channel.CASH, Contribution.Channel.BANK, Contribution.Channel.SMS,
                     Contribution.Channel.OTHER], weights=[40, 45, 10, 5],
                )[0]  # fmt: skip
                if row["channel"] == Contribution.Channel.SMS:
                    cash = 20_000 * rng.randint(1, 10)
            else:
                row["direction"] = Contribution.Direction.OUT
                row["party"] = rng.choice(RECIPIENTS)
                row["channel"] = Contribution.Channel.BANK
                cash = _round_to(rng.uniform(10_000_000, 100_000_000), 1_000_000)
            if rng.random() < 0.06:
                item, unit, value, (q_low, q_high) = rng.choice(CONTRIBUTION_GOODS)
                quantity = rng.randint(q_low, q_high)
                row.update(item=item, unit=unit, quantity=quantity, value_vnd=quantity * value)
                row["channel"] = Contribution.Channel.OTHER
                cash = 0
            row["amount_vnd"] = cash
            rows.append(row)
            contribution_id += 1
    return rows


# --- News -----------------------------------------------------------------------------------------

CATEGORIES = [
    # (name, description, in the main navigation, on the home page)
    ("Tin tức - Sự kiện", "Tin hoạt động chung và các sự kiện nổi bật.", True, True),
    ("Hoạt động công đoàn", "Hội nghị, tập huấn, phong trào của công đoàn cơ sở.", True, True),
    ("Thi đua - Khen thưởng", "Phong trào thi đua, gương điển hình tiên tiến.", True, True),
    ("Chăm lo đời sống đoàn viên", "Thăm hỏi, tặng quà, hỗ trợ đoàn viên khó khăn.", True, True),
    ("Nữ công", "Hoạt động của Ban Nữ công, bình đẳng giới, chăm sóc trẻ em.", False, True),
    ("Văn hóa - Thể thao", "Hội thao, văn nghệ, các giải thi đấu của đoàn viên.", False, True),
    ("Văn bản - Chính sách", "Văn bản của Công đoàn Việt Nam và chính sách mới.", True, False),
    ("Gương người tốt, việc tốt", "Những đoàn viên tiêu biểu trong công tác.", False, True),
]
CATEGORY_WEIGHTS = [30, 25, 10, 12, 6, 7, 5, 5]
ACTIVITIES = [
    "tổ chức Hội nghị cán bộ, công chức, viên chức",
    "trao quà Tết cho đoàn viên có hoàn cảnh khó khăn",
    "phát động phong trào thi đua yêu nước",
    "tập huấn nghiệp vụ công tác công đoàn",
    "thăm hỏi, động viên đoàn viên ốm đau",
    "tổ chức giải bóng bàn chào mừng ngày thành lập",
    "hưởng ứng Tháng Công nhân",
    "sơ kết công tác công đoàn 6 tháng đầu năm",
    "tổng kết công tác công đoàn và phong trào thi đua",
    "kết nạp đoàn viên mới",
    "trao thưởng cho con đoàn viên đạt thành tích cao trong học tập",
    "tổ chức Ngày hội gia đình",
    "phát động ủng hộ đồng bào bị thiên tai",
    "ký kết quy chế phối hợp với thủ trưởng cơ quan",
    "tọa đàm kỷ niệm Ngày Phụ nữ Việt Nam 20/10",
    "khen thưởng tập thể, cá nhân tiêu biểu",
    "tổ chức Tết Trung thu cho thiếu nhi",
    "quán triệt Nghị quyết Đại hội Công đoàn Việt Nam",
    "đi thực tế, trao đổi kinh nghiệm hoạt động",
    "tổ chức ngày hội hiến máu tình nguyện",
    "kiểm tra công tác tài chính công đoàn",
    "tổ chức Đại hội công đoàn cơ sở nhiệm kỳ mới",
]
SUFFIXES = ["năm {y}", "năm {y}", "quý {q}/{y}", "6 tháng đầu năm {y}", "", "lần thứ {n}"]
ROMAN = ["I", "II", "III", "IV"]
SENTENCES = [
    "Công đoàn Bộ luôn coi việc chăm lo đời sống vật chất và tinh thần của đoàn viên là nhiệm "
    "vụ trọng tâm.",
    "Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ, chỉ ra những tồn tại, hạn chế và nguyên "
    "nhân.",
    "Các công đoàn cơ sở đã chủ động phối hợp với thủ trưởng cơ quan, đơn vị tổ chức nhiều hoạt "
    "động thiết thực.",
    "Phong trào thi đua được triển khai sâu rộng, thu hút đông đảo đoàn viên, người lao động "
    "tham gia.",
    "Ban Chấp hành Công đoàn Bộ đề nghị các công đoàn cơ sở tiếp tục nắm bắt tâm tư, nguyện "
    "vọng của đoàn viên.",
    "Trong năm, công đoàn đã thăm hỏi kịp thời các đoàn viên ốm đau, gia đình có việc hiếu, "
    "việc hỷ.",
    "Công tác tài chính công đoàn được thực hiện công khai, minh bạch, đúng quy định của Tổng "
    "Liên đoàn.",
    "Nhiều tập thể và cá nhân được biểu dương, khen thưởng vì có thành tích xuất sắc trong công "
    "tác.",
    "Đoàn viên công đoàn hăng hái tham gia các hoạt động văn hóa, thể thao, góp phần xây dựng cơ "
    "quan văn minh.",
    "Các đại biểu đã thảo luận, đóng góp ý kiến vào phương hướng, nhiệm vụ trọng tâm của thời "
    "gian tới.",
    "Công đoàn cơ sở phối hợp với chính quyền tổ chức Hội nghị cán bộ, công chức, viên chức "
    "đúng quy định.",
    "Ban Nữ công quan tâm chăm lo cho nữ đoàn viên, thực hiện tốt chính sách đối với lao động nữ.",
    "Chương trình nhận được sự hưởng ứng nhiệt tình của đoàn viên và người lao động trong toàn "
    "cơ quan.",
    "Đồng chí Chủ tịch Công đoàn Bộ ghi nhận, biểu dương những kết quả mà các công đoàn cơ sở "
    "đạt được.",
    "Thời gian tới, công đoàn sẽ tiếp tục đổi mới nội dung, phương thức hoạt động, hướng về cơ sở.",
    "Việc thực hiện quy chế dân chủ ở cơ sở được duy trì nền nếp, bảo đảm quyền lợi hợp pháp "
    "của đoàn viên.",
    "Các suất quà tuy không lớn về vật chất nhưng thể hiện sự quan tâm, sẻ chia của tổ chức "
    "công đoàn.",
    "Đoàn viên được tập huấn về kỹ năng, nghiệp vụ và các văn bản mới của Công đoàn Việt Nam.",
    "Công đoàn đã vận động đoàn viên ủng hộ quỹ, góp phần giúp đỡ đồng bào vùng khó khăn.",
    "Hội nghị đã biểu quyết thông qua nghị quyết với tỷ lệ đồng thuận cao.",
    "Các cháu thiếu nhi là con đoàn viên được nhận quà và tham gia nhiều trò chơi bổ ích.",
    "Giải đấu diễn ra sôi nổi, trung thực, thể hiện tinh thần đoàn kết giữa các đơn vị.",
    "Công đoàn Bộ đề nghị các công đoàn cơ sở báo cáo kết quả trước ngày 15 của tháng cuối quý.",
    "Đoàn viên công đoàn tiếp tục phát huy tinh thần trách nhiệm, hoàn thành tốt nhiệm vụ "
    "chuyên môn.",
]
HEADINGS = [
    "Kết quả nổi bật",
    "Những tồn tại, hạn chế",
    "Phương hướng, nhiệm vụ thời gian tới",
    "Công tác chăm lo cho đoàn viên",
    "Phong trào thi đua",
    "Ý kiến của các đại biểu",
]
BYLINES = [
    "Thu Hà",
    "Minh Đức",
    "Ban Tuyên giáo",
    "Văn phòng Công đoàn Bộ",
    "Hồng Nhung",
    "Quang Huy",
]


class _BodyPool:
    """Blocks of already-clean HTML with their text, drawn into ~3 KB bodies."""

    TARGET_BYTES = 3_000

    def __init__(self, rng):
        self.paragraphs = []
        for _ in range(400):
            sentences = rng.sample(SENTENCES, rng.randint(3, 5))
            if rng.random() < 0.3:
                k = rng.randrange(len(sentences))
                sentences[k] = f"<strong>{sentences[k]}</strong>"
            elif rng.random() < 0.2:
                k = rng.randrange(len(sentences))
                sentences[k] = f"<em>{sentences[k]}</em>"
            self.paragraphs.append(self._block(f"<p>{' '.join(sentences)}</p>"))
        self.headings = [self._block(f"<h2>{h}</h2>") for h in HEADINGS]
        self.lists = []
        for _ in range(50):
            items = "".join(f"<li><p>{s}</p></li>" for s in rng.sample(SENTENCES, 3))
            self.lists.append(self._block(f"<ul>{items}</ul>"))
        self.quotes = [
            self._block(f"<blockquote><p>{s}</p></blockquote>") for s in rng.sample(SENTENCES, 10)
        ]

    @staticmethod
    def _block(html):
        return html, text_of(html), len(html.encode())

    def body(self, rng, opening):
        """An opening paragraph, then paragraphs, a heading, a list, a quote, to ~3 KB."""
        first = self._block(f"<p>{opening}</p>")
        blocks = [first, rng.choice(self.paragraphs), rng.choice(self.paragraphs)]
        blocks += [rng.choice(self.headings), rng.choice(self.lists)]
        size = sum(b[2] for b in blocks)
        while size < self.TARGET_BYTES - 200:
            block = rng.choice(self.quotes) if rng.random() < 0.1 else rng.choice(self.paragraphs)
            blocks.append(block)
            size += block[2]
        return "".join(b[0] for b in blocks), " ".join(b[1] for b in blocks)


def _categories(count):
    categories = []
    for order, (name, description, navigation, home) in enumerate(CATEGORIES[:count], start=1):
        category = Category.objects.filter(slug=slugify_vi(name, max_length=140)).first()
        if category is None:
            category = Category(
                name=name,
                description=description,
                order=order,
                show_in_navigation=navigation,
                show_on_home=home,
            )
            category.save()  # also clears the cached navigation
        categories.append(category)
    return categories


def _post_rows(rng, count, first_id, categories, nodes):
    """Posts oldest first, spread evenly from 2017 to the end of 2025 (ids follow time)."""
    pool = _BodyPool(rng)
    taken = set(Post.objects.values_list("slug", flat=True))
    subjects = [ROOT_NAME] * 4 + [n.branch.name for n in nodes if n.branch.level == "grassroots"]
    start = datetime.datetime(FIRST_POST_DAY.year, 1, 1, 7, tzinfo=TZ)
    span = (datetime.datetime(LAST_DAY.year, 12, 31, 18, tzinfo=TZ) - start).total_seconds()
    weights = CATEGORY_WEIGHTS[: len(categories)]
    branches = [n.branch.pk for n in nodes if n.branch.level == "grassroots"]
    for k in range(count):
        post_id = first_id + k
        published = start + datetime.timedelta(seconds=int(span * (k + rng.random()) / count))
        year = published.year
        subject = rng.choice(subjects)
        activity = rng.choice(ACTIVITIES)
        suffix = rng.choice(SUFFIXES).format(
            y=year, q=ROMAN[(published.month - 1) // 3], n=rng.randint(2, 9)
        )
        title = " ".join(f"{subject} {activity} {suffix}".split())
        base = slugify_vi(title, max_length=240) or "bai-viet"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        lead = (
            f"Ngày {published:%d/%m/%Y}, {subject} đã {activity}"
            f"{' ' + suffix if suffix else ''}, với sự tham gia của {rng.randint(30, 400)} "
            "đoàn viên công đoàn."
        )
        body, body_text = pool.body(
            rng, f"<strong>{subject}</strong> vừa {activity}. {rng.choice(SENTENCES)}"
        )
        yield {
            "id": post_id,
            "created_at": published - datetime.timedelta(hours=rng.randint(1, 48)),
            "updated_at": published,
            "title": title,
            "slug": slug,
            "category_id": rng.choices(categories, weights=weights)[0].pk,
            "branch_id": rng.choice(branches) if rng.random() < 0.3 else None,
            "lead": lead,
            "body": body,
            "body_text": body_text,
            "byline": rng.choice(BYLINES),
            "featured": rng.random() < 0.01,
            "status": Post.Status.PUBLISHED,
            "published_at": published,
            "first_published_at": published,
        }


# --- The whole ---------------------------------------------------------------------------------


def generate(
    sizes=FULL, *, seed=SEED, using="default", officer_password=None, progress=None, post_workers=1
):
    """Write ``sizes`` worth of data into the database ``using``; returns a ``Result``.

    ``progress(message)`` is called before each step. A second call adds as much again.
    ``post_workers`` > 1 (PostgreSQL, outside a transaction) commits everything but the posts
    first, then COPYs the posts through that many connections at once: the search trigger is
    what takes the time, and it runs on the server, so two connections use both cores.
    """
    say = progress or (lambda message: None)
    started = time.monotonic()
    result = Result(sizes=sizes, seed=seed, seconds=0)
    writer = Writer(using)
    now = datetime.datetime(LAST_DAY.year, 12, 31, 18, tzinfo=TZ)

    def step(name, started_at):
        result.steps[name] = round(time.monotonic() - started_at, 2)

    parallel = writer.postgres and post_workers > 1 and not writer.connection.in_atomic_block
    with transaction.atomic(using=using):
        if writer.postgres:
            with writer.connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        first_member_id = writer.next_id(Member)
        rng = random.Random(f"{seed}:{first_member_id}")  # noqa: S311 - made-up data

        t = time.monotonic()
        say(f"tree of {sizes.branches} branches, officer account")
        root, nodes = _build_tree(sizes.branches)
        result.root_id = root.pk
        officer = _officer(root, officer_password)
        step("tree", t)

        t = time.monotonic()
        say(f"{sizes.members:,} members and their children")
        members = _member_rows(rng, sizes.members, writer.next_id(Member), nodes, now)
        writer.insert(Member, members)
        writer.history(Member, members, user_id=officer.pk)
        dependants = _dependant_rows(rng, members, writer.next_id(Dependant))
        writer.insert(Dependant, dependants)
        writer.history(Dependant, dependants, user_id=officer.pk)
        _chairs(rng, nodes, members, now)
        step("members", t)

        members_by_grassroots = defaultdict(list)
        node_of = {n.branch.pk: n for n in nodes}
        for member in members:
            grassroots = node_of[member["branch_id"]].grassroots
            if grassroots is not None:
                members_by_grassroots[grassroots.pk].append(member)

        t = time.monotonic()
        say(f"{sizes.aid_records:,} aid records")
        programs = _programs(nodes, root)
        aid = _aid_rows(
            rng, sizes.aid_records, writer.next_id(AidRecord), programs,
            members_by_grassroots, members, nodes, officer.pk,
        )  # fmt: skip
        writer.insert(AidRecord, aid)
        writer.history(AidRecord, aid, user_id=officer.pk)
        _set_budgets(programs, rng)
        step("aid", t)

        t = time.monotonic()
        say(f"{sizes.support_requests:,} support requests")
        requests = _request_rows(
            rng, sizes.support_requests, writer.next_id(SupportRequest), aid, members, officer.pk
        )
        writer.insert(SupportRequest, requests)
        writer.history(SupportRequest, requests, user_id=officer.pk)
        step("requests", t)

        t = time.monotonic()
        say(f"{sizes.campaigns} campaigns, {sizes.contributions:,} contributions")
        campaigns = _campaigns(rng, sizes.campaigns, nodes, root)
        contributions = _contribution_rows(
            rng, sizes.contributions, writer.next_id(Contribution), campaigns,
            members_by_grassroots, members, nodes, officer.pk,
        )  # fmt: skip
        writer.insert(Contribution, contributions)
        writer.history(Contribution, contributions, user_id=officer.pk)
        step("campaigns", t)

        t = time.monotonic()
        say(f"{sizes.posts:,} posts in {sizes.categories} categories")
        categories = _categories(sizes.categories)
        posts = _post_rows(rng, sizes.posts, writer.next_id(Post), categories, nodes)
        if not parallel:
            writer.insert(Post, posts, skip=("search_vector",))
        writer.reset_sequences()
    if parallel:
        # After the commit above, so the other connections see the categories and branches.
        writer.insert_parallel(Post, posts, workers=post_workers, skip=("search_vector",))
        writer.reset_sequences([Post])
    step("posts", t)
    result.seconds = round(time.monotonic() - started, 2)
    return result
