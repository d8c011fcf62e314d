"""Limits on what citizens may send, so the portal's confirmation e-mails cannot flood a mailbox.

The service counts per mailbox: the address in lower case without its "+tag", since
victim+1@…, victim+2@… and Victim@… all land in one inbox. The views count per client too:
one address (an IPv6 client by its /64 network, which one household or server holds), whatever
the e-mail addresses it writes. Both live in the portal's shared cache, an hour at a time.
"""

import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from . import pagecache


def mailbox(email):
    """The mailbox an address delivers to: lower case, without a +tag in its local part."""
    local, at, domain = (email or "").strip().lower().rpartition("@")
    if not at or not local:
        return (email or "").strip().lower()
    return f"{local.split('+', 1)[0] or local}@{domain}"


def client_address(request):
    """The client's address: the peer, or behind SIXCLEAR_TRUSTED_PROXIES proxies the address
    the nearest of them saw. An IPv6 client stands for its /64 network."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.SIXCLEAR_TRUSTED_PROXIES
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                 if part.strip()]
    if proxies and forwarded:
        address = forwarded[-min(proxies, len(forwarded))]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def count(key, limit):
    """Count one more for `key` in the current hour; False once beyond `limit`."""
    cache = pagecache.portal_cache()
    key = f"portal:rate:{timezone.now():%Y%m%d%H}:{key}"
    cache.add(key, 0, timeout=3600)
    try:
        total = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        total = 1
    return total <= limit


def take_client_submission(request):
    """Count one follow or rating from this client; refuse beyond the hourly limit."""
    if not count(f"client:{client_address(request)}", settings.PORTAL_SUBMISSIONS_PER_CLIENT_HOUR):
        raise ValidationError(
            _("Too many requests from your connection. Please try again in an hour."),
            code="rate_limited",
        )
