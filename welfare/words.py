"""Amounts of money in Vietnamese words, as written under a total on a signature list.

``vnd_in_words(144_000_000) == "Một trăm bốn mươi bốn triệu đồng"``.

Choices (the usual northern style of accounting documents):

- thousands are "nghìn" (not the southern "ngàn"), 10^9 is "tỷ"; above it the groups repeat:
  10^12 is "nghìn tỷ", 10^15 "triệu tỷ";
- a zero tens digit between hundreds and units is "linh" (not "lẻ"): 105 → "một trăm linh năm";
- after "linh" and after "mươi", 4 is "tư": 104 → "một trăm linh tư", 24 → "hai mươi tư";
  but after "mười" and after "bốn mươi" it stays "bốn": 14 → "mười bốn", 44 → "bốn mươi bốn"
  (so 144.000.000 reads "một trăm bốn mươi bốn triệu", as the union's own reports say it);
- 1 after "mươi" is "mốt" (21 → "hai mươi mốt"), but "một" after "mười" and "linh";
- 5 after "mười" or "mươi" is "lăm" (15 → "mười lăm", 25 → "hai mươi lăm"), "năm" after "linh";
- a group of three digits that is entirely zero is left out (1.000.000 → "một triệu"); a group
  that follows a higher group is read in full, hundreds included: 1.005.000 → "một triệu không
  trăm linh năm nghìn";
- the first letter is a capital and the words end with "đồng"; 0 is "Không đồng".
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
GROUPS = ("", "nghìn", "triệu")  # within one "tỷ"; larger amounts repeat "tỷ"
BILLION = 10**9


def _units_after_tens(tens, units):
    """The units digit as it is said after a tens word ("mười", "mươi" or "linh")."""
    if units == 0:
        return []
    if units == 1:
        return ["mốt" if tens >= 2 else "một"]
    if units == 4:
        return ["bốn" if tens in (1, 4) else "tư"]
    if units == 5:
        return ["lăm" if tens >= 1 else "năm"]
    return [DIGITS[units]]


def _three_digits(number, full):
    """Words for 0 < number < 1000; ``full`` reads the hundreds even when they are zero."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            words += ["linh", *_units_after_tens(0, units)] if words else [DIGITS[units]]
    elif tens == 1:
        words += ["mười", *_units_after_tens(1, units)]
    else:
        words += [DIGITS[tens], "mươi", *_units_after_tens(tens, units)]
    return words


def _below_billion(number, full):
    """Words for 0 < number < 10^9, by groups of three digits."""
    words = []
    groups = [(number // 10**6) % 1000, (number // 1000) % 1000, number % 1000]
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _three_digits(group, full=full or bool(words))
        name = GROUPS[len(GROUPS) - 1 - index]
        if name:
            words.append(name)
    return words


def _words(number, full=False):
    if number >= BILLION:
        high, low = divmod(number, BILLION)
        words = [*_words(high, full), "tỷ"]
        if low:
            words += _below_billion(low, full=True)
        return words
    return _below_billion(number, full)


def number_in_words(number):
    """A whole number ≥ 0 in Vietnamese words, lower case: 21 → "hai mươi mốt"."""
    number = int(number)
    if number < 0:
        raise ValueError("Only amounts of zero or more are read out.")
    if number == 0:
        return DIGITS[0]
    return " ".join(_words(number))


def vnd_in_words(amount):
    """An amount of đồng in words, capitalised: 1_000_000 → "Một triệu đồng"."""
    text = f"{number_in_words(amount)} đồng"
    return text[0].upper() + text[1:]
