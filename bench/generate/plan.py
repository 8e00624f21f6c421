"""The plan: one row per complaint with every choice the generated history makes
(place, category, state, the units, the side paths, the times), drawn once in
SQL so that every table written afterwards tells the same story.

Shares of the states over two years, and of the side paths, are in STATES and
SIDE_PATHS; the hot units get thousands of open orders on top of them.
"""

# State → share of the complaints that are not hot; "direct" is a consultation
# answered on the call from the knowledge base and closed, "merged" is every
# hundredth complaint (its lead is the one filed just before it).
STATES = (
    ("closed", 0.865),
    ("direct", 0.02),
    ("rejected", 0.01),
    ("resolved", 0.015),
    ("assigned", 0.012),
    ("accepted", 0.012),
    ("in_progress", 0.03),
    ("submitted", 0.003),  # waiting in triage: the place is to confirm
    ("returned", 0.003),  # returned by its unit, waiting in triage
)
SIDE_PATHS = {
    "redispatch": 0.03,  # returned as not theirs, dispatched by hand to another unit
    "reopen": 0.02,  # rated not satisfied, back with the unit, resolved again
    "hand_down": 0.15,  # of street-office orders: worked by the community committee
    "summons": 0.02,  # of street-office orders: the district's city management is summoned
    "extension": 0.30,  # of complex orders: more time asked for
    "rated": 0.80,  # of closed orders: the resident answered
}
# Units holding thousands of open orders at a million complaints (scaled with
# BENCH_N): the demo street offices 东华门, 建外 and 景山.
HOT_STREETS = (("110101001", 5000), ("110105001", 3000), ("110101002", 2000))
HOT_AT = 1_000_000
DAY = 86400

DRAW_SQL = """
CREATE TEMP TABLE bench_draw AS
SELECT x.*,
  CASE WHEN hot IS NOT NULL THEN
         CASE WHEN r_state < 0.25 THEN 'assigned' WHEN r_state < 0.5 THEN 'accepted' ELSE 'in_progress' END
       WHEN mod(i, 100) = 50 THEN 'merged'
       ELSE {state} END AS state,
  CASE WHEN hot IS NOT NULL THEN {hot_place} ELSE floor(r_place * %(places)s)::int END AS place_n,
  CASE WHEN hot IS NOT NULL THEN (%(street_cats)s::int[])[1 + floor(r_cat * %(street_cat_count)s)::int]
       ELSE floor(r_cat * %(cats)s)::int END AS cat_n
FROM (
  SELECT i, %(base)s::bigint + i AS id, {hot} AS hot,
         random() AS r_state, random() AS r_age, random() AS r_place, random() AS r_cat, random() AS r_pri,
         random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
         random() AS r7, random() AS r8, random() AS r9, random() AS r10, random() AS r11, random() AS r12
  FROM generate_series(1, %(n)s) AS i
) AS x;
"""

