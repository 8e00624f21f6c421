"""The three rates and the composite score, from counts already aggregated in SQL.

The official 12345 formulas are not public; these are explicit, shown on the
rankings page and in the README, and weighted by settings:

- response rate     = contacted by the contact deadline ÷ contact deadlines that fell in the month
- resolution rate   = ratings in the month saying "solved" ÷ ratings in the month
- satisfaction rate = (w_satisfied × satisfied + w_basically × basically satisfied) ÷ ratings in the month
- composite         = Σ weight × rate ÷ Σ weight, over the rates the unit has data for

A rate with nothing to divide by is None ("—"), not 0: a unit nobody rated has
not failed anyone. The composite renormalises over the rates present, so a unit
is not dragged down by a rate it had no occasion to earn.

Whose ratings count: a rating taken by phone on the 12345 centre's callback (回访)
is the resident's answer recorded by an operator, and counts exactly as one the
resident gave themselves, in the resolution and the satisfaction rate (and a
"not satisfied" reopens the order the same way). An order closed without a
rating, because the rating window passed or because the callback could not reach
the resident ("resident unreachable"), has nothing to count in either rate: it
is left out of both, neither a success nor a failure. Its contact deadline still
counts in the response rate, which does not depend on any rating.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def percent(rate: float | None) -> float | None:
    return None if rate is None else round(100 * rate, 1)


class RatePercents:
    """The four rates as percentages for pages and charts (None stays None, shown "—"),
    for any row that has `response_rate`, `resolution_rate`, `satisfaction_rate`
    and `composite`."""

    @property
    def response_pct(self) -> float | None:
        return percent(self.response_rate)

    @property
    def resolution_pct(self) -> float | None:
        return percent(self.resolution_rate)

    @property
    def satisfaction_pct(self) -> float | None:
        return percent(self.satisfaction_rate)

    @property
    def composite_pct(self) -> float | None:
        return percent(self.composite)


def satisfaction_rate(*, satisfied: int, basically: int, rated: int) -> float | None:
    weights = settings.WHISTLE_SATISFACTION_WEIGHTS
    if not rated:
        return None
    return (weights["satisfied"] * satisfied + weights["basically"] * basically) / rated


def composite_score(*, response: float | None, resolution: float | None, satisfaction: float | None) -> float | None:
    weights = settings.WHISTLE_RANKING_WEIGHTS
    present = [
        (weights[name], rate)
        for name, rate in (("response", response), ("resolution", resolution), ("satisfaction", satisfaction))
        if rate is not None and weights[name] > 0
    ]
    total = sum(weight for weight, _ in present)
    if not total:
        return None
    return sum(weight * rate for weight, rate in present) / total


@dataclass(frozen=True)
class Weights:
    """What the page prints next to the formulas."""

    response: float
    resolution: float
    satisfaction: float
    satisfied: float
    basically: float


def current_weights() -> Weights:
    ranking, satisfaction = settings.WHISTLE_RANKING_WEIGHTS, settings.WHISTLE_SATISFACTION_WEIGHTS
    return Weights(
        response=ranking["response"],
        resolution=ranking["resolution"],
        satisfaction=ranking["satisfaction"],
        satisfied=satisfaction["satisfied"],
        basically=satisfaction["basically"],
    )


def formula_texts(weights: Weights) -> dict[str, str]:
    """The formulas as the rankings page prints them, in the reader's language."""
    return {
        "response": _(
            "contact deadlines in the month met on time ÷ contact deadlines that fell in the month "
            "(up to now; re-dispatched orders left out; an order later closed without a rating still counts)"
        ),
        "resolution": _(
            "ratings given in the month saying “solved” ÷ ratings given in the month, each rating counted for "
            "the unit whose resolution it judged; a rating taken by phone on the 12345 centre's callback counts "
            "as the resident's own, and an order closed without a rating (the rating window passed, or the "
            "resident could not be reached on the callback) counts in neither this rate nor satisfaction"
        ),
        "satisfaction": _(
            "(%(s)s × satisfied + %(b)s × basically satisfied) ÷ ratings given in the month, ratings taken by "
            "phone on the callback included"
        )
        % {"s": weights.satisfied, "b": weights.basically},
        "composite": _(
            "(%(r)s × response + %(s)s × resolution + %(t)s × satisfaction) ÷ the sum of the weights of the rates "
            "the unit has data for"
        )
        % {"r": weights.response, "s": weights.resolution, "t": weights.satisfaction},
    }
