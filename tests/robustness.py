"""The figures the robustness tests count, gathered into one table at the end of
a run: what each fault test injected and what came of it (filed, lost,
duplicated, server errors), how many hostile requests the walks sent and how
many generated inputs the fuzzers tried. Each test writes its own file under
WHISTLE_ROBUSTNESS (one folder per run, shared by xdist's workers); the summary
reads them all."""

import json
import os
from collections import Counter
from pathlib import Path

ENV = "WHISTLE_ROBUSTNESS"
FAULT_COLUMNS = ("filed", "lost", "duplicated", "server_errors")


class Tally(Counter):
    """Counts for one test: `tally["fuzz_examples"] += 1`; `tally.fault = "…"`
    names the fault a fault test injected."""

    fault: str | None = None


def tally_write(*, nodeid: str, tally: Tally) -> None:
    if not tally and tally.fault is None:
        return
    folder = Path(os.environ[ENV])
    folder.mkdir(parents=True, exist_ok=True)
    name = "".join(c if c.isalnum() else "_" for c in nodeid)[-180:]
    (folder / f"{name}.json").write_text(json.dumps({"test": nodeid, "fault": tally.fault, "counts": dict(tally)}))


def summary_lines() -> list[str]:
    folder = Path(os.environ.get(ENV, ""))
    if not os.environ.get(ENV) or not folder.is_dir():
        return []
    records = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    if not records:
        return []
    lines = [f"robustness figures ({folder}):"]
    faults = [r for r in records if r["fault"]]
    if faults:
        lines.append("  fault injected | " + " | ".join(FAULT_COLUMNS))
        totals = Counter()
        for record in faults:
            counts = record["counts"]
            totals.update({c: counts.get(c, 0) for c in FAULT_COLUMNS})
            lines.append(f"  {record['fault']} | " + " | ".join(str(counts.get(c, 0)) for c in FAULT_COLUMNS))
        lines.append(f"  {len(faults)} faults in all | " + " | ".join(str(totals[c]) for c in FAULT_COLUMNS))
    overall = Counter()
    for record in records:
        if not record["fault"]:
            overall.update(record["counts"])
    for name, value in sorted(overall.items()):
        lines.append(f"  {name.replace('_', ' ')}: {value:,}")
    return lines
