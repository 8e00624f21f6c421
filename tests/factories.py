"""Factories for the test data. Named fixtures built from these live in tests/conftest.py."""

import factory
from django.contrib.auth import get_user_model

from complaints.models import Category, Complaint, Region
from dispatch.models import Membership, RoutingRule, Unit
from dispatch.services.units import unit_path


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-word-123")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    name = factory.LazyAttribute(lambda o: o.code)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    name = factory.LazyAttribute(lambda o: o.code)
    parent = None
    path = factory.LazyAttribute(lambda o: unit_path(parent=o.parent, code=o.code))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership


class RoutingRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoutingRule

    name = factory.Sequence(lambda n: f"rule {n}")


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A bare complaint row, status `submitted`, not announced. Use
    complaints.services.complaint_submit when the test is about submitting."""

    class Meta:
        model = Complaint

    tracking_number = factory.Sequence(lambda n: f"20261126{n:08d}")
    address = "东华门大街 1 号"
    description = "夜间施工噪声扰民"
    resident_name = "张三"
    resident_phone = "13800138000"
