"""The model rows written from the plan, set-based: complaints, assignments
(the first one of a re-dispatch or a reopen, the live or last lead, a summoned
unit's), extensions, ratings, triage items and direct answers.

Ids are explicit where other rows point at them: complaint `base + i`,
assignments `abase + 3i + k` (k 0: the earlier lead, 1: the last lead, 2: the
summoned unit), extension `ebase + i`. The sequences are set past them after."""

ADDRESSES = (
    "ARRAY['东华门大街','南池子大街','北池子大街','王府井大街','建国门外大街','景山前街','朝阳路','学院路',"
    "'中关村大街','长安街']"
)
DESCRIPTIONS = (
    "ARRAY['夜间施工噪声扰民，持续到凌晨','小区门口占道经营，影响通行','楼道堆放杂物存在安全隐患',"
    "'路灯不亮已经一周','供暖温度不达标，室内只有十五度','停车难，消防通道被占用','商户油烟扰民',"
    "'老旧小区加装电梯进度咨询','垃圾清运不及时','路面塌陷需要修补']"
)
SURNAMES = "ARRAY['王','李','张','刘','陈','杨','赵','黄','周','吴','徐','孙','马','朱','胡']"
GIVEN = "ARRAY['伟','芳','娜','敏','静','磊','洋','勇','艳','杰','娟','涛','明','超','秀英']"

COMPLAINTS_SQL = f"""
INSERT INTO complaints_complaint (
  id, tracking_number, category_id, region_id, address, description, latitude, longitude, answers,
  place_to_confirm, emergency_words, channel, demand_type, repeat_of_id, filed_by_id, resident_name,
  resident_phone, resident_email, hide_name, resident_id, language, notices_stopped_at, status, merged_into_id,
  merged_from_status, priority, version, reopen_count, submission_token, submitted_at, resolved_at, closed_at,
  updated_at)
SELECT id,
  to_char(t0 AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(mod(id * 48271, 100000000)::text, 8, '0'),
  category_id,
  CASE WHEN state = 'submitted' THEN district_region_id ELSE region_id END,
  ({ADDRESSES})[1 + floor(r1 * 10)::int] || (1 + floor(r2 * 200)::int) || '号',
  ({DESCRIPTIONS})[1 + floor(r3 * 10)::int],
  CASE WHEN r4 < 0.4 THEN round((39.75 + r5 * 0.4)::numeric, 6) END,
  CASE WHEN r4 < 0.4 THEN round((116.2 + r6 * 0.5)::numeric, 6) END,
  '{{}}'::jsonb, state = 'submitted', '[]'::jsonb, channel, demand_type, NULL,
  CASE WHEN channel = 'hotline' THEN %(operator)s::int END,
  ({SURNAMES})[1 + floor(r7 * 15)::int] || ({GIVEN})[1 + floor(r8 * 15)::int],
  '13' || lpad(floor(r9 * %(phones)s)::text, 9, '0'), '', r10 < 0.05, NULL, '', NULL,
  CASE state WHEN 'direct' THEN 'closed' ELSE state END,
  CASE WHEN state = 'merged' THEN id - 1 END,
  CASE WHEN state = 'merged' THEN 'assigned' ELSE '' END,
  priority,
  1 + has_k0::int * 2 + has_k1::int + did_accept::int + did_contact::int + did_resolve::int
    + (state IN ('closed', 'direct', 'rejected', 'merged'))::int + reopen::int * 4,
  reopen::int, NULL, t0, res,
  CASE WHEN state = 'closed' THEN close_at WHEN state IN ('direct', 'rejected') THEN done_at END,
  done_at
FROM bench_plan
"""  # noqa: S608 - constant SQL: the arrays are literals of this module

ASSIGNMENT_COLUMNS = """
  id, complaint_id, unit_id, holder_id, status, reason, rule_id, assigned_by_id, assigned_at, accepted_at,
  contacted_at, resolved_at, contact_due, resolve_due, next_due, policy_id, next_alert_at, returned_at,
  return_reason, return_note, role, lead_id, summons_message, report_due, reported_at, report_note, version
"""

# The earlier lead: returned as not its remit (re-dispatch, or waiting in triage
# now), or resolved once before the resident reopened it.
FIRST_LEAD_SQL = f"""
INSERT INTO dispatch_assignment ({ASSIGNMENT_COLUMNS})
SELECT %(abase)s::bigint + 3 * i, id,
  CASE WHEN reopen THEN final_unit ELSE first_unit END,
  CASE WHEN reopen THEN holder ELSE first_unit END,
  CASE WHEN reopen THEN 'resolved' ELSE 'returned' END,
  CASE WHEN norule THEN 'dispatched' ELSE 'routed' END,
  CASE WHEN norule THEN NULL ELSE rule_id END, NULL,
  a1, acc1, con1, res1,
  a1 + cs * interval '1 second', a1 + rs * interval '1 second', NULL, policy_id, NULL,
  CASE WHEN reopen THEN NULL ELSE ret_at END,
  CASE WHEN reopen THEN '' ELSE 'not_our_remit' END, '', 'lead', NULL, '', NULL, NULL, '',
  CASE WHEN reopen THEN 4 ELSE 2 END
FROM bench_plan WHERE has_k0
"""  # noqa: S608 - constant SQL

