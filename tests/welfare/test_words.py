"""Totals in Vietnamese words, as written under a signature list."""

import pytest

from welfare.words import number_in_words, vnd_in_words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (14, "Mười bốn đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (25, "Hai mươi lăm đồng"),
        (44, "Bốn mươi bốn đồng"),
        (101, "Một trăm linh một đồng"),
        (104, "Một trăm linh tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (1_000, "Một nghìn đồng"),
        (2_021, "Hai nghìn không trăm hai mươi mốt đồng"),
        (1_000_000, "Một triệu đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (2_000_000, "Hai triệu đồng"),
        (38_000_000, "Ba mươi tám triệu đồng"),
        (50_000_000, "Năm mươi triệu đồng"),
        (144_000_000, "Một trăm bốn mươi bốn triệu đồng"),
        (2_100_000_000, "Hai tỷ một trăm triệu đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_in_words(amount, words):
    assert vnd_in_words(amount) == words


def test_every_amount_up_to_two_thousand_reads_cleanly():
    for amount in range(2001):
        text = vnd_in_words(amount)
        assert text and text[0].isupper() and text.endswith(" đồng"), amount
        assert "  " not in text and text == text.strip(), amount
        assert "không" not in number_in_words(amount) or amount == 0 or amount >= 1000, amount


def test_large_amounts_read_every_group():
    for amount in (999_999_999, 10_000_000_000, 123_456_789_012):
        text = vnd_in_words(amount)
        assert "  " not in text and text.endswith(" đồng")
    assert vnd_in_words(123_456_789) == (
        "Một trăm hai mươi ba triệu bốn trăm năm mươi sáu nghìn bảy trăm tám mươi chín đồng"
    )


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        vnd_in_words(-1)
