"""The supervisor's reports as JSON: the same `dispatch.reports` functions and the
same numbers as the report pages. Unlike the pages, which fall back to defaults,
a bad parameter is a 400 that names it."""
