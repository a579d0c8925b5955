"""Request body parsers of the API."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering a too deeply nested document with a 400 instead of a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            # e.g. "[[[[…" a hundred thousand deep: json.loads gives up with RecursionError, not ValueError.
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from error
