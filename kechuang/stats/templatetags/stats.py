from django import template

from kechuang.stats.formatting import display_text

register = template.Library()


@register.filter
def stat(value) -> str:
    """A StatValue as text: 56.03%, 0.77 个百分点, 5,200.00 万元."""
    return display_text(value.value, value.unit)
