"""A 10 MB body at every door that takes a POST: refused (400 or 413) before any
of it is parsed into a form, the same for a signed-in handler; nothing is filed
and no 500 is ever the answer."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent
from tests.portal.test_hostile_corpus import _paths, _quoted

pytestmark = pytest.mark.django_db

TEN_MB = 10 * 1024 * 1024
BODIES = {
    "form": (b"description=" + b"a" * TEN_MB, "application/x-www-form-urlencoded"),
    "json": (b'{"description": "' + b"a" * TEN_MB + b'"}', "application/json"),
    "multipart": (
        b'--x\r\nContent-Disposition: form-data; name="description"\r\n\r\n' + b"a" * TEN_MB + b"\r\n--x--\r\n",
        "multipart/form-data; boundary=x",
    ),
}
DOORS = [
    ("complaints:file", {}),
    ("complaints:track", {}),
    ("complaints_api:file", {}),
    ("login", {}),
]


def _post_everywhere(client, paths, kinds=("form", "multipart")) -> list[tuple[str, str, int]]:
    client.raise_request_exception = False
    errors = []
    for path in paths:
        for kind in kinds:
            body, content_type = BODIES[kind]
            response = client.generic("POST", _quoted(path), body, content_type=content_type)
            if response.status_code >= 500:
                errors.append((kind, path, response.status_code))
    return errors


@pytest.fixture
def world(submit):
    # The abuse limits count in the cache, which outlives a test: earlier tests'
    # filings must not make these answers 429.
    cache.clear()
    return submit()


def test_the_filing_doors_refuse_ten_megabytes_with_a_clear_status(client, world):
    """The pages say the request is too large (413), the API and Open311 answer in
    their own error bodies; not one line is written."""
    filed, events = Complaint.objects.count(), ComplaintEvent.objects.count()
    client.raise_request_exception = False
    for name, kwargs in DOORS:
        for kind, (body, content_type) in BODIES.items():
            response = client.generic("POST", reverse(name, kwargs=kwargs), body, content_type=content_type)
            assert response.status_code in (400, 403, 413, 415), (name, kind, response.status_code)
    response = client.generic("POST", "/open311/v2/requests.json", BODIES["form"][0], content_type=BODIES["form"][1])
    assert response.status_code in (400, 413), response.status_code
    assert (Complaint.objects.count(), ComplaintEvent.objects.count()) == (filed, events)


def _one_path_per_route(paths: list[str]) -> list[str]:
    """The hostile corpus fills each route with many values; ten megabytes need only
    reach each route once (the first fill, always a harmless one, "1" or a word)."""
    seen, chosen = set(), []
    for path in paths:
        shape = tuple(len(part) > 0 for part in path.split("/"))
        key = (path.split("/")[1:3], shape)
        if str(key) not in seen:
            seen.add(str(key))
            chosen.append(path)
    return chosen


def test_no_url_answers_ten_megabytes_with_a_server_error(client, world):
    paths = _one_path_per_route(list(_paths(real=world.tracking_number)))
    assert len(paths) > 40
    assert _post_everywhere(client, paths) == []


def test_no_desk_url_answers_ten_megabytes_with_a_server_error_for_a_handler(client, world, people):
    client.force_login(people["donghuamen_handler"])
    order = world.tracking_number
    paths = _paths(real=world.tracking_number)
    paths = _one_path_per_route([path for path in paths if path.startswith(("/desk/", "/api/"))])
    paths += [reverse("dispatch:order", args=[order]) + action for action in ("accept/", "contact/", "resolve/")]
    assert _post_everywhere(client, paths) == []
    assert Complaint.objects.get(pk=world.pk).status == world.status
