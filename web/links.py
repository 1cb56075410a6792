"""Absolute links and the hosts this server answers for.

A link that leaves the page (a calendar to subscribe to, the private link of a request, the text
a planner e-mails) is absolute. It is built from the configured base URL (``TOURNEE_BASE_URL``,
e.g. ``https://tournee.example.org``), never from the request's Host header alone: one request
with ``Host: evil.example`` must not put evil.example into a page cached for every visitor. The
Host header itself is checked before any view (Werkzeug's ``host_is_trusted``, as Flask's
TRUSTED_HOSTS, but answered with the French error page, which Flask's own check cannot render):
loopback names, the base URL's host, the address ``serve --host`` listens on and
``TOURNEE_TRUSTED_HOSTS`` (comma-separated; ``.example.org`` allows its subdomains); any other host
gets a French 400 page.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request, url_for
from werkzeug.sansio.utils import host_is_trusted

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::", "[::]")


def init_app(app: Flask) -> None:
    app.config.setdefault("BASE_URL", os.environ.get("TOURNEE_BASE_URL", ""))
    app.config["BASE_URL"] = (app.config["BASE_URL"] or "").strip().rstrip("/")
    if app.config.get("TOURNEE_TRUSTED_HOSTS") is None:
        app.config["TOURNEE_TRUSTED_HOSTS"] = trusted_hosts(
            app.config["BASE_URL"], os.environ.get("TOURNEE_TRUSTED_HOSTS", ""), app.config.get("SERVE_HOST", ""))
    app.jinja_env.globals["absolute_url"] = absolute_url

    @app.before_request
    def trusted_host_only():
        if not host_is_trusted(request.environ.get("HTTP_HOST") or request.environ.get("SERVER_NAME"),
                               current_app.config["TOURNEE_TRUSTED_HOSTS"]):
            return render_template("errors/error.html", title="Adresse du serveur refusée",
                                   message="Ce serveur ne répond pas sous ce nom. L'administrateur peut l'autoriser "
                                   "avec TOURNEE_BASE_URL ou TOURNEE_TRUSTED_HOSTS."), 400
        return None


def trusted_hosts(base_url: str, listed: str, served: str) -> list[str]:
    hosts = list(LOOPBACK)
    if base_url:
        hosts.append(urlsplit(base_url).hostname or "")
    hosts += [h.strip() for h in listed.split(",") if h.strip()]
    if served not in WILDCARDS:
        hosts.append(served)
    return list(dict.fromkeys(h for h in hosts if h))


def base() -> str:
    """What absolute links start with: the configured base URL, else this (trusted) request's own root."""
    return current_app.config["BASE_URL"] or request.host_url.rstrip("/")


def absolute_url(endpoint: str, **values) -> str:
    return base() + url_for(endpoint, **values)
