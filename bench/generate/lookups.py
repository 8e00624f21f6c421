"""The reference rows the generated city draws from, read once from the seeded
database into temporary tables: communities with their street office and
committee, district departments, leaf categories with the routing rule and the
deadline policy each would get. Routing and policy choice follow the portal's
own rules (dispatch.services.routing, dispatch.services.deadlines) for the
seeded rules, which have no region: a rule with a region is left out here."""

from dataclasses import dataclass

HOURS = 3600
# A policy in working days is counted here as calendar days × 7/5: close enough
# for generated history, and the only approximation the due times make.
WORKING_DAY_SECONDS = 24 * HOURS * 7 / 5

PLACES_SQL = """
CREATE TEMP TABLE bench_place AS
SELECT (row_number() OVER (ORDER BY r.code) - 1)::int AS n, r.id AS region_id, s.code AS street_code,
       s.parent_id AS district_region_id, left(r.code, 6) AS district_code,
       su.id AS street_unit, cu.id AS community_unit
FROM complaints_region r
JOIN complaints_region s ON s.id = r.parent_id
JOIN dispatch_unit su ON su.region_id = s.id AND su.kind = 'street_office' AND su.is_active
JOIN dispatch_unit cu ON cu.region_id = r.id AND cu.kind = 'community' AND cu.is_active
WHERE r.level = 'community';
CREATE UNIQUE INDEX ON bench_place (n);
CREATE TEMP TABLE bench_dept AS
SELECT d.code AS district_code, u.department_kind AS kind, u.id AS unit_id
FROM dispatch_unit u
JOIN dispatch_unit p ON p.id = u.parent_id
JOIN complaints_region d ON d.id = p.region_id
WHERE u.kind = 'department' AND u.is_active;
CREATE UNIQUE INDEX ON bench_dept (district_code, kind);
"""


@dataclass(frozen=True)
class Policy:
    id: int | None
    contact_s: float
    resolve_s: float
    warn: float
    escalate_s: float


@dataclass(frozen=True)
class LeafCategory:
    n: int
    id: int
    code: str
    priority: str  # the category's own default ("" when it has none)
    rule_id: int | None
    rule_name: str
    target_kind: str  # "" when no rule routes it: triage
    dept_kind: str
    fixed_unit: int | None
    policies: dict  # priority -> Policy


@dataclass(frozen=True)
class Lookups:
    places: int
    streets: dict  # street code -> (first n, count)
    categories: list
    operator_id: int | None
    article: tuple | None  # (id, version)


def lookups_load(cursor) -> Lookups:
    cursor.execute(PLACES_SQL)
    cursor.execute("SELECT count(*) FROM bench_place")
    places = cursor.fetchone()[0]
    cursor.execute("SELECT street_code, min(n), count(*) FROM bench_place GROUP BY street_code")
    streets = {code: (first, count) for code, first, count in cursor.fetchall()}
    categories = _leaf_categories(cursor)
    cursor.execute(
        "SELECT m.user_id FROM dispatch_membership m JOIN dispatch_unit u ON u.id = m.unit_id "
        "WHERE u.kind = 'centre' AND m.role = 'operator' ORDER BY m.user_id LIMIT 1"
    )
    row = cursor.fetchone()
    operator_id = row[0] if row else None
    cursor.execute("SELECT id, version FROM dispatch_knowledgearticle ORDER BY id LIMIT 1")
    article = cursor.fetchone()
    _categories_table(cursor, categories)
    return Lookups(places, streets, categories, operator_id, tuple(article) if article else None)


