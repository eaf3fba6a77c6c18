import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.utils import timezone

from stakeholders.models import User

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client, username, password=PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_page_renders_with_labels_and_hints(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<label class="label" for="id_username">' in body
    assert 'id="id_password_helptext"' in body
    assert "Forgotten your password?" in body


def test_login_sets_language_cookie_from_preference(client, db):
    UserFactory(username="amadou", preferred_language="fr")
    response = _sign_in(client, "amadou")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/")
    assert page["Content-Language"] == "fr"


def test_login_without_preference_sets_no_language_cookie(client, db):
    UserFactory(username="plain", preferred_language="")
    response = _sign_in(client, "plain")
    assert response.status_code == 302  # positive control: signed in
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_login_error_summary_links_to_field(client, db):
    UserFactory(username="someone")
    response = _sign_in(client, "someone", "wrong-password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_username"' in body


def test_lockout_after_five_failures_for_one_account_from_one_address(client, db):
    UserFactory(username="target")
    UserFactory(username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "target", "wrong-password")

    locked = _sign_in(client, "target")  # the right password, too late
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "too many failed attempts to sign in to this account" in body
    assert "15 minutes" in body
    assert "Reset your password" in body
    assert "_auth_user_id" not in client.session

    # Another account signs in from the same address.
    other = _sign_in(client, "colleague")
    assert other.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="colleague").pk)


def test_lockout_ends_after_cool_off(client, db):
    UserFactory(username="target")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "target", "wrong-password")
    assert _sign_in(client, "target").status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        assert _sign_in(client, "target").status_code == 302


def test_logout_is_post_only(client, world):
    client.force_login(world["editor"])
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_account_page_updates_details_and_language(client, world):
    user = world["editor"]
    client.force_login(user)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200
    assert 'for="id_preferred_language"' in page.content.decode()
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "Aïssatou",
            "last_name": "Ba",
            "email": "aissatou@example.org",
            "preferred_language": "fr",
        },
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.email, user.preferred_language) == (
        "Aïssatou",
        "Ba",
        "aissatou@example.org",
        "fr",
    )
    assert client.get("/accounts/profile/")["Content-Language"] == "fr"


def test_account_page_refuses_email_of_another_account(client, world):
    user = world["editor"]
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": "E",
            "last_name": "D",
            "email": world["observer"].email.upper(),
            "preferred_language": "",
        },
    )
    assert response.status_code == 200
    assert 'href="#id_email"' in response.content.decode()
    user.refresh_from_db()
    assert user.email == "editor@example.org"


def test_password_reset_emails_a_working_link(client, world):
    response = client.post("/accounts/password-reset/", {"email": world["editor"].email})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/done/"
    assert len(mail.outbox) == 1
    match = re.search(r"http://testserver(/accounts/reset/[^/]+/[^/]+/)", mail.outbox[0].body)
    assert match is not None
    form = client.get(match.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {
            "new_password1": "a-new-long-passphrase-7",
            "new_password2": "a-new-long-passphrase-7",
        },
    )
    assert done["Location"] == "/accounts/reset/done/"
    world["editor"].refresh_from_db()
    assert world["editor"].check_password("a-new-long-passphrase-7")


def test_password_change(client, world):
    client.force_login(world["editor"])
    assert client.get("/accounts/password/").status_code == 200
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase-7",
            "new_password2": "a-new-long-passphrase-7",
        },
    )
    assert response["Location"] == "/accounts/password/done/"
    world["editor"].refresh_from_db()
    assert world["editor"].check_password("a-new-long-passphrase-7")


def test_session_idle_for_more_than_30_minutes_is_signed_out(client, world):
    client.force_login(world["editor"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200  # fresh enough
        clock.shift(timedelta(minutes=31))
        response = client.get("/", follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/login/")
        assert "Your session expired" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_session_older_than_12_hours_is_signed_out_even_when_active(client, world):
    client.force_login(world["editor"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert client.get("/").status_code == 200
        for _ in range(int(12 * 60 / 25)):  # a request every 25 minutes: never idle
            clock.shift(timedelta(minutes=25))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=25))  # now past 12 hours since sign-in
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
