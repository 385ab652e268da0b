"""Phone layout (narrow screens, below Streamlit's 768 px breakpoint): the sidebar closes once a
page is chosen and on arrival, the title fits one line, KPI cards sit two to a row, badges wrap
instead of being cut, no element toolbar covers a caption. Constants only: no user data ever goes
through this HTML.

Why a script: Streamlit shows its navigation in the sidebar on narrow screens whatever
st.navigation's position (its frontend falls back from "top" to the sidebar below 768 px), closes
the sidebar after a page is chosen only when the browser's user agent says phone, and remembers an
opened sidebar in localStorage, so it covered the page on the next visit too."""
import streamlit as st

# Streamlit's "md" breakpoint: below it the sidebar overlays the page instead of sitting beside it.
NARROW_PX = 768

NARROW_CSS = f"""<style>
/* A desk (1400 px) gives the page 2.5rem each side, not Streamlit's 5rem: 县域's, 目标任务's and
   重点项目's tables show every column whole beside the sidebar; and the title starts under the
   header's 3.75rem, not 6rem down (the first screen holds the cards and the cockpit row). */
@media (min-width: {NARROW_PX}px) {{
  [data-testid="stMainBlockContainer"] {{ padding-left: 2.5rem !important; padding-right: 2.5rem !important;
    padding-top: 4rem !important; }}
}}
@media (max-width: {NARROW_PX - 0.02}px) {{
  h1 {{ font-size: 1.3rem !important; line-height: 1.4 !important; padding-top: 0.25rem !important; }}
  h2 {{ font-size: 1.15rem !important; }}
  h3 {{ font-size: 1.05rem !important; }}
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) {{ flex-wrap: wrap !important; }}
  [data-testid="stHorizontalBlock"]:has([data-testid="stMetric"]) > [data-testid="stColumn"] {{
    flex: 1 1 calc(50% - 0.5rem) !important; min-width: calc(50% - 0.5rem) !important;
    max-width: calc(50% - 0.25rem) !important; }}
  [data-testid="stMetricValue"] {{ font-size: 1.5rem !important; }}
  /* 总览's 工业用电量 card is as wide as the row: its figure (万千瓦时) and the enterprises to check
     each take the phone's width, one under the other, not half of it each. */
  .st-key-power_card [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] {{
    flex: 1 1 100% !important; min-width: 100% !important; max-width: 100% !important; }}
  /* A card's label names the period and the figure: wrapped, never cut to "2024年1-9月 五…". */
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {{
    white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
    height: auto !important; }}
  /* A badge says a verdict with its figure: wrapped inside its card, never cut to "高于目标增速6.9个…". */
  .stMarkdownBadge {{ white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; max-width: 100% !important; }}
  /* Less blank space above the title: the header holds only the button that opens the sidebar. */
  [data-testid="stMainBlockContainer"] {{ padding-top: 3.5rem !important; }}
  [data-testid="stElementToolbar"] {{ display: none !important; }}
}}
</style>"""

# Close the sidebar (through Streamlit's own button, so its remembered state says closed too)
# when a page is chosen on a narrow screen, and when a page opens on one with the sidebar open.
# Installed once per browser tab: Streamlit mounts this element again on every rerun.
NARROW_SCRIPT = f"""<script>
(() => {{
  const narrow = () => window.innerWidth < {NARROW_PX};
  const close = () => {{
    const button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (narrow() && button && button.getAttribute("aria-expanded") === "true") button.click();
  }};
  if (!window.lakouNarrowNavigation) {{
    window.lakouNarrowNavigation = true;
    document.addEventListener("click", (event) => {{
      if (event.target.closest('[data-testid="stSidebarNavLink"]')) requestAnimationFrame(close);
    }}, true);
    close();
  }}
}})();
</script>"""


def apply_narrow_style() -> None:
    """The phone layout, on every page (called by app.py before the page runs)."""
    st.html(NARROW_CSS)
    st.html(NARROW_SCRIPT, unsafe_allow_javascript=True)