def _leaf_categories(cursor) -> list[LeafCategory]:
    cursor.execute("SELECT id, code, default_priority FROM complaints_category WHERE is_active")
    rows = cursor.fetchall()
    by_code = {code: (pk, priority) for pk, code, priority in rows}
    parents = {code.split(".")[0] for code in by_code if "." in code}
    leaves = sorted(code for code in by_code if "." in code or code not in parents)
    cursor.execute(
        "SELECT r.id, r.name, c.code, r.target_kind, r.department_kind, r.target_unit_id, r.priority "
        "FROM dispatch_routingrule r LEFT JOIN complaints_category c ON c.id = r.category_id "
        "LEFT JOIN dispatch_unit u ON u.id = r.target_unit_id "
        "WHERE r.is_active AND r.region_id IS NULL AND (u.id IS NULL OR u.is_active)"
    )
    rules = cursor.fetchall()
    cursor.execute(
        "SELECT p.id, c.code, p.priority, p.contact_within, p.contact_unit, p.resolve_within, p.resolve_unit, "
        "p.warn_share, p.escalate_after_hours FROM dispatch_deadlinepolicy p "
        "LEFT JOIN complaints_category c ON c.id = p.category_id WHERE p.is_active"
    )
    policies = cursor.fetchall()
    result = []
    for n, code in enumerate(leaves):
        ancestors = _ancestors(code)
        rule = _best_rule(rules, ancestors)
        own_priority = by_code[code][1] or by_code.get(ancestors[0], (None, ""))[1]
        result.append(
            LeafCategory(
                n=n,
                id=by_code[code][0],
                code=code,
                priority=own_priority or "",
                rule_id=rule[0] if rule else None,
                rule_name=rule[1] if rule else "",
                target_kind=rule[3] if rule else "",
                dept_kind=rule[4] if rule else "",
                fixed_unit=rule[5] if rule else None,
                policies={p: _policy(policies, ancestors, p) for p in ("urgent", "normal", "complex")},
            )
        )
    return result


def _ancestors(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _best_rule(rules, ancestors):
    """dispatch.services.routing's order for rules without a region: deeper
    category, then higher priority, then the older rule."""
    matching = [r for r in rules if r[2] is None or r[2] in ancestors]
    return max(matching, key=lambda r: ((r[2].count(".") + 1) if r[2] else 0, r[6], -r[0]), default=None)


def _policy(policies, ancestors, priority) -> Policy:
    """dispatch.services.deadlines.policy_for, and due_times' fallback without one."""
    matching = [p for p in policies if p[2] == priority and (p[1] is None or p[1] in ancestors)]
    best = max(matching, key=lambda p: (p[1].count(".") + 1) if p[1] else 0, default=None)
    if best is None:
        return Policy(None, 24 * HOURS, 7 * 24 * HOURS, 0.8, 24 * HOURS)
    contact = best[3] * (WORKING_DAY_SECONDS if best[4] == "working_days" else HOURS)
    resolve = best[5] * (WORKING_DAY_SECONDS if best[6] == "working_days" else HOURS)
    return Policy(best[0], contact, max(contact, resolve), float(best[7]), best[8] * HOURS)


def _categories_table(cursor, categories: list[LeafCategory]) -> None:
    cursor.execute(
        "CREATE TEMP TABLE bench_cat (n int PRIMARY KEY, category_id int, rule_id int, rule_name text, "
        "target_kind text, dept_kind text, fixed_unit int, priority text)"
    )
    cursor.execute(
        "CREATE TEMP TABLE bench_catpol (n int, priority text, policy_id int, contact_s float8, resolve_s float8, "
        "warn float8, escalate_s float8, PRIMARY KEY (n, priority))"
    )
    for c in categories:
        cursor.execute(
            "INSERT INTO bench_cat VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [c.n, c.id, c.rule_id, c.rule_name, c.target_kind, c.dept_kind, c.fixed_unit, c.priority],
        )
        for priority, p in c.policies.items():
            cursor.execute(
                "INSERT INTO bench_catpol VALUES (%s, %s, %s, %s, %s, %s, %s)",
                [c.n, priority, p.id, p.contact_s, p.resolve_s, p.warn, p.escalate_s],
            )
