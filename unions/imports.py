"""Import union branches and members from a CSV or XLSX file: all or nothing, and idempotent.

One service for the ``import_data`` command and the officers' import pages::

    result = import_members(upload, filename="doan-vien.xlsx", dry_run=True,
                            user=request.user, allowed_branch_ids={3, 4})
    result.errors        # [RowError(row=5, column="Ngày sinh", message="...")]

Every row is validated first and every error is collected (its row as in the file, the header
being row 1, and its column as written in the header); only a file without a single error is
written, in one transaction. Keys are the branch ``code`` and the member ``card_number``: a row
equal to what is stored is counted as unchanged and not written, so importing the same file twice
changes nothing the second time.

Speed: existing rows are fetched in a few queries (all branches; members by card number in
chunks), rows are written with ``bulk_create`` / ``bulk_update`` in batches, and history is kept
through django-simple-history's bulk helpers. The number of queries does not grow with the rows
(only with the number of batches).

The reading, header mapping and value parsing helpers (``load_rows``, ``read_table``, ``Column``,
``map_columns``, ``parse_date``, ``parse_bool``, ``Choices``) are meant for the importers of the
apps above as well (aid records, contributions): they return the same ``ImportResult``.
"""

import csv
import datetime
import functools
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from portal.spreadsheet import safe_row
from portal.text import fold, nfc
from unions.models import Branch, Member, Transfer, normalize_card_number, normalize_code

BATCH_SIZE = 1000
PROGRESS_EVERY = 1000
PREFETCH_CHUNK = 5000
MAX_ROWS = 100_000
EXTENSIONS = (".csv", ".xlsx")

Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``: stage is ``"validated"`` or ``"written"``."""


# --------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` as in the file (header = 1; None for the whole file), ``column`` as
    written in the file's header (None when the problem is not one cell's)."""

    row: int | None
    column: str | None
    message: str
    field: str = ""

    def __str__(self):
        if self.row is None:
            return self.message
        if not self.column:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    filename: str = ""
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self):
        return not self.errors

    def error(self, row, column, message, field=""):
        self.errors.append(RowError(row, column, str(message), field))


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, not UTF-8, damaged workbook, empty)."""


# --------------------------------------------------------------------------------------------
# Reading CSV and XLSX


def file_type(filename):
    suffix = PurePath(filename or "").suffix.lower()
    return suffix if suffix in EXTENSIONS else ""


def read_table(file, filename):
    """The header (list of texts) and an iterator of ``(row_number, values)`` of the data rows.

    ``file`` is a binary file object (an upload, ``open(path, "rb")``) or bytes. Row numbers are
    those a spreadsheet shows: the header is row 1. Entirely empty rows are skipped.
    """
    kind = file_type(filename)
    if not kind:
        raise ImportFileError(_("Only .csv and .xlsx files can be imported."))
    rows = _read_xlsx(file) if kind == ".xlsx" else _read_csv(file)
    for _number, values in rows:
        if _is_blank(values):
            continue
        header = [nfc(_cell_text(value)).strip() for value in values]
        data = ((n, v) for n, v in rows if not _is_blank(v))
        return header, data
    raise ImportFileError(_("The file is empty: it needs a header row and at least one row."))


def _is_blank(values):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _read_csv(file):
    data = file if isinstance(file, bytes | str) else file.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _("The CSV file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
            ) from exc
    data = data.lstrip("\ufeff")
    first_line = data.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=delimiter)

    def rows():
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ImportFileError(
                _("The CSV file cannot be read near row %(row)s.") % {"row": reader.line_num}
            ) from exc

    return rows()


def _read_xlsx(file):
    import openpyxl  # imported here: only the XLSX imports and templates need it

    source = io.BytesIO(file) if isinstance(file, bytes) else file
    try:
        if hasattr(source, "seek"):
            source.seek(0)
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ImportFileError(_("The file cannot be read as an Excel workbook (.xlsx).")) from exc

    def rows():
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        finally:
            workbook.close()

    return rows()


# --------------------------------------------------------------------------------------------
# Columns and values


@functools.lru_cache(maxsize=4096)
def _folded_key(text):
    text = fold(text)
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def header_key(text):
    """A header folded for matching: ``"Số thẻ đoàn viên (*)"`` → ``"so the doan vien"``,
    ``"card_number"`` → ``"card number"``."""
    return _folded_key(str(text or ""))


@dataclass(frozen=True)
class Column:
    """A column an importer knows: its code, the Vietnamese header of the template, other
    accepted headers, and whether the file must have it."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: object = ""

    def header_keys(self):
        return {header_key(self.name), header_key(self.label), *map(header_key, self.aliases)}


