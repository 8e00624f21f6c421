"""The Simplified Chinese catalogue: complete, compiled, consistent with the source,
and what a resident sees when the browser does not ask for English."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from complaints.models import Channel, ComplaintStatus, DemandType, EventKind, RegionLevel, Satisfaction
from dispatch.models import AssignmentReason, AssignmentStatus, DepartmentKind, Role, TargetKind, TriageReason, UnitKind

BASE = Path(settings.BASE_DIR)
CATALOGUE = BASE / "locale" / "zh_Hans" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")


def _po_entries(path: Path) -> list[dict]:
    """Entries of a .po file as {"msgid": …, "msgstr": … or "msgstr[0]": …, "flags": […]}.
    Obsolete (`#~`) entries are comments here, as they are to gettext."""
    entries, entry, key = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            entry = None
            continue
        if entry is None:
            entry = {"flags": []}
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif match := re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line):
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        else:
            entry[key] += ast.literal_eval(line)
    return [e for e in entries if "msgid" in e]


ENTRIES = _po_entries(CATALOGUE / "django.po")
HEADER = next(e for e in ENTRIES if e["msgid"] == "")
MESSAGES = [e for e in ENTRIES if e["msgid"]]
# A msgid with a context ("demand type" → "Complaint" is 投诉, not 诉求) is a word of
# its own: keyed by "context\x04msgid", as gettext keys it, so it never shadows the plain one.
TRANSLATED = {
    (f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"]): e.get("msgstr", e.get("msgstr[0]"))
    for e in MESSAGES
}


@pytest.fixture(autouse=True)
def _start_from_the_default_language_and_leave_it_as_found():
    # A test-client request leaves its language active in the thread afterwards. These
    # tests need the project default (as a fresh worker has it) and must not hand their
    # Chinese to the next test.
    with translation.override(translation.get_language()):
        translation.deactivate()
        yield


def _translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


# --- the catalogue file -------------------------------------------------------


def test_header_declares_simplified_chinese_utf8_and_a_single_plural_form():
    header = HEADER["msgstr"]
    assert "Language: zh_Hans\n" in header
    assert "charset=UTF-8" in header
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    assert "fuzzy" not in HEADER["flags"]


def test_every_message_is_translated_and_none_is_fuzzy():
    assert len(MESSAGES) > 300
    untranslated = [e["msgid"] for e in MESSAGES if not all(s.strip() for s in _translations(e))]
    fuzzy = [e["msgid"] for e in MESSAGES if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_plural_messages_have_exactly_the_one_form_chinese_uses():
    plurals = [e for e in MESSAGES if "msgid_plural" in e]
    assert plurals
    for entry in plurals:
        assert [k for k in entry if k.startswith("msgstr")] == ["msgstr[0]"], entry["msgid"]


def test_translations_keep_every_placeholder():
    for entry in MESSAGES:
        expected = sorted(PLACEHOLDER.findall(entry["msgid"]))
        for translated in _translations(entry):
            assert sorted(set(PLACEHOLDER.findall(translated))) == sorted(set(expected)), entry["msgid"]


def test_every_translation_is_chinese_except_codes_and_brands():
    # Strings that are only placeholders, numbers or names would need no CJK; none exist today.
    not_chinese = [msgid for msgid, text in TRANSLATED.items() if not CJK.search(text)]
    assert not_chinese == []


def test_compiled_catalogue_says_what_the_po_says():
    """The .mo ships in the repository so nobody needs gettext at runtime; a .po edited
    without recompiling would silently show the old words."""
    with open(CATALOGUE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.info()["language"] == "zh_Hans"
    for entry in MESSAGES:
        if "msgid_plural" in entry:
            for n in (1, 2, 5):
                assert compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) == entry["msgstr[0]"]
        elif "msgctxt" in entry:
            assert compiled.pgettext(entry["msgctxt"], entry["msgid"]) == entry["msgstr"], entry["msgid"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


def test_no_javascript_needs_a_djangojs_catalogue():
    # intake.js reads its words from data attributes the template translated; if a script
    # starts calling gettext() it needs its own catalogue, or it shows English.
    scripts = [p for p in (BASE / "static" / "js").rglob("*.js") if re.search(r"\bn?gettext\(", p.read_text())]
    if scripts:
        assert (CATALOGUE / "djangojs.mo").exists(), scripts


# --- the catalogue against the source -----------------------------------------

GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CONTEXT_CALLS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
TRANSLATE_TAG = re.compile(r"""\{%\s*trans(?:late)?\s+(["'])(.*?)\1.*?%\}""")
BLOCK_TAG = re.compile(r"\{%\s*blocktrans(?:late)?\b(.*?)%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S)


def _python_msgids() -> set[str]:
    found = set()
    for app in ("complaints", "dispatch", "portal"):
        for path in (BASE / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not node.args:
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                first = node.args[0]
                if name in GETTEXT_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                elif name in CONTEXT_CALLS and len(node.args) > 1:
                    msgid = node.args[1]
                    if isinstance(first, ast.Constant) and isinstance(msgid, ast.Constant):
                        found.add(f"{first.value}\x04{msgid.value}")
    return found


def _template_msgids() -> set[str]:
    found = set()
    for path in (BASE / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found |= {m.group(2) for m in TRANSLATE_TAG.finditer(text)}
        for options, body in BLOCK_TAG.findall(text):
            singular = re.split(r"\{%\s*plural\s*%\}", body)[0]
            if "trimmed" in options:
                singular = " ".join(line.strip() for line in singular.splitlines() if line.strip())
            singular = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", singular.replace("%", "%%"))
            found.add(singular)
    return found


def test_every_marked_string_in_python_is_in_the_catalogue():
    """What `makemessages` would add, found without running it: a string marked after
    the catalogue was made shows up here until someone re-runs makemessages and
    translates it."""
    missing = sorted(_python_msgids() - set(TRANSLATED))
    assert missing == [], "run makemessages -l zh_Hans and translate these"


def test_every_marked_string_in_templates_is_in_the_catalogue():
    missing = sorted(_template_msgids() - set(TRANSLATED))
    assert missing == [], "run makemessages -l zh_Hans and translate these"


# --- terms --------------------------------------------------------------------

# The 12345 hotline's own words, one Chinese term per English one.
OFFICIAL_TERMS = {
    "Sign for": "签收",
    "Hand down": "下派",
    "Whistle 12345": "吹哨 12345",
    "File a complaint": "我要反映",
    "Tracking number": "工单编号",
    "Handler": "承办人员",
    "Central dispatcher": "12345中心派单员",
    "Hotline operator": "话务员",
    "Callbacks": "回访",
    "Supervisor": "督办人员",
    "Resolved": "已办结",
    "Closed": "已结案",
    "Satisfied": "满意",
    "Basically satisfied": "基本满意",
    "Not satisfied": "不满意",
    "overdue": "已超期",
    "due soon": "即将到期",
    "Triage": "分拨",
    "Internal note": "内部备注",
    "Residents' / villagers' committee": "居委会 / 村委会",
    "Street office / township": "街道办事处 / 乡镇政府",
}

# Wherever the English term appears, the Chinese one does too.
GLOSSARY = {
    r"\bsign(?:ed|s)? for\b|sign-for": "签收",
    r"\bhand(?:ed|s)? (?:an order )?down\b": "下派",
    r"tracking number": "工单编号",
    r"overdue": "超期",
    r"triage": "分拨",
    r"12345 centre": "12345中心",
    r"resolv": "办结",
    r"routing rule": "派单规则",
    r"\bsatisf": "满意",
    r"\bnote\b": "备注",
    r"\bresident\b": "市民",
    r"\bunit\b": "单位",
    r"\border\b": "工单",
    r"complaint": "诉求",
    r"street office": "街道办事处",
    r"closed": "结案",
    r"community": "社区",
    r"category": "类别",
}
# Set phrases where the plain term would read wrongly.
GLOSSARY_EXCEPTIONS = {
    "sort order",
    "File a complaint",
    "Choose a sub-category.",
    # The demand type 投诉, one of six kinds of demand (诉求): its own word.
    "demand type\x04Complaint",
}


@pytest.mark.parametrize(("english", "chinese"), OFFICIAL_TERMS.items())
def test_key_terms_use_the_hotlines_words(english, chinese):
    assert TRANSLATED[english] == chinese


@pytest.mark.parametrize(("pattern", "term"), GLOSSARY.items())
def test_one_chinese_term_per_english_term(pattern, term):
    stray = {
        msgid: text
        for msgid, text in TRANSLATED.items()
        if msgid not in GLOSSARY_EXCEPTIONS
        # The context ("order fact\x04…") names where a word is used; it is not translated.
        and re.search(pattern, PLACEHOLDER.sub("", msgid.split("\x04")[-1]), re.I)
        and term not in text
    }
    assert stray == {}


CHOICES = (
    ComplaintStatus,
    EventKind,
    RegionLevel,
    Satisfaction,
    AssignmentStatus,
    AssignmentReason,
    TargetKind,
    TriageReason,
    UnitKind,
    DepartmentKind,
    Role,
    Channel,
    DemandType,
)


@pytest.mark.parametrize("choices", CHOICES, ids=lambda c: c.__name__)
def test_every_choice_label_is_chinese_under_zh_hans(choices):
    with translation.override("zh-hans"):
        english = [label for label in choices.labels if not CJK.search(str(label))]
    assert english == []


@pytest.mark.parametrize(
    "msgid",
    ["Tell the city what needs fixing", "Track my complaint", "Sign for", "Send complaint", "Staff sign-in"],
)
def test_key_ui_strings_come_out_chinese_under_zh_hans(msgid):
    with translation.override("zh-hans"):
        assert CJK.search(translation.gettext(msgid))
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


# --- pages --------------------------------------------------------------------

HOME = "/"


def test_home_page_is_chinese_when_the_browser_states_no_language(db):
    html = Client().get(HOME).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "身边的问题，请告诉我们" in html
    assert "我要反映" in html
    assert "Tell the city what needs fixing" not in html


def test_home_page_is_english_when_the_browser_asks_for_english(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(HOME).content.decode()
    assert '<html lang="en">' in html
    assert "Tell the city what needs fixing" in html
    assert "身边的问题" not in html


def test_language_cookie_overrides_the_default(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(HOME).content.decode()
    assert '<html lang="en">' in html
    assert "File a complaint" in html


def test_choosing_english_in_the_switcher_keeps_english_until_switched_back(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": HOME})
    assert response.status_code == 302
    assert response["Location"] == HOME
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Tell the city what needs fixing" in client.get(HOME).content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": HOME})
    assert "身边的问题，请告诉我们" in client.get(HOME).content.decode()


def test_switcher_ignores_an_unknown_language_and_an_offsite_next(db):
    client = Client()
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert '<html lang="zh-hans">' in client.get(HOME).content.decode()


def _tracked_detail(client: Client, complaint) -> str:
    response = client.post(
        reverse("complaints:track"), {"tracking_number": complaint.tracking_number, "phone_last4": "8000"}
    )
    assert response.status_code == 303
    return client.get(response["Location"]).content.decode()


def test_tracking_page_shows_status_and_timeline_in_chinese_by_default(submit):
    complaint = submit()
    assert complaint.status == ComplaintStatus.ASSIGNED

    html = _tracked_detail(Client(), complaint)

    assert '<span class="badge">已派单</span>' in html
    assert "您的诉求已派给责任单位" in html
    assert "工单编号" in html
    assert "办理记录" in html
    assert "<strong>已提交</strong>" in html
    assert "Assigned" not in html


def test_tracking_page_follows_a_resident_who_prefers_english(submit):
    complaint = submit()
    html = _tracked_detail(Client(HTTP_ACCEPT_LANGUAGE="en"), complaint)
    assert '<span class="badge">Assigned</span>' in html
    assert "sent to the unit responsible" in html
    assert "<strong>Submitted</strong>" in html
    # Event messages are stored as written, in the language the system ran in
    # ("已派单至 东华门街道办事处。"); only the labels around them follow the reader.
    assert '<span class="badge">已派单</span>' not in html


def test_desk_counts_use_the_single_chinese_plural_form(submit, people, units):
    submit()
    client = Client()
    client.force_login(people["donghuamen_handler"])

    html = client.get(reverse("dispatch:queue", args=[units["donghuamen"].pk])).content.decode()

    assert "在办工单 1 件" in html
    assert "待签收" in html
