"""Cells written to CSV and XLSX files, safe to open in a spreadsheet (CSV/formula injection).

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or their full-width forms, which some
spreadsheets also read as formulas), or with a tab or a carriage return, is taken by Excel or
LibreOffice Calc for a formula: a member named ``=HYPERLINK("http://x", "Bấm vào đây")`` would
become a link in an officer's export, and ``=cmd|' /C calc'!A0`` a command. Following the OWASP
guidance on CSV injection, such a cell is written with a leading apostrophe, which the
spreadsheet shows as text (and openpyxl then stores as a string, never as a formula). Numbers,
dates and empty cells are left as they are, so sums and date formats keep working.

Every export of the portal passes each value through ``safe_cell`` (or a whole row through
``safe_row``) before writing it.
"""

import datetime
from decimal import Decimal

from django.utils.functional import Promise

# What starts a formula: ASCII and full-width = + - @, and tab / carriage return / line feed,
# which some spreadsheets skip before looking for one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
PASSED_THROUGH = (int, float, Decimal, datetime.date, datetime.time, datetime.timedelta)


def is_formula_like(text):
    """Whether a spreadsheet could read ``text`` as a formula (spaces before it included)."""
    return text.lstrip(" \u00a0\u3000").startswith(FORMULA_STARTS)


def safe_cell(value):
    """``value`` as it may be written in a CSV or XLSX cell: text that a spreadsheet would read
    as a formula gets a leading apostrophe; numbers (booleans included), dates, times and
    ``None`` are returned unchanged; anything else becomes its text."""
    if value is None or isinstance(value, (bool, *PASSED_THROUGH)):
        return value
    text = str(value) if isinstance(value, Promise) else value
    if not isinstance(text, str):
        text = str(text)
    return f"'{text}" if is_formula_like(text) else text


def safe_row(values):
    """``safe_cell`` of each value of a row, as a list."""
    return [safe_cell(value) for value in values]
