"""Vietnamese text helpers shared by every app: accent folding and slugs.

Django's ``slugify`` drops "đ" (it is a letter of its own, not an accented "d"), so "Công đoàn"
would become "cong-oan". Folding here handles đ/Đ and both NFC and NFD input.
"""

import re
import unicodedata

from django.utils.text import slugify

_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text):
    """Text in the composed form the database stores (NFD input from some keyboards is common)."""
    return unicodedata.normalize("NFC", text or "")


def fold(text):
    """Lower-case, accent-free text: ``"Công ĐOÀN viên"`` → ``"cong doan vien"``."""
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_EXTRA))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", stripped).translate(_EXTRA).casefold()


def slugify_vi(text, max_length=None):
    """A URL slug folded the Vietnamese way (đ → d), at most ``max_length`` characters."""
    slug = slugify(fold(text))
    if max_length and len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text):
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))
