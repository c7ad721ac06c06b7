"""Import aid records and campaign contributions from CSV or XLSX: all or nothing, idempotent.

The same framework and rules as ``unions.imports`` (``load_rows``, ``Column``, ``parse_date``,
``Choices``, ``ImportResult``...): English column names or Vietnamese headers, dates as
dd/mm/yyyy or ISO, every row checked first and every error reported with its row and column; a
file with a single error writes nothing, and ``dry_run`` writes nothing either. Both functions
have the signature of ``portal.importers``::

    result = import_aid(upload, filename="ho-tro-2020.xlsx", dry_run=True, user=request.user)

Aid records (``import_aid``) are history: they are stored as paid or delivered unless the
optional ``status`` column says otherwise. The rules of ``welfare.services.record_aid`` hold
(amounts ≥ 0 and under the ceiling, at most the programme's cap per person, the approved and paid
total within the programme's budget, the beneficiary active on the date and inside the
programme's branch subtree, a collective gift to a branch under the programme's branch, the date
within the programme's period), except
those that only make sense for new aid: a closed programme still takes imported records, and a
member may have several records of one programme (they are marked as confirmed duplicates).
A member's record is counted in the member's branch, or in ``branch_code`` when the row gives
one (the branch of the day, for a member who moved since); that branch must be under the
programme's branch. Approved and paid records name the importing user (none on the command line)
as approver and payer, with the time of the import.
``record_aid`` itself is not called: it takes one programme and one date per call, needs a user in
scope (the command line has none) and refuses closed programmes; the rows are instead checked
here, in memory, by the same functions (``services._check_amounts``) and the same messages,
and written with ``bulk_create_with_history`` in one transaction, under a row lock on the
budgeted programmes whose budget is checked again before writing.

A ``program_code`` (or ``campaign_code``) that does not exist yet is created, owned by the
ministry union (the root of the tree): a programme named by ``program_name``, of kind ``kind``,
whose period covers the file's dates for it, with no budget limit; a campaign named by
``campaign_name``, not public, starting on its first date in the file. An import limited to some
branches (an officer's import page, ``allowed_branch_ids``) may only create them when the ministry
union is among those branches, and may only add to programmes and campaigns of those branches.

Idempotency: a row is identified by (programme code, card number or, for a collective record,
branch code, date, goods, cash, value of the goods); a contribution by (campaign code, direction,
card number or branch code or outside party, date, goods, cash, value). A key already stored as
many times as the file has it is counted as unchanged and not written again, so importing the
same file twice creates nothing the second time (and a file with two identical rows stores two
records). Nothing is ever updated by an import: a changed note or quantity of a stored row is
ignored.
"""

import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from portal.templatetags.portal_tags import format_vnd
from portal.text import fold, nfc, slugify_vi
from unions.imports import (
    BATCH_SIZE,
    PREFETCH_CHUNK,
    Choices,
    Column,
    ImportResult,
    Progress,
    _change_reason,
    _chunks,
    _history_user,
    _report,
    cell_text,
    load_rows,
    parse_date,
    sort_errors,
)
from unions.models import Branch, Member, normalize_card_number, normalize_code
from welfare.models import AidKind, AidProgram, AidRecord, Campaign, Contribution
from welfare.services import AidInput, _check_amounts

# --------------------------------------------------------------------------------------------
# Values

_GROUPED = re.compile(r"\d{1,3}([.,\u00a0 ])\d{3}(?:\1\d{3})*")
_CURRENCY = re.compile(r"\s*(₫|đ|đồng|dong|vnd|vnđ)\.?\s*$", re.IGNORECASE)


MAX_DIGITS = 20  # far above any amount (at most 10^10) or quantity (at most 2^31)


