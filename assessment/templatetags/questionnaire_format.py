"""Formatting for questionnaire templates."""

from django import template

from assessment import block_cache
from assessment.models import AnswerValue, DecisionValue, VerdictValue

register = template.Library()


@register.simple_tag
def answer_choices():
    return AnswerValue.choices


@register.filter
def answer_label(value: str) -> str:
    return AnswerValue(value).label if value in AnswerValue.values else ""


@register.filter
def verdict_label(value: str) -> str:
    return VerdictValue(value).label if value in VerdictValue.values else ""


@register.filter
def level_list(levels) -> str:
    """[2, 3] → "2, 3"."""
    return ", ".join(str(level) for level in levels)


class CachedBlockNode(template.Node):
    def __init__(self, nodelist: template.NodeList, block: template.base.FilterExpression):
        self.nodelist, self.block = nodelist, block

    def render(self, context) -> str:
        block = self.block.resolve(context)
        if block.html is not None:
            return block.html
        html = self.nodelist.render(context)
        block_cache.remember(block, html)
        return html


@register.tag
def cached_block(parser, token):
    """{% cached_block block %}…{% endcached_block %}: the block's HTML from assessment.block_cache when the
    view found it there, else the content rendered and stored under the block's key."""
    _tag, block = token.split_contents()
    nodelist = parser.parse(("endcached_block",))
    parser.delete_first_token()
    return CachedBlockNode(nodelist, parser.compile_filter(block))


@register.simple_tag
def decision_choices():
    return DecisionValue.choices


@register.filter
def decision_label(value: str) -> str:
    return DecisionValue(value).label if value in DecisionValue.values else ""


class CachedPageNode(template.Node):
    def __init__(self, nodelist: template.NodeList, key: template.base.FilterExpression):
        self.nodelist, self.key = nodelist, key

    def render(self, context) -> str:
        html = self.nodelist.render(context)
        key = self.key.resolve(context)
        if key:
            block_cache.remember_page(key, html)
        return html


@register.tag
def cached_page(parser, token):
    """{% cached_page key %}…{% endcached_page %}: renders the content and stores it under the key (when there
    is one) for the next request with the same key (see block_cache.page_key)."""
    _tag, key = token.split_contents()
    nodelist = parser.parse(("endcached_page",))
    parser.delete_first_token()
    return CachedPageNode(nodelist, parser.compile_filter(key))
