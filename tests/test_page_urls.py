"""A bookmarked page opened first thing after a restart gets the real navigation and layout."""
import pytest
from browser_support import open_page, running_app
from conftest import sample_database

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["data", "enterprises", "evaluation"])
def test_first_request_to_a_page_url(browser, tmp_path, path):
    db = sample_database(tmp_path / "sample.db")
    with running_app(db) as url:
        page = open_page(browser, f"{url}/{path}")  # the first request this server sees
        nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "总览" in nav and "数据管理" in nav and "app" not in nav.split()
