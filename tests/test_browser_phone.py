"""The app on a phone (390 px wide, a desktop browser's user agent, as a narrow window or a browser
that does not say phone): the navigation closes once a page is chosen and stays closed on the
next visit, so 简报's 手机长图 button can be tapped; the title fits one line; KPI cards two to a row;
each main table shows first, without scrolling sideways, the columns a leader reads (name, value,
同比, status); no badge is cut; no page logs a console error (Vega's included).

Screenshots go to test-output/ for a person to look at."""
import pytest
from browser_support import FINISHED, OUTPUT, open_page, settled, watch

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIDEBAR = '[data-testid="stSidebar"]'
# The sidebar is off screen once its right edge is at or left of the page's left edge (Streamlit
# slides it out; polled by wait_for_function, which ends as soon as it holds).
SIDEBAR_GONE = f"() => document.querySelector('{SIDEBAR}').getBoundingClientRect().right <= 0"
# What a tap at the centre of the element would reach: the element itself, or something on top.
TAPPED = """(element) => {
  const box = element.getBoundingClientRect();
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return element.contains(hit);
}"""


def _phone_button(page):
    button = page.get_by_role("button", name="下载手机长图（PNG）")
    button.scroll_into_view_if_needed()
    return button


def test_choosing_a_page_closes_the_navigation_and_frees_the_phone_image_button(browser, app_url):
    page = open_page(browser, app_url, PHONE)
    page.get_by_test_id("stExpandSidebarButton").click()
    page.wait_for_function(f"() => document.querySelector('{SIDEBAR}').getBoundingClientRect().right >= 250")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("简报", exact=True).click()
    page.get_by_text("一、总体情况", exact=True).wait_for(timeout=60_000)
    page.wait_for_function(SIDEBAR_GONE, timeout=10_000)
    button = _phone_button(page)
    assert button.is_visible()
    assert button.evaluate(TAPPED)
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "phone-briefing-after-choosing.png"))
    page.close()


def test_a_sidebar_left_open_does_not_cover_the_page_on_the_next_visit(browser, app_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(app_url)
    # Streamlit remembers the sidebar per app in localStorage: left open the last time.
    page.evaluate("() => localStorage.setItem('stSidebarCollapsed-', 'false')")
    page.goto(f"{app_url}/briefing")
    page.wait_for_function(FINISHED, timeout=60_000)
    page.wait_for_function(SIDEBAR_GONE, timeout=10_000)
    assert _phone_button(page).evaluate(TAPPED)
    context.close()


def test_the_desktop_keeps_its_sidebar_beside_the_page(browser, app_url):
    page = open_page(browser, f"{app_url}/briefing")
    page.locator('[data-testid="stSidebarNav"]').get_by_text("目标任务", exact=True).click()
    page.wait_for_function(FINISHED, timeout=60_000)
    assert page.locator(SIDEBAR).bounding_box()["width"] >= 200
    page.close()


def test_phone_title_fits_one_line_and_kpi_cards_sit_two_to_a_row(browser, app_url):
    page = open_page(browser, app_url, PHONE)
    title = page.locator("h1").first
    # One line: the heading's text is less than one and a half lines tall, and nothing spills out.
    lines = title.evaluate("""(h) => {
      const style = getComputedStyle(h);
      const text = h.getBoundingClientRect().height - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      return [text / parseFloat(style.lineHeight), h.scrollWidth <= h.clientWidth];
    }""")
    assert lines[0] < 1.5 and lines[1], lines
    cards = page.locator('[data-testid="stMetric"]')
    first, second, third = (cards.nth(i).bounding_box() for i in range(3))
    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
    assert third["y"] > first["y"] + first["height"]
    assert first["width"] + second["width"] <= PHONE["width"]
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / "phone-overview-cards.png"))
    page.close()


# Each page, and the columns of its main table that must be in view at 390 px before any sideways
# scroll (None: the page has no such table). The order of a table's columns is the AppTest's
# business; this checks what a phone shows of them.
PAGES = [
    pytest.param("", None, id="总览"),
    pytest.param("enterprises", ["排名", "企业", "产值（万元）", "同比%"], id="企业"),
    pytest.param("targets", ["指标", "状态", "完成率"], id="目标任务"),
    pytest.param("projects?year=2023&through=9&scope=all", ["项目", "状态", "投资完成率", "超欠序时（点）"],
                 id="重点项目"),
    pytest.param("warnings", ["级别", "企业", "情况"], id="预警"),
    pytest.param("briefing", None, id="简报"),
]
# The columns the table draws in its visible region, in order, and how many it has: Glide's data
# grid keeps an accessibility table of exactly the visible region inside its canvas (built after
# the grid first draws, hence waited for).
HEADERS = """(frame) => [[...frame.querySelectorAll('canvas th')].map(th => th.textContent),
                      Number(frame.querySelector('canvas table').getAttribute('aria-colcount'))]"""
# Badges whose text does not fit: Streamlit cuts a badge's text with an ellipsis.
CUT_BADGES = """() => [...document.querySelectorAll('.stMarkdownBadge')]
  .filter(b => b.scrollWidth > b.clientWidth || b.getBoundingClientRect().right > window.innerWidth)
  .map(b => b.textContent)"""


@pytest.mark.parametrize(("path", "first"), PAGES)
def test_phone_pages_show_name_value_and_status_first_cut_no_badge_and_log_nothing(browser, app_url, path, first):
    page = browser.new_page(viewport=PHONE)
    problems = watch(page, f"{app_url}/{path}")  # what goes wrong, collected from the start
    page.goto(f"{app_url}/{path}")
    settled(page)
    # Every chart drawn, so that a Vega error has been logged by the time the test looks.
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
                              .every(chart => chart.querySelector('canvas, svg'))""", timeout=30_000)
    if first is not None:
        frame = page.locator('[data-testid="stDataFrame"]').first
        frame.locator("canvas th").first.wait_for(state="attached", timeout=10_000)
        shown, count = frame.evaluate(HEADERS)
        assert shown[:len(first)] == first, shown
        assert len(shown) < count, "the table is narrower than the phone: the check would prove nothing"
    assert page.evaluate(CUT_BADGES) == []
    assert problems == []
    page.close()
