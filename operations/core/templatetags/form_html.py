from django import template

from operations.core.form_html import form_html

register = template.Library()

#: ``{{ form|bootstrap_fields }}``: the crispy pack's markup, written in Python (see the module).
register.filter("bootstrap_fields", form_html)
