"""Accounts in the two roles that the roles migration creates, and clients logged in as them."""

import pytest
from django.contrib.auth.models import Group, User


def staff_in(group_name: str, username: str) -> User:
    user = User.objects.create_user(username, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(db) -> User:
    return staff_in("Editors", "editor")


@pytest.fixture
def viewer(db) -> User:
    return staff_in("Viewers", "viewer")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client
