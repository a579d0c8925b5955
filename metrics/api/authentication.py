"""Ingest tokens in the API: `Authorization: Bearer dmi_…` (or `Token dmi_…`), for one project's events."""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from metrics.services.credentials import TOKEN_PREFIX, active_token


class IngestClient:
    """Who calls with an ingest token: a machine, authenticated, with no person's rights."""

    is_authenticated = True
    is_anonymous = False
    pk = None

    def __str__(self) -> str:
        return "ingest token"


class IngestTokenAuthentication(authentication.BaseAuthentication):
    """Answers only for tokens that start with the ingest prefix; others go on to the person's token check."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if len(parts) != 2 or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        raw = parts[1].decode(errors="replace")
        if not raw.startswith(TOKEN_PREFIX):
            return None
        token = active_token(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked ingest token."))
        return IngestClient(), token

    def authenticate_header(self, request):
        return "Bearer"


class IngestTokenScheme(OpenApiAuthenticationExtension):
    target_class = IngestTokenAuthentication
    name = "ingestToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A project's ingest token (dmi_…), made by an organisation admin on the project's page.",
        }
