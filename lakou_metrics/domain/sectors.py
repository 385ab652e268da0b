"""The town's six sectors as one table: code, the name people read, the chart colour, and the
labels files give them (short names and GB/T 4754 class names). Order is display order."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sector:
    code: str
    name: str  # as leaders say it: 五金
    colour: str  # one colour per sector on every chart
    aliases: tuple[str, ...]  # other labels files use, matched after normalising


SECTORS: tuple[Sector, ...] = (
    Sector("hardware", "五金", "#4e79a7", ("五金制品", "机械五金", "金属制品业", "金属制品", "hardware")),
    Sector("metals", "金属加工", "#9c755f", ("金属冶炼", "有色金属冶炼和压延加工业", "黑色金属冶炼和压延加工业",
                                          "有色金属", "黑色金属", "铝业", "metals")),
    Sector("agriculture", "农产品加工", "#59a14f", ("农业", "农业产品", "农副食品加工业", "食品制造业", "农副食品",
                                                 "食品", "agriculture")),
    Sector("photovoltaic", "光伏", "#f28e2b", ("新能源", "光伏设备及元器件制造", "电气机械和器材制造业", "光伏电池",
                                             "photovoltaic")),
    Sector("building_materials", "建材", "#b07aa1", ("新型墙材", "新型建材", "墙材", "非金属矿物制品业",
                                                   "非金属矿物制品", "building_materials")),
    Sector("other", "其他", "#8c8c8c", ("其它", "other")),
)
SECTOR_ORDER = tuple(s.code for s in SECTORS)
SECTOR_NAMES = {s.code: s.name for s in SECTORS}
SECTOR_COLORS = {s.code: s.colour for s in SECTORS}
SECTOR_ALIASES = {s.code: (s.name, *s.aliases) for s in SECTORS}
