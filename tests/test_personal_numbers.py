"""The personal-number detector (exemplars.personal): what it catches, what it leaves alone, how it masks."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from exemplars.personal import IDCARD, MOBILE, find_numbers, mask_numbers, valid_id_number
from exemplars.schema import SLUG_RE

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def with_check_digit(base: str) -> str:
    return base + "10X98765432"[sum(int(d) * w for d, w in zip(base, _WEIGHTS)) % 11]


ID = with_check_digit("33010219850612123")  # 330102198506121231
ID_X = "11010519491231002X"
FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.mark.parametrize(
    "text, code, digits",
    [
        ("电话13857112345。", MOBILE, "13857112345"),
        ("１３８５７１１２３４５", MOBILE, "13857112345"),
        ("1385711２３４５", MOBILE, "13857112345"),  # mixed widths
        ("138 5711 2345", MOBILE, "13857112345"),
        ("138　5711　2345", MOBILE, "13857112345"),  # ideographic spaces
        ("138-5711-2345", MOBILE, "13857112345"),
        ("１３８－５７１１－２３４５", MOBILE, "13857112345"),  # full-width hyphen
        ("138—5711—2345", MOBILE, "13857112345"),  # em dash
        ("138 - 5711 - 2345", MOBILE, "13857112345"),
        ("+86 138 5711 2345", MOBILE, "13857112345"),
        ("＋８６ １３８５７１１２３４５", MOBILE, "13857112345"),
        ("＋８６１３８５７１１２３４５", MOBILE, "13857112345"),
        ("(+86)19912345678", MOBILE, "19912345678"),
        ("case-13857112345", MOBILE, "13857112345"),  # an id: a dash separates, it does not glue
        ("https://example.org/13857112345.html", MOBILE, "13857112345"),
        (f"身份证{ID}，", IDCARD, ID),
        (ID.translate(FULL), IDCARD, ID),
        (f"{ID[:6]} {ID[6:14]} {ID[14:]}", IDCARD, ID),
        (f"{ID[:6]}-{ID[6:14]}-{ID[14:]}", IDCARD, ID),
        (ID_X, IDCARD, ID_X),
        (ID_X.translate(FULL), IDCARD, ID_X),
        ("case-" + ID_X.lower(), IDCARD, ID_X),
    ],
)
def test_catches(text, code, digits):
    found = find_numbers(text)
    assert [(f.code, f.digits) for f in found] == [(code, digits)]
    assert digits not in mask_numbers(text).translate({ord(c): None for c in " -—－　"})


@pytest.mark.parametrize(
    "text",
    [
        "投入资金 13857112345 元",  # an amount
        "共13857112345人",
        "13857112345.5",  # a decimal
        "A13857112345",
        "13857112345B",  # glued to letters: an order or serial number
        "138571123456",  # twelve digits: some other number
        "12857112345",  # no mobile starts 12
        "1990 1991 1992 1993",  # years side by side
        "2019-06-12 至 2020-01-31",
        "项目编号 2019-330523-0012",
        "电话 0571-88886666",  # a landline
        ID[:-1] + ("0" if ID[-1] != "0" else "1"),  # wrong check digit
        with_check_digit("44030420010229001"),  # no 29 February in 2001
        with_check_digit("33010218001231123"),  # born in 1800
        ID + "5",  # nineteen digits
        "",
    ],
)
def test_leaves_alone(text):
    assert find_numbers(text) == []
    assert mask_numbers(text) == text


def test_spans_index_the_original_text_whatever_the_widths():
    text = "甲１３８ ５７１１ ２３４５乙，丙" + ID + "丁"
    found = find_numbers(text)
    assert [text[f.start : f.end] for f in found] == ["１３８ ５７１１ ２３４５", ID]
    assert mask_numbers(text) == "甲138****2345乙，丙330***********1231丁"


def test_ids_are_masked_into_valid_slugs():
    for slug in ("case-13857112345", "case-" + ID_X.lower(), f"a-{ID}-b"):
        masked = mask_numbers(slug, fill="x")
        assert SLUG_RE.match(masked) and not re.search(r"\d{7}", masked), masked


def test_every_valid_date_and_check_digit_is_an_id_number():
    day = dt.date(1950, 1, 1)
    while day.year < 2030:
        number = with_check_digit(f"110105{day:%Y%m%d}001")
        assert valid_id_number(number) and find_numbers(f"号码{number}。")[0].digits == number
        day += dt.timedelta(days=97)


@pytest.mark.parametrize("text", ["𝟏𝟑𝟖𝟓𝟕𝟏𝟏𝟐𝟑𝟒𝟓", "①③⑧⑤⑦①①②③④⑤", "¹³⁸⁵⁷¹¹²³⁴⁵"])
def test_other_digit_forms_nfkc_folds_are_caught(text):
    assert [f.digits for f in find_numbers(text)] == ["13857112345"]
    assert mask_numbers(text) == "138****2345"


def test_a_number_wrapped_onto_the_next_line_is_one_number():
    """Markdown joins a paragraph's lines: the page shows `138 5711 2345`. A blank line between is two paragraphs."""
    assert [f.digits for f in find_numbers("电话 138 5711\n2345。")] == ["13857112345"]
    assert find_numbers("138 5711\n\n2345") == [] and find_numbers("2019\n2020\n2021\n2022") == []