def parse_whole(value, *, blank=None):
    """A whole number ≥ 0 from a number cell or a text such as ``30.000.000``, ``30,000,000``,
    ``30 000 000 ₫``; ``blank`` when the cell is empty. ``2.5`` or ``2,5`` are refused (a group
    separator is always followed by three digits), so a decimal is never read as thousands."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return blank
    if isinstance(value, bool):
        raise ValueError(_("%(value)s is not a whole number.") % {"value": value})
    if isinstance(value, int):
        number = value
    elif isinstance(value, float | Decimal):
        if value != int(value):
            raise ValueError(_("%(value)s is not a whole number.") % {"value": value})
        number = int(value)
    else:
        text = _CURRENCY.sub("", nfc(str(value)).strip()).strip()
        if text.startswith("-"):
            raise ValueError(_("An amount cannot be negative."))
        if len(re.sub(r"\D", "", text)) > MAX_DIGITS:
            # Python refuses to read a number of over 4,300 digits: say so in Vietnamese.
            raise ValueError(_("The number is too large."))
        if re.fullmatch(r"\d+", text):
            number = int(text)
        elif _GROUPED.fullmatch(text):
            number = int(re.sub(r"\D", "", text))
        else:
            raise ValueError(
                _("%(value)s is not a whole number: write it as 30000000 or 30.000.000.")
                % {"value": cell_text(value)}
            )
    if number < 0:
        raise ValueError(_("An amount cannot be negative."))
    return number


def _text(value):
    return " ".join(cell_text(value).split())


KINDS = Choices(
    AidKind,
    {
        "Quà Tết": "tet_gift",
        "Tết": "tet_gift",
        "Thăm hỏi gia đình chính sách": "policy",
        "Gia đình chính sách": "policy",
        "Chính sách": "policy",
        "Ốm đau": "sickness",
        "Thai sản": "maternity",
        "Hiếu": "bereavement",
        "Hỷ": "wedding",
        "Hoàn cảnh khó khăn": "hardship",
        "Khó khăn": "hardship",
        "Dịch bệnh": "epidemic",
        "Covid-19": "epidemic",
        "Thiên tai": "disaster",
        "Khuyến học": "education",
        "Quà thiếu nhi": "children",
        "Thiếu nhi": "children",
        "Khác": "other",
    },
)
AID_STATUSES = Choices(
    AidRecord.Status,
    {
        "Đề xuất": "proposed",
        "Đã duyệt": "approved",
        "Duyệt": "approved",
        "Đã chi": "paid",
        "Đã trao": "paid",
        "Đã chi trả": "paid",
        "Đã trao tặng": "paid",
        "Đã hủy": "cancelled",
    },
    blank=AidRecord.Status.PAID,
)
DIRECTIONS = Choices(
    Contribution.Direction,
    {
        "vào": "in",
        "thu": "in",
        "ủng hộ": "in",
        "quyên góp": "in",
        "đóng góp": "in",
        "nhận": "in",
        "ra": "out",
        "chi": "out",
        "trao": "out",
        "trao tặng": "out",
        "hỗ trợ": "out",
    },
)
CHANNELS = Choices(
    Contribution.Channel,
    {
        "tiền mặt": "cash",
        "TM": "cash",
        "chuyển khoản": "bank",
        "CK": "bank",
        "ngân hàng": "bank",
        "tin nhắn": "sms",
        "nhắn tin": "sms",
        "khác": "other",
    },
    blank=Contribution.Channel.CASH,
)

# Columns both importers share.
_CARD = Column(
    "card_number",
    "Số thẻ đoàn viên",
    ("Số thẻ", "Số thẻ ĐV", "Số thẻ công đoàn", "Card number"),
    example="DV000123",
)
_BRANCH = Column(
    "branch_code",
    "Mã công đoàn",
    ("Mã công đoàn cơ sở", "Mã CĐCS", "Mã CĐ", "Branch code", "Branch"),
    example="CDCS01",
)
_DATE = Column(
    "date", "Ngày", ("Ngày hỗ trợ", "Ngày chi", "Ngày nhận", "Date"), required=True, example=""
)
_AMOUNT = Column(
    "amount_vnd",
    "Số tiền (đồng)",
    ("Số tiền", "Tiền mặt", "Tiền", "Amount", "Amount (VND)", "Cash"),
    example=2_000_000,
)
_ITEM = Column("item", "Hiện vật", ("Tên hiện vật", "Item", "Goods"), example="")
_QUANTITY = Column("quantity", "Số lượng", ("SL", "Quantity"), example="")
_UNIT = Column("unit", "Đơn vị tính", ("ĐVT", "Unit"), example="")
_VALUE = Column(
    "value_vnd",
    "Trị giá hiện vật (đồng)",
    ("Trị giá hiện vật", "Giá trị hiện vật", "Trị giá", "Giá trị", "Value", "Value (VND)"),
    example="",
)
_NOTE = Column("note", "Ghi chú", ("Note",), example="")

AID_COLUMNS = [
    Column(
        "program_code",
        "Mã chương trình",
        ("Mã CT", "Mã đợt", "Mã đợt hỗ trợ", "Program code", "Programme code"),
        required=True,
        example="TET2020",
    ),
    Column(
        "program_name",
        "Tên chương trình",
        ("Chương trình", "Tên đợt", "Đợt hỗ trợ", "Program name", "Programme name"),
        example="Quà Tết Canh Tý 2020",
    ),
    Column("kind", "Loại hỗ trợ", ("Loại", "Hình thức", "Kind"), example="Quà Tết"),
    _DATE,
    _CARD,
    _BRANCH,
    _AMOUNT,
    _ITEM,
    _QUANTITY,
    _UNIT,
    _VALUE,
    _NOTE,
    Column("status", "Trạng thái", ("Tình trạng", "Status"), example="Đã chi"),
]

CONTRIBUTION_COLUMNS = [
    Column(
        "campaign_code",
        "Mã cuộc vận động",
        ("Mã đợt vận động", "Mã vận động", "Mã CVĐ", "Campaign code"),
        required=True,
        example="VD-COVID-2020",
    ),
    Column(
        "campaign_name",
        "Tên cuộc vận động",
        ("Cuộc vận động", "Tên đợt vận động", "Campaign name", "Campaign"),
        example="Chung tay phòng, chống dịch Covid-19",
    ),
    Column(
        "direction",
        "Thu/chi",
        ("Chiều", "Loại", "Vào/ra", "Thu chi", "Direction"),
        required=True,
        example="Ủng hộ",
    ),
    _DATE,
    _CARD,
    _BRANCH,
    Column(
        "party",
        "Đơn vị, cá nhân ngoài",
        (
            "Người ủng hộ",
            "Nhà hảo tâm",
            "Nơi nhận",
            "Đối tác",
            "Bên ngoài",
            "Outside party",
            "Party",
        ),
        example="",
    ),
    _AMOUNT,
    _ITEM,
    _QUANTITY,
    _UNIT,
    _VALUE,
    Column("channel", "Hình thức nộp", ("Kênh", "Hình thức", "Channel"), example="Tiền mặt"),
    _NOTE,
]

COLUMNS = {"aid": AID_COLUMNS, "contributions": CONTRIBUTION_COLUMNS}


# --------------------------------------------------------------------------------------------
# Shared helpers


class _Tree:
    """Every branch, fetched once, and subtrees computed in memory."""

    def __init__(self):
        branches = list(Branch.objects.only("id", "code", "name", "parent_id", "active"))
        self.by_code = {branch.code: branch for branch in branches}
        self.by_id = {branch.pk: branch for branch in branches}
        self.root = next((branch for branch in branches if branch.parent_id is None), None)
        self._children = defaultdict(list)
        for branch in branches:
            self._children[branch.parent_id].append(branch.pk)
        self._subtrees = {}

    def subtree_ids(self, branch_id):
        if branch_id not in self._subtrees:
            found, todo = set(), [branch_id]
            while todo:
                node = todo.pop()
                if node not in found:
                    found.add(node)
                    todo.extend(self._children.get(node, ()))
            self._subtrees[branch_id] = found
        return self._subtrees[branch_id]


def _members_by_card(rows):
    cards = {normalize_card_number(cell_text(values.get("card_number"))) for _n, values in rows}
    cards.discard("")
    found = {}
    for chunk in _chunks(sorted(cards), PREFETCH_CHUNK):
        found.update(
            (member.card_number, member)
            for member in Member.objects.filter(card_number__in=chunk).only(
                "id",
                "card_number",
                "full_name",
                "branch_id",
                "status",
                "status_changed_on",
                "joined_on",
            )
        )
    return found


def _by_code(queryset, codes):
    """Rows of ``queryset`` whose ``code`` matches one of ``codes`` ignoring case, by the
    normalised code."""
    return {
        normalize_code(row.code): row
        for row in queryset.annotate(upper_code=Upper("code")).filter(upper_code__in=codes)
    }


class _Row:
    """The values every row of both files shares, parsed; errors go to the result."""

    def __init__(self, number, values, error):
        self.number = number
        self.failed = set()

        def parse(name, parser, *args, **kwargs):
            try:
                return parser(values.get(name), *args, **kwargs)
            except ValueError as exc:
                error(number, name, exc.args[0])
                self.failed.add(name)
                return None

        self.date = parse("date", parse_date)
        if self.date is None and "date" not in self.failed:
            error(number, "date", _("The date is required."))
            self.failed.add("date")
        self.card = normalize_card_number(cell_text(values.get("card_number")))
        self.branch_code = normalize_code(cell_text(values.get("branch_code")))
        self.amount = parse("amount_vnd", parse_whole, blank=0) or 0
        self.value = parse("value_vnd", parse_whole, blank=0) or 0
        self.quantity = parse("quantity", parse_whole, blank=None)
        self.item = _text(values.get("item"))
        self.unit = _text(values.get("unit"))
        self.note = _text(values.get("note"))
        self.parse = parse

    def check_amounts(self, error, program=None, member=None):
        """The rules of ``services._check_amounts`` (one source of the messages)."""
        if {"amount_vnd", "value_vnd", "quantity"} & self.failed:
            return
        if self.quantity is not None and not self.item:
            error(self.number, "item", _("Name the goods of this quantity."))
        data = AidInput(
            member=member,
            amount_vnd=self.amount,
            item=self.item,
            quantity=self.quantity,
            unit=self.unit,
            value_vnd=self.value,
        )
        try:
            _check_amounts(data, program or _NO_CAP)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    error(self.number, name, message)


class _NoCap:
    cap_per_person_vnd = None


_NO_CAP = _NoCap()


def _field_errors(instance, exclude, number, error):
    """Length and choice checks of the model's own fields (no query)."""
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                error(number, name, message)
        return True
    return False