def map_columns(header, columns, result):
    """``{column name: index}`` of the header; missing required columns and repeated columns are
    file errors added to ``result``; unknown headers are listed in ``result.ignored_columns``."""
    by_key = {key: column for column in columns for key in column.header_keys()}
    found, labels = {}, {}
    for index, text in enumerate(header):
        column = by_key.get(header_key(text))
        if column is None:
            if text:
                result.ignored_columns.append(text)
            continue
        if column.name in found:
            result.error(
                1,
                text,
                _("This column repeats column %(other)s.") % {"other": labels[column.name]},
                column.name,
            )
            continue
        found[column.name] = index
        labels[column.name] = text
    missing = [column for column in columns if column.required and column.name not in found]
    if missing:
        names = ", ".join(f"{column.label} ({column.name})" for column in missing)
        result.error(
            None, None, _("Required columns are missing: %(columns)s.") % {"columns": names}
        )
    return found, labels


def cell_text(value):
    """A cell as clean text: NFC, trimmed, whole numbers without ``.0``."""
    return nfc(_cell_text(value)).strip()


def _cell_text(value):
    # NUL bytes are dropped: PostgreSQL refuses them in text, even in a lookup.
    return _raw_cell_text(value).replace("\x00", "")


def _raw_cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


def parse_date(value):
    """A date from a real date cell, ``dd/mm/yyyy``, ``d/m/yyyy`` or ``yyyy-mm-dd``; None when
    empty. Raises ``ValueError`` with a message for the user otherwise."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    try:
        if match := _DMY.fullmatch(text):
            day, month, year = map(int, match.groups())
            return datetime.date(year, month, day)
        if match := _YMD.fullmatch(text):
            year, month, day = map(int, match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(_("%(value)s is not a real date.") % {"value": text}) from None
    raise ValueError(
        _("%(value)s is not a date: write it as dd/mm/yyyy, for example 17/05/1985.")
        % {"value": text}
    )


_TRUE = {"1", "x", "co", "yes", "y", "true", "dung"}
_FALSE = {"", "0", "khong", "no", "n", "false", "sai"}


def parse_bool(value):
    if isinstance(value, bool):
        return value
    key = header_key(cell_text(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        _("%(value)s is not a yes or no: write Có or Không (or x, 1, 0).")
        % {"value": cell_text(value)}
    )


class Choices:
    """Values of a ``TextChoices`` accepted by code, by label (English and Vietnamese, as the
    catalogue translates it) or by the extra Vietnamese words given, accents and case ignored."""

    def __init__(self, choices, extra, *, blank=None):
        self.choices = choices
        self.extra = {header_key(text): value for text, value in extra.items()}
        self.blank = blank
        self._table = None

    def table(self):
        if self._table is None:
            table = {}
            for value, label in self.choices.choices:
                table[header_key(value)] = value
                for language in ("en", "vi"):
                    with translation.override(language):
                        table.setdefault(header_key(str(label)), value)
            table.update(self.extra)
            table.pop("", None)
            self._table = table
        return self._table

    def parse(self, value):
        text = cell_text(value)
        if not text and self.blank is not None:
            return self.blank
        found = self.table().get(header_key(text))
        if found is None:
            if not text:
                raise ValueError(_("This value is required."))
            labels = ", ".join(str(label) for value, label in self.choices.choices if value)
            raise ValueError(
                _("%(value)s is not one of: %(choices)s.") % {"value": text, "choices": labels}
            )
        return found


GENDERS = Choices(Member.Gender, {"Nam": "male", "Nữ": "female", "M": "male", "F": "female"})
CATEGORIES = Choices(
    Member.Category,
    {
        "Cán bộ, công chức": "civil_servant",
        "Cán bộ công chức": "civil_servant",
        "Công chức": "civil_servant",
        "Cán bộ": "civil_servant",
        "CBCC": "civil_servant",
        "Viên chức": "public_employee",
        "Người lao động": "worker",
        "Lao động": "worker",
        "NLĐ": "worker",
    },
)
POLICY_GROUPS = Choices(
    Member.PolicyGroup,
    {
        "Thương binh": "war_invalid",
        "Con thương binh": "child_of_war_invalid",
        "Con liệt sĩ": "child_of_martyr",
        "Con liệt sỹ": "child_of_martyr",
        "Gia đình chính sách khác": "other",
        "Khác": "other",
        "Không": "",
        "none": "",
    },
    blank="",
)
LEVELS = Choices(
    Branch.Level,
    {
        "Công đoàn Bộ": "ministry",
        "Cấp Bộ": "ministry",
        "Công đoàn cơ sở": "grassroots",
        "CĐCS": "grassroots",
        "Cơ sở": "grassroots",
        "Công đoàn bộ phận": "division",
        "CĐBP": "division",
        "Bộ phận": "division",
        "Tổ công đoàn": "group",
        "Tổ": "group",
    },
)


def _chunks(items, size):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _report(progress, stage, done, total, *, every=PROGRESS_EVERY):
    if progress and (done % every == 0 or done == total):
        progress(stage, done, total)


def _history_user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _change_reason(filename):
    return (_("Imported from %(file)s") % {"file": PurePath(filename or "").name})[:100]


def load_rows(file, filename, columns, result):
    """The mapped rows ``[(row_number, {column: raw value})]`` and the header labels, or None
    when the file itself is wrong (the errors are then in ``result``)."""
    try:
        header, data = read_table(file, filename)
        found, labels = map_columns(header, columns, result)
        if result.errors:
            return None, labels
        rows = []
        for number, values in data:
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(count)s rows: split it into smaller files.")
                    % {"count": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            rows.append(
                (
                    number,
                    {
                        name: values[index] if index < len(values) else None
                        for name, index in found.items()
                    },
                )
            )
    except ImportFileError as exc:
        result.error(None, None, str(exc))
        return None, {}
    if not rows:
        result.error(None, None, _("The file has a header row but no data rows."))
        return None, labels
    result.total_rows = len(rows)
    return rows, labels


def sort_errors(result, labels):
    """Errors by row, then in the order of the file's columns."""
    order = {name: index for index, name in enumerate(labels)}
    result.errors.sort(key=lambda error: (error.row or 0, order.get(error.field, len(order))))


