"""Charts: what reaches the reader's "Show data" is Chinese headings and the figures as the page
writes them, never the frame's codes and ratios; the specs still render (vl-convert) and draw
their labels from those figures."""
from __future__ import annotations

import io
import re
import types

import pandas as pd
import pytest
import vl_convert as vlc
from PIL import Image

from lakou_metrics.domain import style
from lakou_metrics.domain.sectors import SECTOR_NAMES
from lakou_metrics.output import charts
from lakou_metrics.output.briefing import render_png

SECTORS = pd.DataFrame({"sector": ["hardware", "photovoltaic"], "value_10k": [1234.56, 20000.0],
                        "yoy": [0.10255, -0.0475], "share": [0.0581, 0.9419], "pull": [0.01025, -0.0305]},
                       index=pd.Index(["hardware", "photovoltaic"], name="sector"))


def _target(name, completion, schedule, status, as_of=3, stale=False):
    return types.SimpleNamespace(name=name, completion=completion, schedule=schedule, status=status,
                                 as_of=as_of, stale=stale)


def _rows(chart) -> list[dict]:
    """Every row of every dataset the chart carries (what Streamlit sends beside the spec)."""
    return [row for rows in chart.to_dict()["datasets"].values() for row in rows]


def _chinese(heading: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", heading)) and not re.search(r"[A-Za-z_]", heading)


def shown_as_written(rows: list[dict]) -> None:
    """The checks every chart's rows pass: Chinese headings, no sector code, and numbers with at
    most one decimal, two in 亿元 (a ratio such as 0.1026 is never sent)."""
    for row in rows:
        assert all(_chinese(k) for k in row), row
        for key, value in row.items():
            assert value not in SECTOR_NAMES, row
            if isinstance(value, float):
                assert round(value, 2 if "亿元" in key else 1) == value, row


CASES = [
    pytest.param(lambda: charts.sector_chart(SECTORS, ("腊口镇2024年1-3月", "各行业产值"), "全部企业", "hardware"),
                 # The largest, 20000万元, is 2.00亿元: every bar in 亿元 with two decimals, 1234.56万元 → 0.12亿元
                 # (1200万元, half up on hundreds); 0.10255 → +10.3% (half up); -4.75% → -4.8%
                 [{"行业": "五金", "产值（亿元）": 0.12, "产值": "0.12亿元", "同比": "+10.3%", "占全镇": "5.8%"},
                  {"行业": "光伏", "产值（亿元）": 2.0, "产值": "2.00亿元", "同比": "-4.8%", "占全镇": "94.2%"}],
                 ["0.12亿元  +10.3%", "2.00亿元  -4.8%"], id="sectors"),
    pytest.param(lambda: charts.sector_chart(SECTORS.assign(value_10k=[9472.55, 5645.0]), "各行业", "全部企业"),
                 # the largest below 1亿元 (9472.55 → 9472.6万元): every bar in 万元 with one decimal
                 [{"行业": "五金", "产值（万元）": 9472.6, "产值": "9472.6万元", "同比": "+10.3%", "占全镇": "5.8%"},
                  {"行业": "光伏", "产值（万元）": 5645.0, "产值": "5645.0万元", "同比": "-4.8%", "占全镇": "94.2%"}],
                 ["9472.6万元  +10.3%", "5645.0万元  -4.8%"], id="sectors in 万元"),
    pytest.param(lambda: charts.pull_chart(SECTORS.assign(name=["五金", "光伏"]), "name", "拉动", "百分点"),
                 [{"名称": "五金", "拉动（百分点）": 1.0, "拉动": "+1.0", "方向": "拉升"},
                  {"名称": "光伏", "拉动（百分点）": -3.1, "拉动": "-3.1", "方向": "拖累"}],
                 ["+1.0", "-3.1"], id="pull"),
    pytest.param(lambda: charts.trend_chart(
        pd.DataFrame({"period": [None, None], "label": ["一季度", "一季度"], "year": [2023, 2024],
                      "value_10k": [9999.95, float("nan")]}), "走势", "万元"),
                 # 9999.95万元 rounds to 10000.0万元, 1.00亿元: the chart is in 亿元; a month nobody reported is —
                 [{"年份": "2023年", "期间": "一季度", "产值（亿元）": 1.0, "产值": "1.00亿元"},
                  {"年份": "2024年", "期间": "一季度", "产值（亿元）": None, "产值": "—"}],
                 [], id="trend"),
    pytest.param(lambda: charts.town_chart(
        pd.DataFrame({"town": ["腊口镇", "温溪镇"], "value_10k": [14000.0, 52345.25], "yoy": [0.2, None]}),
        "各乡镇", "万元", highlight="腊口镇"),
                 # 52345.25万元 → 5.23亿元 (52300万元, half up on hundreds)
                 [{"乡镇": "腊口镇", "产值（亿元）": 1.4, "产值": "1.40亿元", "同比": "+20.0%"},
                  {"乡镇": "温溪镇", "产值（亿元）": 5.23, "产值": "5.23亿元", "同比": "—"}],
                 ["1.40亿元  +20.0%", "5.23亿元  —"], id="towns"),
    pytest.param(lambda: charts.targets_chart(
        [_target("完成征地工业用地面积", 0.679, 0.75, style.BEHIND.code, as_of=9, stale=True),
         _target("完成制造业投资", 0.30125, 0.25, style.AHEAD.code)], "目标", "序时"),
                 [{"指标": "完成征地工业用地面积", "完成率（%）": 67.9, "序时进度（%）": 75.0, "状态": style.BEHIND.words,
                   "完成率": "67.9%（截至9月）", "序时进度": "75.0%"},
                  {"指标": "完成制造业投资", "完成率（%）": 30.1, "序时进度（%）": 25.0, "状态": style.AHEAD.words,
                   "完成率": "30.1%", "序时进度": "25.0%"}],
                 ["67.9%（截至9月）", "30.1%"], id="targets"),
    pytest.param(lambda: charts.project_months_chart(
        pd.DataFrame({"month": [1, 2], "invested_10k": [10.04, 20.05], "cumulative_10k": [10.04, 30.09]}), 500.0,
        "项目", "万元"),
                 [{"月份": "1月", "当月完成投资（万元）": 10.0, "累计完成投资（万元）": 10.0,
                   "当月完成投资": "10.0万元", "累计完成投资": "10.0万元"},
                  {"月份": "2月", "当月完成投资（万元）": 20.1, "累计完成投资（万元）": 30.1,
                   "当月完成投资": "20.1万元", "累计完成投资": "30.1万元"},
                  {"年度计划投资（万元）": 500.0, "年度计划投资": "500.0万元"}],
                 ["年度计划 500.0万元"], id="project months"),
]


@pytest.mark.parametrize("build, rows, labels", CASES)
def test_a_chart_carries_chinese_headings_and_the_figures_as_written(build, rows, labels):
    chart = build()
    found = _rows(chart)
    assert found == rows
    shown_as_written(found)
    # The bar labels are joined in Vega from those figures: they appear in the drawing.
    svg = vlc.vegalite_to_svg(chart.to_dict())
    for label in labels:
        assert label in svg


@pytest.mark.images
@pytest.mark.parametrize("build, rows, labels", CASES)
def test_a_chart_still_renders_to_png(build, rows, labels):
    png = render_png(build(), scale=1, width=400)
    image = Image.open(io.BytesIO(png))
    assert image.width >= 400 and image.height > 100
    darkest, lightest = image.convert("L").getextrema()
    assert darkest < 100 and lightest == 255  # drawn on white, not blank


def test_project_months_show_bare_numbers_on_the_axis():
    chart = charts.project_months_chart(
        pd.DataFrame({"month": [11, 12], "invested_10k": [1.0, 2.0], "cumulative_10k": [1.0, 3.0]}), None, "项目", "万元")
    svg = vlc.vegalite_to_svg(chart.to_dict())
    assert ">11<" in svg and ">12<" in svg and ">11月<" not in svg


@pytest.mark.parametrize("values, unit, axis", [
    pytest.param([15100.0, 9472.6], "亿元", "产值（亿元）", id="largest 1.51亿元: all in 亿元"),
    pytest.param([9999.94, 50.0], "万元", "产值（万元）", id="largest 9999.9万元: all in 万元"),
    pytest.param([9999.95, 50.0], "亿元", "产值（亿元）", id="9999.95 shows as 1.00亿元: 亿元"),
])
def test_an_output_chart_says_one_unit_in_its_subtitle_axis_and_labels(values, unit, axis):
    frame = pd.DataFrame({"sector": ["hardware", "photovoltaic"], "value_10k": values, "yoy": [0.1, 0.2],
                          "share": [0.5, 0.5]})
    spec = charts.sector_chart(frame, "各行业", "全部企业 · 单位：万元 · 标注为产值与同比").to_dict()
    text = str(spec)
    assert f"单位：{unit}" in text and f"单位：{'万元' if unit == '亿元' else '亿元'}" not in text
    assert spec["layer"][0]["encoding"]["x"]["title"] == axis
    labels = [row["产值"] for row in _rows(charts.sector_chart(frame, "各行业", "单位：万元"))]
    assert all(label.endswith(unit) for label in labels), labels
