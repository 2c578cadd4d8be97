"""Template helpers of the voucher pages."""

from django import template

register = template.Library()


@register.filter
def note_hint(actions: list[dict]) -> str:
    """The placeholder of the note box: which of the offered steps need a reason."""
    needing = [a["label"] for a in actions if a["needs_note"]]
    if not needing:
        return "可选"
    return f"{'、'.join(needing)}时必须填写"
