"""In Chromium: no console errors on any page for the sample's periods (years without a prior
year included), no request leaves the machine, and a hostile upload in one session leaves the
server and every other session as they were."""
import urllib.request

import pytest
from browser_support import FINISHED, open_page, sample_app
from conftest import xlsx_bytes
from test_hostile import GOOD, patched, with_cell

pytestmark = pytest.mark.browser
PAGES = ["", "sectors", "enterprises", "targets", "warnings", "briefing"]
# Every 截至 of the first year (no prior year), and the first and last of the others.
PERIODS = [(2022, m) for m in range(1, 13)] + [(2023, 1), (2023, 12), (2024, 3), (2024, 9)]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with sample_app(tmp_path_factory, "hostile") as url:
        yield url


def watch(page, url):
    """Console errors, page errors, and requests that leave the machine or fail."""
    found: list[str] = []
    page.on("console", lambda m: found.append(f"console: {m.text}") if m.type == "error"
            and not m.text.startswith("Failed to load resource: the server responded with a status of 404") else None)
    page.on("pageerror", lambda e: found.append(f"pageerror: {e}"))
    page.on("request", lambda r: found.append(f"left the machine: {r.url}")
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    # Streamlit probes /<page>/_stcore/… before it finds its base path; any other 404 is ours.
    page.on("response", lambda r: found.append(f"{r.status}: {r.url}")
            if r.status >= 400 and "/_stcore/" not in r.url else None)
    return found


def settled(page):
    page.wait_for_function(FINISHED, timeout=60_000)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=60_000)


def test_no_console_errors_on_any_page_for_any_period(browser, app_url):
    page = open_page(browser, app_url)
    found = watch(page, app_url)
    visits = [(p, y, m) for y, m in PERIODS for p in (PAGES if (y, m) in ((2022, 1), (2022, 12), (2023, 12),
                                                                          (2024, 9)) else [""])]
    for path, year, through in visits:
        page.goto(f"{app_url}/{path}?year={year}&through={through}")
        settled(page)
        drawn = page.locator('[data-testid="stVegaLiteChart"]')
        for i in range(drawn.count()):
            drawn.nth(i).locator("canvas, svg").first.wait_for(state="attached", timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0, (path, year, through)
        assert not found, (path, year, through, found)
    page.close()


def test_a_hostile_upload_leaves_the_server_and_other_sessions_alone(browser, app_url, tmp_path):
    leader = open_page(browser, f"{app_url}/?year=2024&through=9")
    staff = open_page(browser, f"{app_url}/data")
    staff.get_by_role("textbox", name="操作人姓名").fill("小王")
    staff.get_by_role("button", name="开始操作").click()
    staff.get_by_text("操作人：小王").wait_for()
    settled(staff)
    far = tmp_path / "far.xlsx"
    far.write_bytes(patched(xlsx_bytes({"s": GOOD}), lambda x: with_cell(x, 1048576, b'<c r="XFD1048576"><v>1</v></c>')))
    staff.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(far))
    staff.get_by_text("文件未导入").wait_for(timeout=60_000)
    settled(staff)
    # The server still answers, and the leader's open session still works.
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=10) as answer:
        assert answer.status == 200
    leader.locator('[data-testid="stSidebarNav"]').get_by_text("行业", exact=True).click()
    leader.get_by_role("heading", level=1, name="行业 · 2024年1-9月 · 全部企业").wait_for(timeout=60_000)
    leader.close()
    staff.close()
