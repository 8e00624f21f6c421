"""The shape of every Open311 answer, written once and rendered twice.

GeoReport v2 defines XML and derives JSON from it by the Spark convention: a
container of one repeating element becomes a list, an empty element `null`. So
a view builds a `Document` (the root element) whose body is either a mapping
of fields or `Items` (a repeating element), and the two renderers walk the same
tree. Field order is the spec's order, for clients that read XML by position.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

Scalar = str | int | float | Decimal | bool | datetime | None


@dataclass(frozen=True)
class Items:
    """`<container><item>…</item>…</container>` in XML; a list in JSON."""

    item: str
    rows: Sequence["Mapping[str, object] | Scalar"]


@dataclass(frozen=True)
class Document:
    root: str
    body: "Items | Mapping[str, object]"
