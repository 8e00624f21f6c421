from django.conf import settings
from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    """`?page=N&page_size=M`; a page size over the maximum is cut to it."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        self.page_size = settings.WHISTLE_PAGE_SIZE
        return super().get_page_size(request)


class DueCursorPagination(CursorPagination):
    """Queues: earliest due first, stable under inserts, cost independent of depth."""

    ordering = ("next_due", "pk")
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        self.page_size = settings.WHISTLE_PAGE_SIZE
        return super().get_page_size(request)
