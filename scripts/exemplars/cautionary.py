"""The tests behind the rules a cautionary case (反面典型) obeys so that it warns without exposing anyone: its region
goes no lower than the city level, and its title and summary name people as 某某. check.py (`_cautionary_rules`)
reports them, as a warning for drafts and an error once a case is sent for review.

Region level by the region path: the four municipalities, and the two special administrative regions (which have
no cities below them), are a city already, so only their first level is allowed (`北京市`, not `北京市/朝阳区`);
everywhere else the city is the second level (`浙江省/杭州市`), including county-level cities and forest areas
directly under a province (`湖北省/仙桃市`, `湖北省/神农架林区`), which are at the city level of their province's
tree. 台湾省 is treated as a province: `台湾省/台北市`.
"""

from __future__ import annotations

import re

CITY_AT_FIRST_LEVEL = frozenset({"北京市", "天津市", "上海市", "重庆市", "香港特别行政区", "澳门特别行政区"})


def city_level(region: tuple[str, ...]) -> int:
    """How many levels of `region` reach the city level: 1 for a municipality, 2 elsewhere."""
    return 1 if region and region[0] in CITY_AT_FIRST_LEVEL else 2


def below_city(region: tuple[str, ...]) -> bool:
    return len(region) > city_level(region)


def cut_to_city(region: tuple[str, ...]) -> str:
    return "/".join(region[: city_level(region)])


# --- full personal names --------------------------------------------------------------------------------------
# A cautionary report names an official by role, then name: 副镇长孙某某, 窗口工作人员刘某某. A real name stands
# where 某某 should: a role word, then a common surname and a one- or two-character given name that is not 某 / X.
# Only this shape is flagged: a bare name-like pair anywhere in the text would match ordinary words (高度, 张贴,
# 方案), while a role word right before a surname is almost always a name. Surnames that are also common function
# or leading characters (和, 于, 向, 万, 时, 从, 安, 全, 明; 任 as in 任用, 曾 as in 曾多次 …) are left out, and the
# ordinary words that can still follow a role word (镇长高度重视) are excluded by name.
_ROLES = (
    "副书记",
    "书记",
    "副主任",
    "主任",
    "副村长",
    "村长",
    "副镇长",
    "镇长",
    "副乡长",
    "乡长",
    "副县长",
    "县长",
    "副区长",
    "区长",
    "副市长",
    "市长",
    "副局长",
    "局长",
    "处长",
    "科长",
    "副所长",
    "所长",
    "站长",
    "院长",
    "校长",
    "组长",
    "队长",
    "会计",
    "出纳",
    "主席",
    "经理",
    "厂长",
    "社长",
    "部长",
    "干部",
    "医生",
    "民警",
    "工作人员",
    "网格员",
    "文书",
    "委员",
    "负责人",
    "村医",
    "护士",
    "教师",
    "老师",
    "支书",
    "股长",
    "科员",
    "主管",
    "专员",
    "辅警",
    "协管员",
    "网格长",
    "馆长",
    "行长",
    "董事长",
    "秘书",
    "助理",
    "法官",
    "检察官",
    "警官",
)
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭林罗郑梁谢宋唐许韩冯邓曹彭肖董袁潘蒋蔡余杜叶苏魏吕丁沈姚卢姜"
    "崔钟谭陆汪范贾夏韦付邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾郝龚邵钱严覃戴莫孔汤高方程"
)
_ANONYMOUS = "某XxＸｘ×*＊〇○"
_NAME = re.compile(
    "(?:" + "|".join(sorted(_ROLES, key=len, reverse=True)) + ")" + f"([{_SURNAMES}])([\u4e00-\u9fff]{{1,2}})"
)
_WORDS = frozenset(
    {
        "丁点",
        "严格",
        "严肃",
        "严重",
        "付出",
        "付款",
        "余额",
        "侯车",
        "冯河",
        "刘海",
        "卢沟",
        "史上",
        "叶子",
        "吕梁",
        "吴语",
        "周全",
        "周到",
        "周围",
        "周密",
        "周末",
        "周边",
        "唐朝",
        "夏天",
        "夏季",
        "姚明",
        "姜汤",
        "孔洞",
        "孙子",
        "孟子",
        "宋体",
        "尹家",
        "崔巍",
        "张口",
        "张开",
        "张挂",
        "张榜",
        "张罗",
        "张贴",
        "彭湃",
        "徐徐",
        "戴帽",
        "方便",
        "方向",
        "方式",
        "方案",
        "方法",
        "方面",
        "曹操",
        "曾经",
        "朱红",
        "李子",
        "杜绝",
        "杨树",
        "林业",
        "林地",
        "梁上",
        "段时",
        "汤水",
        "汪洋",
        "沈阳",
        "潘家",
        "熊猫",
        "王牌",
        "秦家",
        "秦岭",
        "程序",
        "程度",
        "罗列",
        "肖像",
        "胡乱",
        "胡说",
        "苏醒",
        "范围",
        "莫名",
        "莫大",
        "董事",
        "蒋管",
        "蔡家",
        "薛定",
        "袁大",
        "覃塘",
        "许可",
        "许多",
        "许诺",
        "谢绝",
        "谢谢",
        "谭腿",
        "贺信",
        "贺电",
        "贾家",
        "赵州",
        "邓州",
        "邱家",
        "邵阳",
        "邹平",
        "郑重",
        "郝家",
        "郭外",
        "钟头",
        "钱款",
        "钱财",
        "闫家",
        "陆续",
        "陈列",
        "陈旧",
        "陈述",
        "陶瓷",
        "雷厉",
        "雷同",
        "韦氏",
        "韩国",
        "顾及",
        "顾虑",
        "马上",
        "马虎",
        "高兴",
        "高层",
        "高度",
        "高效",
        "高速",
        "魏晋",
        "黄色",
        "黄金",
        "黎明",
        "龚滩",
    }
)


def full_names(text: str) -> list[str]:
    """The real-looking personal names (surname + given name) written after a role word in `text`."""
    names = []
    for match in _NAME.finditer(text):
        surname, given = match.groups()
        if given[0] in _ANONYMOUS or text[match.end() : match.end() + 1] in _ANONYMOUS:
            continue
        if (surname + given[:1]) in _WORDS or (surname + given) in _WORDS:
            continue
        names.append(surname + given)
    return names
