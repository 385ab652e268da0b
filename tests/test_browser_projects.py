"""重点项目 in Chromium, as a leader uses it before a meeting: which project is late and by how
long, first; then one project's milestones and months. Lateness is counted from the sample
workbook (test_projects_pages.late_on), not taken from the page."""
import datetime as dt

import pytest
from browser_support import OUTPUT, open_page
from test_browser_selection import console_errors, settled
from test_projects_pages import late_on

pytestmark = pytest.mark.browser
STONES = ["开工", "主体结顶", "竣工", "投产"]


def test_the_late_project_comes_first_and_its_detail_shows_why(browser, app_url):
    page = open_page(browser, f"{app_url}/projects?year=2023&through=12&scope=all", {"width": 1440, "height": 900})
    errors = console_errors(page)
    page.get_by_role("heading", level=1, name="重点项目 · 2023年1-12月").wait_for(timeout=60_000)
    settled(page)
    name, (stone, days) = max(late_on(dt.date(2023, 12, 31)).items(), key=lambda item: item[1][1])
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="重点项目4个").inner_text()
    assert f"{name}{STONES[stone]}" in summary and f"滞后{days}天" in summary
    # The table is a canvas grid; its first data row is the longest delay. Read it through the
    # grid's accessible cells.
    first_row = page.locator('[data-testid="stDataFrame"]').first.locator('[role="row"]').nth(1)
    assert f"{STONES[stone]}滞后{days}天" in first_row.inner_text()
    # Scrolled to first: a click that has to scroll the page to the box only focuses it.
    page.get_by_role("combobox", name="选择项目").scroll_into_view_if_needed()
    page.get_by_role("combobox", name="选择项目").click()
    page.get_by_role("option", name=name, exact=True).click()  # the run it starts draws the tables below
    tables = page.locator('[data-testid="stTable"]')
    tables.filter(has_text="计划日期").get_by_text(f"已滞后{days}天").wait_for(timeout=30_000)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 2
    screenshot(page, "projects.png", 2600)
    assert not errors, errors
    page.close()


def screenshot(page, name: str, height: int) -> None:
    """The whole page (`height` px tall, once settled) into the test output folder."""
    OUTPUT.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1440, "height": height})
    settled(page)
    page.screenshot(path=str(OUTPUT / name))


def test_before_its_start_a_project_reads_not_started(browser, app_url):
    """1-3月: the sample's project planned to start after March is 未开工, not 投资落后."""
    from sample_rows import project_rows

    page = open_page(browser, f"{app_url}/projects?year=2023&through=3&scope=all", {"width": 1440, "height": 900})
    errors = console_errors(page)
    page.get_by_role("heading", level=1, name="重点项目 · 2023年1-3月").wait_for(timeout=60_000)
    settled(page)
    (waiting,) = [p for p in project_rows() if p["milestones"][0][0] > dt.date(2023, 3, 31)]
    day = waiting["milestones"][0][0]
    row = page.locator('[data-testid="stDataFrame"]').first.locator('[role="row"]').filter(has_text=waiting["name"])
    assert f"未开工（计划{day.year}年{day.month}月{day.day}日开工）" in row.inner_text()
    summary = page.locator('[data-testid="stMarkdown"]').filter(has_text="重点项目4个").inner_text()
    assert f"1个未到计划开工日期（{waiting['name']}计划{day.year}年{day.month}月{day.day}日开工）" in summary
    screenshot(page, "projects-before-start.png", 2000)
    assert not errors, errors
    page.close()
