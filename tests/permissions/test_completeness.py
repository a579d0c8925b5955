"""The matrix's guard: every URL pattern of the project (config/urls.py and everything it includes, named or not,
DRF's routers too) that reaches an object by an id or code, and every pattern served by our own views, has rows
in the matrix or an exemption below that says why; and every exemption names patterns that exist and need it.

Patterns of Django's and other libraries' views that take no id or code (sign-out, password change, language
choice, the OpenAPI schema and docs, DRF's API root) hold nothing of an organisation and are not required.
"""

from dataclasses import dataclass

from django.urls import URLResolver, get_resolver, resolve

from tests.permissions import test_assessment_api, test_assessment_pages, test_metrics, test_public, test_review

MATRIX = [
    *test_assessment_pages.HTML,
    *test_assessment_api.API,
    *test_review.REVIEW_HTML,
    *test_review.REVIEW_API,
    *test_metrics.HTML,
    *test_metrics.API,
    *test_public.HTML,
    *test_public.API,
]
# Keyed by URL name ("namespace:name"), namespace, or route (for unnamed patterns): why no row is needed.
NOT_IN_MATRIX = {
    "admin": "Django's admin: staff only, and no persona is staff (test_public.py's admin-object row shows each is "
    "sent to sign in); organisations' people never use it.",
    "password_reset_confirm": "Django's password reset: opened by the one-time token sent by e-mail, not by role.",
    "login": "Signing in: no object behind it.",
    "api-token": "Trades a username and password for an API token: no object behind it.",
}
OUR_MODULES = ("assessment.", "metrics.", "config.")


@dataclass(frozen=True)
class Endpoint:
    route: str  # as Django's resolver reports it (ResolverMatch.route)
    name: str  # "namespace:name", or "" when unnamed
    namespace: str
    parameters: frozenset[str]  # captured from the path, "*" for a positional group
    module: str  # the view's

    @property
    def takes_an_object(self) -> bool:
        return bool(self.parameters - {"format"})  # DRF's format suffix (.json) names no object

    @property
    def is_ours(self) -> bool:
        return self.module.startswith(OUR_MODULES)

    def __str__(self) -> str:
        return f"{self.route} ({self.name or 'unnamed'}, {self.module})"


def _join(route: str, more: str) -> str:
    """As the resolver joins an include's route and its pattern's."""
    return more if not route else route + more.removeprefix("^")


def walk(patterns, route: str = "", namespace: str = "", parameters: frozenset = frozenset()):
    """Every pattern under these, through every include."""
    for pattern in patterns:
        regex = pattern.pattern.regex
        positional = {"*"} if regex.groups > len(regex.groupindex) else set()
        captured = parameters | set(regex.groupindex) | positional
        joined = _join(route, str(pattern.pattern))
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from walk(pattern.url_patterns, joined, inner, captured)
        else:
            name = ":".join(part for part in (namespace, pattern.name or "") if part) if pattern.name else ""
            yield Endpoint(joined, name, namespace, frozenset(captured), pattern.callback.__module__)


def endpoints() -> list[Endpoint]:
    return list(walk(get_resolver().url_patterns))


class AnyId(dict):
    def __missing__(self, key: str) -> str:
        return "1"


def covered_routes() -> set[str]:
    """The routes the matrix's rows reach (a row's path is its third field from the end)."""
    return {resolve(row[-3].format_map(AnyId()).split("?")[0]).route for row in MATRIX}


def is_exempted_by(key: str, endpoint: Endpoint) -> bool:
    return key in (endpoint.name, endpoint.route) or (endpoint.namespace + ":").startswith(key + ":")


def test_the_walk_reaches_every_pattern_the_resolver_knows():
    found = endpoints()
    names = {endpoint.name for endpoint in found}
    # One of each URL module config/urls.py includes, DRF's router, Django's admin and auth, and the schema.
    expected = {"project", "project-metrics", "api-project", "api-project-metrics", "metrics-hook", "api-schema"}
    expected |= {"catalog-model-detail", "admin:index", "password_reset_confirm", "set_language"}
    assert expected <= names
    assert any(not endpoint.name and endpoint.takes_an_object for endpoint in found)  # the admin's catch-all
    assert covered_routes() <= {endpoint.route for endpoint in found}  # the walk agrees with the resolver


def test_every_endpoint_is_in_the_matrix():
    """A new URL that reaches an object, or any new URL of ours, fails here until the matrix has its rows (or
    NOT_IN_MATRIX says why it needs none)."""
    covered = covered_routes()
    missing = [
        str(endpoint)
        for endpoint in endpoints()
        if (endpoint.takes_an_object or endpoint.is_ours)
        and endpoint.route not in covered
        and not any(is_exempted_by(key, endpoint) for key in NOT_IN_MATRIX)
    ]
    assert missing == []


def test_every_exemption_names_endpoints_that_need_it():
    covered, found = covered_routes(), endpoints()
    for key in NOT_IN_MATRIX:
        exempted = [endpoint for endpoint in found if is_exempted_by(key, endpoint)]
        assert exempted, f"{key} names no URL pattern"
        assert any(endpoint.route not in covered for endpoint in exempted), f"{key} is in the matrix already"
