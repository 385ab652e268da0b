"""Entry point: navigation and the chrome every page shares.

Page files live in views/, not pages/: Streamlit treats a folder named pages/ as a legacy
multipage app until the entry point has run once, so right after a restart a bookmarked page URL
would run that page alone, without this navigation or page config.
"""
from pathlib import Path

import streamlit as st

from lakou_app.auth import session_authority
from lakou_app.data import load_years, towns
from lakou_app.narrow_style import apply_narrow_style
from lakou_app.ui import app_title, run_page, town_notice
from lakou_metrics import store
from lakou_metrics.domain import labels

# A local icon: Streamlit would fetch a Material icon as favicon from the internet, which a town
# office network may not reach (and should not have to).
ICON = str(Path(__file__).parent / "assets" / "icon.png")
st.set_page_config(page_title=app_title(), page_icon=ICON, layout="wide",
                   initial_sidebar_state="auto")
county = len(towns()) > 1  # the county edition: one database, several towns
# County staff land on 县域 (the towns side by side); everybody else on the town's 总览.
county_first = county and session_authority() == store.COUNTY
pages = [
    st.Page("views/overview.py", title="总览", icon=":material/dashboard:", default=not county_first),
    st.Page("views/sectors.py", title="行业", icon=":material/factory:"),
    st.Page("views/enterprises.py", title="企业", icon=":material/apartment:"),
    st.Page("views/targets.py", title="目标任务", icon=":material/flag:"),
    st.Page("views/projects.py", title="重点项目", icon=":material/construction:"),
    st.Page("views/warnings.py", title="预警", icon=":material/warning:"),
    st.Page("views/evaluation.py", title="亩均评价", icon=":material/leaderboard:"),
    st.Page("views/briefing.py", title="简报", icon=":material/description:"),
]
if county:
    pages.insert(1, st.Page("views/county.py", title="县域", icon=":material/map:", default=county_first))
data_page = st.Page("views/data.py", title="数据管理", icon=":material/upload_file:")
page = st.navigation({"看板": pages, "工作人员": [data_page]})
apply_narrow_style()
town_notice()
# 亩均评价 needs no output figures: a town may import its evaluation data first.
if page.title not in (data_page.title, "亩均评价") and not load_years():
    st.title(app_title())
    st.info(labels.EMPTY_DATABASE_HELP)
    st.page_link(data_page, label="去“数据管理”导入报表", icon=":material/upload_file:")
    st.stop()
# Each page draws the shared year/period/scope controls itself (lakou_app.ui.current_year):
# Streamlit's AppTest loses sidebar widgets drawn here, before the page runs, on reruns.
run_page(page)
