"""The history the plan implies: timeline events (facts with their parameters, as
complaints.timeline.facts defines them, public or not as the fact says), the
deadline alerts the sweep would have sent, and each live assignment's next
alert time, from the same schedule as dispatch.services.deadlines."""

from complaints.timeline.facts import FACTS

# (fact, when it happened, which plan rows, extra event data, typed message, actor)
EVENTS = (
    ("submitted", "t0", "true", "'by', CASE WHEN channel = 'hotline' THEN 'centre' ELSE 'resident' END", "''", "op"),
    (
        "CASE WHEN state = 'submitted' THEN 'triage_place' ELSE 'triage_no_rule' END",
        "t0 + interval '2 seconds'",
        "state IN ('submitted', 'rejected') OR (norule AND state <> 'direct')",
        "'by', 'centre', 'reason', CASE WHEN state = 'submitted' THEN 'place' ELSE 'no_rule' END",
        "''",
        None,
    ),
    (
        "CASE WHEN norule THEN 'dispatched' ELSE 'assigned' END",
        "a1",
        "has_k0",
        "'by', 'centre', 'unit', CASE WHEN reopen THEN final_unit ELSE first_unit END, "
        "'rule_id', CASE WHEN norule THEN NULL ELSE rule_id END, 'rule', CASE WHEN norule THEN NULL ELSE rule_name END",
        "''",
        None,
    ),
    ("accepted", "acc1", "reopen", "'by_unit', final_unit, 'unit', final_unit", "''", None),
    ("contacted", "con1", "reopen", "'by_unit', holder, 'unit', holder", "''", None),
    ("resolved", "res1", "reopen", "'by_unit', holder", "'已安排处置，问题已解决'", None),
    ("rated", "rate1", "reopen", "'by', 'resident', 'solved', false, 'satisfaction', 'unsatisfied'", "''", None),
    ("reopened", "rate1", "reopen", "'by', 'resident'", "''", None),
    (
        "returned",
        "ret_at",
        "redispatch OR state = 'returned'",
        "'by_unit', first_unit, 'unit', first_unit, 'return_reason', 'not_our_remit', 'note', ''",
        "''",
        None,
    ),
    (
        "CASE WHEN reopen THEN 'reassigned' WHEN redispatch OR norule THEN 'dispatched' ELSE 'assigned' END",
        "a2",
        "has_k1",
        "'by', 'centre', 'unit', final_unit, 'rule_id', CASE WHEN reopen OR redispatch OR norule THEN NULL "
        "ELSE rule_id END, 'rule', CASE WHEN reopen OR redispatch OR norule THEN NULL ELSE rule_name END",
        "''",
        None,
    ),
    ("accepted", "acc", "did_accept", "'by_unit', final_unit, 'unit', final_unit", "''", None),
    (
        "handed_down",
        "acc + interval '1 minute'",
        "hand_down",
        "'by_unit', final_unit, 'unit', community_unit",
        "''",
        None,
    ),
    ("contacted", "con", "did_contact", "'by_unit', holder, 'unit', holder", "''", None),
    ("whistle", "summon_at", "summoned", "'by_unit', holder, 'units', jsonb_build_array(cm_unit)", "''", None),
    (
        "whistle_report",
        "reported_at",
        "summoned",
        "'by_unit', cm_unit, 'unit', cm_unit, 'note', '已到场，现场已处置'",
        "''",
        None,
    ),
    (
        "extension_requested",
        "req_at",
        "extended",
        "'by_unit', holder, 'extension_id', %(ebase)s::bigint + i, "
        "'due', to_char((a2 + rs * interval '1 second' + interval '10 days') AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'), 'reason', '需协调多个部门，申请延期'",
        "''",
        None,
    ),
    (
        "CASE WHEN ext_status = 'refused' THEN 'extension_refused' ELSE 'extension_approved' END",
        "dec_at",
        "extended AND dec_at IS NOT NULL",
        "'by', 'centre', 'extension_id', %(ebase)s::bigint + i, "
        "'due', to_char((a2 + rs * interval '1 second' + interval '10 days') AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"'), 'note', ''",
        "''",
        None,
    ),
    ("resolved", "res", "did_resolve", "'by_unit', holder", "'已安排处置，问题已解决'", None),
    (
        "CASE WHEN by_phone THEN 'rated_by_phone' ELSE 'rated' END",
        "rate_at",
        "rated",
        "'by', CASE WHEN by_phone THEN 'centre' ELSE 'resident' END, 'solved', solved, 'satisfaction', satisfaction",
        "''",
        "CASE WHEN by_phone THEN %(operator)s::int END",
    ),
    (
        "CASE WHEN rated THEN 'closed_rated' ELSE 'closed_unrated' END",
        "close_at",
        "state = 'closed'",
        "'by', 'system'",
        "''",
        None,
    ),
    (
        "rejected",
        "done_at",
        "state = 'rejected'",
        "'by', 'centre', 'reason', '不属于受理范围'",
        "'不属于受理范围'",
        None,
    ),
    (
        "answered_directly",
        "done_at",
        "state = 'direct'",
        "'by', 'centre', 'article', %(article)s::int, 'title', %(article_title)s::text",
        "''",
        "op",
    ),
)

