"""Metrics, targets, drivers, projects and the year's report: pure functions over stored data."""
