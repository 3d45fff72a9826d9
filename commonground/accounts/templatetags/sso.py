from django import template

from commonground.accounts.sso import password_sign_in_enabled

register = template.Library()


@register.simple_tag
def password_sign_in() -> bool:
    """Whether this instance lets people sign in with a password (accounts.sso)."""
    return password_sign_in_enabled()
