"""Audit the installed packages of a virtualenv against a vendored OSV snapshot.

Three commands, each with a wrapper beside this file:

    .ci/audit         audit .venv against .ci/osv/pypi-advisories.json (CI runs it)
    .ci/osv-refresh   rebuild that snapshot from OSV's PyPI/all.zip or a PyPA
                      advisory-database checkout
    python .ci/osv_audit.py serve
                      answer OSV's /v1/query from the snapshot on 127.0.0.1, for
                      `pip-audit -s osv --osv-url ...` by hand

The matcher follows the OSV schema: an advisory affects a version when the version
is in an `affected[].versions` list, or falls in an ECOSYSTEM/SEMVER range whose
events (`introduced`, `fixed`, `last_affected`; "0" below every version) are
evaluated in version order; withdrawn advisories are ignored. Names are compared
after PEP 503 normalisation, versions with packaging.version. An installed package
counts as audited only when the snapshot covers its name and its version parses;
the audit fails when fewer packages were audited than are installed, so it can
never pass by auditing nothing.

`.ci/audit` also runs pip-audit (pinned in .ci/pip-audit-requirements.txt, in its
own venv under var/ci/) against the same snapshot, served as a local OSV API, and
fails unless pip-audit audited the same packages and found the same advisories.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess  # noqa: S404 - runs git, the venv's python and pip-audit, never a shell
import sys
import threading
import urllib.request
import zipfile
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / ".ci" / "osv" / "pypi-advisories.json"
PIP_AUDIT_REQUIREMENTS = ROOT / ".ci" / "pip-audit-requirements.txt"
WORK = ROOT / "var" / "ci"
OSV_ZIP_URL = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
ADVISORY_DB_URL = "https://github.com/pypa/advisory-database"
FORMAT = 1
# Past this age the audit still runs but says loudly how old its knowledge is.
STALE_AFTER_DAYS = 90
# Printed for a summary this long at most; the full text is at the advisory's address.
SUMMARY_CHARS = 160

_ZERO = (0, None)  # "0" in an OSV range: below every version


def normalize(name: str) -> str:
    """PEP 503: runs of -, _ and . become one -, lower case."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_version(text: str) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


class SnapshotError(Exception):
    """The snapshot cannot be read or an advisory in it cannot be evaluated."""


# --- matching ------------------------------------------------------------------------


def _event_key(raw: str) -> tuple:
    if raw == "0":
        return _ZERO
    version = parse_version(raw)
    if version is None:
        raise SnapshotError(f"invalid version {raw!r} in a range event")
    return (1, version)


def range_affects(version: Version, events: list[dict]) -> bool:
    """OSV's range evaluation: walk the events in version order."""
    ordered = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected"):
            if kind in event:
                ordered.append((_event_key(str(event[kind])), kind))
        # "limit" only bounds GIT ranges; ECOSYSTEM/SEMVER ranges never carry it.
    ordered.sort(key=lambda item: item[0])
    here = (1, version)
    affected = False
    for key, kind in ordered:
        if kind == "introduced" and key <= here:
            affected = True
        elif kind == "fixed" and key <= here:
            affected = False
        elif kind == "last_affected" and key < here:
            affected = False
    return affected


def entry_affects(version: Version, entry: dict) -> bool:
    for listed in entry.get("versions") or ():
        other = parse_version(listed)
        if other is not None and other == version:
            return True
    for rng in entry.get("ranges") or ():
        if rng.get("type") in ("ECOSYSTEM", "SEMVER") and range_affects(version, rng.get("events") or []):
            return True
    return False


def _entries_for(record: dict, name: str) -> list[dict]:
    return [
        entry
        for entry in record.get("affected") or ()
        if (entry.get("package") or {}).get("ecosystem") == "PyPI"
        and normalize((entry.get("package") or {}).get("name", "")) == name
    ]


def _evaluable(entry: dict) -> bool:
    ranges = entry.get("ranges") or ()
    return bool(entry.get("versions")) or any(r.get("type") in ("ECOSYSTEM", "SEMVER") for r in ranges)


