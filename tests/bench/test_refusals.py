"""`make bench` refuses bad input before it touches anything: a BENCH_N that is
not a positive number, a database or a Redis database it did not create."""

import uuid

import psycopg2
import pytest
from django.conf import settings
from psycopg2 import sql

from bench.config import BenchError, config_from_env
from bench.database import MARK, database_create, database_drop


@pytest.mark.parametrize("value", ["0", "-5", "many", "1e6", "2.5"])
def test_a_bench_n_that_is_not_a_positive_number_is_refused_with_its_name(value):
    with pytest.raises(BenchError, match="BENCH_N must be a whole number"):
        config_from_env({"BENCH_N": value})


def test_bench_n_takes_underscores_and_defaults_to_a_million():
    assert config_from_env({"BENCH_N": "20_000"}).n == 20_000
    assert config_from_env({}).n == 1_000_000


def test_a_database_name_that_is_not_plain_is_refused():
    with pytest.raises(BenchError, match="BENCH_DB"):
        config_from_env({"BENCH_DB": 'x"; DROP DATABASE postgres; --'})


def _postgres_base() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


@pytest.mark.services(redis=False)
def test_a_database_the_bench_did_not_create_is_refused_and_left_alone():
    name = f"bench_foreign_{uuid.uuid4().hex[:8]}"
    base = _postgres_base()
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        config = config_from_env({"BENCH_DB": name, "BENCH_POSTGRES": base})
        with pytest.raises(BenchError, match="was not created by make bench"):
            database_create(config)
        database_drop(config)  # not marked: left alone as well
        with admin.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone()[0] == 1
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()


@pytest.mark.services(redis=False)
def test_the_bench_database_is_marked_replaced_and_dropped():
    name = f"bench_own_{uuid.uuid4().hex[:8]}"
    base = _postgres_base()
    config = config_from_env({"BENCH_DB": name, "BENCH_POSTGRES": base})
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    try:
        database_create(config)
        database_create(config)  # an earlier run's (marked) database is replaced
        with admin.cursor() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone()[0] == MARK
        database_drop(config)
        with admin.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone()[0] == 0
    finally:
        with admin.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()
