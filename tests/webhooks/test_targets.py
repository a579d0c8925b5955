"""Where webhooks may go (pure: no database; name resolution faked where a test needs a name)."""

import socket

import pytest
from django.utils import translation

from assessment.services.webhook_targets import (
    TargetRefused,
    TargetUnresolved,
    is_public_address,
    resolve_target,
    split_target,
)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",  # noqa: S104 - an address under test, nothing binds to it
        "224.0.0.1",
        "255.255.255.255",
        "::1",
        "fe80::1%eth0",
        "fc00::1",
        "::ffff:127.0.0.1",
        "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 wrapping 169.254.169.254
    ],
)
def test_internal_addresses_are_not_public(address):
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "64:ff9b::5db8:d70e"])
def test_internet_addresses_are_public(address):
    assert is_public_address(address)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "https://",
        "https://user:secret@example.com/hook",
        "http://example.com:99999/",
        "https://" + "a" * 500 + ".com/",
    ],
)
def test_only_plain_http_and_https_urls_are_accepted(url):
    with pytest.raises(TargetRefused):
        split_target(url)


def test_a_url_is_split_into_what_the_connection_needs():
    assert split_target("https://Hooks.Example.com/in?x=1#frag") == ("https", "hooks.example.com", 443, "/in?x=1")
    assert split_target("http://[2001:db8::1]:8080") == ("http", "2001:db8::1", 8080, "/")


def fake_dns(monkeypatch, *addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_name_with_any_internal_address_is_refused(monkeypatch):
    fake_dns(monkeypatch, "93.184.215.14", "10.0.0.5")
    with pytest.raises(TargetRefused) as refused:
        resolve_target("https://hooks.example.com/", allow_private=False)
    assert not isinstance(refused.value, TargetUnresolved)
    with translation.override("en"):
        assert "private, loopback or link-local" in str(refused.value.message)


def test_a_public_name_resolves_to_the_address_to_connect_to(monkeypatch):
    fake_dns(monkeypatch, "93.184.215.14")
    target = resolve_target("https://hooks.example.com/in", allow_private=False)
    assert (target.host, target.port, target.path, target.address) == ("hooks.example.com", 443, "/in", "93.184.215.14")


def test_internal_addresses_are_allowed_only_when_the_setting_says_so():
    with pytest.raises(TargetRefused):
        resolve_target("http://127.0.0.1:8080/", allow_private=False)
    assert resolve_target("http://127.0.0.1:8080/", allow_private=True).address == "127.0.0.1"


def test_a_name_that_does_not_resolve_is_told_apart(monkeypatch):
    def getaddrinfo(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(TargetUnresolved):
        resolve_target("https://no-such-host.example/", allow_private=False)
