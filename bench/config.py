"""`make bench`'s knobs, from environment variables, checked before anything is touched."""

import os
import re
from dataclasses import dataclass

DEFAULT_N = 1_000_000


class BenchError(Exception):
    """A reason to stop with a clear message and change nothing more."""


@dataclass(frozen=True)
class Config:
    n: int
    database: str
    keep: bool
    postgres: str  # postgres://user@host:port, without a database name
    redis: str  # redis://host:port
    redis_db: int  # the broker's database; the cache uses the next one
    seconds: int  # one load window
    windows: int
    rate: int  # the fixed rate for latencies
    requests: int  # per page
    sweep_due: int
    port: int
    output: str

    @property
    def database_url(self) -> str:
        return f"{self.postgres}/{self.database}"

    @property
    def broker_url(self) -> str:
        return f"{self.redis}/{self.redis_db}"

    @property
    def cache_url(self) -> str:
        return f"{self.redis}/{self.redis_db + 1}"


def config_from_env(env=os.environ) -> Config:
    database = env.get("BENCH_DB", "whistle_bench")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", database):
        raise BenchError(f"BENCH_DB must be a plain lower-case PostgreSQL name (letters, digits, _), not {database!r}.")
    redis_db = _positive(env, "BENCH_REDIS_DB", 5, minimum=1)
    if redis_db > 14:
        raise BenchError("BENCH_REDIS_DB must be between 1 and 14 (the cache uses the next database).")
    return Config(
        n=_positive(env, "BENCH_N", DEFAULT_N),
        database=database,
        keep=env.get("BENCH_KEEP", "").strip().lower() in ("1", "true", "yes", "on"),
        postgres=env.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/"),
        redis=env.get("BENCH_REDIS", "redis://127.0.0.1:6379").rstrip("/"),
        redis_db=redis_db,
        seconds=_positive(env, "BENCH_SECONDS", 20),
        windows=_positive(env, "BENCH_WINDOWS", 3),
        rate=_positive(env, "BENCH_RATE", 100),
        requests=_positive(env, "BENCH_REQUESTS", 100),
        sweep_due=_positive(env, "BENCH_SWEEP_DUE", 10_000),
        port=_positive(env, "BENCH_PORT", 8765),
        output=env.get("BENCH_OUTPUT", "docs/BENCHMARKS.md"),
    )


def _positive(env, name: str, default: int, *, minimum: int = 1) -> int:
    raw = env.get(name, "").strip().replace("_", "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < minimum:
        raise BenchError(f"{name} must be a whole number of at least {minimum}, not {env.get(name)!r}.")
    return int(raw)
