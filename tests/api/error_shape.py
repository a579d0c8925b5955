"""The one error shape of the API, checked the same way everywhere."""


def assert_error_shape(response, status: int, *fields: str) -> dict:
    """The response is `status` with the API's error shape and names each of `fields` in its errors."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    for field in fields:
        assert field in body["errors"], body
    return body
