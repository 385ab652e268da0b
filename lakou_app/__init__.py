"""Streamlit side of the dashboard: cached loaders and page helpers (the metrics live in lakou_metrics)."""
