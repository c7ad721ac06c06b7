"""Hypothesis strategies of hostile input, and the checks every fuzzed post must pass.

The values mix what a real officer or member types (Vietnamese in NFC and in NFD, as some
keyboards send it) with what an attacker or a broken client sends: 10,000-character texts,
control characters and NUL bytes, invisible and right-to-left marks, huge and negative numbers,
full-width and superscript digits, and odd dates (year 0001 and 9999, 30 February, ``31/12/99``).
"""

import datetime
import re
import unicodedata

from django.apps import apps
from django.db import models
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    # No shrinking: a failing example is shown as drawn (shrinking 10,000-character values
    # through the test client takes minutes).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
    database=None,
)
# Pages that do several requests an example (upload, preview, confirm): fewer examples.
FUZZ_FEW = settings(FUZZ, max_examples=12)

WORDS = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Đặng",
    "Thị",
    "Văn",
    "Ngọc",
    "Ánh",
    "Hương",
    "Đoàn",
    "Công đoàn",
    "đoàn viên",
    "ốm đau",
    "thai sản",
    "hiếu",
    "hỷ",
    "Quà Tết Canh Tý",
    "khẩu trang vải kháng khuẩn",
    "gạo",
    "tấn",
    "Cây ATM gạo quận Cầu Giấy",
    "Bộ Nội vụ",
    "Vụ Tổ chức cán bộ",
    "con thương binh",
    "hoàn cảnh đặc biệt khó khăn",
    "ỷ",
    "ữ",
    "Ợ",
]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85"]
INVISIBLE = ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00a0", "\u3000", "\r\n", "\t"]
NUMBERS = [
    "0",
    "-1",
    "-1.000.000",
    "1",
    "1.000.000",
    "1,000,000",
    "1 000 000 ₫",
    "2,5",
    "1e9",
    "NaN",
    "inf",
    "0x10",
    "9" * 25,
    "9" * 5000,
    "10000000001",
    "１２３",  # full-width digits
    "²³",  # superscripts (isdigit() but not int())
    "٣٤٥",  # Arabic-Indic digits
    "+5",
    "5-",
    "1.0",
    " ",
]
DATES = [
    "10/04/2020",
    "2020-04-10",
    "31/12/99",
    "30/02/2020",
    "2020-02-30",
    "29/02/2021",
    "01/01/0001",
    "0001-01-01",
    "31/12/9999",
    "9999-12-31",
    "00/00/0000",
    "32/01/2020",
    "1/1/1",
    "2020-13-01",
    "-1/01/2020",
    "hôm nay",
    "10/04/2020\x00",
    "１０/０４/２０２０",
    "10/04/20200",
]
LONG = 10_000
# What a Python exception says, never what the portal says to a person.
PYTHON_TALK = re.compile(
    r"invalid literal|Exceeds the limit|Traceback|has no attribute|NoneType|could not convert"
    r"|object is not|unsupported operand|out of range|codec can't|string literal cannot",
    re.IGNORECASE,
)


def _vietnamese(words, form):
    return unicodedata.normalize(form, " ".join(words))


@st.composite
def vietnamese(draw, max_words=6):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=max_words))
    return _vietnamese(words, draw(st.sampled_from(["NFC", "NFD"])))


@st.composite
def nasty_text(draw):
    """Any text a client could send in a field."""
    kind = draw(
        st.sampled_from(
            ["vi", "vi", "long", "control", "nul", "invisible", "number", "date", "empty", "any"]
        )
    )
    base = draw(vietnamese())
    if kind == "long":
        return (base + " ") * (LONG // (len(base) + 1) + 1)
    if kind in ("control", "nul", "invisible"):
        pool = {"control": CONTROL, "nul": ["\x00"], "invisible": INVISIBLE}[kind]
        mark = draw(st.sampled_from(pool))
        at = draw(st.integers(min_value=0, max_value=len(base)))
        return base[:at] + mark + base[at:]
    if kind == "number":
        return draw(st.sampled_from(NUMBERS))
    if kind == "date":
        return draw(st.sampled_from(DATES))
    if kind == "empty":
        return draw(st.sampled_from(["", " ", "\n"]))
    if kind == "any":
        return draw(
            st.text(
                alphabet=st.characters(blacklist_categories=["Cs"]),  # no lone surrogates
                max_size=60,
            )
        )
    return base


def field(valid, *extra):
    """A field's value: often the valid one (so that forms get past validation and save),
    otherwise anything hostile, or one of ``extra``."""
    choices = [st.just(valid), st.just(valid), nasty_text()]
    if extra:
        choices.append(st.sampled_from(list(extra)))
    return st.one_of(*choices)


def number_field(valid):
    return st.one_of(st.just(valid), st.sampled_from(NUMBERS), nasty_text())


def date_field(valid):
    return st.one_of(st.just(valid), st.sampled_from(DATES), nasty_text())


def form(**fields):
    """A dict strategy: each field's value, sometimes missing altogether."""
    return st.fixed_dictionaries({}, optional=fields)


def full_form(**fields):
    """Every field present (most posts from a browser send every field)."""
    return st.fixed_dictionaries(fields)


def some_form(**fields):
    return st.one_of(full_form(**fields), full_form(**fields), form(**fields))


# Checks -----------------------------------------------------------------------------------------

APPS = ("unions", "welfare", "news", "portal")


def project_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS and not model._meta.label.startswith("welfare.Historical")
    ]


def counts():
    """Rows of every model of the project (history tables included): nothing half-written.
    The site settings are left out: their one row is made on the first page drawn."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in APPS and model._meta.label != "portal.SiteSettings"
    }


def stored_text_problems():
    """Every stored text that is not NFC or holds a NUL byte, in the project's models."""
    problems = []
    for model in project_models():
        if model._meta.label.split(".")[1].startswith("Historical"):
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        if not names:
            continue
        for row in model.objects.values("pk", *names):
            for name in names:
                value = row[name]
                if not isinstance(value, str):
                    continue
                if "\x00" in value:
                    problems.append(f"{model._meta.label}#{row['pk']}.{name} holds a NUL byte")
                if not unicodedata.is_normalized("NFC", value):
                    problems.append(f"{model._meta.label}#{row['pk']}.{name} is not NFC: {value!r}")
    return problems


def form_errors(response):
    """The errors a re-shown form carries (forms, formsets, ``problems`` lists, messages)."""
    found = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            errors = getattr(value, "errors", None)
            if hasattr(value, "is_bound") and getattr(value, "is_bound", False) and errors:
                found.append(errors)
            non_form = getattr(value, "non_form_errors", None)
            if callable(non_form) and getattr(value, "is_bound", False) and non_form():
                found.append(non_form())
    if response.context and response.context.get("problems"):
        found.append(response.context["problems"])
    for message in response.context.get("messages", []) if response.context else []:
        if message.level_tag == "error":
            found.append(message)
    return found


def today():
    return datetime.date.today()
