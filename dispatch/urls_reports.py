"""URLs of the reports pages, included into the dispatch namespace by dispatch/urls.py."""

urlpatterns = []
