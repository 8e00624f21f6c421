"""The figures, printed as a table and written to docs/BENCHMARKS.md with what
they were measured on."""

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.environment import BASE_DIR


@dataclass
class Figure:
    section: str
    name: str
    value: str
    target: str = ""
    rows: str = ""
    note: str = ""


def machine() -> dict[str, str]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    try:
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, IndexError, ValueError):
        ram = "unknown"
    return {"nproc": str(os.cpu_count()), "ram": ram, "cpu": cpu or "unknown", "load": _load()}


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def revision(*, output: Path | None = None) -> str:
    """The commit measured, and whether the tree differs from it. The table a run writes
    (`output`) does not count: an earlier run's table is not a change to the code."""

    def git(*args: str) -> str:
        try:
            return subprocess.run(  # noqa: S603 - fixed git arguments
                ["git", *args],  # noqa: S607 - git from PATH, as the developer runs it
                cwd=BASE_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=False,  # noqa: S607
            ).stdout.strip()
        except OSError:
            return ""

    rev = git("rev-parse", "--short", "HEAD") or "unknown"
    leave_out = []
    if output is not None and output.resolve().is_relative_to(BASE_DIR.resolve()):
        leave_out = [f":(exclude){output.resolve().relative_to(BASE_DIR.resolve()).as_posix()}"]
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", *leave_out))
    return f"{rev}{' (dirty: uncommitted changes)' if dirty else ''}"


def table(figures: list[Figure]) -> str:
    head = ("section", "figure", "value", "target", "rows", "note")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for f in figures:
        cells = (f.section, f.name, f.value, f.target, f.rows, f.note)
        lines.append("| " + " | ".join(c.replace("|", "/").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines)


def report_write(*, path: Path, figures: list[Figure], context: dict, started: datetime) -> str:
    info = machine()
    rows = context.get("rows", {})
    text = "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `make bench` (bench/): a generated city on PostgreSQL and Redis, the portal's own",
            "processes, load from a separate process. Figures against the targets of issue 10;",
            "a figure that could not be measured says why.",
            "",
            f"- date: {started.astimezone(UTC):%Y-%m-%d %H:%M} UTC; git revision {revision(output=path)}",
            f"- machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram']} RAM; "
            f"load average at the end {info['load']} (other work on the box competes for the CPUs)",
            f"- city: BENCH_N={context.get('n')} complaints generated in {context.get('generated', '?')}; "
            + ", ".join(f"{table_name} {count:,}" for table_name, count in rows.items()),
            f"- hot units: {context.get('hot', '')}",
            f"- load windows: {context.get('windows')} × {context.get('seconds')} s; fixed rate "
            f"{context.get('rate')}/s; pages: {context.get('requests')} requests each after warm-up",
            "",
            table(figures),
            "",
            "## How each figure is taken",
            "",
            *[f"- {line}" for line in context.get("methods", [])],
            "",
        ]
    )
    path = path if path.is_absolute() else BASE_DIR / path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return text


def now_utc() -> datetime:
    return datetime.now(UTC)