MERGE_EVENTS_SQL = """
INSERT INTO complaints_complaintevent (complaint_id, kind, is_public, message, actor_label, actor_id, data, created_at)
SELECT p.id, 'merged', {merged_public}, '', '', NULL,
  jsonb_build_object('fact', 'merged', 'by', 'centre', 'lead_id', l.id, 'number', l.tracking_number,
                     'from_status', 'assigned'), p.done_at
FROM bench_plan p JOIN complaints_complaint l ON l.id = p.id - 1 WHERE p.state = 'merged';
INSERT INTO complaints_complaintevent (complaint_id, kind, is_public, message, actor_label, actor_id, data, created_at)
SELECT p.id - 1, 'note', {lead_public}, '', '', NULL,
  jsonb_build_object('fact', 'merged_lead', 'by', 'centre', 'number', f.tracking_number), p.done_at
FROM bench_plan p JOIN complaints_complaint f ON f.id = p.id WHERE p.state = 'merged';
UPDATE dispatch_assignment a SET status = 'superseded' FROM bench_plan p
WHERE p.state = 'merged' AND a.id = %(abase)s::bigint + 3 * p.i + 1
"""

# One row per alert an assignment's schedule holds: a warning (level 0) when
# `warn` of the time is used and a breach per level of the unit tree, `escalate`
# apart, for each deadline; a summoned unit's report deadline has breaches only.
SCHEDULE_SQL = """
CREATE TEMP TABLE bench_schedule AS
WITH a AS (
  SELECT a.id, a.holder_id, a.unit_id, a.role, a.status, a.assigned_at, a.contact_due, a.resolve_due,
    a.contacted_at, a.resolved_at, a.returned_at, a.report_due, a.reported_at,
    coalesce(p.warn_share, 0.8)::float8 AS warn, coalesce(p.escalate_after_hours, 24) * interval '1 hour' AS esc,
    string_to_array(rtrim(u.path, '/'), '/') AS parts,
    a.status IN ('assigned', 'accepted', 'in_progress') AS active,
    CASE WHEN a.status IN ('assigned', 'accepted', 'in_progress') THEN %(now)s::timestamptz
         WHEN a.status = 'returned' THEN a.returned_at ELSE a.resolved_at END AS ended
  FROM dispatch_assignment a
  JOIN dispatch_unit u ON u.id = a.unit_id
  LEFT JOIN dispatch_deadlinepolicy p ON p.id = a.policy_id
  WHERE a.id > %(abase)s AND a.status <> 'superseded'
), deadlines AS (
  SELECT a.*, 'contact' AS what, a.contact_due AS due, coalesce(a.contacted_at, a.ended) AS met,
         a.contacted_at IS NULL AS still_open
  FROM a WHERE a.role = 'lead'
  UNION ALL
  SELECT a.*, 'resolve', a.resolve_due, coalesce(a.resolved_at, a.ended), true FROM a WHERE a.role = 'lead'
  UNION ALL
  SELECT a.*, 'report', a.report_due, coalesce(a.reported_at, a.ended), a.reported_at IS NULL
  FROM a WHERE a.role = 'co_handler'
)
SELECT d.id AS assignment_id, d.active, d.still_open, d.due, d.met,
  CASE WHEN lvl = 0 THEN d.what || '_warning' ELSE d.what || '_breach' END AS kind, lvl AS level,
  CASE WHEN lvl = 0 THEN d.assigned_at + (d.due - d.assigned_at) * d.warn ELSE d.due + d.esc * (lvl - 1) END AS at,
  CASE WHEN lvl = 0 THEN NULL ELSE d.parts[array_length(d.parts, 1) - lvl + 1] END AS unit_code, d.holder_id
FROM deadlines d
CROSS JOIN LATERAL generate_series(CASE WHEN d.what = 'report' THEN 1 ELSE 0 END, array_length(d.parts, 1)) AS lvl
"""

