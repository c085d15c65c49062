from django import template

register = template.Library()


@register.filter
def share(count, total) -> int:
    """``count`` as a whole-number percentage of ``total`` (0 when there is no total)."""
    try:
        return round(100 * int(count) / int(total)) if total else 0
    except (TypeError, ValueError):
        return 0
