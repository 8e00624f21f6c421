"""What each timeline event means: its kind, whether the resident sees it, and
the sentence it is read as. An event stores only the fact's name and its
parameters (`ComplaintEvent.data`); the sentence is rendered when it is read,
in the reader's language (see complaints.timeline.render).

The msgids are marked with gettext_noop so makemessages finds them; the
renderer translates them. Parameters are filled by name from the event's data:
unit ids become the unit's own name, codes become labels, times are shown in
Beijing time; text a person typed is shown verbatim.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from complaints.models.event import EventKind

K = EventKind


@dataclass(frozen=True)
class Fact:
    kind: str
    # Whether the resident sees an event of this fact on the public timeline.
    public: bool
    # The sentence staff read ("" when the typed message is the whole line).
    staff: str = ""
    # The sentence the resident reads, when it differs from the staff one.
    resident: str | None = None
    # The event's `message` (text a person typed) follows the sentence.
    with_message: bool = False

    def sentence(self, *, audience: str) -> str:
        if audience == "resident" and self.resident is not None:
            return self.resident
        return self.staff


FACTS: dict[str, Fact] = {
    "submitted": Fact(K.SUBMITTED, True, gettext_noop("The complaint was received.")),
    "triage_place": Fact(
        K.TRIAGED,
        True,
        gettext_noop("The place needs confirming; the 12345 centre will confirm it and dispatch the order."),
    ),
    "triage_emergency": Fact(
        K.TRIAGED,
        True,
        gettext_noop("Marked urgent: the 12345 centre will dispatch it at once."),
    ),
    "triage_no_rule": Fact(
        K.TRIAGED, True, gettext_noop("No unit could be chosen automatically; the 12345 centre will dispatch it.")
    ),
    "unmerged": Fact(
        K.TRIAGED,
        True,
        gettext_noop(
            "No longer handled together with order %(number)s; the 12345 centre will send it to the unit responsible."
        ),
    ),
    "assigned": Fact(
        K.ASSIGNED,
        True,
        gettext_noop("Assigned to %(unit)s by routing rule “%(rule)s”."),
        resident=gettext_noop("Assigned to %(unit)s."),
    ),
    "dispatched": Fact(
        K.ASSIGNED,
        True,
        gettext_noop("Dispatched by hand to %(unit)s."),
        resident=gettext_noop("Assigned to %(unit)s."),
        # The dispatcher's note is for staff: see the renderer's staff-only parameters.
    ),
    "rerouted": Fact(
        K.ASSIGNED,
        True,
        gettext_noop("Routed again, without the units that returned it, to %(unit)s (routing rule “%(rule)s”)."),
        resident=gettext_noop("Assigned to %(unit)s."),
    ),
    "reassigned": Fact(
        K.ASSIGNED,
        True,
        gettext_noop("The resident was not satisfied: back with %(unit)s, with new deadlines."),
        resident=gettext_noop("Back with %(unit)s."),
    ),
    "accepted": Fact(K.ACCEPTED, True, gettext_noop("%(unit)s has signed for the order.")),
    "contacted": Fact(
        K.CONTACTED,
        True,
        gettext_noop("%(unit)s has recorded contact with the resident."),
        resident=gettext_noop("%(unit)s has contacted you."),
    ),
    "contact_note": Fact(K.NOTE, False, gettext_noop("How the resident was contacted:"), with_message=True),
    "note": Fact(K.NOTE, False, with_message=True),
    "handed_down": Fact(K.HANDED_DOWN, True, gettext_noop("Handed down to %(unit)s.")),
    "recalled": Fact(K.HANDED_DOWN, True, gettext_noop("Back with %(unit)s.")),
    "resolved": Fact(K.RESOLVED, True, with_message=True),
    "returned": Fact(
        K.RETURNED,
        True,
        gettext_noop("%(unit)s returned the order to the 12345 centre as not theirs."),
        resident=gettext_noop("Returned to the 12345 centre to find the right unit."),
    ),
    "rejected": Fact(K.REJECTED, True, gettext_noop("Not accepted for handling: %(reason)s")),
    "extension_requested": Fact(K.NOTE, False, gettext_noop("Asked for more time, until %(due)s: %(reason)s")),
    "extension_approved": Fact(K.NOTE, True, gettext_noop("The deadline for resolution was extended to %(due)s.")),
    "extension_refused": Fact(K.NOTE, False, gettext_noop("The request for more time, until %(due)s, was refused.")),
    "priority": Fact(K.NOTE, False, gettext_noop("Priority changed from %(old)s to %(new)s.")),
    "category": Fact(K.NOTE, False, gettext_noop("Category changed from %(old)s to %(new)s.")),
    "place": Fact(K.NOTE, False, gettext_noop("Place confirmed: %(new)s (was %(old)s).")),
    "whistle": Fact(K.NOTE, True, gettext_noop("%(lead)s has summoned %(units)s to help.")),
    "whistle_message": Fact(K.NOTE, False, gettext_noop("What the summoned units are needed for:"), with_message=True),
    "whistle_report": Fact(K.NOTE, False, gettext_noop("%(unit)s has reported: %(note)s")),
    "whistle_report_public": Fact(
        K.NOTE, True, gettext_noop("%(unit)s, summoned to help, has reported."), with_message=True
    ),
    "rated": Fact(
        K.RATED,
        True,
        gettext_noop("Solved: %(solved)s. Satisfaction: %(satisfaction)s."),
        with_message=True,
    ),
    "reopened": Fact(K.REOPENED, True, gettext_noop("The resident is not satisfied; the order goes back to the unit.")),
    "closed_rated": Fact(K.CLOSED, True, gettext_noop("Closed after the resident's rating.")),
    "closed_unrated": Fact(K.CLOSED, True, gettext_noop("Closed without a rating after the rating window.")),
    "rated_by_phone": Fact(
        K.RATED,
        True,
        gettext_noop(
            "Rated by phone on the 12345 centre's callback. Solved: %(solved)s. Satisfaction: %(satisfaction)s."
        ),
        resident=gettext_noop(
            "Your answers on the 12345 centre's call back. Solved: %(solved)s. Satisfaction: %(satisfaction)s."
        ),
        with_message=True,
    ),
    "callback_unanswered": Fact(
        K.NOTE, False, gettext_noop("Callback: no answer (attempt %(attempt)s of %(attempts)s).")
    ),
    "closed_unreachable": Fact(
        K.CLOSED,
        True,
        gettext_noop("Closed: the resident could not be reached for the callback, so it is not rated."),
        resident=gettext_noop("Closed: the 12345 centre could not reach you to ask how it went."),
    ),
    "answered_directly": Fact(
        K.CLOSED,
        True,
        gettext_noop("Answered directly on the call from the knowledge base (“%(title)s”) and closed."),
        resident=gettext_noop("Answered on the call by the 12345 centre and closed."),
    ),
    "repeat": Fact(K.NOTE, False, gettext_noop("A repeat call on the same matter as order %(number)s.")),
    "merged": Fact(
        K.MERGED,
        True,
        gettext_noop("Merged into order %(number)s."),
        resident=gettext_noop("Merged into order %(number)s; you will see its progress here."),
    ),
    "merged_lead": Fact(K.NOTE, False, gettext_noop("Order %(number)s was merged into this one.")),
    "unmerged_lead": Fact(K.NOTE, False, gettext_noop("Order %(number)s was separated from this one.")),
    # Public, so no tracking number: the lead's resident must not learn another's.
    "follower_unsatisfied": Fact(
        K.NOTE,
        True,
        gettext_noop("A resident whose complaint was merged into this order is not satisfied with the result."),
    ),
}

# Rows written before events stored facts: their text is shown as it was stored.
LEGACY = "legacy"


def fact_of(name: str) -> Fact | None:
    return FACTS.get(name)


def resident_sees(name: str) -> bool:
    """The visibility a writer stores for a fact; unknown facts stay internal."""
    fact = FACTS.get(name)
    return bool(fact and fact.public)
