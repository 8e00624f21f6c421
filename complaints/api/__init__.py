"""The resident's and the reference API under /api/v1/: the same services and
selectors as the pages, one thin view per operation."""
