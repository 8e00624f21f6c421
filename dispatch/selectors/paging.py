"""Lists that take the page first and join after. Sorting every open row of a unit
with its complaint, category, place and units joined, only to keep 25, costs what
the unit holds; the page's ids alone come from the list's own table in the order
its index gives, and only those ids are joined to what the page shows."""

from collections.abc import Callable, Iterable

from django.db.models import Model, QuerySet


def rows_in_order(rows: QuerySet, ids: list[int]) -> list[Model]:
    """The rows of `rows` whose ids are `ids`, in that order, in one query (none for no ids).
    An id that has gone since it was read is left out."""
    if not ids:
        return []
    found = {row.pk: row for row in rows.filter(pk__in=ids).order_by()}
    return [found[pk] for pk in ids if pk in found]


def joined_like(rows: QuerySet, page: Iterable[Model]) -> list[Model]:
    """`rows_in_order` for a page already read without its joins (as a cursor paginator reads it)."""
    return rows_in_order(rows, [row.pk for row in page])


class PageFirst:
    """A list for django.core.paginator.Paginator: a slice reads the page's ids from
    `ids` (ordered and sliced on its own table, joined only where its filters need),
    then `rows` (unfiltered, with the joins a row shows) for those ids: two queries
    whatever the list's length. (One query with the ids as a subquery is not the same:
    PostgreSQL may join every row before it applies the semi-join.) `total` is the
    list's length when the caller has already counted it; else it is counted on `ids`,
    without the page's joins or annotations. `attach`, if given, is called with the
    page's rows to add what they show from elsewhere than the query (see
    dispatch.selectors.attached)."""

    ordered = True  # Paginator warns about unordered lists

    def __init__(
        self,
        *,
        ids: QuerySet,
        rows: QuerySet,
        total: int | None = None,
        attach: Callable[[list[Model]], None] | None = None,
    ):
        self.ids = ids
        self.rows = rows
        self.total = total
        self.attach = attach

    def count(self) -> int:
        if self.total is None:
            self.total = self.ids.order_by().count()
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("PageFirst is read a page (a slice) at a time.")
        page = rows_in_order(self.rows, list(self.ids.values_list("pk", flat=True)[index]))
        if self.attach is not None:
            self.attach(page)
        return page