def _model_errors(instance, exclude, clean=True):
    """The model's own field checks and ``clean()`` rules, as ``{field: [messages]}``; no query
    (foreign keys and uniqueness are checked by the importer from prefetched data)."""
    errors = {}
    try:
        instance.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if clean:
        try:
            instance.clean()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, messages)
    return errors


# --------------------------------------------------------------------------------------------
# Members

MEMBER_COLUMNS = [
    Column(
        "card_number",
        "Số thẻ đoàn viên",
        ("Số thẻ", "Số thẻ ĐV", "Số thẻ công đoàn", "Card number"),
        required=True,
        example="DV000123",
    ),
    Column(
        "full_name",
        "Họ và tên",
        ("Họ tên", "Full name", "Name"),
        required=True,
        example="Nguyễn Thị An",
    ),
    Column("gender", "Giới tính", ("Gender",), required=True, example="Nữ"),
    Column(
        "date_of_birth",
        "Ngày sinh",
        ("Ngày tháng năm sinh", "Date of birth", "Birth date"),
        example=datetime.date(1985, 5, 17),
    ),
    Column(
        "branch_code",
        "Mã công đoàn",
        ("Mã công đoàn cơ sở", "Mã CĐCS", "Mã CĐ", "Branch code", "Branch"),
        required=True,
        example="CDCS01",
    ),
    Column("category", "Đối tượng", ("Category",), required=True, example="Cán bộ, công chức"),
    Column(
        "joined_on",
        "Ngày vào công đoàn",
        ("Ngày vào CĐ", "Ngày kết nạp", "Joined on", "Joined"),
        example=datetime.date(2010, 3, 1),
    ),
    Column("policy_group", "Diện chính sách", ("Policy group",), example=""),
    Column(
        "hardship",
        "Hoàn cảnh khó khăn",
        ("Hoàn cảnh đặc biệt khó khăn", "Hardship"),
        example="Không",
    ),
    Column(
        "email", "Thư điện tử", ("Email", "E-mail", "Địa chỉ email"), example="an.nt@example.gov.vn"
    ),
    Column("phone", "Điện thoại", ("Số điện thoại", "SĐT", "ĐT", "Phone"), example="0912345678"),
    Column(
        "national_id",
        "Số CCCD",
        (
            "CCCD",
            "Số CCCD/CMND",
            "Số CMND/CCCD",
            "CMND",
            "Căn cước công dân",
            "Số định danh",
            "National ID",
        ),
        example="001185012345",
    ),
    Column("job_title", "Chức vụ", ("Chức danh", "Job title"), example="Chuyên viên"),
    Column("work_unit", "Đơn vị công tác", ("Work unit",), example="Văn phòng Bộ"),
]

