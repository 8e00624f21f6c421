"""URLs of the extensions pages, included into the dispatch namespace by dispatch/urls.py."""

urlpatterns = []
