"""Entry point: navigation and the chrome every page shares."""
import streamlit as st

from lakou_metrics import labels

st.set_page_config(page_title=labels.APP_TITLE, page_icon="🏭", layout="wide")
page = st.navigation([st.Page("pages/home.py", title="首页", icon="🏠", default=True)])
page.run()