def _data_changed(result):
    result.error(
        None, None, _("The data changed during the import: nothing was written. Try again.")
    )


class _Changed(Exception):
    pass


def _scope_error_for_new(tree, allowed_branch_ids):
    """Why a new programme or campaign cannot be created here, or None."""
    if tree.root is None:
        return _("There is no ministry union yet: import the branches first.")
    if allowed_branch_ids is not None and tree.root.pk not in allowed_branch_ids:
        return _(
            "A new one is owned by the ministry union, which is outside your scope: "
            "ask a ministry-level officer to create it first."
        )
    return None


def _first_rows(rows, codes):
    """For each new code: its first row, first non-empty name, first kind, dates."""
    info = {}
    for number, code, name, extra, date in rows:
        if code not in codes:
            continue
        entry = info.setdefault(
            code, {"row": number, "name": "", "name_row": number, "extra": None, "dates": []}
        )
        if name and not entry["name"]:
            entry["name"], entry["name_row"] = name, number
        if extra and entry["extra"] is None:
            entry["extra"] = extra
        if date:
            entry["dates"].append(date)
    return info


# --------------------------------------------------------------------------------------------
# Aid records


def import_aid(
    file,
    *,
    filename,
    dry_run=False,
    user=None,
    allowed_branch_ids=None,
    progress: Progress | None = None,
):
    """Import aid records (see the module's docstring); returns an ``ImportResult``."""
    result = ImportResult(kind="aid", dry_run=dry_run, filename=filename)
    rows, labels = load_rows(file, filename, AID_COLUMNS, result)
    if rows is None:
        return result
    total = len(rows)

    def error(number, name, message):
        result.error(number, labels.get(name, name) if name else None, message, name or "")

    tree = _Tree()
    codes = {normalize_code(cell_text(values["program_code"])) for _n, values in rows} - {""}
    programs = _by_code(AidProgram.objects.all(), codes)
    members = _members_by_card(rows)
    today = timezone.localdate()

    # 1. Each row's own values.
    parsed = []
    for done, (number, values) in enumerate(rows, start=1):
        _report(progress, "validated", done, total)
        row = _Row(number, values, error)
        row.code = normalize_code(cell_text(values["program_code"]))
        if not row.code:
            error(number, "program_code", _("The programme code is required."))
        row.program_name = _text(values.get("program_name"))
        row.kind = row.parse("kind", KINDS.parse) if cell_text(values.get("kind")) else None
        row.status = (
            row.parse("status", AID_STATUSES.parse) if "status" in values else AidRecord.Status.PAID
        )
        if row.status == AidRecord.Status.CANCELLED:
            error(number, "status", _("Cancelled records are not imported."))
        parsed.append(row)

    # 2. Programmes that do not exist yet: created from their rows, owned by the ministry union.
    new_codes = {row.code for row in parsed if row.code and row.code not in programs}
    info = _first_rows(
        [(r.number, r.code, r.program_name, r.kind, r.date) for r in parsed], new_codes
    )
    new_programs = {}
    for code, entry in info.items():
        problem = _scope_error_for_new(tree, allowed_branch_ids)
        if problem:
            error(
                entry["row"],
                "program_code",
                _("There is no programme with code %(code)s. %(reason)s")
                % {"code": code, "reason": problem},
            )
            continue
        if not entry["name"]:
            error(
                entry["row"],
                "program_name",
                _("Programme %(code)s does not exist yet: give its name to create it.")
                % {"code": code},
            )
        if entry["extra"] is None:
            error(
                entry["row"],
                "kind",
                _("Programme %(code)s does not exist yet: give its kind to create it.")
                % {"code": code},
            )
        if not entry["name"] or entry["extra"] is None or not entry["dates"]:
            continue
        program = AidProgram(
            code=code,
            name=entry["name"],
            kind=entry["extra"],
            branch_id=tree.root.pk,
            starts_on=min(entry["dates"]),
            ends_on=max(entry["dates"]),
            budget_vnd=None,
            default_amount_vnd=0,
        )
        if not _field_errors(program, ["branch"], entry["name_row"], _program_error(error)):
            new_programs[code] = program

    # 3. Each row against its programme, beneficiary and the rules of record_aid.
    valid = []
    for row in parsed:
        number = row.number
        program = programs.get(row.code) or new_programs.get(row.code)
        if program is None:
            continue  # no code, or a new programme whose own error is already reported
        is_new = row.code in new_programs
        if not is_new:
            if allowed_branch_ids is not None and program.branch_id not in allowed_branch_ids:
                error(
                    number,
                    "program_code",
                    _("Programme %(code)s belongs to a branch outside your scope.")
                    % {"code": row.code},
                )
                continue
            if row.kind and row.kind != program.kind:
                error(
                    number,
                    "kind",
                    _("Programme %(code)s is of the kind %(kind)s.")
                    % {"code": row.code, "kind": program.get_kind_display()},
                )
            if row.date and not program.starts_on <= row.date <= program.ends_on:
                error(
                    number,
                    "date",
                    _("The date must be within the programme's period (%(start)s – %(end)s).")
                    % {
                        "start": f"{program.starts_on:%d/%m/%Y}",
                        "end": f"{program.ends_on:%d/%m/%Y}",
                    },
                )
        elif row.kind and row.kind != new_programs[row.code].kind:
            error(
                number,
                "kind",
                _("Programme %(code)s is of the kind %(kind)s.")
                % {"code": row.code, "kind": new_programs[row.code].get_kind_display()},
            )
        if (
            row.date
            and row.date > today
            and row.status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID)
        ):
            error(number, "date", _("An approved or paid record cannot be dated in the future."))

        member, branch = _aid_beneficiary(row, program, tree, members, error, allowed_branch_ids)
        row.check_amounts(error, program, member)
        if member is None and branch is None:
            continue
        record = AidRecord(
            program=program,
            member=member,
            branch_id=branch.pk if branch else None,
            date=row.date,
            amount_vnd=row.amount,
            item=row.item,
            quantity=row.quantity,
            unit=row.unit,
            value_vnd=row.value,
            note=row.note,
            status=row.status or AidRecord.Status.PAID,
        )
        _field_errors(
            record,
            [
                "program",
                "member",
                "branch",
                "date",
                "quantity",
                "amount_vnd",
                "value_vnd",
                "status",
                "created_by",
                "approved_by",
                "paid_by",
                "cancelled_by",
            ],
            number,
            error,
        )
        who = ("m", row.card) if row.card else ("b", row.branch_code)
        row.key = (row.code, who, row.date, row.item, row.amount, row.value)
        valid.append((row, record))

    if result.errors:
        sort_errors(result, labels)
        return result

    # 4. What is already stored (idempotency), second records, budgets.
    stored = _stored_aid_keys(programs.values(), {row.date for row, _r in valid})
    taken = Counter()
    to_create = []
    for row, record in valid:
        taken[row.key] += 1
        if taken[row.key] <= stored[row.key]:
            result.unchanged += 1
        else:
            to_create.append((row, record))

    existing_ids = [p.pk for p in programs.values()]
    already = set(
        AidRecord.objects.filter(program_id__in=existing_ids)
        .exclude(status=AidRecord.Status.CANCELLED)
        .filter(member_id__in={r.member_id for _row, r in to_create if r.member_id})
        .values_list("program_id", "member_id")
    )
    seen = set()
    for _row, record in to_create:
        if record.member_id:
            key = (record.program.code, record.member_id)
            stored_key = (record.program.pk, record.member_id)
            record.duplicate_confirmed = key in seen or stored_key in already
            seen.add(key)

    budgeted = {p.pk: p for p in programs.values() if p.budget_vnd is not None}
    committed = _committed(budgeted)
    _check_budgets(to_create, budgeted, committed, error)
    result.created = len(to_create)
    sort_errors(result, labels)
    if result.errors or dry_run:
        return result

    # 5. Write, in one transaction.
    history = {
        "default_user": _history_user(user),
        "default_change_reason": _change_reason(filename),
    }
    by, now = _history_user(user), timezone.now()
    records = []
    for _row, record in to_create:
        record.created_by = by
        if record.status in (AidRecord.Status.APPROVED, AidRecord.Status.PAID):
            record.approved_by, record.approved_at = by, now
        if record.status == AidRecord.Status.PAID:
            record.paid_by, record.paid_at = by, now
        records.append(record)
    try:
        with transaction.atomic():
            locked = list(AidProgram.objects.select_for_update().filter(pk__in=list(budgeted)))
            if _committed({p.pk: p for p in locked}) != committed or any(
                p.budget_vnd != budgeted[p.pk].budget_vnd for p in locked
            ):
                raise _Changed
            if new_programs:
                _bulk(list(new_programs.values()), AidProgram, history)
            for record in records:
                record.program_id = record.program.pk
            written = 0
            for batch in _chunks(records, BATCH_SIZE):
                _bulk(batch, AidRecord, history)
                written += len(batch)
                _report(progress, "written", written, len(records), every=1)
    except (IntegrityError, _Changed):
        _data_changed(result)
        return result
    result.written = True
    return result


