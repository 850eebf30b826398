"""The API's permission class answers as DRF's ``DjangoModelPermissionsOrAnonReadOnly`` does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.permissions import DjangoModelPermissionsOrAnonReadOnly
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tracker.api.permissions import ModelPermissionsOrReadOnly
from tracker.api.views import DeliveryViewSet, SourceViewSet

from .conftest import member_of

pytestmark = pytest.mark.django_db

METHODS = ["get", "head", "options", "post", "put", "patch", "delete"]


@pytest.fixture
def users(db):
    return {
        "anonymous": AnonymousUser(),
        "viewer": member_of("Viewers", "viewer"),
        "editor": member_of("Editors", "editor"),
    }


@pytest.mark.parametrize("view_class", [DeliveryViewSet, SourceViewSet])
@pytest.mark.parametrize("method", METHODS)
def test_each_method_and_role_gets_drfs_answer(users, view_class, method):
    answers = {}
    for role, user in users.items():
        request = Request(getattr(APIRequestFactory(), method)("/api/v1/"))
        request.user = user
        view = view_class(request=request, format_kwarg=None, kwargs={})
        ours = ModelPermissionsOrReadOnly().has_permission(request, view)
        drfs = DjangoModelPermissionsOrAnonReadOnly().has_permission(request, view)
        assert ours == drfs, (role, method)
        answers[role] = ours
    reading = method in {"get", "head", "options"}
    assert answers == {"anonymous": reading, "viewer": reading, "editor": True}