def fixed_versions(record: dict, name: str) -> list[str]:
    found = set()
    for entry in _entries_for(record, name):
        for rng in entry.get("ranges") or ():
            if rng.get("type") in ("ECOSYSTEM", "SEMVER"):
                found.update(str(e["fixed"]) for e in rng.get("events") or () if "fixed" in e)
    return sorted(found, key=lambda v: parse_version(v) or Version("0"))


def record_affects(record: dict, name: str, version: Version) -> bool:
    if record.get("withdrawn"):
        return False
    try:
        return any(entry_affects(version, entry) for entry in _entries_for(record, name))
    except SnapshotError as error:
        raise SnapshotError(f"{record.get('id', '?')}: {error}") from None


@dataclasses.dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...]
    summary: str

    def line(self) -> str:
        aliases = f" ({', '.join(self.aliases)})" if self.aliases else ""
        fixed = f"fixed in {', '.join(self.fixed)}" if self.fixed else "no fixed version"
        return f"VULNERABLE {self.package} {self.version}: {self.id}{aliases}; {fixed}. {self.summary}"


@dataclasses.dataclass
class AuditResult:
    installed: list[tuple[str, str]]
    audited: list[tuple[str, str]]
    not_audited: list[tuple[str, str, str]]  # name, version, why
    findings: list[Finding]
    # Advisories for an audited package that give no version to match (GIT ranges only).
    unevaluated: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.installed) and len(self.audited) == len(self.installed) and not self.not_audited


def audit(installed: Iterable[tuple[str, str]], snapshot: dict) -> AuditResult:
    """Match every installed (name, version) against the snapshot."""
    unique = sorted({(normalize(name), str(version)) for name, version in installed})
    covered = set(snapshot["packages"])
    advisories = snapshot["advisories"]
    result = AuditResult(installed=unique, audited=[], not_audited=[], findings=[])
    for name, raw in unique:
        version = parse_version(raw)
        if name not in covered:
            result.not_audited.append((name, raw, "not in the snapshot: run .ci/osv-refresh"))
            continue
        if version is None:
            result.not_audited.append((name, raw, "version is not PEP 440, cannot be compared"))
            continue
        result.audited.append((name, raw))
        for record in advisories.get(name, ()):
            entries = _entries_for(record, name)
            if not record.get("withdrawn") and not any(_evaluable(e) for e in entries):
                result.unevaluated.append((name, record["id"]))
            if record_affects(record, name, version):
                result.findings.append(
                    Finding(
                        package=name,
                        version=raw,
                        id=record["id"],
                        aliases=tuple(record.get("aliases") or ()),
                        fixed=tuple(fixed_versions(record, name)),
                        summary=record.get("summary", ""),
                    )
                )
    return result


# --- the snapshot --------------------------------------------------------------------


