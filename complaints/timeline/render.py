"""Timeline events rendered for a reader, in the active language (like Django
admin's LogEntry.get_change_message): the event stores a fact and its
parameters, this module turns them into the sentence and the actor's name.

One call renders a whole list: the units, categories and places the events name
are read in one query each, whatever the list's length."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext

from complaints.models import Category, Priority, Region, Satisfaction
from complaints.models.event import ComplaintEvent, EventKind
from complaints.selectors.labels import in_reader_language
from complaints.timeline.actors import ROLE_NAMES
from complaints.timeline.facts import LEGACY, fact_of
from complaints.timeline.names import unit_names_provider

RESIDENT = "resident"
STAFF = "staff"
AUDIENCES = (RESIDENT, STAFF)
BEIJING = ZoneInfo("Asia/Shanghai")
SHOWN_AS = "%Y-%m-%d %H:%M"
# Keys of event data that hold unit ids.
UNIT_KEYS = ("unit", "by_unit")


@dataclass(frozen=True)
class TimelineLine:
    id: int
    kind: str
    kind_label: str
    fact: str
    text: str
    actor: str
    # The member of staff who acted; empty on the resident's timeline.
    person: str
    public: bool
    created_at: datetime


def timeline_lines(events, *, audience: str, unit_names: dict[int, str] | None = None) -> list[TimelineLine]:
    """The events as `audience` reads them. The resident's lines are only the
    public ones, and never name a member of staff. `unit_names` are names the caller
    has already read (the order's own units): only the others are asked for."""
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    events = [event for event in events if audience == STAFF or event.is_public]
    names = _Names(events, known_units=unit_names or {})
    return [_line(event, audience=audience, names=names) for event in events]


def event_text(event: ComplaintEvent, *, audience: str) -> str:
    """One event's sentence (for a notice or an export of a single line)."""
    lines = timeline_lines([event], audience=audience)
    return lines[0].text if lines else ""


def _line(event: ComplaintEvent, *, audience: str, names: "_Names") -> TimelineLine:
    data = event.data or {}
    fact = fact_of(data.get("fact", ""))
    if fact is None:
        text, actor = event.message, event.actor_label
    else:
        text = _sentence(event, fact=fact, audience=audience, names=names)
        actor = _actor(data, names=names) or event.actor_label
    return TimelineLine(
        id=event.pk,
        kind=event.kind,
        kind_label=_kind_label(event.kind),
        fact=data.get("fact", LEGACY) if fact is not None else LEGACY,
        text=text,
        actor=actor,
        person=_person(event) if audience == STAFF else "",
        public=event.is_public,
        created_at=event.created_at,
    )


def _kind_label(kind: str) -> str:
    """As `event.get_kind_display()`, which hashes every kind's lazy label on each
    call; the enum finds the one label directly."""
    try:
        return str(EventKind(kind).label)
    except ValueError:
        return str(kind)


def _sentence(event: ComplaintEvent, *, fact, audience: str, names: "_Names") -> str:
    msgid = fact.sentence(audience=audience)
    text = ""
    if msgid:
        text = gettext(msgid)
        if "%(" in msgid:
            text = text % _params(event.data, names=names)
    if fact.with_message and event.message:
        text = f"{text}\n{event.message}" if text else event.message
    return text


def _params(data: dict, *, names: "_Names") -> dict:
    fact = data.get("fact")
    params = {
        "unit": names.unit(data.get("unit", data.get("by_unit"))),
        "lead": names.unit(data.get("by_unit")),
        "units": _joined([names.unit(pk) for pk in data.get("units", [])]),
        "rule": data.get("rule") or "—",
        "due": _shown(data.get("due")),
        "reason": data.get("reason", ""),
        "note": data.get("note", ""),
        "number": data.get("number", ""),
        "solved": gettext("yes") if data.get("solved") else gettext("no"),
        "satisfaction": _label(Satisfaction, data.get("satisfaction")),
        "old": data.get("old", ""),
        "new": data.get("new", ""),
        "title": data.get("title", ""),
        "attempt": data.get("attempt", ""),
        "attempts": data.get("attempts", ""),
    }
    if fact == "priority":
        params["old"], params["new"] = _label(Priority, data.get("old")), _label(Priority, data.get("new"))
    elif fact == "category":
        params["old"], params["new"] = names.category(data.get("old")), names.category(data.get("new"))
    elif fact == "place":
        params["old"], params["new"] = names.place(data.get("old")), names.place(data.get("new"))
    return params


def _actor(data: dict, *, names: "_Names") -> str:
    if data.get("by_unit") is not None:
        return names.unit(data["by_unit"])
    role = ROLE_NAMES.get(data.get("by", ""))
    return gettext(role) if role else ""


def _person(event: ComplaintEvent) -> str:
    user = event.actor if event.actor_id else None
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _shown(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return str(value or "")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.utc)
    return timezone.localtime(moment, BEIJING).strftime(SHOWN_AS)


def _joined(parts: list[str]) -> str:
    separator = "、" if (get_language() or "").startswith("zh") else ", "
    return separator.join(parts)


class _Names:
    """The names a list of events refers to, each kind read in one query."""

    def __init__(self, events, *, known_units: dict[int, str]):
        unit_ids, categories, places = set(), set(), set()
        for event in events:
            data = event.data or {}
            unit_ids.update(data.get(key) for key in UNIT_KEYS if data.get(key) is not None)
            unit_ids.update(data.get("units", []))
            if data.get("fact") == "category":
                categories.update(code for code in (data.get("old"), data.get("new")) if code)
            if data.get("fact") == "place":
                places.update(code for code in (data.get("old"), data.get("new")) if code)
        named = {pk: name for pk, name in known_units.items() if pk in unit_ids}
        self.units = {**named, **unit_names_provider(pk for pk in unit_ids if pk not in named)}
        self.categories = (
            {c.code: in_reader_language(c.name, c.name_en) for c in Category.objects.filter(code__in=categories)}
            if categories
            else {}
        )
        self.places = dict(Region.objects.filter(code__in=places).values_list("code", "name")) if places else {}

    def unit(self, pk) -> str:
        if pk is None:
            return ""
        name = self.units.get(int(pk)) if str(pk).isdigit() else None
        return name or gettext("unit %(id)s") % {"id": pk}

    def category(self, code) -> str:
        return self.categories.get(code, code or "")

    def place(self, code) -> str:
        return self.places.get(code, code or "")