PLAN_SQL = """
CREATE TEMP TABLE bench_plan AS
WITH d AS (
  SELECT * FROM bench_draw
), s AS (
  SELECT d.*, p.region_id, p.district_region_id, p.street_unit, p.community_unit, p.district_code,
    c.category_id, c.rule_id, c.rule_name, c.target_kind,
    CASE c.target_kind WHEN 'street_office' THEN p.street_unit WHEN 'district_department' THEN dk.unit_id
         WHEN 'fixed' THEN c.fixed_unit END AS target,
    dcm.unit_id AS cm_unit,
    CASE WHEN c.priority = 'urgent' OR r_pri < 0.03 THEN 'urgent'
         WHEN r_pri < 0.08 THEN 'complex' ELSE 'normal' END AS priority
  FROM d
  JOIN bench_place p ON p.n = d.place_n
  JOIN bench_cat c ON c.n = d.cat_n
  LEFT JOIN bench_dept dk ON dk.district_code = p.district_code AND dk.kind = c.dept_kind
  LEFT JOIN bench_dept dcm ON dcm.district_code = p.district_code AND dcm.kind = 'city_management'
), f AS (
  SELECT s.*, target IS NULL AS norule, coalesce(target, street_unit) AS first_unit,
    hot IS NULL AND target IS NOT NULL AND cm_unit IS NOT NULL AND r1 < %(redispatch)s
      AND state IN ('closed', 'resolved', 'assigned', 'accepted', 'in_progress') AS redispatch,
    hot IS NULL AND r1 >= %(redispatch)s AND r1 < %(redispatch)s + %(reopen)s
      AND state IN ('closed', 'resolved', 'assigned', 'accepted', 'in_progress') AS reopen,
    CASE WHEN state = 'direct' THEN 'hotline'
         ELSE (ARRAY['hotline','hotline','hotline','hotline','hotline','hotline','hotline','web','app','wechat',
                     'hotline','hotline','hotline','web','app','wechat','weibo','api','proactive','hotline'])
              [1 + floor(r12 * 20)::int] END AS channel,
    CASE WHEN state = 'direct' THEN 'consultation'
         ELSE (ARRAY['complaint','complaint','complaint','complaint','complaint','complaint','complaint','complaint',
                     'complaint','help','help','help','help','help','consultation','consultation','report','report',
                     'suggestion','praise'])[1 + floor(r11 * 20)::int] END AS demand_type,
    pol.policy_id, pol.contact_s AS cs, pol.resolve_s AS rs, pol.warn, pol.escalate_s
  FROM s JOIN bench_catpol pol ON pol.n = s.cat_n AND pol.priority = s.priority
), g AS MATERIALIZED (
  SELECT f.*,
    CASE WHEN redispatch THEN CASE WHEN first_unit = street_unit THEN cm_unit ELSE street_unit END
         ELSE first_unit END AS final_unit,
    redispatch OR reopen OR state = 'returned' AS has_k0,
    state IN ('assigned', 'accepted', 'in_progress', 'resolved', 'closed', 'merged') AS has_k1,
    state IN ('accepted', 'in_progress', 'resolved', 'closed') AS did_accept,
    state IN ('in_progress', 'resolved', 'closed') AS did_contact,
    state IN ('resolved', 'closed') AS did_resolve,
    state = 'closed' AND r2 < %(rated)s AS rated,
    %(operator)s::int IS NOT NULL AND r3 < 0.5 AS by_phone,
    CASE WHEN r4 < 0.85 THEN 'satisfied' ELSE 'basically' END AS satisfaction,
    r5 < 0.95 AS solved,
    priority = 'complex' AND r6 < %(extension)s AND state IN ('closed', 'resolved', 'accepted', 'in_progress')
      AS extended,
    CASE WHEN state IN ('accepted', 'in_progress') AND r7 < 0.4 THEN 'pending'
         WHEN r7 < 0.85 THEN 'approved' ELSE 'refused' END AS ext_status,
    2 + r8 * 58 + CASE WHEN target IS NULL THEN 600 + r9 * 3000 ELSE 0 END AS o_a1
  FROM f
), h AS MATERIALIZED (
  -- Durations of each step, in seconds; the offsets below are their sums.
  SELECT g.*,
    hot IS NULL AND final_unit = street_unit AND r9 < %(hand_down)s AND did_accept AS hand_down,
    final_unit = street_unit AND cm_unit IS NOT NULL AND r9 > 1 - %(summons)s AND did_contact AS summoned,
    600 + r10 * 6600 AS d_ret,
    cs * (0.02 + 0.3 * r2) AS d_acc1,
    cs * (0.05 + 0.4 * r3) AS d_con1,
    rs * (0.1 + 0.6 * r4) AS d_res1,
    3600 * (4 + 68 * r5) AS d_rate1,
    cs * (0.02 + 0.3 * r7) AS d_acc,
    cs * (0.05 + 0.5 * r8) * CASE WHEN r10 < 0.05 THEN 3 ELSE 1 END AS d_con,
    rs * (0.1 + 0.7 * r9) * CASE WHEN r10 > 0.92 THEN 1.6 ELSE 1 END AS d_res,
    3600 * (2 + 100 * r11) AS d_rate,
    CASE WHEN rated THEN 3600 * (2 + 100 * r11) ELSE 7 * 86400 + 600 * r12 END AS d_close
  FROM g
), o AS (
  SELECT h.*,
    o_a1 + CASE WHEN redispatch THEN d_ret + 300 + r6 * 3300
                WHEN reopen THEN d_acc1 + d_con1 + d_res1 + d_rate1 + 1 ELSE 0 END AS o_a2
  FROM h
), t AS MATERIALIZED (
  SELECT o.*,
    o_a1 + d_ret AS o_ret, o_a1 + d_acc1 AS o_acc1, o_a1 + d_acc1 + d_con1 AS o_con1,
    o_a1 + d_acc1 + d_con1 + d_res1 AS o_res1, o_a1 + d_acc1 + d_con1 + d_res1 + d_rate1 AS o_rate1,
    o_a2 + d_acc AS o_acc, o_a2 + d_acc + d_con AS o_con, o_a2 + d_acc + d_con + d_res AS o_res,
    o_a2 + d_acc + d_con + d_res + d_rate AS o_rate, o_a2 + d_acc + d_con + d_res + d_close AS o_close,
    CASE state WHEN 'submitted' THEN 0 WHEN 'returned' THEN o_a1 + d_ret WHEN 'assigned' THEN o_a2
      WHEN 'accepted' THEN o_a2 + d_acc WHEN 'in_progress' THEN o_a2 + d_acc + d_con
      WHEN 'resolved' THEN o_a2 + d_acc + d_con + d_res
      WHEN 'closed' THEN o_a2 + d_acc + d_con + d_res + d_close WHEN 'rejected' THEN 3600 * (1 + 20 * r2)
      WHEN 'merged' THEN o_a2 + 3600 * (1 + 47 * r3) ELSE 180 + 600 * r4 END AS o_done,
    -- How long ago the last step was: open orders are mostly recent, so that about a
    -- quarter of them are overdue (16 k at a million, as issue 10 measured).
    CASE WHEN state IN ('submitted', 'returned') THEN 3 * 86400 * r_age * r_age
      WHEN state = 'assigned' THEN 2 * 86400 * r_age * r_age
      WHEN state = 'accepted' THEN 1.5 * 86400 * r_age * r_age
      WHEN state = 'in_progress' THEN 10 * 86400 * r_age * r_age
      WHEN state = 'resolved' THEN 6.9 * 86400 * r_age
      ELSE 10 * 86400 + 700 * 86400 * r_age END AS lag
  FROM o
), e AS (
  -- Offsets of the summons, the extension and its decision; `o_done + lag` is now.
  SELECT t.*,
    o_acc + (o_con - o_acc) * 0.5 AS o_summon,
    o_acc + (CASE WHEN did_resolve THEN o_res ELSE o_done + lag END - o_acc) * 0.5 AS o_req,
    CASE WHEN did_resolve THEN o_res ELSE o_done + lag END AS o_end
  FROM t
)
SELECT e.*, t0,
  t0 + o_a1 * s AS a1,
  CASE WHEN redispatch OR state = 'returned' THEN t0 + o_ret * s END AS ret_at,
  CASE WHEN reopen THEN t0 + o_acc1 * s END AS acc1,
  CASE WHEN reopen THEN t0 + o_con1 * s END AS con1,
  CASE WHEN reopen THEN t0 + o_res1 * s END AS res1,
  CASE WHEN reopen THEN t0 + o_rate1 * s END AS rate1,
  CASE WHEN has_k1 THEN t0 + o_a2 * s END AS a2,
  CASE WHEN did_accept THEN t0 + o_acc * s END AS acc,
  CASE WHEN did_contact THEN t0 + o_con * s END AS con,
  CASE WHEN did_resolve THEN t0 + o_res * s END AS res,
  CASE WHEN rated THEN t0 + o_rate * s END AS rate_at,
  CASE WHEN state = 'closed' THEN t0 + o_close * s END AS close_at,
  t0 + o_done * s AS done_at,
  CASE WHEN hand_down THEN community_unit ELSE final_unit END AS holder,
  CASE WHEN summoned THEN t0 + o_summon * s END AS summon_at,
  CASE WHEN summoned THEN t0 + least(o_summon + 300 + r5 * 2400, o_done + lag - 1) * s END AS reported_at,
  CASE WHEN extended THEN t0 + o_req * s END AS req_at,
  CASE WHEN extended AND ext_status <> 'pending' THEN t0 + (o_req + (o_end - o_req) * 0.3) * s END AS dec_at
FROM e, LATERAL (SELECT %(now)s::timestamptz - (o_done + lag) * interval '1 second' AS t0,
                        interval '1 second' AS s) AS base
"""

