"""The physical reference: single-row INSERT + COMMIT from one psycopg2 connection
into a scratch table of the bench database, as fast as it goes."""

import time

import psycopg2


def raw_insert_rate(*, database_url: str, seconds: float) -> float:
    connection = psycopg2.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE bench_scratch (id bigserial PRIMARY KEY, body text NOT NULL, "
                "at timestamptz NOT NULL DEFAULT now())"
            )
        connection.commit()
        count, end = 0, time.monotonic() + seconds
        started = time.monotonic()
        with connection.cursor() as cursor:
            while time.monotonic() < end:
                cursor.execute("INSERT INTO bench_scratch (body) VALUES (%s)", ["噪声扰民"])
                connection.commit()
                count += 1
        elapsed = time.monotonic() - started
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_scratch")
        connection.commit()
        return count / elapsed
    finally:
        connection.close()
