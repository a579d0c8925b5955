"""A person opens the catalogue in headless Chromium, switches language and reads the Chinese names."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_browse_the_catalogue_and_switch_language(live_server, page, caict, screenshots):
    page.goto(f"{live_server.url}/catalog/")
    page.get_by_role("link", name="DevOps Capability Maturity Model").click()
    page.get_by_role("link", name="Continuous Delivery").click()
    page.get_by_role("link", name="Build and continuous integration").click()
    page.get_by_role("link", name="Feedback cycle").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Feedback cycle")
    assert page.locator(".rung").count() == 5
    page.screenshot(path=screenshots / "catalog-subitem-en.png", full_page=True)

    page.get_by_role("button", name="简体中文").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("反馈周期")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert page.get_by_role("link", name="构建与持续集成").is_visible()
    assert "3 全面级" in page.locator(".rung").nth(2).inner_text()
    page.screenshot(path=screenshots / "catalog-subitem-zh.png", full_page=True)

    page.get_by_role("link", name="研发运营一体化(DevOps)能力成熟度模型").click()
    page.get_by_label("搜索能力子项和评估准则（中英文均可）").fill("回滚")
    page.locator("#search-results li").first.wait_for()
    assert "cd.cm.change.rollback" in page.locator("#search-results").inner_text()
    page.screenshot(path=screenshots / "catalog-search-zh.png")


def test_keyboard_users_can_skip_to_the_content(live_server, page):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") in ("Skip to content", "跳至正文")
