"""`python -m bench.profile` against a database kept by `BENCH_KEEP=1 make bench`:
for each measured page, its queries by time and the plan of the slowest
(EXPLAIN ANALYZE, BUFFERS), to say where a page's time goes. Read-only: the
plans of SELECTs only."""

import sys

from bench.config import BenchError, config_from_env
from bench.environment import environment_apply


def main() -> int:
    try:
        config = config_from_env()
    except BenchError as error:
        print(f"bench.profile: {error}", file=sys.stderr)
        return 2
    environment_apply(config)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.measure.pages import pages_for

    wanted = set(sys.argv[1:])
    for page in pages_for(now=timezone.now()):
        if not page.url or (wanted and not any(w in page.name for w in wanted)):
            continue
        client = Client()
        if page.user:
            client.force_login(get_user_model().objects.get(username=page.user))
        client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.url)
            if response.streaming:
                b"".join(response.streaming_content)
        queries = sorted(captured.captured_queries, key=lambda q: float(q["time"]), reverse=True)
        total = sum(float(q["time"]) for q in queries)
        print(
            f"\n=== {page.name} ({page.url}): HTTP {response.status_code}, {len(queries)} queries, {total:.3f} s in SQL"
        )
        for query in queries[:3]:
            print(f"  {float(query['time']):.3f} s  {query['sql'][:300]}")
        slowest = next((q["sql"] for q in queries if q["sql"].lstrip().upper().startswith("SELECT")), None)
        if slowest:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest)
                print("\n".join("    " + row[0] for row in cursor.fetchall()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
