"""China's 34 provincial-level divisions: the only valid first level of a story's `region`.

Each entry: full official name, folder slug (used by `exemplars new` for `stories/<slug>/`), and the short
forms editors commonly type, so the checker can say "did you mean".
"""

from __future__ import annotations

import re

# (full name, folder slug, short forms)
PROVINCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("北京市", "beijing", ("北京", "京")),
    ("天津市", "tianjin", ("天津", "津")),
    ("上海市", "shanghai", ("上海", "沪")),
    ("重庆市", "chongqing", ("重庆", "渝")),
    ("河北省", "hebei", ("河北", "冀")),
    ("山西省", "shanxi", ("山西", "晋")),
    ("辽宁省", "liaoning", ("辽宁", "辽")),
    ("吉林省", "jilin", ("吉林", "吉")),
    ("黑龙江省", "heilongjiang", ("黑龙江", "黑")),
    ("江苏省", "jiangsu", ("江苏", "苏")),
    ("浙江省", "zhejiang", ("浙江", "浙")),
    ("安徽省", "anhui", ("安徽", "皖")),
    ("福建省", "fujian", ("福建", "闽")),
    ("江西省", "jiangxi", ("江西", "赣")),
    ("山东省", "shandong", ("山东", "鲁")),
    ("河南省", "henan", ("河南", "豫")),
    ("湖北省", "hubei", ("湖北", "鄂")),
    ("湖南省", "hunan", ("湖南", "湘")),
    ("广东省", "guangdong", ("广东", "粤")),
    ("海南省", "hainan", ("海南", "琼")),
    ("四川省", "sichuan", ("四川", "川", "蜀")),
    ("贵州省", "guizhou", ("贵州", "黔", "贵")),
    ("云南省", "yunnan", ("云南", "滇", "云")),
    ("陕西省", "shaanxi", ("陕西", "陕", "秦")),
    ("甘肃省", "gansu", ("甘肃", "甘", "陇")),
    ("青海省", "qinghai", ("青海", "青")),
    ("台湾省", "taiwan", ("台湾", "台")),
    ("内蒙古自治区", "neimenggu", ("内蒙古", "内蒙", "蒙")),
    ("广西壮族自治区", "guangxi", ("广西", "桂", "广西自治区")),
    ("西藏自治区", "xizang", ("西藏", "藏")),
    ("宁夏回族自治区", "ningxia", ("宁夏", "宁", "宁夏自治区")),
    ("新疆维吾尔自治区", "xinjiang", ("新疆", "新", "新疆自治区")),
    ("香港特别行政区", "xianggang", ("香港", "港", "香港特区")),
    ("澳门特别行政区", "aomen", ("澳门", "澳", "澳门特区")),
)

PROVINCE_NAMES: frozenset[str] = frozenset(name for name, _, _ in PROVINCES)
PROVINCE_SLUGS: dict[str, str] = {name: slug for name, slug, _ in PROVINCES}
_SHORT_TO_FULL: dict[str, str] = {short: name for name, _, shorts in PROVINCES for short in shorts}
_SHORT_TO_FULL.update({slug: name for name, slug, _ in PROVINCES})

# Suffixes that editors drop or add when they spell the same place two ways (湖州 / 湖州市).
# Longest first so that 自治县 is stripped before 县.
_PLACE_SUFFIXES = (
    "特别行政区",
    "自治州",
    "自治县",
    "自治旗",
    "自治区",
    "地区",
    "林区",
    "新区",
    "街道",
    "省",
    "市",
    "县",
    "区",
    "州",
    "盟",
    "旗",
    "镇",
    "乡",
    "村",
)


def suggest_province(text: str) -> str | None:
    """The full provincial name an editor most likely meant by `text`, or None."""
    text = text.strip()
    if text in PROVINCE_NAMES:
        return text
    if text in _SHORT_TO_FULL:
        return _SHORT_TO_FULL[text]
    for name in PROVINCES:
        full = name[0]
        if text and (full.startswith(text) or text.startswith(full[:2])):
            return full
    return None


def place_key(name: str) -> str:
    """A spelling-insensitive key for one level of a region: 湖州市 and 湖州 share the key 湖州."""
    name = re.sub(r"\s+", "", name)
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name