# Columns written as they are (after NFC and trimming), and how the model stores them.
_MEMBER_TEXT = {
    "full_name": lambda text: " ".join(text.split()),
    "email": lambda text: text.lower(),
    "phone": lambda text: text,
    "job_title": lambda text: text,
    "work_unit": lambda text: text,
}
_MEMBER_PARSERS = {
    "gender": GENDERS.parse,
    "category": CATEGORIES.parse,
    "policy_group": POLICY_GROUPS.parse,
    "hardship": parse_bool,
    "date_of_birth": parse_date,
    "joined_on": parse_date,
}
# Member fields the import never sets: left out of the model's field checks.
_MEMBER_UNCHECKED = [
    "branch",
    "user",
    "search_name",
    "status",
    "status_changed_on",
    "status_reason",
]


def _phone(value):
    text = cell_text(value)
    # A number cell drops the leading zero of a Vietnamese phone number (0912345678 → 912345678).
    if isinstance(value, int | float) and len(text) == 9:
        text = "0" + text
    return text


def _national_id(value):
    text = re.sub(r"[\s.\-]", "", cell_text(value))
    # A number cell drops the leading zero of a citizen ID (001185012345 → 1185012345...).
    if isinstance(value, int | float) and len(text) in (8, 11):
        text = "0" + text
    return text


