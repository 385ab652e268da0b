"""亩均效益评价 as people read it: the class counts, each group's ranking with every indicator and
item score, the enterprises not rated and why, an enterprise's scorecard against the bases, and the
bases. Chinese headers, figures rounded half up as published (indicator values, bases and scores to
0.01, ratios to 0.001); the page, the Excel export and the CLI all show these tables."""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from ..compute.evaluation import UNRATED, Evaluation, count_grades
from ..domain import labels
from ..domain.evaluation import CLASSES, EVALUATION_INDICATOR_BY_CODE, GROUPS
from ..domain.numbers import format_amount, format_number, is_missing, round_half_up_array

VALUE_PLACES = 2  # indicator values and bases, as county notices publish them
RATIO_PLACES = 3
SCORE_PLACES = 2
PERCENT = "%"  # the unit of an indicator shown in percent (研发经费占比)


def indicator_name(code: str) -> str:
    return labels.EVALUATION_INDICATORS[code][0]


def indicator_unit(code: str) -> str:
    return labels.EVALUATION_INDICATORS[code][1]


def indicator_heading(code: str) -> str:
    """亩均税收（万元/亩）: an indicator's column header with its unit."""
    return f"{indicator_name(code)}（{indicator_unit(code)}）"


def score_heading(code: str) -> str:
    return f"{indicator_name(code)}得分"


def indicator_numbers(code: str, values) -> np.ndarray:
    """Indicator values (or bases) as shown: a share in percent (0.0233 → 2.33), each rounded half
    up to two decimals; NaN where missing."""
    return _indicator_column([code] * len(values), values)


