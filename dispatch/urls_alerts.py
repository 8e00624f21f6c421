"""URLs of the alerts pages, included into the dispatch namespace by dispatch/urls.py."""

urlpatterns = []