def import_members(
    file,
    *,
    filename,
    dry_run=False,
    user=None,
    allowed_branch_ids=None,
    progress: Progress | None = None,
):
    """Create or update members from a CSV or XLSX file (see the module's docstring).

    ``allowed_branch_ids``: the branches the importing officer may write to (None: all, for the
    command line). A row putting a member into another branch, or touching a member who is now in
    another branch, is a row error. A member whose branch changes gets a transfer record.
    """
    result = ImportResult(kind="members", dry_run=dry_run, filename=filename)
    rows, labels = load_rows(file, filename, MEMBER_COLUMNS, result)
    if rows is None:
        return result
    total = len(rows)

    branches = {
        branch.code: branch
        for branch in Branch.objects.only("id", "code", "name", "active", "level", "parent_id")
    }
    cards = {normalize_card_number(cell_text(values["card_number"])) for _, values in rows}
    cards.discard("")
    existing = {}
    for chunk in _chunks(sorted(cards), PREFETCH_CHUNK):
        existing.update(
            (member.card_number, member) for member in Member.objects.filter(card_number__in=chunk)
        )

    seen = {}
    to_create, to_update, transfers = [], [], []
    changed_fields = set()

    def error(number, name, message):
        result.error(number, labels.get(name, name), message, name)

    for done, (number, values) in enumerate(rows, start=1):
        _report(progress, "validated", done, total)
        errors_before = len(result.errors)
        parsed, failed = {}, set()

        card = normalize_card_number(cell_text(values["card_number"]))
        if not card:
            error(number, "card_number", _("The card number is required."))
        elif card in seen:
            error(
                number,
                "card_number",
                _("Card number %(card)s already appears on row %(row)s.")
                % {"card": card, "row": seen[card]},
            )
        else:
            seen[card] = number
        member = existing.get(card)
        if (
            member is not None
            and allowed_branch_ids is not None
            and member.branch_id not in allowed_branch_ids
        ):
            error(
                number,
                "card_number",
                _("The member with card number %(card)s is in a branch outside your scope.")
                % {"card": card},
            )

        branch_code = normalize_code(cell_text(values["branch_code"]))
        branch = branches.get(branch_code)
        if not branch_code:
            error(number, "branch_code", _("The branch code is required."))
        elif branch is None:
            error(
                number,
                "branch_code",
                _("There is no branch with code %(code)s.") % {"code": branch_code},
            )
        elif allowed_branch_ids is not None and branch.pk not in allowed_branch_ids:
            error(
                number,
                "branch_code",
                _("Branch %(code)s is outside your scope.") % {"code": branch_code},
            )
        elif not branch.active:
            error(
                number,
                "branch_code",
                _("Branch %(code)s is no longer active.") % {"code": branch_code},
            )

        for name in labels:
            if name in ("card_number", "branch_code"):
                continue
            raw = values[name]
            try:
                if name in _MEMBER_PARSERS:
                    parsed[name] = _MEMBER_PARSERS[name](raw)
                elif name == "phone":
                    parsed[name] = _phone(raw)
                elif name == "national_id":
                    parsed[name] = _national_id(raw)
                else:
                    parsed[name] = _MEMBER_TEXT[name](cell_text(raw))
            except ValueError as exc:
                error(number, name, exc.args[0])
                failed.add(name)
        if "full_name" in parsed and not parsed["full_name"]:
            error(number, "full_name", _("The full name is required."))
            failed.add("full_name")

        # The member as the row would make it, checked by the model's own rules (every error of
        # the row, not only the first: a value that could not be read is left out of the checks).
        if member is None:
            member = Member(card_number=card, **parsed)
            member.search_name = fold(member.full_name)
            row_changes = None
        else:
            row_changes = {name for name, value in parsed.items() if getattr(member, name) != value}
            for name in row_changes:
                setattr(member, name, parsed[name])
        for name in failed & {"date_of_birth", "joined_on"}:
            setattr(member, name, None)
        for name, messages in _model_errors(member, [*_MEMBER_UNCHECKED, *failed]).items():
            for message in messages:
                error(number, name if name in labels else None, message)
        if len(result.errors) > errors_before:
            continue
        if row_changes is not None and member.branch_id != branch.pk:
            row_changes.add("branch")
        elif row_changes is None:
            member.branch_id = branch.pk

        if row_changes is None:
            to_create.append(member)
        elif row_changes:
            if "branch" in row_changes:
                transfers.append(
                    Transfer(
                        member=member,
                        from_branch_id=member.branch_id,
                        to_branch_id=branch.pk,
                        date=timezone.localdate(),
                        reason=_change_reason(filename),
                        recorded_by=_history_user(user),
                    )
                )
                member.branch_id = branch.pk
            if "full_name" in row_changes:
                member.search_name = fold(member.full_name)
                row_changes.add("search_name")
            changed_fields |= row_changes
            to_update.append(member)
        else:
            result.unchanged += 1

    result.created, result.updated = len(to_create), len(to_update)
    sort_errors(result, labels)
    if result.errors or dry_run:
        return result

    fields = sorted(changed_fields)
    _write(
        Member,
        result,
        to_create,
        to_update,
        fields,
        user=user,
        filename=filename,
        progress=progress,
        after=lambda: Transfer.objects.bulk_create(transfers, batch_size=BATCH_SIZE),
    )
    return result


