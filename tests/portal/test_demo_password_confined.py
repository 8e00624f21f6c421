"""The demo accounts' published password lives in demo seeding and nowhere else in
the product's code, so no door can come to rely on it."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
SEEDING = {
    "dispatch/services/seed/demo.py",
    "dispatch/services/seed/__init__.py",
    "dispatch/management/commands/seed_demo.py",
}
SKIPPED = (".venv", "tests", "node_modules", "var", "static")


def test_the_demo_password_is_only_in_demo_seeding():
    found = set()
    for path in BASE_DIR.rglob("*.py"):
        relative = path.relative_to(BASE_DIR)
        if relative.parts[0] in SKIPPED:
            continue
        text = path.read_text(errors="replace")
        if "whistle-demo" in text or "DEMO_PASSWORD" in text:
            found.add(str(relative))
    assert found and found <= SEEDING, found - SEEDING
