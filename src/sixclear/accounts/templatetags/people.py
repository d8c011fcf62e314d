from django import template

register = template.Library()


@register.filter
def person(user):
    """A person's name as people say it: their full name, else their user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
