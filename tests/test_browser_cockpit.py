"""总览's cockpit row in Chromium: its four items on the first screen, and each link opening its
page on the same period (and 行业 on the sector the row names), with no script or Vega error."""
import re

import pytest
from browser_support import console_errors, open_page, settled

pytestmark = pytest.mark.browser
ITEMS = ("年度目标", "重点项目", "周边乡镇", "近年走势")


def cockpit_link(page, n: int):
    """The n-th link of the cockpit row (0: 年度目标 … 2: 周边乡镇), found by its card's heading; 3:
    the sector that drags, in the box of the growth's sources under the row."""
    if n == 3:
        box = page.locator('[data-testid="stVerticalBlock"]').filter(has=page.get_by_text(re.compile("^增长来源")))
        return box.locator('[data-testid="stPageLink"] a').filter(has_text=re.compile("行业$")).last
    card = page.locator('[data-testid="stColumn"]').filter(has=page.get_by_text(ITEMS[n], exact=True))
    return card.locator('[data-testid="stPageLink"] a')


@pytest.mark.parametrize("n, heading", [
    pytest.param(0, "目标任务 · 2023年1-6月", id="targets"),
    pytest.param(1, "重点项目 · 2023年1-6月", id="projects"),
    pytest.param(2, "目标任务 · 2023年1-6月", id="peers: the entered sheet on 目标任务"),
    pytest.param(3, "行业 · 2023年1-6月 · 规上企业", id="trend: the sector that drags"),
])
def test_each_cockpit_item_opens_its_page_on_the_same_period(browser, app_url, n, heading):
    page = open_page(browser, f"{app_url}/?year=2023&through=6&scope=above")
    errors = console_errors(page)
    settled(page)
    page.get_by_role("heading", level=1, name="总览 · 2023年1-6月 · 规上企业").wait_for()
    for item in ITEMS:
        assert page.get_by_text(item, exact=True).first.is_visible(), item
    link = cockpit_link(page, n)
    sector = re.search(r"查看“?(.+?)”?行业", link.inner_text()).group(1) if n == 3 else None
    link.click()
    page.get_by_role("heading", level=1, name=re.compile(re.escape(heading))).wait_for(timeout=60_000)
    settled(page)
    assert "year=2023" in page.url and "through=6" in page.url
    if sector:
        checked = page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"], '
                               '[data-testid="stButtonGroup"] button[kind$="Active"]')
        assert sector in checked.all_inner_texts(), checked.all_inner_texts()
    assert not errors, errors
    page.close()
