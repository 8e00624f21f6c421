"""Timeline events become facts: a fact name, who acted (a role or a unit id) and
parameters in `data`, rendered when read (complaints.timeline). Rows written
before stored finished sentences in the portal's language (Chinese; English on
a portal run in English); the known sentences are parsed back into facts here,
units looked up by name. A row that cannot be parsed keeps its text and is
shown verbatim, as before.

The patterns are frozen copies of the old msgids and their translations: this
migration must read the rows the old code wrote, whatever the catalogue says
later."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

BEIJING = ZoneInfo("Asia/Shanghai")
BATCH = 1000

CENTRE_LABELS = {"12345中心", "12345 centre"}
RESIDENT_LABELS = {"市民", "Resident"}

# (kind, fact, [Chinese sentence, English sentence]); %(name)s marks a parameter.
SENTENCES = [
    ("assigned", "assigned", ["已派单至 %(unit)s。", "Assigned to %(unit)s."]),
    ("assigned", "reassigned", ["已退回 %(unit)s。", "Back with %(unit)s."]),
    (
        "triaged",
        "triage_place",
        [
            "地点有待确认；12345中心将确认地点并对该工单派单。",
            "The place needs confirming; the 12345 centre will confirm it and dispatch the order.",
        ],
    ),
    (
        "triaged",
        "triage_no_rule",
        [
            "无法自动确定承办单位，将由12345中心派单。",
            "No unit could be chosen automatically; the 12345 centre will dispatch it.",
        ],
    ),
    (
        "triaged",
        "unmerged",
        [
            "已撤销与工单 %(number)s 的合并，12345中心将另行派给责任单位。",
            "No longer handled together with order %(number)s; the 12345 centre will send it to the unit responsible.",
        ],
    ),
    ("accepted", "accepted", ["%(unit)s 已签收工单。", "%(unit)s has signed for the order."]),
    ("contacted", "contacted", ["承办单位已与您联系。", "The handling unit has contacted you."]),
    ("handed_down", "handed_down", ["已下派至 %(unit)s。", "Handed down to %(unit)s."]),
    ("handed_down", "recalled", ["已退回 %(unit)s。", "Back with %(unit)s."]),
    (
        "returned",
        "returned",
        ["已退回12345中心，重新确定责任单位。", "Returned to the 12345 centre to find the right unit."],
    ),
    ("rejected", "rejected", ["不予受理：%(reason)s", "Not accepted for handling: %(reason)s"]),
    (
        "note",
        "extension_requested",
        ["申请延期至 %(due)s：%(reason)s", "Asked for more time, until %(due)s: %(reason)s"],
    ),
    (
        "note",
        "extension_approved",
        ["办结期限已延长至 %(due)s。", "The deadline for resolution was extended to %(due)s."],
    ),
    (
        "note",
        "extension_refused",
        ["延期至 %(due)s 的申请未获批准。", "The request for more time, until %(due)s, was refused."],
    ),
    ("note", "whistle", ["%(lead)s 已吹哨召集 %(units)s 协助办理。", "%(lead)s has summoned %(units)s to help."]),
    ("note", "whistle_report", ["%(unit)s 已报到：%(note)s", "%(unit)s has reported: %(note)s"]),
    ("note", "priority", ["优先级已由“%(old)s”调整为“%(new)s”。", "Priority changed from %(old)s to %(new)s."]),
    ("note", "category", ["类别已由“%(old)s”调整为“%(new)s”。", "Category changed from %(old)s to %(new)s."]),
    ("note", "place", ["地点已确认：%(new)s（原为 %(old)s）。", "Place confirmed: %(new)s (was %(old)s)."]),
    ("note", "merged_lead", ["工单 %(number)s 已合并到此工单。", "Order %(number)s was merged into this one."]),
    (
        "note",
        "unmerged_lead",
        ["工单 %(number)s 已与此工单撤销合并。", "Order %(number)s was separated from this one."],
    ),
    (
        "note",
        "follower_unsatisfied",
        [
            "有一位诉求已合并到此工单的市民对办理结果不满意。",
            "A resident whose complaint was merged into this order is not satisfied with the result.",
        ],
    ),
    (
        "reopened",
        "reopened",
        ["市民不满意，工单退回承办单位重新办理。", "The resident is not satisfied; the order goes back to the unit."],
    ),
    (
        "closed",
        "closed_unrated",
        ["评价期限届满未评价，自动结案。", "Closed without a rating after the rating window."],
    ),
    (
        "merged",
        "merged",
        [
            "已合并至工单 %(number)s，您可在此查看其办理进度。",
            "Merged into order %(number)s; you will see its progress here.",
        ],
    ),
]


# Keys the old rows carried that the facts name otherwise.
OLD_KEYS = {
    "unit_id",
    "from_unit_id",
    "unit_ids",
    "reopened",
    "rerouted",
    "recalled",
    "whistle",
    "whistle_report",
    "priority",
    "previous_priority",
    "category_from",
    "category_to",
    "place_from",
    "place_to",
    "place_confirmed",
}
# (old key of the value before, old key of the value after) → the fact with `old`/`new`.
OLD_PAIRS = {
    ("previous_priority", "priority"): "priority",
    ("category_from", "category_to"): "category",
    ("place_from", "place_to"): "place",
}


def _pattern(sentence: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", sentence)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex + r"\Z", re.DOTALL)


PATTERNS = [(kind, fact, _pattern(sentence)) for kind, fact, sentences in SENTENCES for sentence in sentences]


def _due(text: str) -> str | None:
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING).isoformat()
    except ValueError:
        return None


class _Converter:
    def __init__(self, units: dict[str, int]):
        self.units = units

    def actor(self, label: str) -> dict | None:
        """The actor as data, or None when the label names no known unit."""
        if label in CENTRE_LABELS:
            return {"by": "centre"}
        if label in RESIDENT_LABELS:
            return {"by": "resident"}
        if not label:
            return {}
        if label in self.units:
            return {"by_unit": self.units[label]}
        return None

    def convert(self, event) -> tuple[dict, str] | None:
        """(new data, new message) for a row the old code wrote, or None to keep it as it is."""
        old = dict(event.data or {})
        if "fact" in old:
            return None
        actor = self.actor(event.actor_label)
        if actor is None:
            return None
        if event.kind == "submitted":
            return {**old, "fact": "submitted", "by": "resident"}, ""
        if event.kind == "resolved":
            return {**old, "fact": "resolved", **actor}, event.message
        if event.kind == "rated":
            return {**old, "fact": "rated", "by": "resident"}, event.message
        if event.kind == "closed" and not event.message:
            return {**old, "fact": "closed_rated", "by": "system"}, ""
        for kind, fact, pattern in PATTERNS:
            if kind != event.kind:
                continue
            match = pattern.match(event.message or "")
            if match is None:
                continue
            converted = self.facts(fact=fact, params=match.groupdict(), old=old, actor=actor)
            if converted is not None:
                return converted
        if event.kind == "note" and not event.is_public:
            # A note a person typed (a plain note, how the resident was contacted, a whistle's message).
            fact = "whistle_message" if old.get("whistle") else "note"
            return {**old, "fact": fact, **actor}, event.message
        return None

    def facts(self, *, fact: str, params: dict, old: dict, actor: dict) -> tuple[dict, str] | None:
        data = {key: value for key, value in old.items() if key not in OLD_KEYS}
        data.update(fact=fact, **actor)
        if fact == "assigned":
            data["fact"] = "rerouted" if old.get("rerouted") else ("dispatched" if "note" in old else "assigned")
        if fact == "reassigned":
            data.update(by="system")
        if "unit" in params:
            unit = old.get("unit_id") or self.units.get(params["unit"])
        elif fact in ("contacted", "returned"):
            unit = old.get("unit_id") or actor.get("by_unit")
        else:
            unit = False
        if unit is None:
            return None
        if unit:
            data["unit"] = unit
        if fact == "recalled" and old.get("from_unit_id"):
            data["from_unit"] = old["from_unit_id"]
        if fact == "returned" and "reason" in data:
            data["return_reason"] = data.pop("reason")
        if fact == "whistle":
            lead = self.units.get(params["lead"])
            if lead is None or not old.get("unit_ids"):
                return None
            data.update(by_unit=lead, units=list(old["unit_ids"]))
        if fact == "whistle_report":
            data["note"] = params["note"]
        if fact.startswith("extension_"):
            due = _due(params["due"])
            if due is None:
                return None
            data["due"] = due
            if fact == "extension_requested":
                data["reason"] = params["reason"]
        message = ""
        if fact == "rejected":
            data.setdefault("reason", params["reason"])
            message = data["reason"]
        if "number" in params:
            data["number"] = params["number"]
        for old_pair, new_fact in OLD_PAIRS.items():
            if fact == new_fact:
                before, after = old_pair
                if before not in old:
                    return None
                data.update(old=old[before], new=old[after])
        return data, message


def forwards(apps, schema_editor):
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    Unit = apps.get_model("dispatch", "Unit")
    units = {}
    for pk, name in Unit.objects.order_by("-pk").values_list("pk", "name"):
        units[name] = pk  # a name shared by two units: the oldest wins
    converter = _Converter(units)
    changed = []
    for event in ComplaintEvent.objects.order_by("pk").iterator(chunk_size=BATCH):
        converted = converter.convert(event)
        if converted is None:
            continue
        event.data, event.message = converted
        event.actor_label = ""
        changed.append(event)
        if len(changed) >= BATCH:
            ComplaintEvent.objects.bulk_update(changed, ["data", "message", "actor_label"])
            changed = []
    if changed:
        ComplaintEvent.objects.bulk_update(changed, ["data", "message", "actor_label"])


class Migration(migrations.Migration):
    dependencies = [("complaints", "0006_photos"), ("dispatch", "0001_initial")]

    # Backwards leaves the facts in place: the old code shows a converted row's
    # typed text and an empty line for the rest, and nothing is lost.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
