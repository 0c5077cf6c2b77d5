"""Major families (专业类) so a position accepting a family admits each of its majors.

A small table after the 普通高等学校本科专业目录 and the 高职专科 catalogue, enough for the fields the
platform recruits in; callers may pass their own table to MatchIndex.build. A major not listed is its own
family of one: majors are open-ended text, so an unknown one is never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

# One family per line: family name, then its majors separated by spaces.
_TABLE = """
计算机类 计算机科学与技术 软件工程 网络工程 信息安全 物联网工程 数据科学与大数据技术 人工智能 计算机应用技术 软件技术
电子信息类 电子信息工程 电子科学与技术 通信工程 微电子科学与工程 集成电路设计与集成系统 光电信息科学与工程 电子信息工程技术 集成电路技术
自动化类 自动化 机器人工程 智能装备与系统 工业机器人技术 电气自动化技术
电气类 电气工程及其自动化 智能电网信息工程 新能源科学与工程
机械类 机械设计制造及其自动化 机械电子工程 材料成型及控制工程 车辆工程 智能制造工程 工业设计 数控技术 机电一体化技术 焊接技术与自动化
临床医学类 临床医学 麻醉学 医学影像学 儿科学 精神医学 眼视光医学
护理学类 护理学 护理 助产学 助产
药学类 药学 临床药学 药物制剂 药物分析
中医学类 中医学 针灸推拿学 中西医临床医学 中药学
公共卫生与预防医学类 预防医学 公共卫生 卫生检验与检疫 食品卫生与营养学
医学技术类 医学检验技术 医学影像技术 康复治疗学 康复治疗技术
生物工程类 生物工程 生物制药 生物技术 生物科学 合成生物学
化工与制药类 化学工程与工艺 制药工程 应用化学
食品科学与工程类 食品科学与工程 食品质量与安全 酿酒工程 烹饪与营养教育 食品营养与健康 食品生物技术 烹饪工艺与营养
植物生产类 农学 园艺 植物保护 茶学 种子科学与工程 设施农业科学与工程 智慧农业
动物生产类 动物科学 动物医学 水产养殖学 畜牧兽医
农业工程类 农业机械化及其自动化 农业电气化 农业水利工程
旅游管理类 旅游管理 酒店管理 会展经济与管理 文化产业管理
教育学类 教育学 学前教育 小学教育 教育技术学 特殊教育 体育教育
师范学科类 汉语言文学 数学与应用数学 英语 物理学 化学 思想政治教育
设计学类 视觉传达设计 环境设计 数字媒体艺术 产品设计
工商管理类 工商管理 市场营销 会计学 财务管理 人力资源管理 物流管理
"""
MAJOR_FAMILIES: dict[str, tuple[str, ...]] = {
    line.split()[0]: tuple(line.split()[1:]) for line in _TABLE.strip().splitlines()
}


def normalise_major(name: str) -> str:
    """Majors compare after trimming and dropping a trailing 专业 (计算机科学与技术专业 = 计算机科学与技术)."""
    name = (name or "").strip().replace(" ", "")
    return name[:-2] if name.endswith("专业") and len(name) > 2 else name


def family_lookup(families: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """major → family; each family name maps to itself. The first family listing a major wins."""
    lookup: dict[str, str] = {}
    for family, majors in families.items():
        lookup.setdefault(normalise_major(family), normalise_major(family))
        for major in majors:
            lookup.setdefault(normalise_major(major), normalise_major(family))
    return lookup
