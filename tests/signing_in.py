"""Signing in through the real login page, for the browser tests."""

PASSWORD = "correct horse battery"  # every persona's, see tests/conftest.py


def sign_in(page, live_server, username: str, password: str = PASSWORD):
    """Signs in on the login page and waits for the home page; returns the page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button").click()
    page.wait_for_url(f"{live_server.url}/")
    return page
