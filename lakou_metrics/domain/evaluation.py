"""亩均效益评价 as data: the indicators, the groups rated apart, the weights, the cap, the class shares
and a county's fixed bases. The defaults are the issue's (a typical Zhejiang county notice); every part
is a setting ([evaluation] in the settings file), as counties differ."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Groups rated separately (labels.EVALUATION_GROUPS names them).
ABOVE_SCALE = "above"  # 规上
BELOW_SCALE = "below"  # 规下
GROUPS = (ABOVE_SCALE, BELOW_SCALE)

# Classes, best first; an enterprise that is not rated has no class (labels.EVALUATION_UNRATED).
CLASSES = ("A", "B", "C", "D")

# Figures of the evaluation data: column of the input frame (units in the name).
FIGURES = ("land_mu", "tax_10k", "value_added_10k", "energy_tce", "emission_t", "staff", "rd_10k",
           "revenue_10k", "power_10k_kwh")


@dataclass(frozen=True)
class EvaluationIndicator:
    """An indicator = numerator / denominator, both columns of FIGURES (labels.EVALUATION_INDICATORS
    names it and its unit)."""

    code: str
    numerator: str
    denominator: str


EVALUATION_INDICATORS: tuple[EvaluationIndicator, ...] = (
    EvaluationIndicator("tax_per_mu", "tax_10k", "land_mu"),  # 亩均税收
    EvaluationIndicator("value_added_per_mu", "value_added_10k", "land_mu"),  # 亩均增加值
    EvaluationIndicator("value_added_per_energy", "value_added_10k", "energy_tce"),  # 单位能耗增加值
    EvaluationIndicator("value_added_per_emission", "value_added_10k", "emission_t"),  # 单位排放增加值
    EvaluationIndicator("labour_productivity", "value_added_10k", "staff"),  # 全员劳动生产率
    EvaluationIndicator("rd_share", "rd_10k", "revenue_10k"),  # 研发经费占比
    EvaluationIndicator("tax_per_power", "tax_10k", "power_10k_kwh"),  # 单位电耗税收
)
EVALUATION_INDICATOR_BY_CODE = {i.code: i for i in EVALUATION_INDICATORS}

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    ABOVE_SCALE: {"tax_per_mu": 30.0, "value_added_per_mu": 20.0, "value_added_per_energy": 20.0,
                  "value_added_per_emission": 10.0, "labour_productivity": 10.0, "rd_share": 10.0},
    BELOW_SCALE: {"tax_per_mu": 50.0, "tax_per_power": 50.0},
}
DEFAULT_CAP = 3.0
# Cumulative shares of a group's rated enterprises: A while rank ≤ n×0.20, B ≤ n×0.70, C ≤ n×0.95
# (each rounded half up to a whole number), D after.
DEFAULT_CLASS_SHARES = (0.20, 0.70, 0.95)


@dataclass(frozen=True)
class EvaluationSettings:
    """[evaluation] of the settings file. `weights`: group → indicator code → weight, in the order
    the scorecard lists them (an indicator a group does not list is not scored for it). `cap`: an
    item scores at most weight × cap. `class_shares`: cumulative shares of A, B, C. `fixed_bases`:
    group → indicator code → a base from the county's notice, in place of the group's average."""

    weights: dict[str, dict[str, float]] = field(default_factory=lambda: {
        group: dict(weights) for group, weights in DEFAULT_WEIGHTS.items()})
    cap: float = DEFAULT_CAP
    class_shares: tuple[float, float, float] = DEFAULT_CLASS_SHARES
    fixed_bases: dict[str, dict[str, float]] = field(default_factory=dict)

    def indicators(self, group: str) -> tuple[EvaluationIndicator, ...]:
        """The indicators scored in `group`, in the order of its weights."""
        return tuple(EVALUATION_INDICATOR_BY_CODE[code] for code in self.weights.get(group, {}))

    def fixed_base(self, group: str, code: str) -> float | None:
        return self.fixed_bases.get(group, {}).get(code)


def is_first_production_year(start: dt.date | None, year: int) -> bool:
    """Whether an enterprise that started production on `start` (its 投产日期, or the first day of the
    month of its first output report) is in its first year of production in evaluation year `year`,
    so not rated: it started in `year` after January (a January start produced the whole year), or
    later. False when `start` is unknown."""
    if start is None:
        return False
    return (start.year, start.month) > (year, 1)
