"""An organisation admin adds a webhook in headless Chromium, copies the secret and sends a test event."""

import pytest

from tests.test_browser_questionnaire import sign_in
from tests.webhooks.conftest import verifies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_adds_a_webhook_and_tries_it(live_server, page, eager_tasks, orgadmin, receiver, screenshots):
    sign_in(page, live_server, "orgadmin")
    page.goto(f"{live_server.url}/orgs/acme/members/")
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_role("link", name="Add a webhook").click()
    page.get_by_label("Target URL").fill("ftp://example.com/")
    page.get_by_role("button", name="Add the webhook").click()
    assert "Only http:// and https:// URLs can receive webhooks." in page.inner_text("main")

    page.get_by_label("Target URL").fill(receiver.url)
    page.get_by_label("Description").fill("Release dashboard")
    page.get_by_role("button", name="Add the webhook").click()
    secret = page.locator(".webhook-secret").inner_text()
    assert secret.startswith("whsec_")
    page.screenshot(path=screenshots / "webhook-created-en.png", full_page=True)

    page.get_by_role("link", name="Done").click()
    page.get_by_role("button", name="Send a test event").click()
    assert "A test event was sent to" in page.inner_text("main")
    assert "Delivered" in page.inner_text("main") and secret not in page.content()
    [request] = receiver.received
    assert verifies(secret, request)
    page.screenshot(path=screenshots / "webhook-list-en.png", full_page=True)

    page.get_by_role("button", name="简体中文").click()
    assert "发送测试事件" in page.inner_text("main") and "已送达" in page.inner_text("main")
    page.screenshot(path=screenshots / "webhook-list-zh.png", full_page=True)
