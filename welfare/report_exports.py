"""The review as CSV (one row a figure) and as XLSX (a sheet a section), Vietnamese headers."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.spreadsheet import safe_row

MONEY = "#,##0"


def _flat(figures):
    """(section, item, measure, value) rows for every figure."""
    aid = figures["aid"]
    yield (_("Aid"), _("All"), "records", aid["records"])
    yield (_("Aid"), _("All"), "beneficiaries", aid["beneficiaries"])
    yield (_("Aid"), _("All"), "amount_vnd", aid["amount_vnd"])
    yield (_("Aid"), _("All"), "value_vnd", aid["value_vnd"])
    for kind, row in aid["by_kind"].items():
        for measure in ("records", "beneficiaries", "amount_vnd", "value_vnd"):
            yield (_("Aid by kind"), kind, measure, row[measure])
    for row in aid["by_branch"]:
        for measure in ("records", "beneficiaries", "amount_vnd"):
            yield (_("Aid by branch"), row["code"], measure, row[measure])
    for row in aid["by_month"]:
        for measure in ("records", "beneficiaries", "amount_vnd", "value_vnd"):
            yield (_("Aid by month"), row["month"], measure, row[measure])
    for row in aid["in_kind"]:
        yield (_("Goods"), f"{row['item']} ({row['unit']})", "quantity", row["quantity"])
        yield (_("Goods"), f"{row['item']} ({row['unit']})", "value_vnd", row["value_vnd"])
    for row in figures["campaigns"]:
        for measure in ("goal_vnd", "raised_vnd", "goal_percent", "disbursed_vnd", "contributions"):
            yield (_("Campaigns"), row["code"], measure, row[measure])
    for measure, value in figures["support_requests"].items():
        yield (_("Support requests"), _("All"), measure, value)
    members = figures["members"]
    for measure in ("total", "joined", "left"):
        yield (_("Members"), _("All"), measure, members[measure])
    for key, value in members["by_category"].items():
        yield (_("Members by category"), key, "total", value)
    for key, value in members["by_gender"].items():
        yield (_("Members by gender"), key, "total", value)


def review_csv(figures):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([_("Section"), _("Item"), _("Measure"), _("Value")])
    for row in _flat(figures):
        writer.writerow(safe_row("" if v is None else v for v in row))
    return buffer.getvalue().encode("utf-8")


def _sheet(workbook, title, header, rows, money_columns=(), totals=None):
    """A sheet with a bold header row, ``rows`` and, when given, a bold ``totals`` row."""
    sheet = workbook.create_sheet(title[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(safe_row(row))
    if totals is not None:
        sheet.append(safe_row(totals))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for column in money_columns:
        for cell in next(iter(sheet.iter_cols(min_col=column, max_col=column, min_row=2))):
            cell.number_format = MONEY
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    return sheet


def review_xlsx(figures):
    workbook = Workbook()
    workbook.remove(workbook.active)
    aid = figures["aid"]
    period = figures["period"]
    _sheet(
        workbook,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            (_("Branch"), figures["branch"]["name"]),
            (_("From"), period["from"]),
            (_("To"), period["to"]),
            (_("Aid records"), aid["records"]),
            (_("Beneficiaries"), aid["beneficiaries"]),
            (_("Cash (đồng)"), aid["amount_vnd"]),
            (_("Declared value of goods (đồng)"), aid["value_vnd"]),
            (_("Active members on the last day"), figures["members"]["total"]),
        ],
    )
    kinds = [
        (row["label"], row["records"], row["beneficiaries"], row["amount_vnd"])
        for row in aid["by_kind"].values()
    ]
    kinds.append((_("Total"), aid["records"], aid["beneficiaries"], aid["amount_vnd"]))
    _sheet(
        workbook,
        _("By kind"),
        [_("Kind"), _("Records"), _("Beneficiaries"), _("Cash (đồng)")],
        kinds,
        (4,),
    )
    _sheet(
        workbook,
        _("By branch"),
        [_("Code"), _("Branch"), _("Records"), _("Beneficiaries"), _("Cash (đồng)")],
        [
            (r["code"], r["name"], r["records"], r["beneficiaries"], r["amount_vnd"])
            for r in aid["by_branch"]
        ],
        (5,),
    )
    by_month = aid["by_month"]
    _sheet(
        workbook,
        _("By month"),
        [
            _("Month"),
            _("Records"),
            _("Beneficiaries"),
            _("Cash (đồng)"),
            _("Declared value of goods (đồng)"),
        ],
        [
            (r["label"], r["records"], r["beneficiaries"], r["amount_vnd"], r["value_vnd"])
            for r in by_month
        ],
        (4, 5),
        # A member helped in several months is one beneficiary of the period.
        totals=(
            _("Total"),
            aid["records"],
            aid["beneficiaries"],
            aid["amount_vnd"],
            aid["value_vnd"],
        ),
    )
    _sheet(
        workbook,
        _("Goods"),
        [_("Goods"), _("Unit"), _("Quantity"), _("Declared value (đồng)")],
        [(r["item"], r["unit"], r["quantity"], r["value_vnd"]) for r in aid["in_kind"]],
        (4,),
    )
    _sheet(
        workbook,
        _("Campaigns"),
        [
            _("Code"),
            _("Campaign"),
            _("Raised (đồng)"),
            _("Given away (đồng)"),
            _("Contributions"),
            _("Goal (đồng)"),
            _("Per cent of the goal"),
        ],
        [
            (
                r["code"],
                r["name"],
                r["raised_vnd"],
                r["disbursed_vnd"],
                r["contributions"],
                r["goal_vnd"],
                r["goal_percent"],
            )
            for r in figures["campaigns"]
        ],
        (3, 4, 6),
    )
    requests = figures["support_requests"]
    _sheet(workbook, _("Requests"), [_("Figure"), _("Value")], list(requests.items()))
    members = figures["members"]
    _sheet(
        workbook,
        _("Members"),
        [_("Figure"), _("Value")],
        [
            ("total", members["total"]),
            ("joined", members["joined"]),
            ("left", members["left"]),
            *[(f"category:{k}", v) for k, v in members["by_category"].items()],
            *[(f"gender:{k}", v) for k, v in members["by_gender"].items()],
        ],
    )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
