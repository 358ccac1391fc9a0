"""The app as `make serve`'s backend serves it: behind nginx, on this machine.

Every request reaches the backend from nginx, at 127.0.0.1: taken as it is, every user
would have that address, and the sign-in throttle (per client address, todochat/auth/
guard.py) would count them all as one, so a few dozen sign-ins an hour would lock everyone
out. nginx sends the client's address in X-Forwarded-For (deploy/nginx.conf); granian's
proxy-headers wrapper makes it the request's client, for the API and for Reflex's
websocket alike, and only for connections from nginx's address: the backend listens on
127.0.0.1 alone, so nobody else can claim an address.
"""

from __future__ import annotations

from granian.utils.proxies import wrap_asgi_with_proxy_headers
from starlette.types import ASGIApp

# Where nginx connects from (deploy/nginx.conf proxies to 127.0.0.1).
TRUSTED_PROXY = "127.0.0.1"


def behind_nginx(app: ASGIApp) -> ASGIApp:
    return wrap_asgi_with_proxy_headers(app, trusted_hosts=TRUSTED_PROXY)


def asgi_app() -> ASGIApp:
    """Granian's factory: Reflex's app, as ``reflex run`` would load it, behind nginx."""
    from reflex.utils import prerequisites

    return behind_nginx(prerequisites.get_app().app())