def _write(model, result, to_create, to_update, fields, *, user, filename, progress, after=None):
    """Create and update in batches, with history, in one transaction; an integrity error (a
    change made meanwhile by someone else) undoes everything and becomes a file error."""
    total = len(to_create) + len(to_update)
    history = {
        "default_user": _history_user(user),
        "default_change_reason": _change_reason(filename),
    }
    now = timezone.now()
    try:
        with transaction.atomic():
            done = 0
            for batch in _chunks(to_create, BATCH_SIZE):
                bulk_create_with_history(batch, model, batch_size=BATCH_SIZE, **history)
                done += len(batch)
                _report(progress, "written", done, total, every=1)
            for batch in _chunks(to_update, BATCH_SIZE):
                for instance in batch:
                    instance.updated_at = now
                bulk_update_with_history(
                    batch, model, [*fields, "updated_at"], batch_size=BATCH_SIZE, **history
                )
                done += len(batch)
                _report(progress, "written", done, total, every=1)
            if after:
                after()
    except IntegrityError:
        result.error(
            None,
            None,
            _("The data changed during the import: nothing was written. Try again."),
        )
        return
    result.written = True


# --------------------------------------------------------------------------------------------
# Branches

BRANCH_COLUMNS = [
    Column("code", "Mã", ("Mã công đoàn", "Mã đơn vị", "Code"), required=True, example="CDCS01"),
    Column(
        "name",
        "Tên",
        ("Tên công đoàn", "Tên đơn vị", "Name"),
        required=True,
        example="Công đoàn Văn phòng Bộ",
    ),
    Column(
        "parent_code",
        "Mã cấp trên",
        ("Mã công đoàn cấp trên", "Cấp trên", "Parent code", "Parent"),
        required=True,
        example="CDBNV",
    ),
    Column("level", "Cấp", ("Cấp công đoàn", "Level"), required=True, example="Công đoàn cơ sở"),
    Column("short_name", "Tên viết tắt", ("Short name",), example="CĐ VPB"),
    Column("address", "Địa chỉ", ("Address",), example=""),
    Column("phone", "Điện thoại", ("Số điện thoại", "Phone"), example=""),
    Column("email", "Thư điện tử", ("Email", "E-mail"), example=""),
]
_BRANCH_OPTIONAL = ("short_name", "address", "phone", "email")


def _level_under(level, parent_level):
    """Branch.clean's rule: a level sits strictly below its parent's; groups may nest."""
    rank = Branch.LEVEL_RANK
    return rank[level] > rank[parent_level] or level == parent_level == Branch.Level.GROUP


def _level_label(level):
    return str(Branch.Level(level).label).lower()