def load_snapshot(path: Path = SNAPSHOT) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SnapshotError(f"cannot read the snapshot {path}: {error}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError(f"{path} is not an OSV snapshot of format {FORMAT}")
    for key in ("source", "refreshed", "packages", "advisories"):
        if key not in data:
            raise SnapshotError(f"{path} has no {key!r}")
    return data


def _summary(record: dict) -> str:
    text = record.get("summary") or record.get("details") or ""
    text = " ".join(str(text).split())
    if len(text) > SUMMARY_CHARS:
        text = text[: SUMMARY_CHARS - 1].rstrip() + "…"
    return text


def trim(record: dict, name: str) -> dict:
    """What the matcher and pip-audit need of one advisory, for one package."""
    entries = []
    for entry in _entries_for(record, name):
        kept = {"package": {"ecosystem": "PyPI", "name": name}}
        ranges = [
            {"type": r["type"], "events": r.get("events") or []}
            for r in entry.get("ranges") or ()
            if r.get("type") in ("ECOSYSTEM", "SEMVER")
        ]
        if ranges:
            kept["ranges"] = ranges
        if entry.get("versions"):
            kept["versions"] = [str(v) for v in entry["versions"]]
        entries.append(kept)
    out = {
        "id": record["id"],
        "aliases": sorted(record.get("aliases") or []),
        "summary": _summary(record),
        "published": record.get("published"),
        "modified": record.get("modified"),
        "affected": entries,
    }
    if record.get("withdrawn"):
        out["withdrawn"] = record["withdrawn"]
    return {key: value for key, value in out.items() if value is not None}


def build_snapshot(records: Iterable[dict], names: Iterable[str], source: dict, refreshed: str) -> dict:
    wanted = sorted({normalize(n) for n in names})
    advisories: dict[str, list[dict]] = {}
    for record in records:
        for entry in record.get("affected") or ():
            package = entry.get("package") or {}
            name = normalize(package.get("name", ""))
            if package.get("ecosystem") == "PyPI" and name in wanted:
                bucket = advisories.setdefault(name, [])
                if all(kept["id"] != record["id"] for kept in bucket):
                    bucket.append(trim(record, name))
    for bucket in advisories.values():
        bucket.sort(key=lambda r: r["id"])
    return {
        "format": FORMAT,
        "source": source,
        "refreshed": refreshed,
        "refresh_command": ".ci/osv-refresh",
        "packages": wanted,
        "advisories": dict(sorted(advisories.items())),
    }


def dump_snapshot(snapshot: dict) -> str:
    """Compact JSON, one advisory a line, so a refresh reads as a diff."""

    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    lines = ["{"]
    for key in ("format", "source", "refreshed", "refresh_command", "packages"):
        lines.append(f"{one(key)}:{one(snapshot[key])},")
    lines.append('"advisories":{')
    packages = list(snapshot["advisories"].items())
    for i, (name, records) in enumerate(packages):
        lines.append(f"{one(name)}:[")
        lines.extend(one(r) + ("," if j < len(records) - 1 else "") for j, r in enumerate(records))
        lines.append("]" + ("," if i < len(packages) - 1 else ""))
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


# --- sources for a refresh -----------------------------------------------------------


def _yaml_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        """Keeps dates and versions such as 1.10 as the strings they are written as."""

    Loader.yaml_implicit_resolvers = {
        first: [
            (tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:float")
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return lambda text: yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader subclass


def _git(git_dir: Path, *args: str, data: bytes | None = None) -> bytes:
    command = ["git", f"--git-dir={git_dir}", *args]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout  # noqa: S603


def records_from_git(git_dir: Path, rev: str, names: set[str], url: str = ADVISORY_DB_URL) -> tuple[list[dict], dict]:
    """Advisories of the wanted packages from an advisory-database repository's git dir."""
    load = _yaml_loader()
    commit = _git(git_dir, "rev-parse", f"{rev}^{{commit}}").decode().strip()
    date = _git(git_dir, "show", "-s", "--format=%cI", commit).decode().strip()
    listing = _git(git_dir, "ls-tree", "-r", "--name-only", commit, "--", "vulns/").decode().splitlines()
    paths = [p for p in listing if p.endswith(".yaml") and normalize(p.split("/")[1]) in names]
    blobs = _git(git_dir, "cat-file", "--batch", data="".join(f"{commit}:{p}\n" for p in paths).encode())
    records, stream = [], io.BytesIO(blobs)
    for _ in paths:
        header = stream.readline().split()
        body = stream.read(int(header[2]))
        stream.read(1)
        records.append(load(body.decode("utf-8")))
    source = {"name": "PyPA advisory database", "url": url, "commit": commit, "date": date}
    return records, source


def records_from_checkout(path: Path, names: set[str], url: str = ADVISORY_DB_URL) -> tuple[list[dict], dict]:
    load = _yaml_loader()
    records = []
    for folder in sorted((path / "vulns").iterdir()):
        if folder.is_dir() and normalize(folder.name) in names:
            records.extend(load(f.read_text(encoding="utf-8")) for f in sorted(folder.glob("*.yaml")))
    source = {"name": "PyPA advisory database", "url": url, "commit": None, "date": None}
    try:
        source["commit"] = _git(path / ".git", "rev-parse", "HEAD").decode().strip()
        source["date"] = _git(path / ".git", "show", "-s", "--format=%cI", "HEAD").decode().strip()
    except (OSError, subprocess.CalledProcessError):
        source["date"] = max((r.get("modified") or "" for r in records), default=None)
    return records, source


def records_from_zip(location: str) -> tuple[list[dict], dict]:
    """OSV's PyPI/all.zip (one JSON advisory a file), from a path or a URL."""
    source = {"name": "OSV.dev PyPI export", "url": location}
    if re.match(r"https?://", location):
        with urllib.request.urlopen(location, timeout=300) as response:  # noqa: S310 - http(s) only
            blob = response.read()
            source["last_modified"] = response.headers.get("Last-Modified")
    else:
        blob = Path(location).read_bytes()
    source["sha256"] = hashlib.sha256(blob).hexdigest()
    records = []
    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        for member in archive.namelist():
            if member.endswith(".json"):
                records.append(json.loads(archive.read(member)))
    source["date"] = max((r.get("modified") or "" for r in records), default=None)
    return records, source


# --- the venv ------------------------------------------------------------------------

_LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m, json\n"
    "print(json.dumps(sorted({(d.metadata['Name'] or '', d.version or '') for d in m.distributions()})))\n"
)


def installed_packages(python: Path) -> list[tuple[str, str]]:
    """Every distribution in the interpreter's site-packages (isolated: no cwd, no user site)."""
    out = subprocess.run([str(python), "-I", "-c", _LIST_DISTRIBUTIONS], capture_output=True, text=True, check=True)  # noqa: S603
    return [(name, version) for name, version in json.loads(out.stdout)]


def requirement_names(*files: Path) -> set[str]:
    names = set()
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)", line)
            if match and not line.startswith("-"):
                names.add(normalize(match.group(1)))
    return names


# --- a local OSV API, so pip-audit reads the snapshot --------------------------------


def osv_query(snapshot: dict, body: dict) -> dict:
    """OSV's POST /v1/query for one PyPI package and version: {"vulns": [...]} or {}."""
    package = body.get("package") or {}
    if package.get("ecosystem") != "PyPI" or "name" not in package or "version" not in body:
        raise ValueError("expected {package: {name, ecosystem: PyPI}, version}")
    name, version = normalize(str(package["name"])), parse_version(str(body["version"]))
    if version is None or name not in snapshot["packages"]:
        raise LookupError(f"{name} {body['version']} cannot be audited against this snapshot")
    vulns = [r for r in snapshot["advisories"].get(name, ()) if record_affects(r, name, version)]
    return {"vulns": vulns} if vulns else {}


@contextlib.contextmanager
def serve(snapshot: dict, port: int = 0) -> Iterator[str]:
    """Serve osv_query on 127.0.0.1; yields the /v1/query URL. A package the snapshot does
    not cover gets 404, which pip-audit reports as an error instead of a clean result."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            try:
                length = int(self.headers.get("Content-Length") or 0)
                if self.path != "/v1/query":
                    raise LookupError("only /v1/query is served")
                status, answer = 200, osv_query(snapshot, json.loads(self.rfile.read(length)))
            except LookupError as error:
                status, answer = 404, {"code": 5, "message": str(error)}
            except (ValueError, TypeError) as error:
                status, answer = 400, {"code": 3, "message": str(error)}
            except SnapshotError as error:
                status, answer = 500, {"code": 13, "message": str(error)}
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


# --- pip-audit -----------------------------------------------------------------------


def pip_audit_executable(work: Path) -> Path:
    """pip-audit in its own venv (var/ci/pip-audit), installed from the pinned list."""
    venv = work / "pip-audit"
    exe = venv / "bin" / "pip-audit"
    stamp = venv / ".installed"
    wanted = hashlib.sha256(PIP_AUDIT_REQUIREMENTS.read_bytes()).hexdigest()
    if exe.exists() and stamp.exists() and stamp.read_text().strip() == wanted:
        return exe
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)  # noqa: S603
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps"]
    for attempt in range(3):
        command = [*pip, "-r", str(PIP_AUDIT_REQUIREMENTS)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode == 0:
            break
        print(f"audit: installing pip-audit failed (attempt {attempt + 1} of 3):", file=sys.stderr)
        print(done.stderr.strip()[-3000:], file=sys.stderr)
    else:
        raise RuntimeError("cannot install pip-audit (.ci/pip-audit-requirements.txt)")
    stamp.write_text(wanted + "\n")
    return exe


def run_pip_audit(exe: Path, result: AuditResult, snapshot: dict, work: Path) -> list[str]:
    """pip-audit over the same packages and snapshot; returns the disagreements (none is good)."""
    work.mkdir(parents=True, exist_ok=True)
    requirements, report = work / "audit-requirements.txt", work / "pip-audit.json"
    requirements.write_text("".join(f"{name}=={version}\n" for name, version in result.audited))
    report.unlink(missing_ok=True)
    with serve(snapshot) as url:
        command = [
            str(exe),
            "--requirement",
            str(requirements),
            "--no-deps",
            "--disable-pip",
            "--strict",
            "--vulnerability-service",
            "osv",
            "--osv-url",
            url,
            "--format",
            "json",
            "--output",
            str(report),
            "--progress-spinner",
            "off",
            "--cache-dir",
            str(work / "pip-audit-cache"),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if not report.exists():
        return [f"pip-audit wrote no report (exit {done.returncode}): {done.stderr.strip()[-2000:]}"]
    data = json.loads(report.read_text())
    seen = {normalize(d["name"]): d for d in data.get("dependencies", [])}
    problems = []
    skipped = sorted(f"{n}: {d['skip_reason']}" for n, d in seen.items() if "skip_reason" in d)
    if skipped:
        problems.append("pip-audit skipped " + "; ".join(skipped))
    ours = {name for name, _ in result.audited}
    if set(seen) != ours:
        problems.append(f"pip-audit audited {len(seen)} packages, the matcher {len(ours)}: {sorted(set(seen) ^ ours)}")
    theirs = {(n, v["id"]) for n, d in seen.items() for v in d.get("vulns", [])}
    mine = {(f.package, f.id) for f in result.findings}
    if theirs != mine:
        problems.append(f"pip-audit and the matcher disagree on {sorted(theirs ^ mine)}")
    audited = len(seen) - len(skipped)
    print(
        f"pip-audit {pip_audit_version(exe)} on the same snapshot through a local OSV API: {audited} packages "
        f"audited; {len(theirs)} known vulnerabilities, {len(skipped)} skipped (exit {done.returncode})"
    )
    return problems


def pip_audit_version(exe: Path) -> str:
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return out.stdout.strip().removeprefix("pip-audit ") or "?"


# --- commands ------------------------------------------------------------------------


def _age_days(snapshot: dict, today: dt.date) -> int | None:
    date = (snapshot["source"].get("date") or "")[:10]
    try:
        return (today - dt.date.fromisoformat(date)).days
    except ValueError:
        return None


def describe(snapshot: dict) -> str:
    source = snapshot["source"]
    at = f" @ {source['commit'][:12]}" if source.get("commit") else ""
    count = sum(len(v) for v in snapshot["advisories"].values())
    return (
        f"{source.get('name')}{at}, data of {(source.get('date') or 'unknown date')[:10]}, "
        f"refreshed {snapshot['refreshed'][:10]}; {count} advisories for {len(snapshot['packages'])} packages"
    )


def command_audit(args) -> int:
    try:
        snapshot = load_snapshot(args.snapshot)
    except SnapshotError as error:
        print(f"audit: FAILED: {error}", file=sys.stderr)
        return 2
    python = Path(args.venv) / "bin" / "python"
    if not python.exists():
        print(f"audit: FAILED: no venv at {args.venv} (make lint or make test builds it)", file=sys.stderr)
        return 2
    print(f"audit: snapshot {describe(snapshot)}")
    age = _age_days(snapshot, dt.date.today())
    if age is None or age > STALE_AFTER_DAYS:
        print(
            f"audit: WARNING: the snapshot's data is {age if age is not None else 'of unknown'} days old: "
            "advisories published since are unknown to it. With network: .ci/osv-refresh"
        )
    try:
        installed = installed_packages(python)
    except (OSError, subprocess.CalledProcessError, ValueError) as error:
        print(f"audit: FAILED: cannot list the packages of {args.venv}: {error}", file=sys.stderr)
        return 2
    try:
        result = audit(installed, snapshot)
    except SnapshotError as error:
        print(f"audit: FAILED: an advisory cannot be evaluated: {error}", file=sys.stderr)
        return 2
    for finding in result.findings:
        print(finding.line())
    for name, version, why in result.not_audited:
        print(f"NOT AUDITED {name} {version}: {why}")
    for name, advisory in result.unevaluated:
        print(f"audit: WARNING: {advisory} for {name} names no version or version range; check it by hand")
    packages = len({f.package for f in result.findings})
    print(
        f"audit: {len(result.audited)} of {len(result.installed)} installed packages audited; "
        f"{len(result.findings)} known vulnerabilities in {packages} packages"
    )
    problems = []
    if not result.complete:
        problems.append(f"only {len(result.audited)} of {len(result.installed)} installed packages were audited")
    if args.pip_audit and result.audited:
        try:
            problems += run_pip_audit(pip_audit_executable(args.work), result, snapshot, args.work)
        except (OSError, RuntimeError, subprocess.CalledProcessError, ValueError) as error:
            problems.append(f"pip-audit could not run: {error} (.ci/audit --no-pip-audit skips it)")
    for problem in problems:
        print(f"audit: FAILED: {problem}", file=sys.stderr)
    if problems:
        return 2
    if result.findings:
        print(f"audit: FAILED: {len(result.findings)} known vulnerabilities (see VULNERABLE above)", file=sys.stderr)
        return 1
    print("audit: OK: no known vulnerability in the snapshot affects an installed package")
    return 0


def command_refresh(args) -> int:
    try:
        names = {normalize(n) for n, _ in installed_packages(Path(args.venv) / "bin" / "python")}
        names |= requirement_names(*args.requirements)
        if args.advisory_db:
            path = Path(args.advisory_db)
            if (path / "vulns").is_dir():
                records, source = records_from_checkout(path, names, args.source_url)
            else:
                records, source = records_from_git(path, args.rev, names, args.source_url)
        else:
            records, source = records_from_zip(args.osv_zip)
    except subprocess.CalledProcessError as error:
        stderr = error.stderr.decode() if isinstance(error.stderr, bytes) else error.stderr or ""
        print(f"osv-refresh: FAILED: {' '.join(error.cmd)}: {stderr.strip()}", file=sys.stderr)
        return 2
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        print(f"osv-refresh: FAILED: {error}", file=sys.stderr)
        return 2
    now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    snapshot = build_snapshot(records, names, source, now)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(dump_snapshot(snapshot), encoding="utf-8")
    print(f"osv-refresh: wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}:")
    print(f"  {describe(snapshot)}")
    return 0


def command_serve(args) -> int:
    snapshot = load_snapshot(args.snapshot)
    with serve(snapshot, args.port) as url:
        print(f"OSV API for {describe(snapshot)} on {url}")
        print(f"  pip-audit -s osv --osv-url {url} ...   (Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="osv_audit", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("audit", help="audit a venv's installed packages against the snapshot")
    p.add_argument("--venv", default=os.environ.get("VENV", str(ROOT / ".venv")))
    p.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    p.add_argument("--work", type=Path, default=WORK, help="pip-audit's venv and reports (default var/ci)")
    p.add_argument("--no-pip-audit", dest="pip_audit", action="store_false", help="only the matcher")
    p.set_defaults(func=command_audit)

    p = sub.add_parser("refresh", help="rebuild the snapshot for the venv's and requirements' packages")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--osv-zip", default=OSV_ZIP_URL, help=f"path or URL of OSV's PyPI all.zip ({OSV_ZIP_URL})")
    source.add_argument("--advisory-db", help="a pypa/advisory-database checkout or its git dir")
    p.add_argument("--rev", default="HEAD", help="with --advisory-db as a git dir: the revision (HEAD)")
    p.add_argument("--source-url", default=ADVISORY_DB_URL, help="with --advisory-db: where that clone came from")
    p.add_argument("--venv", default=os.environ.get("VENV", str(ROOT / ".venv")))
    p.add_argument(
        "--requirements",
        type=Path,
        nargs="*",
        default=[ROOT / "requirements.txt", ROOT / "requirements-dev.txt"],
    )
    p.add_argument("--out", type=Path, default=SNAPSHOT)
    p.set_defaults(func=command_refresh)

    p = sub.add_parser("serve", help="answer OSV's /v1/query from the snapshot on 127.0.0.1")
    p.add_argument("--snapshot", type=Path, default=SNAPSHOT)
    p.add_argument("--port", type=int, default=8790)
    p.set_defaults(func=command_serve)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
