"""The menu shows a role the pages it may open, and only those."""

import pytest
from django.urls import reverse

from kechuang.core.context_processors import NAV
from kechuang.core.scoping import Roles
from kechuang.core.testing.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Roles))
def test_every_menu_entry_opens_and_every_hidden_page_is_refused(client, role):
    user = user_with_role(role)
    client.force_login(user)
    shown = {name for _label, name in client.get(reverse("core:home")).context["nav_items"]}
    assert "core:home" in shown
    for _group, label, name, only in NAV:
        status = client.get(reverse(name)).status_code
        if name in shown:
            assert status == 200, f"{role} sees {label} in the menu but the page answers {status}"
        elif only is None:
            assert status == 403, f"{role} may open {label} ({status}) but the menu hides it"