LAST_LEAD_SQL = f"""
INSERT INTO dispatch_assignment ({ASSIGNMENT_COLUMNS})
SELECT %(abase)s::bigint + 3 * i + 1, id, final_unit, CASE WHEN did_accept THEN holder ELSE final_unit END,
  CASE state WHEN 'assigned' THEN 'assigned' WHEN 'accepted' THEN 'accepted' WHEN 'in_progress' THEN 'in_progress'
             WHEN 'merged' THEN 'superseded' ELSE 'resolved' END,
  CASE WHEN reopen THEN 'reopened' WHEN redispatch OR norule THEN 'dispatched' ELSE 'routed' END,
  CASE WHEN reopen OR redispatch OR norule THEN NULL ELSE rule_id END, NULL,
  a2, acc, con, res,
  a2 + cs * interval '1 second',
  a2 + rs * interval '1 second' + CASE WHEN extended AND ext_status = 'approved' THEN interval '10 days'
                                       ELSE interval '0' END,
  NULL, policy_id, NULL, NULL, '', '', 'lead', NULL, '', NULL, NULL, '',
  1 + did_accept::int + did_contact::int + did_resolve::int + hand_down::int
FROM bench_plan WHERE has_k1;
UPDATE dispatch_assignment SET next_due = CASE WHEN contacted_at IS NULL THEN least(contact_due, resolve_due)
                                               ELSE resolve_due END
WHERE id > %(abase)s AND status IN ('assigned', 'accepted', 'in_progress') AND role = 'lead'
"""  # noqa: S608 - constant SQL

SUMMONED_SQL = f"""
INSERT INTO dispatch_assignment ({ASSIGNMENT_COLUMNS})
SELECT %(abase)s::bigint + 3 * i + 2, id, cm_unit, cm_unit,
  CASE WHEN did_resolve THEN 'resolved' ELSE 'assigned' END,
  CASE WHEN reopen THEN 'reopened' ELSE 'routed' END, NULL, NULL,
  summon_at, NULL, NULL, NULL,
  summon_at + interval '30 minutes',
  greatest(a2 + rs * interval '1 second', summon_at + interval '30 minutes'),
  NULL, policy_id, NULL, NULL, '', '', 'co_handler', %(abase)s::bigint + 3 * i + 1,
  '请派执法人员到场处置', summon_at + interval '30 minutes', reported_at, '已到场，现场已处置', 2
FROM bench_plan WHERE summoned
"""  # noqa: S608 - constant SQL

EXTENSIONS_SQL = """
INSERT INTO dispatch_extension (id, assignment_id, reason, previous_due, requested_due, status, requested_by_id,
                                requested_at, decided_by_id, decided_at, decision_note)
SELECT %(ebase)s::bigint + i, %(abase)s::bigint + 3 * i + 1, '需协调多个部门，申请延期',
  a2 + rs * interval '1 second', a2 + rs * interval '1 second' + interval '10 days',
  CASE WHEN did_resolve AND ext_status = 'pending' THEN 'approved' ELSE ext_status END,
  NULL, req_at, NULL, dec_at, ''
FROM bench_plan WHERE extended
"""

RATINGS_SQL = """
INSERT INTO complaints_rating (complaint_id, round, solved, satisfaction, comment, by_phone, taken_by_id, created_at)
SELECT id, 1, false, 'unsatisfied', '问题没有解决', false, NULL, rate1 FROM bench_plan WHERE reopen;
INSERT INTO complaints_rating (complaint_id, round, solved, satisfaction, comment, by_phone, taken_by_id, created_at)
SELECT id, 1 + reopen::int, solved, satisfaction, '', by_phone, CASE WHEN by_phone THEN %(operator)s::int END,
       rate_at
FROM bench_plan WHERE rated
"""

TRIAGE_SQL = """
INSERT INTO dispatch_triageitem (complaint_id, reason, note, created_at, closed_at, closed_by_id)
SELECT id,
  CASE WHEN state = 'submitted' THEN 'place' WHEN state = 'returned' OR redispatch THEN 'returned' ELSE 'no_rule' END,
  '',
  CASE WHEN state = 'returned' OR redispatch THEN ret_at ELSE t0 + interval '2 seconds' END,
  CASE WHEN state IN ('submitted', 'returned') THEN NULL WHEN state = 'rejected' THEN done_at
       WHEN redispatch THEN a2 ELSE a1 END,
  NULL
FROM bench_plan
WHERE state IN ('submitted', 'returned', 'rejected') OR redispatch OR (norule AND state <> 'direct')
"""

DIRECT_SQL = """
INSERT INTO dispatch_directanswer (complaint_id, article_id, article_version, operator_id, answered_at)
SELECT id, %(article)s, %(article_version)s, %(operator)s, done_at FROM bench_plan WHERE state = 'direct'
"""


def rows_write(cursor, *, params: dict) -> None:
    cursor.execute(COMPLAINTS_SQL, params)
    cursor.execute(FIRST_LEAD_SQL, params)
    cursor.execute(LAST_LEAD_SQL, params)
    cursor.execute(SUMMONED_SQL, params)
    cursor.execute(EXTENSIONS_SQL, params)
    cursor.execute(RATINGS_SQL, params)
    cursor.execute(TRIAGE_SQL, params)
    if params.get("article") is not None:
        cursor.execute(DIRECT_SQL, params)
