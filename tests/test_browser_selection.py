"""A leader's selection in Chromium: chosen once, kept on every page, in the URL and after a
reload; and the pages on a 390-px phone with nothing wider than the screen."""
import pytest
from browser_support import OUTPUT, console_errors, open_page, settled

pytestmark = pytest.mark.browser
SELECTED = {"year": "2023", "through": "3", "scope": "above"}


def pick(page, label: str, option: str):
    """Choose another option and wait for the run it starts: right after the click the script still
    reads as not running (the rerun has not reached the server yet), so `settled` alone could return
    before it and the next click would meet a sidebar being redrawn. The run writes the choice into
    the URL: that is the sign it has started."""
    before = page.url
    page.get_by_role("combobox", name=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_url(lambda url: url != before, timeout=60_000)
    settled(page)


def query(page) -> dict:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


def test_the_selection_survives_page_switches_and_a_reload(browser, app_url):
    page = open_page(browser, app_url)
    errors = console_errors(page)
    pick(page, "年份", "2023年")
    pick(page, "截至", "1-3月（一季度）")
    page.locator('[data-testid="stSidebar"]').get_by_text("规上企业", exact=True).click()
    settled(page)
    page.get_by_role("heading", level=1, name="总览 · 2023年1-3月 · 规上企业").wait_for()
    assert query(page) == SELECTED
    for title, heading in [("行业", "行业 · 2023年1-3月 · 规上企业"), ("预警", "预警 · 2023年1-3月 · 规上企业"),
                           ("简报", "简报 · 2023年1-3月 · 规上企业"), ("目标任务", "目标任务 · 2023年1-3月 · 规上企业"),
                           ("总览", "总览 · 2023年1-3月 · 规上企业")]:
        page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
        page.get_by_role("heading", level=1, name=heading).wait_for(timeout=60_000)
        settled(page)
        assert query(page) == SELECTED, title
        assert page.get_by_role("combobox", name="截至").input_value() == "1-3月（一季度）", title
    page.reload()
    page.get_by_role("heading", level=1, name="总览 · 2023年1-3月 · 规上企业").wait_for(timeout=60_000)
    settled(page)
    assert page.get_by_role("combobox", name="年份").input_value() == "2023年"
    assert not errors, errors
    page.close()


def test_a_shared_link_opens_its_view(browser, app_url):
    page = open_page(browser, f"{app_url}/warnings?year=2023&through=3&scope=above")
    page.get_by_role("heading", level=1, name="预警 · 2023年1-3月 · 规上企业").wait_for(timeout=60_000)
    page.close()


@pytest.mark.parametrize("path", ["", "targets", "sectors", "warnings", "projects?year=2023&through=12&scope=all"])
def test_a_phone_shows_everything_within_the_screen(browser, app_url, path):
    page = open_page(browser, f"{app_url}/{path}", {"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    errors = console_errors(page)
    settled(page)
    width = page.evaluate("() => window.innerWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    # Nothing drawn wider than the screen: charts, tables, cards.
    for selector in ('[data-testid="stVegaLiteChart"]', '[data-testid="stDataFrame"]', '[data-testid="stMetric"]'):
        for box in (el.bounding_box() for el in page.locator(selector).all()):
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (selector, box)
    # The sidebar starts closed on a phone, so the page is not covered.
    assert not page.locator('[data-testid="stSidebar"][aria-expanded="true"]').count()
    OUTPUT.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 3200})
    settled(page)
    page.screenshot(path=str(OUTPUT / f"phone-{path.split('?')[0] or 'overview'}.png"))
    assert not errors, errors
    page.close()
