"""In Chromium: no console errors on any page for the sample's periods (years without a prior
year included), no request leaves the machine, and a hostile upload in one session leaves the
server and every other session as they were; a name that looks like a link is shown as text."""
import urllib.request

import pytest
from browser_support import OUTPUT, open_page, running_app, settled, watch
from conftest import long_rows, staff, xlsx_bytes
from test_hostile import GOOD, patched, with_cell

from lakou_metrics import importing, store

pytestmark = pytest.mark.browser
PAGES = ["", "sectors", "enterprises", "targets", "warnings", "evaluation", "briefing"]
# The first year (no prior year) at its first two months, each quarter's end and its end; the first
# and last 截至 of the others. (Months in between draw the same charts with one more point.)
PERIODS = [(2022, m) for m in (1, 2, 3, 6, 9, 12)] + [(2023, 1), (2023, 12), (2024, 3), (2024, 9)]


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


# Names GFM would turn into links (a URL, a www. address, an e-mail address) and one with Markdown.
LINKY = ["http://evil.example/x", "www.evil.example", "a@b.cn", "**粗体**企业"]
NEW_LINKY = ["https://evil.example/new", "www.new-evil.example", "new@b.cn"]


def links_to(page) -> list[str]:
    """The links on the page that lead where a name points (headings' own #anchors aside)."""
    hrefs = page.locator('a[href]:not([href^="#"])').evaluate_all("links => links.map(a => a.href)")
    return [h for h in hrefs if "evil" in h or "b.cn" in h or h.startswith("mailto:")]


def shown(locator) -> str:
    """The text as a person reads it: plain() puts invisible word joiners inside what GFM would link."""
    return locator.inner_text().replace("\u2060", "")


def test_a_url_in_a_name_is_shown_as_text_never_a_link(browser, tmp_path):
    db = tmp_path / "names.db"
    rows = [(year, 1, name, "五金", True, value) for year, value in ((2023, 10.0), (2024, 12.0))
            for name in ["卓尔五金", *LINKY]]
    importing.import_bytes(store.open_database(db), xlsx_bytes({"s": long_rows(rows)}), "names.xlsx", operator=staff())
    new = tmp_path / "二月.xlsx"
    new.write_bytes(xlsx_bytes({"2024年2月": [["企业名称", "产值（万元）"], ["卓尔五金", 12.0],
                                              *[[name, 1.0] for name in NEW_LINKY]]}))
    refused = tmp_path / "坏.xlsx"
    refused.write_bytes(xlsx_bytes({"2024年2月": [["企业名称", "产值（万元）"], ["卓尔五金", "http://evil.example/v"],
                                                  ["www.evil.example", "a@b.cn"]]}))
    with running_app(db) as url:
        page = open_page(browser, f"{url}/enterprises")
        chosen = page.get_by_role("combobox", name="查看一家企业")
        for name in LINKY:
            chosen.click()
            page.get_by_role("option", name=name, exact=True).click()
            # The heading of the chosen enterprise is drawn by the run the choice started.
            page.wait_for_function("""name => [...document.querySelectorAll('h3')]
                                        .some(h => h.innerText.replaceAll('\\u2060', '') === name)""", arg=name,
                                   timeout=60_000)
            settled(page)
            assert links_to(page) == [], name
        for path in ("", "briefing"):
            page.goto(f"{url}/{path}")
            settled(page)
            text = shown(page.locator("body"))
            assert "http://evil.example/x" in text and "a@b.cn" in text, path
            assert links_to(page) == [], path

        page.goto(f"{url}/data")
        settled(page)
        page.get_by_role("textbox", name="操作人姓名").fill("小王")
        page.get_by_role("button", name="开始操作").click()
        page.get_by_text("操作人：小王").wait_for()
        settled(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(new))
        caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="名录中没有的新企业")
        caption.wait_for(timeout=60_000)
        settled(page)
        assert shown(caption) == f"其中 3 家是名录中没有的新企业：{'、'.join(NEW_LINKY)}（将加入名录）"
        assert caption.locator("a").count() == 0 and links_to(page) == []
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / "data-preview-url-names.png"), full_page=True)

        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(refused))
        table = page.locator('[data-testid="stTable"]')
        table.wait_for(timeout=60_000)
        settled(page)
        assert "http://evil.example/v" in shown(table) and "a@b.cn" in shown(table)
        assert table.locator("a").count() == 0 and links_to(page) == []
        page.close()
