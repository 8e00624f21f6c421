"""Places with outlines for tests that map points: all of Beijing written once per
test module (`places`), or the outlines of the small `beijing` fixture's districts
(`beijing_outlines`). Import the fixtures into a test module by name."""

import json

import pytest
from django.db import transaction

from complaints.geo import cache
from complaints.geo.fixture import DISTRICTS_FIXTURE
from complaints.models import Region
from complaints.services.boundaries import boundaries_import, boundaries_import_districts
from complaints.services.regions import BEIJING_DATA_DIR, regions_import


@pytest.fixture(scope="module")
def beijing_places_once(django_db_setup, django_db_blocker):
    """7,900 regions take a while: written once, inside a transaction rolled back at
    the module's end; each test runs in a savepoint inside it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        regions_import(source_dir=BEIJING_DATA_DIR)
        boundaries_import_districts()
        yield
        transaction.set_rollback(True)
    cache.forget()


@pytest.fixture
def places(beijing_places_once, db):
    """Districts and streets by code (every region is in the database)."""
    built = cache._current
    yield {region.code: region for region in Region.objects.filter(code__regex=r"^\d{6}(\d{3})?$")}
    # A test that changed places rebuilt the index from rows its rollback just undid.
    if cache._current is not built:
        cache.forget()


@pytest.fixture
def beijing_outlines(beijing):
    """The shipped outlines of the districts the small `beijing` fixture has (东城区, 朝阳区):
    a point elsewhere in Beijing reads as outside there."""
    present = {region.code for region in beijing.values()}
    collection = json.loads(DISTRICTS_FIXTURE.read_text(encoding="utf-8"))
    collection["features"] = [f for f in collection["features"] if f["properties"]["code"] in present]
    boundaries_import(collection=collection, level="district")
    yield collection
    cache.forget()