ALERTS_SQL = """
INSERT INTO dispatch_alert (assignment_id, kind, level, unit_id, due, created_at)
SELECT s.assignment_id, s.kind, s.level, coalesce(u.id, s.holder_id), s.due,
       least(s.at + interval '30 seconds', %(now)s::timestamptz)
FROM bench_schedule s LEFT JOIN dispatch_unit u ON u.code = s.unit_code
WHERE s.at < s.met AND s.at <= %(now)s::timestamptz;
UPDATE dispatch_assignment a SET next_alert_at = n.at
FROM (SELECT assignment_id, min(at) AS at FROM bench_schedule
      WHERE active AND still_open AND at > %(now)s::timestamptz GROUP BY assignment_id) n
WHERE a.id = n.assignment_id;
DROP TABLE bench_schedule
"""


def events_sql() -> list[str]:
    statements = []
    for fact, at, where, data, message, actor in EVENTS:
        kind = _kind_sql(fact)
        public = _public_sql(fact)
        actor_sql = {"op": "CASE WHEN channel = 'hotline' THEN %(operator)s::int END", None: "NULL"}.get(actor, actor)
        statements.append(
            "INSERT INTO complaints_complaintevent "  # noqa: S608 - built from this module's constant EVENTS
            "(complaint_id, kind, is_public, message, actor_label, actor_id, data, created_at) "
            f"SELECT id, {kind}, {public}, {message}, '', {actor_sql}, "
            f"jsonb_strip_nulls(jsonb_build_object('fact', {_fact_sql(fact)}, {data})), {at} "
            f"FROM bench_plan WHERE {where}"
        )
    statements.append(
        MERGE_EVENTS_SQL.format(
            merged_public=_bool(FACTS["merged"].public), lead_public=_bool(FACTS["merged_lead"].public)
        )
    )
    return statements


def alerts_sql() -> list[str]:
    return [SCHEDULE_SQL, ALERTS_SQL]


def _names(fact: str) -> list[str]:
    """The fact names a CASE expression can give (or the one literal name)."""
    if not fact.startswith("CASE"):
        return [fact]
    return [part.split("'")[1] for part in fact.split("THEN")[1:]] + [fact.rsplit("ELSE", 1)[1].split("'")[1]]


def _fact_sql(fact: str) -> str:
    return fact if fact.startswith("CASE") else f"'{fact}'"


def _kind_sql(fact: str) -> str:
    names = _names(fact)
    kinds = {FACTS[name].kind for name in names}
    if len(kinds) == 1:
        return f"'{kinds.pop()}'"
    return "CASE " + " ".join(f"WHEN {_fact_sql(fact)} = '{n}' THEN '{FACTS[n].kind}'" for n in names) + " END"


def _public_sql(fact: str) -> str:
    names = _names(fact)
    flags = {FACTS[name].public for name in names}
    if len(flags) == 1:
        return _bool(flags.pop())
    return "CASE " + " ".join(f"WHEN {_fact_sql(fact)} = '{n}' THEN {_bool(FACTS[n].public)}" for n in names) + " END"


def _bool(value: bool) -> str:
    return "true" if value else "false"
