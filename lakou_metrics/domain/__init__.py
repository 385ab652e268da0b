"""The town's words as data: labels, sectors and statuses, indicators, periods and spans, number formats."""