def _program_error(error):
    def program_error(number, name, message):
        error(number, {"code": "program_code", "name": "program_name"}.get(name), message)

    return program_error


def _aid_beneficiary(row, program, tree, members, error, allowed_branch_ids):
    """The member (None for a collective record) and the branch the record is counted in."""
    number = row.number
    member = branch = None
    if row.card:
        member = members.get(row.card)
        if member is None:
            error(
                number,
                "card_number",
                _("There is no member with card number %(card)s.") % {"card": row.card},
            )
            return None, None
        if row.date:
            active_then = member.status == Member.Status.ACTIVE or (
                member.status_changed_on is not None and member.status_changed_on > row.date
            )
            if not active_then:
                error(
                    number,
                    "card_number",
                    _("%(name)s is not an active member.") % {"name": member.full_name},
                )
            elif member.joined_on and member.joined_on > row.date:
                error(
                    number,
                    "card_number",
                    _("%(name)s had not joined the union on that date.")
                    % {"name": member.full_name},
                )
    elif not row.branch_code:
        error(
            number,
            "branch_code",
            _("Give a card number, or a branch code for a collective record."),
        )
        return None, None
    if row.branch_code:
        branch = tree.by_code.get(row.branch_code)
        if branch is None:
            error(
                number,
                "branch_code",
                _("There is no branch with code %(code)s.") % {"code": row.branch_code},
            )
            return member, None
        column = "branch_code"
    else:
        branch = tree.by_id.get(member.branch_id)
        column = "card_number"
    if branch.pk not in tree.subtree_ids(program.branch_id):
        if member is not None and column == "card_number":
            message = _("%(name)s is not a member of %(branch)s or a branch under it.") % {
                "name": member.full_name,
                "branch": tree.by_id[program.branch_id].name,
            }
        else:
            message = _("This branch is not under the programme's branch.")
        error(number, column, message)
    elif allowed_branch_ids is not None and branch.pk not in allowed_branch_ids:
        error(number, column, _("Branch %(code)s is outside your scope.") % {"code": branch.code})
    return member, branch


