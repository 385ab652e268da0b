"""One colour language: status and direction as every page, image and document shows them."""
import math

import pytest

from lakou_metrics.domain import style
from lakou_metrics.domain.periods import format_timestamp
from lakou_metrics.settings import load_timezone, load_warning_settings


@pytest.mark.parametrize("gap, cut, expected", [
    pytest.param(0.021, -0.05, "ahead", id="ahead"),
    pytest.param(0.0, -0.05, "ahead", id="exactly on schedule"),
    pytest.param(-0.013, -0.05, "slightly_behind", id="a little behind"),
    pytest.param(-0.05, -0.05, "behind", id="at the cut: behind"),
    pytest.param(-0.071, -0.05, "behind", id="behind"),
    pytest.param(-0.071, -0.10, "slightly_behind", id="a town that sets a wider cut"),
    pytest.param(-0.0004, -0.05, "ahead", id="behind by less than shows (0.0 points) is not 略欠"),
    pytest.param(-0.0496, -0.05, "behind", id="shown 5.0 behind is at the cut, whatever the third decimal"),
    pytest.param(-0.0494, -0.05, "slightly_behind", id="shown 4.9 behind"),
    pytest.param(None, -0.05, "unknown", id="no gap"),
    pytest.param(math.nan, -0.05, "unknown", id="nan gap"),
])
def test_schedule_status(gap, cut, expected):
    assert style.schedule_status(gap, cut).code == expected


@pytest.mark.parametrize("kind, gap, year_end, expected", [
    pytest.param("amount", -0.013, False, "slightly_behind", id="amount during the year: against 序时"),
    pytest.param("amount", -0.037, True, "missed", id="amount at the year's end: missed, never 略欠"),
    pytest.param("amount", 0.032, True, "met", id="amount at the year's end: met"),
    pytest.param("amount", 0.0, True, "met", id="exactly the target"),
    pytest.param("growth", -0.025, False, "growth_short", id="growth below its rate"),
    pytest.param("growth", 0.02, False, "growth_met", id="growth above its rate"),
    pytest.param("growth", -0.0004, False, "growth_met", id="growth shown equal to its rate"),
    pytest.param("growth", -0.025, True, "missed", id="growth at the year's end: missed"),
    pytest.param("growth", None, True, "unknown", id="no growth"),
])
def test_target_status(kind, gap, year_end, expected):
    assert style.target_status(kind, gap, year_end).code == expected


def test_met_and_missed_have_their_colours():
    assert (style.MET.colour, style.MISSED.colour) == (style.GREEN, style.RED)
    assert {"met", "missed"} <= set(style.STATUSES)


@pytest.mark.parametrize("rate, way, colour", [
    (0.125, "up", style.UP), (-0.028, "down", style.DOWN), (0.0004, "flat", style.FLAT),
    (-0.0004, "flat", style.FLAT), (None, None, style.GRAY),
    pytest.param(-0.0005, "down", style.DOWN, id="-0.05% is shown -0.1%: a fall"),
    pytest.param(0.0005, "up", style.UP, id="0.05% is shown +0.1%: a rise"),
])
def test_direction_follows_the_rate_as_shown(rate, way, colour):
    assert style.direction(rate) == way and style.direction_colour(rate) == colour


def test_up_and_down_differ_and_statuses_have_badge_colours():
    assert style.UP != style.DOWN
    assert [s.badge for s in style.SCHEDULE_STATUSES] == ["green", "orange", "red"]


def test_the_slightly_behind_cut_is_a_setting(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("[warnings]\nschedule_slightly_behind = -0.1\n", encoding="utf-8")
    assert load_warning_settings(path).schedule_slightly_behind == pytest.approx(-0.1)


@pytest.mark.parametrize("stamp, text", [
    ("2026-11-25T20:52:00+00:00", "2026-11-26 04:52"),
    ("2026-11-25T20:52:00", "2026-11-26 04:52"),  # no offset: stored as UTC
    ("2026-11-26T04:52:00+08:00", "2026-11-26 04:52"),
    (None, "—"),
])
def test_times_are_shown_in_the_towns_zone(tmp_path, stamp, text):
    path = tmp_path / "settings.toml"
    path.write_text('[display]\ntimezone = "Asia/Shanghai"\n', encoding="utf-8")
    assert format_timestamp(stamp, load_timezone(path)) == text


def test_a_bad_time_zone_is_refused_in_chinese(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('[display]\ntimezone = "Mars/Olympus"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="时区"):
        load_timezone(path)
