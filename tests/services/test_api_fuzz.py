"""Schemathesis against /api/schema/ on a live server with the demo data, on
PostgreSQL: every documented operation gets generated valid and invalid input,
with a staff token and with no credentials at all. No answer may be a server
error, and every answer must be one the schema documents: its status code, its
content type and its body.

A failure names the operation and the check, and gives a curl command that
reproduces the (shrunk) request. The run is bounded (a few examples per operation
and mode) and seeded, so CI sends the same requests every time; change SEED
locally to explore others.

Schemathesis' own pytest integration (`schemathesis.pytest.from_fixture`) does not
run under pytest 9, so the operations are driven here through its documented
`APIOperation.as_strategy()` with Hypothesis' `@given`."""

import io
import itertools

import hypothesis
import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.errors import FailureGroup

pytestmark = [pytest.mark.services(redis=False), pytest.mark.django_db(transaction=True)]

SEED = 1112345
EXAMPLES = 12
# Without credentials an operation that needs a sign-in answers 401 whatever the
# input: a few examples prove that; more would only cost time.
EXAMPLES_WITHOUT_ACCESS = 3
STAFF = ["dhm_handler", "dispatcher", "dc_supervisor"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
SETTINGS = hypothesis.settings(
    deadline=None,
    database=None,
    derandomize=False,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
    print_blob=False,
    verbosity=hypothesis.Verbosity.quiet,
)


@pytest.fixture
def api_schema(live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")


@pytest.fixture
def known_values(api_schema):
    """Path values that exist, mixed into the generated ones so that operations are
    tried on real records too and not only answer 404: an order 东华门街道 holds,
    one waiting in the 12345 centre's triage, their unit, category and places."""
    from complaints.models import Category, Region
    from complaints.services import complaint_submit
    from dispatch.models import Unit

    street_noise = Category.objects.get(code="noise.construction")
    community = Region.objects.get(code="110101001001")
    orders = [
        complaint_submit(
            category=Category.objects.get(code=category),
            region=community,
            address="东华门大街 1 号",
            description=description,
            resident_name="王芳",
            resident_phone="13912345678",
            answers=answers,
        ).tracking_number
        for category, description, answers in [
            ("noise.construction", "工地每晚施工到凌晨两点", {"noise_time": "night"}),
            ("other.misc", "小区门口的路灯坏了一个月", {}),
        ]
    ]
    return {
        "tracking_number": orders,
        "unit_id": [Unit.objects.get(code="s-110101001").pk, Unit.objects.get(code="centre").pk],
        "category_id": [street_noise.pk, street_noise.parent_id],
        "code": [community.code, community.parent.code],
    }


def _token_for(username: str) -> str:
    from django.contrib.auth import get_user_model
    from knox.models import AuthToken

    _, key = AuthToken.objects.create(user=get_user_model().objects.get(username=username))
    return key


def _open_to_anyone(operation) -> bool:
    # An empty requirement ({}) in the operation's `security` lets anyone in.
    return {} in operation.definition.raw.get("security", [{}])


def _fuzz(schema, *, base_url: str, tokens: dict[str, str], known: dict[str, list], tally) -> list[str]:
    """Every operation, valid then invalid input; the failures, one text each.
    With tokens, each request goes as one of their owners (drawn like the input);
    without, anonymously."""
    found = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert operations, "the schema documents no operation"
    for operation in operations:
        found += _plain_reads(operation, base_url=base_url, tokens=tokens, known=known)
        if tokens or _open_to_anyone(operation):
            plan = [(GenerationMode.POSITIVE, EXAMPLES), (GenerationMode.NEGATIVE, EXAMPLES)]
        else:
            plan = [(GenerationMode.POSITIVE, EXAMPLES_WITHOUT_ACCESS)]
        for mode, examples in plan:
            try:
                cases = _cases(operation, mode=mode, known=known)
                _run(cases, examples=examples, base_url=base_url, tokens=tokens, tally=tally)
            except hypothesis.errors.Unsatisfiable:
                continue  # nothing in this operation can be made invalid
            except Exception as error:  # noqa: BLE001 - every failure is reported, none hides another
                found.append(f"{operation.label} ({mode.value} input):\n{_describe(error)}")
    return found


def _plain_reads(operation, *, base_url: str, tokens: dict[str, str], known: dict[str, list]) -> list[str]:
    """A GET with no optional parameters, on each known record, as each caller:
    generated input seldom leaves every parameter out, and this is the request
    clients send most, so every list and record's own answer is checked too."""
    if operation.method.upper() != "GET" or any(p.is_required for p in operation.query):
        return []
    names = [parameter.name for parameter in operation.path_parameters]
    if any(name not in known for name in names):
        return []
    paths = [dict(zip(names, values, strict=True)) for values in itertools.product(*(known[n] for n in names))]
    found = []
    for caller in sorted(tokens) or [None]:
        headers = {"Authorization": f"Token {tokens[caller]}"} if caller else None
        for path_parameters in paths:
            cache.clear()
            try:
                operation.Case(path_parameters=path_parameters).call_and_validate(
                    base_url=base_url, headers=headers, checks=CHECKS
                )
            except FailureGroup as failures:
                found.append(f"{operation.label} (plain read as {caller or 'an anonymous caller'}):\n{failures}")
    return found


def _describe(error: BaseException) -> str:
    # Hypothesis groups distinct failures of one operation; each keeps its own curl.
    if isinstance(error, BaseExceptionGroup):
        return "\n".join(_describe(inner) for inner in error.exceptions)
    return str(error)


def _cases(operation, *, mode, known: dict[str, list]):
    """Generated requests, and the same with each known value in its path."""
    strategies = [operation.as_strategy(generation_mode=mode)]
    for parameter in operation.path_parameters:
        strategies += [
            operation.as_strategy(generation_mode=mode, path_parameters={parameter.name: value})
            for value in known.get(parameter.name, [])
        ]
    return st.one_of(strategies)


def _run(cases, *, examples: int, base_url: str, tokens: dict[str, str], tally) -> None:
    callers = st.sampled_from(sorted(tokens)) if tokens else st.none()

    @hypothesis.seed(SEED)
    @hypothesis.settings(SETTINGS, max_examples=examples)
    @hypothesis.given(case=cases, caller=callers)
    def run(case, caller):
        tally["fuzz_examples"] += 1
        headers = {"Authorization": f"Token {tokens[caller]}"} if caller else None
        # Rate limits have their own tests; here they would turn answers into 429s.
        cache.clear()
        try:
            case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)
        except FailureGroup as failures:
            # An ordinary assertion, so Hypothesis shrinks it to the smallest input.
            raise AssertionError(f"as {caller or 'an anonymous caller'}: {failures}") from None

    run()


def test_api_answers_staff_as_documented(api_schema, known_values, live_server, tally):
    """With the token of a street office's handler (its unit's queue and orders),
    the 12345 centre's dispatcher (triage, the centre's actions) or a district
    supervisor (reads, never acts): each request goes as one of them."""
    tokens = {username: _token_for(username) for username in STAFF}
    failures = _fuzz(api_schema, base_url=live_server.url, tokens=tokens, known=known_values, tally=tally)
    assert not failures, f"{len(failures)} operation(s) broke their schema:\n\n" + "\n\n".join(failures)


def test_api_answers_anonymous_callers_as_documented(api_schema, known_values, live_server, tally):
    failures = _fuzz(api_schema, base_url=live_server.url, tokens={}, known=known_values, tally=tally)
    assert not failures, f"{len(failures)} operation(s) broke their schema:\n\n" + "\n\n".join(failures)