def _stored_aid_keys(programs, dates):
    stored = Counter()
    by_id = {program.pk: normalize_code(program.code) for program in programs}
    if not by_id or not dates:
        return stored
    rows = AidRecord.objects.filter(program_id__in=list(by_id), date__in=dates).values_list(
        "program_id",
        "member__card_number",
        "branch__code",
        "date",
        "item",
        "amount_vnd",
        "value_vnd",
    )
    for program_id, card, branch_code, date, item, amount, value in rows.iterator():
        who = ("m", card) if card else ("b", branch_code)
        stored[(by_id[program_id], who, date, item, amount, value)] += 1
    return stored


def _committed(programs):
    """Approved and paid totals (cash plus goods) of the budgeted programmes, by id."""
    if not programs:
        return {}
    rows = (
        AidRecord.objects.counted()
        .filter(program_id__in=list(programs))
        .values("program_id")
        .annotate(cash=Sum("amount_vnd"), goods=Sum("value_vnd"))
    )
    totals = dict.fromkeys(programs, 0)
    for row in rows:
        totals[row["program_id"]] = (row["cash"] or 0) + (row["goods"] or 0)
    return totals


def _check_budgets(to_create, budgeted, committed, error):
    planned = dict(committed)
    counted = (AidRecord.Status.APPROVED, AidRecord.Status.PAID)
    for row, record in to_create:
        program = record.program
        if program.pk not in budgeted or record.status not in counted:
            continue
        adding = record.amount_vnd + record.value_vnd
        remaining = program.budget_vnd - planned[program.pk]
        if adding > remaining:
            error(
                row.number,
                "amount_vnd" if record.amount_vnd else "value_vnd",
                _("Over the programme's budget: %(left)s left, %(asked)s asked.")
                % {"left": format_vnd(max(remaining, 0)), "asked": format_vnd(adding)},
            )
        planned[program.pk] += adding


