"""The About page says the licence and, when the installation sets it, where its source code is."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_about_names_the_licence_without_a_link_by_default(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="x")
    client.force_login(user)
    page = client.get("/about/").content.decode()
    assert "GNU Affero General Public License" in page
    assert "source code of this installation" not in page


@override_settings(SOURCE_CODE_URL="https://git.example.org/peer-support")
def test_about_links_to_the_installations_source_code_when_set(client, django_user_model):
    user = django_user_model.objects.create_user(username="reader", password="x")
    client.force_login(user)
    page = client.get("/about/").content.decode()
    assert '<a href="https://git.example.org/peer-support">the source code of this installation</a>' in page
