from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from volunteers.matching.candidate_html import components_html

register = template.Library()


@register.simple_tag
def score_components(assessment) -> SafeString:
    """A score's components, as the candidate page writes them."""
    return components_html(assessment)
