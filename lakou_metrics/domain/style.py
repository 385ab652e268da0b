"""One colour language and one set of status words for every place a figure is shown: page cards
and badges, tables, charts, the KPI image and the Word briefing all ask this module.

Colours are given twice: as hex for charts and images, and as the name of the nearest colour
Streamlit's badges and Markdown know (red, orange, green, blue, gray).
"""
from __future__ import annotations

from dataclasses import dataclass

from .numbers import is_missing, round_half_up

# -- colours -----------------------------------------------------------------------------------
GREEN, ORANGE, RED, BLUE, GRAY = "#2e7d32", "#ef6c00", "#c62828", "#1565c0", "#757575"
UP, DOWN, FLAT = GREEN, RED, GRAY  # growth: rise, fall, no change (rounds to 0.0%)
THIS_YEAR, LAST_YEAR = "#1f5fa8", "#b9c6d6"
_BADGE = {GREEN: "green", ORANGE: "orange", RED: "red", BLUE: "blue", GRAY: "gray"}


@dataclass(frozen=True)
class Status:
    """How a figure is judged: a code for programs, the words people read, and its colour."""

    code: str
    words: str
    colour: str  # hex

    @property
    def badge(self) -> str:
        """Streamlit's name for the colour (st.badge, :colour[text])."""
        return _BADGE[self.colour]


AHEAD = Status("ahead", "超序时", GREEN)
SLIGHTLY_BEHIND = Status("slightly_behind", "略欠序时", ORANGE)
BEHIND = Status("behind", "落后序时", RED)
GROWTH_MET = Status("growth_met", "达到目标增速", GREEN)
GROWTH_SHORT = Status("growth_short", "低于目标增速", RED)
# At the year's end (a figure for 1-12月) a target is met or missed: no 序时 is left to be behind.
MET = Status("met", "完成全年目标", GREEN)
MISSED = Status("missed", "未完成全年目标", RED)
UNKNOWN = Status("unknown", "—", GRAY)
# A project's plan before its investment schedule starts: nothing is due yet, so nothing is behind.
NOT_STARTED = Status("not_started", "未开工", GRAY)
REACHED = ("ahead", "growth_met", "met")  # the codes of a target on course or reached
STATUSES = {s.code: s for s in (AHEAD, SLIGHTLY_BEHIND, BEHIND, GROWTH_MET, GROWTH_SHORT, MET, MISSED, UNKNOWN,
                                NOT_STARTED)}
SCHEDULE_STATUSES = (AHEAD, SLIGHTLY_BEHIND, BEHIND)  # in the order of a chart's key
YEAR_END_STATUSES = (MET, MISSED)

# Warning levels: 红 > 橙 > 蓝 (config/settings.toml sets the thresholds).
LEVEL_COLOURS = {"红": RED, "橙": ORANGE, "蓝": BLUE}
LEVEL_NAMES = {"红": "红色", "橙": "橙色", "蓝": "蓝色"}


# 亩均效益评价 classes: A 优先发展 … D 倒逼整治; an enterprise not rated (不定) in grey.
EVALUATION_CLASS_COLOURS = {"A": GREEN, "B": BLUE, "C": ORANGE, "D": RED}


def evaluation_class_badge(grade: str | None) -> str:
    """Streamlit's colour name of a class (gray for 不定)."""
    return _BADGE[EVALUATION_CLASS_COLOURS.get(grade, GRAY)]


def level_badge(level: str) -> str:
    return _BADGE[LEVEL_COLOURS[level]]


def schedule_status(gap: float | None, slightly_behind: float = -0.05) -> Status:
    """超序时 when completion − 序时进度 ≥ 0; 略欠序时 when behind by less than
    `slightly_behind` (a negative fraction of points, a setting); else 落后序时; unknown gap → —.
    Judged on the gap as shown (one decimal of a point, rounded half up), so the words never
    contradict the figure beside them ("略欠序时0.0个百分点" cannot happen)."""
    shown = round_half_up(gap, 3)
    if shown is None:
        return UNKNOWN
    if shown >= 0:
        return AHEAD
    return SLIGHTLY_BEHIND if shown > round_half_up(slightly_behind, 3) else BEHIND


def growth_status(on_schedule: bool | None) -> Status:
    """A growth target: reached when the growth so far is at least the target rate."""
    if on_schedule is None:
        return UNKNOWN
    return GROWTH_MET if on_schedule else GROWTH_SHORT


def target_status(kind: str, gap: float | None, year_end: bool, slightly_behind: float = -0.05) -> Status:
    """The verdict on an annual target. `gap` is completion − 序时进度 for an amount target, the
    growth so far − the target rate for a growth target (fractions). With the whole year's figure
    (`year_end`) the target is met (gap ≥ 0) or missed; before, an amount target is judged against
    序时进度 (schedule_status) and a growth target against its rate. A growth or a year's verdict
    is the one its figures show: a gap that shows as 0.0 points reaches the target (a growth shown
    as 33.0% against a target of 33.0%). Unknown gap → —."""
    if is_missing(gap):
        return UNKNOWN
    reached = direction(gap) != "down"
    if year_end:
        return MET if reached else MISSED
    if kind == "growth":
        return GROWTH_MET if reached else GROWTH_SHORT
    return schedule_status(gap, slightly_behind)


def direction(rate: float | None) -> str | None:
    """"up", "down" or "flat" (rounds to 0.0%) as a reader sees a rate shown with one decimal;
    None when there is no rate."""
    shown = round_half_up(rate, 3)
    if shown is None:
        return None
    return "up" if shown > 0 else "down" if shown < 0 else "flat"


def direction_colour(rate: float | None) -> str:
    return {"up": UP, "down": DOWN, "flat": FLAT, None: GRAY}[direction(rate)]