def import_branches(
    file,
    *,
    filename,
    dry_run=False,
    user=None,
    allowed_branch_ids=None,
    progress: Progress | None = None,
):
    """Create or update branches from a CSV or XLSX file (see the module's docstring).

    A parent may come later in the file than its children: rows are written from the root down.
    The rules of ``Branch.clean`` hold over the tree as it will be after the import (one ministry
    union at the root, a level strictly below its parent's, no cycles), checked in memory from
    one query of all the branches.
    """
    result = ImportResult(kind="branches", dry_run=dry_run, filename=filename)
    rows, labels = load_rows(file, filename, BRANCH_COLUMNS, result)
    if rows is None:
        return result
    total = len(rows)
    present = set(labels)

    existing = {branch.code: branch for branch in Branch.objects.all()}
    code_of = {branch.pk: code for code, branch in existing.items()}
    # The tree after the import, code → (level, parent code): stored rows, the file's over them.
    final = {
        code: (branch.level, code_of.get(branch.parent_id)) for code, branch in existing.items()
    }

    def error(number, name, message):
        result.error(number, labels.get(name, name), message, name)

    parsed_rows = {}  # code → (row number, values)
    broken = set()  # codes of rows with errors: their children are not checked against them
    for done, (number, values) in enumerate(rows, start=1):
        _report(progress, "validated", done, total)
        errors_before = len(result.errors)
        code = normalize_code(cell_text(values["code"]))
        if not code:
            error(number, "code", _("The code is required."))
        elif code in parsed_rows:
            error(
                number,
                "code",
                _("Code %(code)s already appears on row %(row)s.")
                % {"code": code, "row": parsed_rows[code][0]},
            )
        parsed = {"name": " ".join(cell_text(values["name"]).split())}
        if not parsed["name"]:
            error(number, "name", _("The name is required."))
        parsed["parent_code"] = normalize_code(cell_text(values["parent_code"]))
        try:
            parsed["level"] = LEVELS.parse(values["level"])
        except ValueError as exc:
            error(number, "level", exc.args[0])
        for name in _BRANCH_OPTIONAL:
            if name in present:
                text = cell_text(values[name])
                parsed[name] = text.lower() if name == "email" else text
        if len(result.errors) > errors_before:
            broken.add(code)
            continue
        parsed_rows[code] = (number, parsed)
        final[code] = (parsed["level"], parsed["parent_code"] or None)

    # The ministry union that stays the root: the stored one if it stays, else the file's first.
    roots = [code for code, (level, _parent) in final.items() if level == Branch.Level.MINISTRY]
    kept_root = roots[0] if roots else None

    # The tree rules, row by row, against the tree as it will be.
    for code, (number, parsed) in parsed_rows.items():
        level, parent_code = parsed["level"], parsed["parent_code"]
        branch = existing.get(code)
        if allowed_branch_ids is not None and branch and branch.pk not in allowed_branch_ids:
            error(number, "code", _("Branch %(code)s is outside your scope.") % {"code": code})
            continue
        if level == Branch.Level.MINISTRY:
            if parent_code:
                error(number, "parent_code", _("The ministry union is the root: it has no parent."))
            elif code != kept_root:
                error(
                    number,
                    "level",
                    _("There is already a ministry union (%(code)s): there can be only one.")
                    % {"code": kept_root},
                )
        elif not parent_code:
            error(number, "parent_code", _("Every branch but the ministry union needs a parent."))
        elif parent_code in broken and parent_code not in existing:
            continue
        elif parent_code not in final:
            error(
                number,
                "parent_code",
                _("There is no branch with code %(code)s, here or in the file.")
                % {"code": parent_code},
            )
        else:
            parent = existing.get(parent_code)
            if (
                allowed_branch_ids is not None
                and parent_code not in parsed_rows
                and parent.pk not in allowed_branch_ids
            ):
                error(
                    number,
                    "parent_code",
                    _("Branch %(code)s is outside your scope.") % {"code": parent_code},
                )
            elif not _level_under(level, final[parent_code][0]):
                error(
                    number,
                    "level",
                    _("A %(level)s cannot be under a %(parent)s.")
                    % {"level": _level_label(level), "parent": _level_label(final[parent_code][0])},
                )
            elif _in_cycle(code, final):
                error(
                    number,
                    "parent_code",
                    _("A branch cannot be placed under itself or its own sub-branch."),
                )
        if branch and level != branch.level:
            # Branches left as they are must still fit under this one.
            for child_code, (child_level, child_parent) in final.items():
                if (
                    child_parent == code
                    and child_code not in parsed_rows
                    and not _level_under(child_level, level)
                ):
                    error(
                        number,
                        "level",
                        _(
                            "Branch %(child)s, a %(child_level)s, is under this branch: "
                            "it cannot become a %(level)s."
                        )
                        % {
                            "child": child_code,
                            "child_level": _level_label(child_level),
                            "level": _level_label(level),
                        },
                    )
                    break

    # Build the instances, checked by the model's own field rules, and count the changes.
    to_create, to_update, changed_fields = [], [], set()
    for code, (number, parsed) in parsed_rows.items():
        branch = existing.get(code)
        values = {
            name: parsed[name] for name in ("name", "level", *_BRANCH_OPTIONAL) if name in parsed
        }
        if branch is None:
            branch = Branch(code=code, **values)
            changes = None
        else:
            changes = {name for name, value in values.items() if getattr(branch, name) != value}
            if code_of.get(branch.parent_id) != (parsed["parent_code"] or None):
                changes.add("parent")
            for name in changes - {"parent"}:
                setattr(branch, name, values[name])
        field_errors = _model_errors(branch, ["parent"], clean=False)
        for name, messages in field_errors.items():
            for message in messages:
                error(number, name if name in labels else None, message)
        if field_errors:
            continue
        if changes is None:
            to_create.append(branch)
        elif changes:
            changed_fields |= changes
            to_update.append(branch)
        else:
            result.unchanged += 1

    result.created, result.updated = len(to_create), len(to_update)
    sort_errors(result, labels)
    if result.errors or dry_run:
        return result

    # Parents first: sort by depth in the final tree, create level by level, then set the parents.
    depth = {code: _depth(code, final) for code in parsed_rows}
    to_create.sort(key=lambda branch: depth[branch.code])
    to_update.sort(key=lambda branch: depth[branch.code])
    pk_of = {code: branch.pk for code, branch in existing.items()}

    def parent_id(branch):
        parent_code = parsed_rows[branch.code][1]["parent_code"]
        return pk_of[parent_code] if parent_code else None

    history = {
        "default_user": _history_user(user),
        "default_change_reason": _change_reason(filename),
    }
    done = 0
    try:
        with transaction.atomic():
            for _level, group in _groupby_depth(to_create, depth):
                for branch in group:
                    branch.parent_id = parent_id(branch)
                for batch in _chunks(group, BATCH_SIZE):
                    bulk_create_with_history(batch, Branch, batch_size=BATCH_SIZE, **history)
                    done += len(batch)
                    _report(progress, "written", done, len(to_create) + len(to_update), every=1)
                pk_of.update((branch.code, branch.pk) for branch in group)
            if to_update:
                now = timezone.now()
                for branch in to_update:
                    branch.parent_id = parent_id(branch)
                    branch.updated_at = now
                fields = sorted(changed_fields)
                for batch in _chunks(to_update, BATCH_SIZE):
                    bulk_update_with_history(
                        batch, Branch, [*fields, "updated_at"], batch_size=BATCH_SIZE, **history
                    )
                    done += len(batch)
                    _report(progress, "written", done, len(to_create) + len(to_update), every=1)
    except IntegrityError:
        result.error(
            None,
            None,
            _("The data changed during the import: nothing was written. Try again."),
        )
        return result
    result.written = True
    return result


