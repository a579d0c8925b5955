"""PDF from the report's HTML with WeasyPrint: Chinese in an embedded Noto Sans CJK SC, charts as inline SVG."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered and printed to PDF. WeasyPrint is imported here: it takes a second to load and
    only the report worker needs it."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