def _bulk(objects, model, history):
    return bulk_create_with_history(objects, model, batch_size=BATCH_SIZE, **history)


# --------------------------------------------------------------------------------------------
# Campaign contributions


def import_contributions(
    file,
    *,
    filename,
    dry_run=False,
    user=None,
    allowed_branch_ids=None,
    progress: Progress | None = None,
):
    """Import contributions in and disbursements out of campaigns (see the module's docstring)."""
    result = ImportResult(kind="contributions", dry_run=dry_run, filename=filename)
    rows, labels = load_rows(file, filename, CONTRIBUTION_COLUMNS, result)
    if rows is None:
        return result
    total = len(rows)

    def error(number, name, message):
        result.error(number, labels.get(name, name) if name else None, message, name or "")

    tree = _Tree()
    codes = {normalize_code(cell_text(values["campaign_code"])) for _n, values in rows} - {""}
    campaigns = _by_code(Campaign.objects.all(), codes)
    members = _members_by_card(rows)
    today = timezone.localdate()

    parsed = []
    for done, (number, values) in enumerate(rows, start=1):
        _report(progress, "validated", done, total)
        row = _Row(number, values, error)
        row.code = normalize_code(cell_text(values["campaign_code"]))
        if not row.code:
            error(number, "campaign_code", _("The campaign code is required."))
        row.campaign_name = _text(values.get("campaign_name"))
        row.direction = row.parse("direction", DIRECTIONS.parse)
        row.channel = (
            row.parse("channel", CHANNELS.parse) if "channel" in values else CHANNELS.blank
        )
        row.party = _text(values.get("party"))
        if row.date and row.date > today:
            error(number, "date", _("The date cannot be in the future."))
        parsed.append(row)

    # Campaigns that do not exist yet: owned by the ministry union, not public.
    new_codes = {row.code for row in parsed if row.code and row.code not in campaigns}
    info = _first_rows(
        [(r.number, r.code, r.campaign_name, None, r.date) for r in parsed], new_codes
    )
    new_campaigns = {}
    slugs = None
    for code, entry in info.items():
        problem = _scope_error_for_new(tree, allowed_branch_ids)
        if problem:
            error(
                entry["row"],
                "campaign_code",
                _("There is no campaign with code %(code)s. %(reason)s")
                % {"code": code, "reason": problem},
            )
            continue
        if not entry["name"]:
            error(
                entry["row"],
                "campaign_name",
                _("Campaign %(code)s does not exist yet: give its name to create it.")
                % {"code": code},
            )
            continue
        if not entry["dates"]:
            continue
        if slugs is None:
            slugs = set(Campaign.objects.values_list("slug", flat=True))
        campaign = Campaign(
            code=code,
            name=entry["name"],
            slug=unique_slug(entry["name"] or code, slugs, fallback=code),
            branch_id=tree.root.pk,
            starts_on=min(entry["dates"]),
            is_public=False,
        )
        slugs.add(campaign.slug)
        if not _field_errors(
            campaign,
            ["branch"],
            entry["name_row"],
            lambda n, name, m: error(
                n, {"code": "campaign_code", "name": "campaign_name"}.get(name), m
            ),
        ):
            new_campaigns[code] = campaign

    valid = []
    for row in parsed:
        number = row.number
        campaign = campaigns.get(row.code) or new_campaigns.get(row.code)
        if campaign is None:
            continue
        if (
            row.code in campaigns
            and allowed_branch_ids is not None
            and campaign.branch_id not in allowed_branch_ids
        ):
            error(
                number,
                "campaign_code",
                _("Campaign %(code)s belongs to a branch outside your scope.") % {"code": row.code},
            )
            continue
        member, branch = _contribution_party(
            row, campaign, tree, members, error, allowed_branch_ids
        )
        if not (row.card or row.branch_code or row.party):
            error(number, "party", _("Give a card number, a branch code or an outside party."))
        row.check_amounts(error)
        if row.failed & {"direction", "date", "channel"}:
            continue
        contribution = Contribution(
            campaign=campaign,
            direction=row.direction,
            date=row.date,
            member=member,
            branch_id=branch.pk if branch else None,
            party=row.party,
            amount_vnd=row.amount,
            item=row.item,
            quantity=row.quantity,
            unit=row.unit,
            value_vnd=row.value,
            channel=row.channel,
            note=row.note,
        )
        _field_errors(
            contribution,
            [
                "campaign",
                "member",
                "branch",
                "created_by",
                "direction",
                "date",
                "quantity",
                "amount_vnd",
                "value_vnd",
                "channel",
            ],
            number,
            error,
        )
        if row.card:
            who = ("m", row.card)
        elif row.branch_code:
            who = ("b", row.branch_code)
        else:
            who = ("p", fold(row.party))
        row.key = (row.code, row.direction, who, row.date, row.item, row.amount, row.value)
        valid.append((row, contribution))

    sort_errors(result, labels)
    if result.errors:
        return result

    stored = _stored_contribution_keys(campaigns.values(), {row.date for row, _c in valid})
    taken = Counter()
    to_create = []
    for row, contribution in valid:
        taken[row.key] += 1
        if taken[row.key] <= stored[row.key]:
            result.unchanged += 1
        else:
            to_create.append(contribution)
    result.created = len(to_create)
    if dry_run:
        return result

    history = {
        "default_user": _history_user(user),
        "default_change_reason": _change_reason(filename),
    }
    try:
        with transaction.atomic():
            if new_campaigns:
                _bulk(list(new_campaigns.values()), Campaign, history)
            written = 0
            for contribution in to_create:
                contribution.campaign_id = contribution.campaign.pk
                contribution.created_by = _history_user(user)
            for batch in _chunks(to_create, BATCH_SIZE):
                _bulk(batch, Contribution, history)
                written += len(batch)
                _report(progress, "written", written, len(to_create), every=1)
    except IntegrityError:
        _data_changed(result)
        return result
    result.written = True
    return result


