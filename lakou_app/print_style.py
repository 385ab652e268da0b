"""Print styling for pages people print to A4 (the briefing): hide the sidebar, the header and the
toolbars. The only HTML the app writes, and a constant: no user data ever goes through it."""
import streamlit as st

PRINT_CSS = """<style>
@media print {
  @page { size: A4; margin: 15mm 15mm 18mm 15mm; }
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stElementToolbar"], [data-testid="stDownloadButton"], [data-testid="stDecoration"],
  [data-testid="stStatusWidget"], [data-testid="stSidebarCollapsedControl"], .no-print { display: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: 100% !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stMarkdown"] { break-inside: avoid; }
}
</style>"""


def apply_print_style() -> None:
    st.html(PRINT_CSS)
