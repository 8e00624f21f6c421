"""The dependency audit (.ci/audit): the vendored OSV snapshot, the matcher that reads
it, the local OSV API pip-audit reads it through, and the refusal to pass an audit
that did not audit every installed package."""

import datetime as dt
import importlib.util
import io
import json
import os
import re
import stat
import subprocess
import sys
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

BASE_DIR = Path(__file__).resolve().parents[2]


def _load():
    spec = importlib.util.spec_from_file_location("osv_audit", BASE_DIR / ".ci" / "osv_audit.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["osv_audit"] = module
    spec.loader.exec_module(module)
    return module


osv = _load()


@pytest.fixture(scope="module")
def snapshot():
    return osv.load_snapshot()


def record(id="TEST-1", events=None, versions=None, name="demo", **extra):
    entry = {"package": {"ecosystem": "PyPI", "name": name}}
    if events is not None:
        entry["ranges"] = [{"type": "ECOSYSTEM", "events": events}]
    if versions is not None:
        entry["versions"] = versions
    return {"id": id, "aliases": ["CVE-0000-0001"], "summary": "a test advisory", "affected": [entry], **extra}


def snap(*records, packages=("demo",)):
    return {
        "format": 1,
        "source": {"name": "test", "date": "2024-10-10"},
        "refreshed": "2024-10-11T00:00:00Z",
        "refresh_command": ".ci/osv-refresh",
        "packages": list(packages),
        "advisories": {"demo": list(records)},
    }


# --- the vendored snapshot ---------------------------------------------------------


def test_the_snapshot_records_its_source_commit_and_dates(snapshot):
    source = snapshot["source"]
    assert source["url"].startswith("https://")
    assert re.fullmatch(r"[0-9a-f]{40}", source["commit"])
    data_date = dt.date.fromisoformat(source["date"][:10])
    refreshed = dt.date.fromisoformat(snapshot["refreshed"][:10])
    assert dt.date(2024, 10, 10) <= data_date <= refreshed
    assert snapshot["refresh_command"] == ".ci/osv-refresh"


def test_the_snapshot_covers_every_pinned_package(snapshot):
    pinned = osv.requirement_names(BASE_DIR / "requirements.txt", BASE_DIR / "requirements-dev.txt")
    assert pinned, "no pins read"
    assert pinned <= set(snapshot["packages"]), sorted(pinned - set(snapshot["packages"]))


def test_the_snapshot_keeps_only_pypi_entries_of_covered_packages(snapshot):
    assert set(snapshot["advisories"]) <= set(snapshot["packages"])
    for name, records in snapshot["advisories"].items():
        for rec in records:
            assert rec["affected"], rec["id"]
            assert all(e["package"] == {"ecosystem": "PyPI", "name": name} for e in rec["affected"]), rec["id"]


# --- the matcher, on real advisories -----------------------------------------------


def test_django_4_2_0_is_flagged_by_a_real_advisory(snapshot):
    result = osv.audit([("Django", "4.2.0")], snapshot)
    ids = {f.id for f in result.findings}
    # CVE-2023-31047: multiple file upload validation bypass, fixed in 4.2.1.
    assert "PYSEC-2023-61" in ids
    finding = next(f for f in result.findings if f.id == "PYSEC-2023-61")
    assert finding.package == "django"
    assert "CVE-2023-31047" in finding.aliases
    assert "4.2.1" in finding.fixed
    assert finding.line().startswith("VULNERABLE django 4.2.0: PYSEC-2023-61 (CVE-2023-31047")
    assert "4.2.1" in finding.line()


def test_the_fixed_version_passes_that_advisory(snapshot):
    result = osv.audit([("django", "4.2.1")], snapshot)
    assert "PYSEC-2023-61" not in {f.id for f in result.findings}
    assert result.complete


# --- the matcher, on the OSV rules -------------------------------------------------


@pytest.mark.parametrize(
    ("version", "affected"),
    [("0.1", True), ("1.0", True), ("1.4.9", True), ("1.5", False), ("2.0", False), ("2.1", True), ("3.0", False)],
)
def test_ranges_are_evaluated_in_version_order_with_zero_lowest(version, affected):
    # Events out of order, as in real advisories: sorted before they are walked.
    events = [{"introduced": "2.1"}, {"fixed": "3.0"}, {"introduced": "0"}, {"fixed": "1.5"}]
    assert osv.range_affects(Version(version), events) is affected


@pytest.mark.parametrize(("version", "affected"), [("1.0", False), ("1.2", True), ("1.3", True), ("1.3.1", False)])
def test_last_affected_includes_its_own_version_and_nothing_after(version, affected):
    rec = record(events=[{"introduced": "1.2"}, {"last_affected": "1.3"}])
    assert osv.record_affects(rec, "demo", Version(version)) is affected


def test_an_explicit_versions_list_is_honoured_without_a_range():
    rec = record(versions=["1.0", "1.1.post1"])
    assert osv.record_affects(rec, "demo", Version("1.1.post1"))
    assert osv.record_affects(rec, "demo", Version("1.0.0"))  # the same version, by PEP 440
    assert not osv.record_affects(rec, "demo", Version("1.1"))


def test_a_withdrawn_advisory_flags_nothing():
    rec = record(events=[{"introduced": "0"}], withdrawn="2024-01-01T00:00:00Z")
    assert not osv.record_affects(rec, "demo", Version("1.0"))
    assert osv.audit([("demo", "1.0")], snap(rec)).findings == []


def test_git_ranges_and_other_ecosystems_are_not_matched():
    rec = record()
    rec["affected"] = [
        {"package": {"ecosystem": "npm", "name": "demo"}, "versions": ["1.0"]},
        {
            "package": {"ecosystem": "PyPI", "name": "demo"},
            "ranges": [{"type": "GIT", "events": [{"introduced": "0"}]}],
        },
    ]
    assert not osv.record_affects(rec, "demo", Version("1.0"))


def test_an_advisory_with_no_version_to_match_is_reported_not_silently_passed(capsys):
    rec = record()
    rec["affected"][0]["ranges"] = [{"type": "GIT", "events": [{"introduced": "0"}]}]
    result = osv.audit([("demo", "1.0")], snap(rec))
    assert result.findings == [] and result.unevaluated == [("demo", "TEST-1")]


def test_names_are_compared_after_pep_503_normalisation():
    rec = record(name="Demo_Pkg.Core", versions=["1.0"])
    data = snap(rec, packages=["demo-pkg-core"])
    data["advisories"] = {"demo-pkg-core": [rec]}
    result = osv.audit([("demo.pkg__core", "1.0")], data)
    assert [(f.package, f.id) for f in result.findings] == [("demo-pkg-core", "TEST-1")]
    assert osv.normalize("et_xmlfile") == "et-xmlfile"


def test_an_unparseable_range_version_fails_instead_of_passing():
    rec = record(events=[{"introduced": "not a version"}])
    with pytest.raises(osv.SnapshotError, match="TEST-1"):
        osv.audit([("demo", "1.0")], snap(rec))


# --- never pass by auditing nothing ------------------------------------------------


def test_zero_installed_packages_is_not_a_complete_audit():
    result = osv.audit([], snap())
    assert not result.complete


def test_a_package_the_snapshot_does_not_cover_is_not_audited():
    result = osv.audit([("demo", "1.0"), ("newcomer", "2.0")], snap())
    assert result.audited == [("demo", "1.0")]
    assert [(n, v) for n, v, _ in result.not_audited] == [("newcomer", "2.0")]
    assert not result.complete


def test_a_version_that_is_not_pep_440_is_not_audited():
    result = osv.audit([("demo", "master-2024")], snap())
    assert not result.complete


def _fake_venv(tmp_path, packages):
    """A venv whose python lists `packages` as its installed distributions."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(f"#!/bin/sh\necho '{json.dumps(packages)}'\n")
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    return tmp_path / "venv"


def test_the_audit_command_refuses_to_pass_with_zero_packages_audited(tmp_path, capsys):
    code = osv.main(["audit", "--venv", str(_fake_venv(tmp_path, [])), "--no-pip-audit"])
    assert code == 2
    assert "only 0 of 0 installed packages were audited" in capsys.readouterr().err


def test_the_audit_command_fails_on_a_package_outside_the_snapshot(tmp_path, capsys):
    venv = _fake_venv(tmp_path, [["Django", "5.2.19"], ["not-refreshed-yet", "1.0"]])
    assert osv.main(["audit", "--venv", str(venv), "--no-pip-audit"]) == 2
    out = capsys.readouterr()
    assert "NOT AUDITED not-refreshed-yet 1.0" in out.out
    assert "1 of 2 installed packages audited" in out.out


def test_the_audit_command_fails_on_a_known_vulnerability(tmp_path, capsys, snapshot):
    venv = _fake_venv(tmp_path, [["Django", "4.2.0"]])
    assert osv.main(["audit", "--venv", str(venv), "--no-pip-audit"]) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE django 4.2.0: PYSEC-2023-61" in out
    assert "1 of 1 installed packages audited" in out
    assert f"data of {snapshot['source']['date'][:10]}" in out


def test_the_audit_command_passes_a_clean_venv(tmp_path, capsys):
    path = tmp_path / "snapshot.json"
    path.write_text(osv.dump_snapshot(snap(record(events=[{"introduced": "0"}, {"fixed": "1.1"}]))))
    venv = _fake_venv(tmp_path, [["Demo", "1.1"]])
    assert osv.main(["audit", "--venv", str(venv), "--snapshot", str(path), "--no-pip-audit"]) == 0
    out = capsys.readouterr().out
    assert "1 of 1 installed packages audited; 0 known vulnerabilities" in out
    assert "audit: OK" in out


def test_a_missing_or_foreign_snapshot_fails_the_audit(tmp_path, capsys):
    (tmp_path / "s.json").write_text('{"advisories": {}}')
    venv = _fake_venv(tmp_path, [["Django", "5.2.19"]])
    for path in (tmp_path / "missing.json", tmp_path / "s.json"):
        assert osv.main(["audit", "--venv", str(venv), "--snapshot", str(path), "--no-pip-audit"]) == 2
    assert "FAILED" in capsys.readouterr().err


def test_the_real_venv_is_listed_in_full():
    installed = osv.installed_packages(Path(sys.executable))
    names = {osv.normalize(n) for n, _ in installed}
    assert {"django", "pytest", "packaging"} <= names


# --- the local OSV API that pip-audit reads ----------------------------------------


def _post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_local_osv_api_answers_like_osv(snapshot):
    with osv.serve(snapshot) as url:
        assert url.startswith("http://127.0.0.1:")
        status, body = _post(url, {"package": {"name": "Django", "ecosystem": "PyPI"}, "version": "4.2.0"})
        assert status == 200
        assert "PYSEC-2023-61" in {v["id"] for v in body["vulns"]}
        assert _post(url, {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "5.2.19"}) == (200, {})
        # Not covered, or not a PEP 440 version: an error, never a clean answer.
        assert _post(url, {"package": {"name": "unheard-of", "ecosystem": "PyPI"}, "version": "1.0"})[0] == 404
        assert _post(url, {"package": {"name": "django", "ecosystem": "PyPI"}, "version": "x y"})[0] == 404
        assert _post(url, {"version": "1.0"})[0] == 400


def _fake_pip_audit(tmp_path, report):
    """A pip-audit that writes `report` as its JSON output, and checks it was pointed at the local API."""
    exe = tmp_path / "pip-audit"
    exe.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        "args = sys.argv[1:]\n"
        "if args == ['--version']:\n"
        "    print('pip-audit 0.0-test'); sys.exit(0)\n"
        "assert args[args.index('--osv-url') + 1].startswith('http://127.0.0.1:')\n"
        "assert '--strict' in args and '--no-deps' in args\n"
        f"open(args[args.index('--output') + 1], 'w').write(json.dumps({report!r}))\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


def test_pip_audit_agreeing_with_the_matcher_is_no_problem(tmp_path, snapshot, capsys):
    result = osv.audit([("Django", "4.2.0")], snapshot)
    vulns = [{"id": f.id, "aliases": list(f.aliases), "fix_versions": list(f.fixed)} for f in result.findings]
    exe = _fake_pip_audit(tmp_path, {"dependencies": [{"name": "django", "version": "4.2.0", "vulns": vulns}]})
    assert osv.run_pip_audit(exe, result, snapshot, tmp_path / "work") == []
    assert (tmp_path / "work" / "audit-requirements.txt").read_text() == "django==4.2.0\n"
    assert "1 packages audited" in capsys.readouterr().out


def test_pip_audit_skipping_or_disagreeing_fails_the_audit(tmp_path, snapshot):
    result = osv.audit([("Django", "4.2.0"), ("sqlparse", "0.6.1")], snapshot)
    report = {
        "dependencies": [
            {"name": "django", "version": "4.2.0", "vulns": [{"id": "PYSEC-2023-61"}]},
            {"name": "sqlparse", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        ]
    }
    problems = osv.run_pip_audit(_fake_pip_audit(tmp_path, report), result, snapshot, tmp_path / "work")
    assert any("pip-audit skipped sqlparse" in p for p in problems)
    assert any("disagree" in p for p in problems)


def test_pip_audit_writing_no_report_fails_the_audit(tmp_path, snapshot):
    exe = tmp_path / "pip-audit"
    exe.write_text("#!/bin/sh\necho 'Could not connect to OSV' >&2\nexit 1\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    result = osv.audit([("Django", "5.2.19")], snapshot)
    (problem,) = osv.run_pip_audit(exe, result, snapshot, tmp_path / "work")
    assert "pip-audit wrote no report" in problem and "Could not connect" in problem


# --- refresh -----------------------------------------------------------------------

ADVISORY_YAML = """\
id: PYSEC-2099-1
modified: 2099-01-02T03:04:05.123456Z
published: 2099-01-01T00:00:00Z
aliases:
- CVE-2099-0001
details: A test issue in Demo before 1.10.
affected:
- package:
    ecosystem: PyPI
    name: Demo_Pkg
  ranges:
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 1.10
  versions:
  - "1.0"
  - 1.9
"""


def test_refresh_from_an_advisory_database_checkout(tmp_path):
    (tmp_path / "db" / "vulns" / "Demo_Pkg").mkdir(parents=True)
    (tmp_path / "db" / "vulns" / "Demo_Pkg" / "PYSEC-2099-1.yaml").write_text(ADVISORY_YAML)
    (tmp_path / "db" / "vulns" / "other").mkdir()
    (tmp_path / "db" / "vulns" / "other" / "PYSEC-2099-2.yaml").write_text(ADVISORY_YAML.replace("Demo_Pkg", "other"))
    venv = _fake_venv(tmp_path, [["demo-pkg", "1.9"]])
    out = tmp_path / "snap.json"
    args = ["refresh", "--advisory-db", str(tmp_path / "db"), "--venv", str(venv), "--requirements", "--out", str(out)]
    assert osv.main(args) == 0
    data = osv.load_snapshot(out)
    assert data["packages"] == ["demo-pkg"]
    (rec,) = data["advisories"]["demo-pkg"]
    # YAML dates and versions such as 1.10 stay the strings they are written as.
    assert rec["modified"] == "2099-01-02T03:04:05.123456Z"
    assert rec["affected"][0]["ranges"][0]["events"] == [{"introduced": "0"}, {"fixed": "1.10"}]
    assert rec["affected"][0]["versions"] == ["1.0", "1.9"]
    assert data["source"]["date"] == "2099-01-02T03:04:05.123456Z"  # not a git checkout: the newest advisory
    result = osv.audit([("Demo-Pkg", "1.9")], data)
    assert [f.id for f in result.findings] == ["PYSEC-2099-1"] and result.complete
    assert osv.audit([("demo_pkg", "1.10")], data).findings == []


def test_refresh_from_a_git_dir_records_its_commit(tmp_path):
    work = tmp_path / "repo"
    (work / "vulns" / "demo-pkg").mkdir(parents=True)
    (work / "vulns" / "demo-pkg" / "PYSEC-2099-1.yaml").write_text(ADVISORY_YAML)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env |= {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "advisories"]):
        subprocess.run(["git", "-C", str(work), *command], check=True, env=env)
    commit = subprocess.run(["git", "-C", str(work), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    records, source = osv.records_from_git(work / ".git", "HEAD", {"demo-pkg"})
    assert [r["id"] for r in records] == ["PYSEC-2099-1"]
    assert source["commit"] == commit.strip()
    assert source["date"][:4].isdigit()


def test_refresh_from_osv_all_zip(tmp_path):
    advisory = {
        "id": "GHSA-xxxx-yyyy-zzzz",
        "modified": "2099-02-01T00:00:00Z",
        "aliases": ["CVE-2099-0002"],
        "summary": "Demo before 2.0 is bad",
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "demo"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1.5"}]}],
            }
        ],
    }
    blob = io.BytesIO()
    with zipfile.ZipFile(blob, "w") as archive:
        archive.writestr("GHSA-xxxx-yyyy-zzzz.json", json.dumps(advisory))
    (tmp_path / "all.zip").write_bytes(blob.getvalue())
    records, source = osv.records_from_zip(str(tmp_path / "all.zip"))
    data = osv.build_snapshot(records, ["demo"], source, "2099-02-02T00:00:00Z")
    assert source["date"] == "2099-02-01T00:00:00Z" and len(source["sha256"]) == 64
    assert json.loads(osv.dump_snapshot(data)) == data
    assert [f.id for f in osv.audit([("demo", "1.5")], data).findings] == ["GHSA-xxxx-yyyy-zzzz"]
    assert osv.audit([("demo", "1.5.1")], data).findings == []


# --- CI ------------------------------------------------------------------------------


def test_ci_audits_the_dependencies_before_the_tests():
    run = (BASE_DIR / ".ci" / "run").read_text()
    assert "bash .ci/audit" in run
    assert run.index("bash .ci/audit") < run.index("make test </dev/null")