def _contribution_party(row, campaign, tree, members, error, allowed_branch_ids):
    """The member and the branch of a contribution (the member's branch when no branch is
    given, so totals by branch keep the branch of the day)."""
    number = row.number
    subtree = tree.subtree_ids(campaign.branch_id)
    member = branch = None
    if row.card:
        member = members.get(row.card)
        if member is None:
            error(
                number,
                "card_number",
                _("There is no member with card number %(card)s.") % {"card": row.card},
            )
        elif member.branch_id not in subtree:
            error(number, "card_number", _("The member is not under the campaign's branch."))
        else:
            branch = tree.by_id.get(member.branch_id)
    if row.branch_code:
        branch = tree.by_code.get(row.branch_code)
        if branch is None:
            error(
                number,
                "branch_code",
                _("There is no branch with code %(code)s.") % {"code": row.branch_code},
            )
        elif branch.pk not in subtree:
            error(number, "branch_code", _("This branch is not under the campaign's branch."))
            branch = None
        elif allowed_branch_ids is not None and branch.pk not in allowed_branch_ids:
            error(
                number,
                "branch_code",
                _("Branch %(code)s is outside your scope.") % {"code": branch.code},
            )
    return member, branch


def _stored_contribution_keys(campaigns, dates):
    stored = Counter()
    by_id = {campaign.pk: normalize_code(campaign.code) for campaign in campaigns}
    if not by_id or not dates:
        return stored
    rows = Contribution.objects.filter(campaign_id__in=list(by_id), date__in=dates).values_list(
        "campaign_id",
        "direction",
        "member__card_number",
        "branch__code",
        "party",
        "date",
        "item",
        "amount_vnd",
        "value_vnd",
    )
    for campaign_id, direction, card, branch_code, party, date, item, amount, value in rows:
        if card:
            who = ("m", card)
        elif branch_code:
            who = ("b", branch_code)
        else:
            who = ("p", fold(" ".join((party or "").split())))
        stored[(by_id[campaign_id], direction, who, date, item, amount, value)] += 1
    return stored


def unique_slug(text, taken, *, fallback="", max_length=120):
    """A Vietnamese-folded slug of ``text`` not in ``taken`` (``-2``, ``-3``... when needed)."""
    base = slugify_vi(text, max_length=max_length) or slugify_vi(fallback, max_length) or "vd"
    slug, n = base, 1
    while slug in taken:
        n += 1
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
    return slug