INDEX_SQL = """
CREATE UNIQUE INDEX ON bench_plan (id);
ANALYZE bench_plan;
"""


def hot_streets(*, n: int, streets: dict) -> list[tuple[str, int, int, int]]:
    """(street code, how many, first place n, places in it) for the hot streets
    that exist, scaled to `n` complaints: at most a quarter of them in all."""
    result, budget = [], n // 4
    for code, at_million in HOT_STREETS:
        if code not in streets:
            continue
        count = min(max(1, at_million * n // HOT_AT), budget)
        if count <= 0:
            break
        budget -= count
        result.append((code, count, *streets[code]))
    return result


def draw_sql(hot: list, *, direct: bool) -> str:
    cases, upto = [], 0
    for code, count, _first, _places in hot:
        upto += count
        cases.append(f"WHEN i <= {upto} THEN '{code}'")
    return DRAW_SQL.format(
        hot=f"CASE {' '.join(cases)} END" if cases else "NULL::text",
        state=_state_case(direct=direct),
        hot_place=_hot_place(hot),
    )


def plan_sql() -> str:
    return PLAN_SQL


def _state_case(*, direct: bool) -> str:
    cases, upto = [], 0.0
    for state, share in STATES:
        upto += share
        cases.append(f"WHEN r_state < {upto:.6f} THEN '{'closed' if state == 'direct' and not direct else state}'")
    return f"CASE {' '.join(cases)} ELSE 'closed' END"


def _hot_place(hot: list) -> str:
    if not hot:
        return "0"
    cases = (f"WHEN hot = '{code}' THEN {first} + mod(i, {places})::int" for code, _n, first, places in hot)
    return "CASE " + " ".join(cases) + " END"
