"""Error pages speak the app's language and look, and never leak that a foreign object exists."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_not_found_page(client, outsider, assessment):
    client.force_login(outsider)
    response = client.get(f"/assessments/{assessment.pk}/", headers={"accept-language": "en"})
    body = response.content.decode()
    assert response.status_code == 404
    assert "belongs to an organisation you are not a member of" in body and "Marketing platform" not in body
    assert "找不到" in client.get("/no-such-page/", headers={"accept-language": "zh-CN"}).content.decode()


@override_settings(DEBUG=False)
def test_not_allowed_page(client, assessor, assessment):
    client.force_login(assessor)
    response = client.post(f"/assessments/{assessment.pk}/submit/", headers={"accept-language": "en"})
    assert response.status_code == 403
    assert "Your role in this organisation does not allow this" in response.content.decode()
