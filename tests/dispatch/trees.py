"""For the query-count tests of lists: each process builds its copy of the category
and place trees and of the routing rules once (and again after one of them is edited),
so that build is not a cost of the list being counted."""

from complaints.services.categories import category_tree
from complaints.services.regions import place_tree
from dispatch.services.routing_snapshot import routing_snapshot


def trees_built() -> None:
    category_tree()
    place_tree()
    routing_snapshot()
