"""`make bench` (python -m bench): generate a city on PostgreSQL, measure today's
code against issue 10's targets, write docs/BENCHMARKS.md, drop the database."""

import signal
import sys

from bench.config import BenchError, config_from_env


def main() -> int:
    try:
        config = config_from_env()
    except BenchError as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 2
    from bench.run import bench_run

    # Stopped by Ctrl-C, CI's timeout (SIGTERM) or from a background job (where SIGINT
    # starts ignored): clean up all the same, the started processes and the database.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    try:
        bench_run(config)
    except BenchError as error:
        print(f"make bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "make bench: stopped; what it started is stopped (and its database dropped unless BENCH_KEEP=1).",
            file=sys.stderr,
        )
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
