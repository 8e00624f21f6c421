"""The bench's own PostgreSQL database and Redis databases: created and marked
here, and never touched when the mark is missing (someone else's data)."""

import psycopg2
import redis
from psycopg2 import sql

from bench.config import BenchError, Config

MARK = "whistle-bench: created by make bench, dropped by it"
REDIS_MARK_KEY = "whistle-bench:owner"


def _admin(config: Config):
    connection = psycopg2.connect(f"{config.postgres}/postgres")
    connection.autocommit = True
    return connection


def _comment(cursor, name: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return None if row is None else (row[0] or "")


def database_create(config: Config) -> None:
    """A fresh, marked database. One left by an earlier run (BENCH_KEEP=1, or a
    run that was stopped) carries the mark and is replaced; any other is refused."""
    try:
        connection = _admin(config)
    except psycopg2.Error as error:
        raise BenchError(f"Cannot reach PostgreSQL at {config.postgres}: {error}".strip()) from error
    with connection.cursor() as cursor:
        comment = _comment(cursor, config.database)
        if comment is not None and comment != MARK:
            raise BenchError(
                f"Database {config.database!r} exists and was not created by make bench (no bench mark on it): "
                "refusing to touch it. Choose another name with BENCH_DB=…"
            )
        if comment == MARK:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(config.database)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config.database)))
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(config.database), sql.Literal(MARK))
        )
    connection.close()


def database_drop(config: Config) -> None:
    connection = _admin(config)
    with connection.cursor() as cursor:
        if _comment(cursor, config.database) == MARK:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(config.database)))
    connection.close()


def redis_claim(config: Config) -> None:
    """The broker's and the cache's Redis databases: empty, or marked by an earlier run."""
    for number in (config.redis_db, config.redis_db + 1):
        client = redis.Redis.from_url(f"{config.redis}/{number}", socket_connect_timeout=2)
        try:
            size = client.dbsize()
            marked = client.get(REDIS_MARK_KEY) is not None
        except redis.RedisError as error:
            raise BenchError(f"Cannot reach Redis at {config.redis}/{number}: {error}") from error
        if size and not marked:
            raise BenchError(
                f"Redis database {number} at {config.redis} holds {size} keys that make bench did not write: "
                "refusing to touch it. Choose another with BENCH_REDIS_DB=…"
            )
        client.flushdb()
        client.set(REDIS_MARK_KEY, MARK)


def redis_release(config: Config) -> None:
    """Empty both again: claimed at the start (empty or ours), so ours to empty, even
    after a cold-cache measurement flushed the mark away with the cache."""
    for number in (config.redis_db, config.redis_db + 1):
        redis.Redis.from_url(f"{config.redis}/{number}", socket_connect_timeout=2).flushdb()
