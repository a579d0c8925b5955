"""Accounts: throttled sign-in, password change and password reset, end to end through the pages."""

import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH = {"accept-language": "en"}
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def bob(django_user_model):
    return django_user_model.objects.create_user("bob", "bob@example.com", password="bob's own secret 7")


def sign_in(client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, headers=ENGLISH, REMOTE_ADDR=address
    )


def is_signed_in(client) -> bool:
    return client.get(reverse("home")).context["user"].is_authenticated


# Throttling


def test_the_right_password_signs_in(client, alice):
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert is_signed_in(client)


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, alice):
    for _attempt in range(5):
        response = sign_in(client, "alice", "wrong")
        assert response.status_code == 200 and "Please enter a correct" in response.content.decode()
    refused = sign_in(client, "alice", PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins; try again in 15 minutes." in refused.content.decode()
    assert not is_signed_in(client)


def test_the_lock_counts_down_and_ends_after_fifteen_minutes(client, alice, monkeypatch):
    for _attempt in range(5):
        sign_in(client, "alice", "wrong")
    started = time.time()
    monkeypatch.setattr(time, "time", lambda: started + 10 * 60 + 5)
    assert "try again in 5 minutes." in sign_in(client, "alice", PASSWORD).content.decode()
    monkeypatch.setattr(time, "time", lambda: started + 14 * 60 + 30)
    assert "try again in 1 minute." in sign_in(client, "alice", PASSWORD).content.decode()
    monkeypatch.setattr(time, "time", lambda: started + 15 * 60 + 1)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_other_user_names_are_not_affected(client, alice, bob):
    for _attempt in range(6):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 429
    assert sign_in(Client(), "bob", "bob's own secret 7").status_code == 302


def test_the_user_name_is_locked_from_every_address(client, alice):
    for attempt in range(5):
        sign_in(client, "alice", "wrong", address=f"10.0.0.{attempt}")
    assert sign_in(Client(), "alice", PASSWORD, address="192.0.2.7").status_code == 429


def test_a_successful_sign_in_clears_the_count(client, alice):
    for _attempt in range(4):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(4):
        sign_in(client, "alice", "wrong")
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_failures_for_unknown_user_names_count_too(client):
    for _attempt in range(5):
        sign_in(client, "mallory", "guess")
    assert "Too many failed sign-ins" in sign_in(client, "mallory", "guess").content.decode()


def test_one_address_guessing_many_user_names_is_locked_out(alice, bob):
    guesser = Client()
    for attempt in range(20):
        sign_in(guesser, f"user{attempt}", "guess", address="203.0.113.9")
    refused = sign_in(guesser, "bob", "bob's own secret 7", address="203.0.113.9")
    assert refused.status_code == 429 and "Too many failed sign-ins" in refused.content.decode()
    assert sign_in(Client(), "bob", "bob's own secret 7", address="198.51.100.4").status_code == 302


def test_the_sign_in_page_links_to_password_reset(client):
    body = client.get(reverse("login"), headers=ENGLISH).content.decode()
    assert f'href="{reverse("password_reset")}"' in body


# Password change


def test_password_change_end_to_end(client, alice):
    client.force_login(alice)
    form = client.get(reverse("password_change"), headers=ENGLISH)
    assert form.status_code == 200 and "Change your password" in form.content.decode()
    wrong_old = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "a fresh long secret 9", "new_password2": "a fresh long secret 9"},
        headers=ENGLISH,
    )
    assert "Your old password was entered incorrectly" in wrong_old.content.decode()
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a fresh long secret 9", "new_password2": "a fresh long secret 9"},
    )
    assert done.status_code == 302 and done.url == reverse("password_change_done")
    assert "Password changed" in client.get(done.url, headers=ENGLISH).content.decode()
    assert sign_in(Client(), "alice", PASSWORD).status_code == 200
    assert sign_in(Client(), "alice", "a fresh long secret 9").status_code == 302


def test_password_change_needs_a_signed_in_person(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_weak_new_password_is_refused_with_the_reason(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
        headers=ENGLISH,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "This password is too common." in body
    assert 'class="errorlist"' in body


# Password reset


def test_password_reset_end_to_end(client, bob, mailoutbox):
    form = client.get(reverse("password_reset"), headers=ENGLISH)
    assert "Forgot your password?" in form.content.decode()
    response = client.post(reverse("password_reset"), {"email": "bob@example.com"}, headers=ENGLISH)
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert "Check your email" in client.get(response.url, headers=ENGLISH).content.decode()

    [message] = mailoutbox
    assert message.to == ["bob@example.com"] and message.subject == "Choose a new password for DevOps Maturity"
    assert "Hello bob," in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    set_password = client.get(link, follow=True, headers=ENGLISH)
    assert "Choose the password for the account bob" in set_password.content.decode()
    saved = client.post(
        set_password.redirect_chain[-1][0],
        {"new_password1": "bob's brand new secret", "new_password2": "bob's brand new secret"},
    )
    assert saved.status_code == 302 and saved.url == reverse("password_reset_complete")
    assert "Password saved" in client.get(saved.url, headers=ENGLISH).content.decode()
    assert sign_in(Client(), "bob", "bob's brand new secret").status_code == 302
    assert "This link does not work" in client.get(link, follow=True, headers=ENGLISH).content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_forged_reset_link_does_not_work(client, bob):
    response = client.get("/accounts/reset/Mg/abc-def/", headers=ENGLISH)
    assert response.status_code == 200 and "This link does not work" in response.content.decode()


# The cache behind the throttle


def django_setting(expression: str, **env: str) -> subprocess.CompletedProcess:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_cache_is_each_processs_memory_unless_cache_url_names_redis():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    redis = django_setting("settings.CACHES['default']", CACHE_URL="redis://cache.example.com:6379/1")
    assert "django.core.cache.backends.redis.RedisCache" in redis.stdout
    assert "redis://cache.example.com:6379/1" in redis.stdout


def test_a_cache_url_that_is_not_redis_stops_start_up_naming_the_variable():
    result = django_setting("settings.CACHES", CACHE_URL="memcached://cache:11211")
    assert result.returncode != 0
    assert "Environment variable CACHE_URL must start with redis://" in result.stderr