def _indicator_column(codes, values) -> np.ndarray:
    """indicator_numbers of a column whose rows are of different indicators (`codes`), rounded in
    one call: rounding number by number costs thousands of times more on a county's items."""
    values = pd.to_numeric(pd.Series(values, dtype=float), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    percent = np.array([indicator_unit(c) == PERCENT for c in codes], dtype=bool)
    return round_half_up_array(np.where(percent, values * 100, values), VALUE_PLACES)


def format_indicator(code: str, value) -> str:
    """An indicator's value with its unit: 10.00万元/亩, 2.33%; missing → —."""
    shown = indicator_numbers(code, [value])[0]
    return "—" if np.isnan(shown) else f"{format_number(shown, VALUE_PLACES)}{indicator_unit(code)}"


def figure_parts(column: str) -> tuple[str, str]:
    """A figure's name and unit from its header: 用地面积（亩） → (用地面积, 亩)."""
    name, _, unit = labels.EVALUATION_FIGURES[column].partition("（")
    return name, unit.rstrip("）")


def format_figure(column: str, value) -> str:
    """A figure as a scorecard states it: 税收实际贡献 100.0万元, 用地面积 10.0亩; a measured figure with
    hundredths keeps them (排放当量 0.46吨, not 0.5吨, so 623.5 ÷ 0.46 = 1355.43 can be checked by hand);
    未填 when missing."""
    return _figure_texts([column], [value])[0]


def _figure_texts(columns, values) -> list[str]:
    """format_figure of each (column, value), the roundings done once for the whole column."""
    values = pd.to_numeric(pd.Series(list(values), dtype=float), errors="coerce")
    hundredths, tenths = round_half_up_array(values, 2), round_half_up_array(values, 1)
    texts = []
    for column, value, h, t in zip(columns, values, hundredths, tenths):
        name, unit = figure_parts(column)
        texts.append(f"{name} 未填" if is_missing(value) else
                     f"{name} {format_number(value, 2)}{unit}" if unit != "万元" and h != t else
                     f"{name} {format_amount(value, unit)}")
    return texts


def grade_words(grade) -> str:
    """A, B, C, D, or 不定 for an enterprise not rated."""
    return labels.EVALUATION_UNRATED if is_missing(grade) else str(grade)


def _scores(values) -> np.ndarray:
    return round_half_up_array(values, SCORE_PLACES)


def assumed_groups(enterprises: pd.DataFrame) -> np.ndarray:
    """Whether each enterprise's group is assumed (no 是否规上 in its sheet or the register: rated as
    规下); False throughout for a frame that does not say (evaluate_enterprises of a plain frame)."""
    if "above_scale_assumed" not in enterprises:
        return np.zeros(len(enterprises), dtype=bool)
    return enterprises["above_scale_assumed"].fillna(False).to_numpy(dtype=bool)


def group_words(group: str, assumed: bool) -> str:
    """规上企业, 规下企业, or 规下企业（是否规上未填…，按规下评价） when the group is assumed."""
    name = labels.EVALUATION_GROUP_NAMES[group]
    return f"{name}（{labels.EVALUATION_GROUP_ASSUMED}）" if assumed else name


def _words(values, names: dict) -> list:
    return [None if is_missing(v) else names.get(v, v) for v in values]


def counts_table(evaluation: Evaluation) -> pd.DataFrame:
    """组别 and how many enterprises of each class (A类 … D类, 不定, 合计), 规上 then 规下."""
    counts = count_grades(evaluation)
    table = pd.DataFrame({"组别": [labels.EVALUATION_GROUP_NAMES[g] for g in counts.index]})
    for grade in CLASSES:
        table[f"{grade}类"] = counts[grade].to_numpy()
    table[labels.EVALUATION_UNRATED] = counts[UNRATED].to_numpy()
    table["合计"] = counts["total"].to_numpy()
    return table


def ranking_table(evaluation: Evaluation, group: str) -> pd.DataFrame:
    """The rated enterprises of `group`, best first: 排名, 企业名称, 类别, 得分, 较上年 (升档/降档/持平/
    新评), 上年类别, then each indicator of the group (its value and its item score), and 说明 (a
    group assumed for want of 是否规上, the items that took the group's average, and why)."""
    table = evaluation.enterprises
    rated = table[(table["group"] == group) & table["rated"]].sort_values(["rank", "name"], kind="stable")
    frame = pd.DataFrame({
        "排名": rated["rank"].to_numpy(), "企业名称": rated["name"].to_numpy(),
        "类别": rated["grade"].to_numpy(), "得分": _scores(rated["score"]),
        "较上年": _words(rated["change"], labels.EVALUATION_CHANGES),
        "上年类别": _words(rated["last_grade"], {}),
    })
    items = evaluation.items.set_index(["row", "indicator"])
    rows = rated["row"].to_numpy()
    for indicator in evaluation.settings.indicators(group):
        found = items.reindex(pd.MultiIndex.from_arrays([rows, [indicator.code] * len(rows)]))
        frame[indicator_heading(indicator.code)] = indicator_numbers(indicator.code, found["value"])
        frame[score_heading(indicator.code)] = _scores(found["score"])
    notes = evaluation.items[evaluation.items["note"].notna()]
    said = {row: "；".join(f"{indicator_name(i)}：{n}" for i, n in zip(part["indicator"], part["note"]))
            for row, part in notes.groupby("row")}
    frame["说明"] = ["；".join(n for n in (labels.EVALUATION_GROUP_ASSUMED if assumed else None, said.get(r)) if n)
                   or None for r, assumed in zip(rows, assumed_groups(rated))]
    return frame


def unrated_table(evaluation: Evaluation) -> pd.DataFrame:
    """The enterprises not rated (class 不定): 企业名称, 组别, 原因, 备注 (the sheet's)."""
    table = evaluation.enterprises
    out = table[~table["rated"]]
    return pd.DataFrame({
        "企业名称": out["name"].to_numpy(),
        "组别": [group_words(g, a) for g, a in zip(out["group"], assumed_groups(out))],
        "类别": labels.EVALUATION_UNRATED,
        "原因": _words(out["unrated_reason"], labels.EVALUATION_UNRATED_REASONS),
        "备注": out["note"].to_numpy() if "note" in out else None,
    })


def scorecard_table(evaluation: Evaluation, row: int) -> pd.DataFrame:
    """One enterprise's items (`row` of Evaluation.enterprises): 指标, 单位, 指标值, 基准值, 比值
    (value ÷ base, capped), 权重, 得分, 基准 (县定, or 本组平均 over how many enterprises), 分子 and
    分母 (its figures), 说明 (an item that took the group's average, or was capped)."""
    return _scorecard(evaluation, evaluation.items[evaluation.items["row"] == row])


# The value against its base and the score first; the figures it comes from after.
_SCORECARD_COLUMNS = ["指标", "单位", "指标值", "基准值", "比值", "权重", "得分", "基准", "分子", "分母", "说明"]


def _scorecard(evaluation: Evaluation, items: pd.DataFrame) -> pd.DataFrame:
    """scorecard_table of `items` (one enterprise's, or many one after another), every number
    column rounded in one call."""
    bases = evaluation.bases.set_index(["group", "indicator"])
    source = {key: (labels.EVALUATION_BASE_FIXED if b["fixed"] else
                    f"{labels.EVALUATION_BASE_AVERAGE}（{int(b['counted'])}家）") for key, b in bases.iterrows()}
    codes = items["indicator"].tolist()
    indicators = [EVALUATION_INDICATOR_BY_CODE[c] for c in codes]
    cap = evaluation.settings.cap
    if not codes:
        return pd.DataFrame([], columns=_SCORECARD_COLUMNS)
    return pd.DataFrame({
        "指标": [indicator_name(c) for c in codes], "单位": [indicator_unit(c) for c in codes],
        "指标值": list(_indicator_column(codes, items["value"])),
        "基准值": list(_indicator_column(codes, items["base"])),
        "比值": list(round_half_up_array(items["ratio"], RATIO_PLACES)),
        "权重": [float(w) for w in items["weight"]], "得分": list(_scores(items["score"])),
        "基准": [source[(g, c)] for g, c in zip(items["group"], codes)],
        "分子": _figure_texts([i.numerator for i in indicators], items["numerator"]),
        "分母": _figure_texts([i.denominator for i in indicators], items["denominator"]),
        "说明": [note if not is_missing(note) else None if is_missing(score) else _capped_note(value, base, cap)
               for note, score, value, base in zip(items["note"], items["score"], items["value"], items["base"])],
    }, columns=_SCORECARD_COLUMNS)


def _capped_note(value, base, cap: float) -> str | None:
    """What a scorecard says of an item whose value is past `cap` times its base."""
    if is_missing(value) or is_missing(base) or not base > 0 or not value / base > cap:
        return None
    return labels.EVALUATION_ITEM_CAPPED.format(ratio=format_number(value / base, 2), cap=f"{cap:g}")


def scorecards_table(evaluation: Evaluation) -> pd.DataFrame:
    """Every rated enterprise's scorecard, one under another (企业名称 and 组别 first), by group and
    rank."""
    table = evaluation.enterprises
    rated = table[table["rated"]].assign(_group=lambda t: t["group"].map(GROUPS.index))
    order = rated.sort_values(["_group", "rank", "name"], kind="stable")
    if order.empty:
        return pd.DataFrame(columns=["企业名称", "组别", *_SCORECARD_COLUMNS])
    # One frame of every card's items in the cards' order, rounded together: card by card, a
    # county of 20,000 enterprises took minutes.
    position = pd.Series(np.arange(len(order)), index=order["row"].to_numpy())
    items = evaluation.items[evaluation.items["row"].isin(position.index)]
    items = items.assign(_card=position.reindex(items["row"]).to_numpy()).sort_values("_card", kind="stable")
    cards = _scorecard(evaluation, items)
    cards.insert(0, "组别", [labels.EVALUATION_GROUP_NAMES[g] for g in items["group"]])
    cards.insert(0, "企业名称", items["name"].tolist())
    return cards


def bases_table(evaluation: Evaluation) -> pd.DataFrame:
    """Each group's indicators: 权重, 基准值 (in the indicator's unit), 基准 (县定 or 本组平均), the
    enterprises and sums the average is over, and the group's average item score (given to an item
    an enterprise's figures cannot score)."""
    b = evaluation.bases
    return pd.DataFrame({
        "组别": [labels.EVALUATION_GROUP_NAMES[g] for g in b["group"]],
        "指标": [indicator_name(c) for c in b["indicator"]],
        "单位": [indicator_unit(c) for c in b["indicator"]],
        "权重": b["weight"].to_numpy(),
        "基准值": [indicator_numbers(c, [v])[0] for c, v in zip(b["indicator"], b["base"])],
        "基准": [labels.EVALUATION_BASE_FIXED if f else labels.EVALUATION_BASE_AVERAGE for f in b["fixed"]],
        "参与计算企业（家）": b["counted"].to_numpy(),
        "本组平均得分": _scores(b["average_score"]),
    })


def describe_method(settings) -> list[str]:
    """The method in sentences, from the settings in force (a county's own weights, cap, shares and
    fixed bases): what each group is scored on, how an item is scored, how classes are drawn."""
    lines = []
    for group in GROUPS:
        weights = settings.weights.get(group, {})
        parts = "、".join(f"{indicator_name(c)}（{w:g}分）" for c, w in weights.items())
        fixed = settings.fixed_bases.get(group, {})
        said = ("；县定基准值：" + "、".join(f"{indicator_name(c)} {format_indicator(c, v)}"
                                         for c, v in fixed.items())) if fixed else ""
        lines.append(f"{labels.EVALUATION_GROUP_NAMES[group]}：{parts}{said}。")
    a, b, c = (f"{share * 100:g}%" for share in settings.class_shares)
    lines.append(f"单项得分 = 权重 × min(指标值 ÷ 基准值, {settings.cap:g})，基准值为本组参评企业的合计之比"
                 f"（如税收合计 ÷ 用地合计），县定的除外；缺少数据或分母为0的单项按本组该项平均得分计。"
                 f"总分为各项之和，组内按总分排名：前{a}为A类，至{b}为B类，至{c}为C类，其余为D类"
                 "（家数 × 比例四舍五入取整，同分同档）。没有用地面积或当年新投产的企业不参评（不定）。")
    return lines


def _cell(value, places: int) -> str:
    if is_missing(value):
        return "—"
    if isinstance(value, float):
        return format_number(value, places)
    return str(value)


def _display_width(text: str) -> int:
    """Columns a terminal gives `text`: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_text_table(frame: pd.DataFrame, places: dict[str, int] | None = None) -> str:
    """A frame as a plain text table for a terminal: columns two spaces apart, padded by display
    width (a Chinese character is two columns wide), numbers right-aligned with `places` decimals
    by header (two by default), missing as —."""
    places = places or {}
    cells = [[_cell(v, places.get(c, SCORE_PLACES)) for v in frame[c]] for c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    widths = [max([_display_width(str(c))] + [_display_width(v) for v in column])
              for c, column in zip(frame.columns, cells)]

    def line(values) -> str:
        padded = [" " * (w - _display_width(v)) + v if right else v + " " * (w - _display_width(v))
                  for v, w, right in zip(values, widths, numeric)]
        return "  ".join(padded).rstrip()

    return "\n".join([line([str(c) for c in frame.columns])] + [line(row) for row in zip(*cells)])


def describe_evaluation_table(evaluation: Evaluation, town: str) -> str:
    """The year's evaluation as the CLI prints it: per group, every rated enterprise with its class,
    score, change and each indicator's value and item score; then the enterprises not rated (不定)
    with why."""
    counts = count_grades(evaluation)
    parts = [f"{town}{evaluation.year}年度亩均效益评价"]
    for group in GROUPS:
        total, unrated = int(counts.loc[group, "total"]), int(counts.loc[group, UNRATED])
        if not total:
            continue
        grades = "，".join(f"{g}类{int(counts.loc[group, g])}家" for g in CLASSES)
        parts.append(f"\n{labels.EVALUATION_GROUP_NAMES[group]}：{total}家，参评{total - unrated}家（{grades}）")
        ranking = ranking_table(evaluation, group)
        if len(ranking):
            parts.append(format_text_table(ranking.drop(columns="说明")))
            notes = ranking[ranking["说明"].notna()]
            parts += [f"  注：{name}，{note}" for name, note in zip(notes["企业名称"], notes["说明"])]
    unrated = unrated_table(evaluation)
    if len(unrated):
        parts.append(f"\n不参评（{labels.EVALUATION_UNRATED}）：{len(unrated)}家")
        parts += [f"  {name}（{group}）：{reason}" for name, group, reason in
                  zip(unrated["企业名称"], unrated["组别"], unrated["原因"])]
    return "\n".join(parts)


def evaluation_json(evaluation: Evaluation) -> dict:
    """The year's evaluation for a program: every enterprise with its group (规上/规下; group_assumed
    true when neither its sheet nor the register gave 是否规上 and it is rated as 规下), class
    (A-D, or 不定 with the reason), score, rank, last year's class and the change, and each
    indicator of its group (value and base in the indicator's unit as shown — 研发经费占比 in % —
    ratio, weight, item score, and the note when it took the group's average); null where none."""
    items = evaluation.items
    codes = items["indicator"].tolist()
    # Every column rounded once and the items grouped by enterprise once: number by number and
    # enterprise by enterprise, a county of 20,000 enterprises took over a minute.
    shown = zip(items["row"], codes, _numbers(items["numerator"], 4), _numbers(items["denominator"], 4),
                _numbers(_indicator_column(codes, items["value"]), VALUE_PLACES),
                _numbers(_indicator_column(codes, items["base"]), VALUE_PLACES),
                _numbers(items["ratio"], RATIO_PLACES), items["weight"], _numbers(items["score"], SCORE_PLACES),
                items["note"])
    by_row: dict[int, list] = {}
    for row, code, numerator, denominator, value, base, ratio, weight, score, note in shown:
        by_row.setdefault(row, []).append({
            "code": code, "name": indicator_name(code), "unit": indicator_unit(code),
            "numerator": numerator, "denominator": denominator, "value": value, "base": base,
            "ratio": ratio, "weight": float(weight), "score": score, "note": None if is_missing(note) else note,
        })
    table = evaluation.enterprises
    enterprises = []
    for r, score, assumed in zip(table.itertuples(), _numbers(table["score"], SCORE_PLACES), assumed_groups(table)):
        enterprises.append({
            "name": r.name, "credit_code": None if is_missing(r.credit_code) else str(r.credit_code),
            "group": labels.EVALUATION_GROUPS[r.group], "group_assumed": bool(assumed), "class": grade_words(r.grade),
            "reason": (None if is_missing(r.unrated_reason)
                       else labels.EVALUATION_UNRATED_REASONS[r.unrated_reason]),
            "score": score, "rank": None if is_missing(r.rank) else int(r.rank),
            "last_class": None if is_missing(r.last_grade) else r.last_grade,
            "change": None if is_missing(r.change) else labels.EVALUATION_CHANGES[r.change],
            "indicators": by_row.get(r.row, []),
        })
    counts = count_grades(evaluation)
    return {"year": evaluation.year,
            "counts": {labels.EVALUATION_GROUPS[g]: {**{c: int(counts.loc[g, c]) for c in CLASSES},
                                                      labels.EVALUATION_UNRATED: int(counts.loc[g, UNRATED])}
                       for g in GROUPS},
            "enterprises": enterprises}


def _numbers(values, places: int) -> list[float | None]:
    """A column of figures for JSON: rounded half up, None where missing."""
    return [None if np.isnan(v) else float(v) for v in round_half_up_array(values, places)]