def _in_cycle(code, final):
    seen, node = set(), code
    while node is not None:
        if node in seen:
            return True
        seen.add(node)
        node = final.get(node, (None, None))[1]
    return False


def _depth(code, final):
    depth, seen, node = 0, set(), final[code][1]
    while node is not None and node not in seen:
        seen.add(node)
        depth += 1
        node = final.get(node, (None, None))[1]
    return depth


def _groupby_depth(branches, depth):
    groups = {}
    for branch in branches:
        groups.setdefault(depth[branch.code], []).append(branch)
    return sorted(groups.items())


# --------------------------------------------------------------------------------------------
# Templates

COLUMNS = {"members": MEMBER_COLUMNS, "branches": BRANCH_COLUMNS}
# Columns stored as text in the template, so Excel keeps leading zeros.
_TEXT_COLUMNS = {"card_number", "phone", "national_id", "code", "parent_code", "branch_code"}


def template_xlsx(kind) -> bytes:
    """An XLSX template: the Vietnamese headers in the first row and one example row."""
    import openpyxl
    from openpyxl.styles import Font

    columns = COLUMNS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = {"members": "Đoàn viên", "branches": "Công đoàn"}[kind]
    sheet.append([column.label + (" *" if column.required else "") for column in columns])
    sheet.append([column.example for column in columns])
    for index, column in enumerate(columns, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        letter = header.column_letter
        sheet.column_dimensions[letter].width = max(14, len(header.value) + 4)
        number_format = (
            "DD/MM/YYYY"
            if isinstance(column.example, datetime.date)
            else "@"
            if column.name in _TEXT_COLUMNS
            else None
        )
        if number_format:
            sheet.column_dimensions[letter].number_format = number_format
            sheet.cell(row=2, column=index).number_format = number_format
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def iter_errors_csv(result) -> Iterator[str]:
    """The errors of a result as CSV lines (row, column, message), for a download."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Error")])
    for error in result.errors:
        # The column and the message quote the file's own cells: never let them be formulas.
        writer.writerow(safe_row([error.row or "", error.column or "", error.message]))
    yield "\ufeff" + buffer.getvalue()
