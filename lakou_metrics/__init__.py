"""Metrics of a town's industrial economy: read reports, store them safely, compute indicators.

Pure Python: nothing in this package imports streamlit.
"""

__version__ = "0.1.0"
