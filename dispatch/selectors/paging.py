"""Lists that take the page first and join after. Sorting every open row of a unit
with its complaint, category, place and units joined, only to keep 25, costs what
the unit holds; the page's ids alone come from the list's own table in the order
its index gives, and only those ids are joined to what the page shows."""

from collections.abc import Callable, Iterable, Sequence

from django.db import connections
from django.db.models import Model, QuerySet

# How deep a page may end for its ids to be read branch by branch (PageFirst's
# `branches`): each branch reads up to the page's end, so past this one sorted scan
# of the whole list costs less.
BRANCHED_UP_TO = 500


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
    dispatch.selectors.attached). `branches`, if given, are querysets that together hold
    exactly the rows of `ids` (a row may be in more than one), each read in order from
    an index of its own: a page's ids are then the union of each branch's first rows
    (see `branched_ids`)."""

    ordered = True  # Paginator warns about unordered lists

    def __init__(
        self,
        *,
        ids: QuerySet,
        rows: QuerySet,
        total: int | None = None,
        attach: Callable[[list[Model]], None] | None = None,
        branches: Sequence[QuerySet] = (),
    ):
        self.ids = ids
        self.rows = rows
        self.total = total
        self.attach = attach
        self.branches = branches

    def count(self) -> int:
        if self.total is None:
            self.total = self.ids.order_by().count()
        return self.total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("PageFirst is read a page (a slice) at a time.")
        page = rows_in_order(self.rows, self._ids(index))
        if self.attach is not None:
            self.attach(page)
        return page

    def _ids(self, index: slice) -> list[int]:
        if self.branches and index.stop is not None and index.stop <= BRANCHED_UP_TO:
            ids = branched_ids(self.branches, index, ordering=self.ids.query.order_by)
            if ids is not None:
                return ids
        return list(self.ids.values_list("pk", flat=True)[index])


def branched_ids(branches: Sequence[QuerySet], index: slice, *, ordering: Sequence[str]) -> list[int] | None:
    """The pks of the union of `branches` ordered by `ordering` (field names, the last
    one unique), sliced by `index`: each branch ordered and cut to the slice's end on its
    own, then the union ordered and sliced. A list that is an OR of index ranges (a
    unit's queue: accountable for or holding, in one of three statuses) is then read as
    a few dozen rows from each index in due order, where one query over the OR sorts
    every row the list holds. None where this cannot be said in one query: an ordering
    by an expression, or a database without ordered branches in a UNION (SQLite)."""
    db = branches[0].db
    if not connections[db].features.supports_slicing_ordering_in_compound:
        return None
    if not ordering or not all(isinstance(field, str) for field in ordering):
        return None
    if index.stop <= (index.start or 0):
        return []  # an empty page (of an empty list): no branch to read
    names = [field.removeprefix("-") for field in ordering]
    columns = ["pk", *(name for name in names if name != "pk")]
    parts = [branch.order_by(*ordering).values_list(*columns)[: index.stop] for branch in branches]
    union = parts[0].union(*parts[1:]).order_by(*ordering)
    return [row[0] for row in union[index]]
