"""For the query-count tests of lists: each process builds its copy of the category
and place trees once (and again after a category or place is edited), so that build
is not a cost of the list being counted."""

from complaints.services.categories import category_tree
from complaints.services.regions import place_tree


def trees_built() -> None:
    category_tree()
    place_tree()
