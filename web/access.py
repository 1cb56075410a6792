"""Who may see what: planner pages need a login and answer another planner's scenario, job or plan
with 404, as if it did not exist; a short list of endpoints is public."""

from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user

from web.extensions import db

# Endpoints anyone may open. tests/web/test_security_routes.py checks every other route of the
# url_map refuses anonymous users, so a new public page must be named here (or in its blueprint).
PUBLIC_ENDPOINTS = frozenset({"static", "index", "auth.login"})
# Blueprints of the public side, by the names they are registered under: « demande » (the request
# form, web/requests_form.py) and « public » (hosts' pages and calendar feeds, web/public.py). No
# login by design. ``check_public_blueprints`` refuses to start an app where one of them is missing,
# so no name here can wait for a future blueprint to skip the login sweep.
# « hote » (the host's private link, web/hosts.py) is reached by its token, never by a login.
PUBLIC_BLUEPRINTS = frozenset({"public", "demande", "hote"})


def check_public_blueprints(app: Flask) -> None:
    """Every public blueprint named above is one the app registered (RuntimeError otherwise)."""
    unknown = PUBLIC_BLUEPRINTS - set(app.blueprints)
    if unknown:
        raise RuntimeError(f"web.access.PUBLIC_BLUEPRINTS names blueprints the app does not have: {sorted(unknown)}")


def is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.split(".", 1)[0] in PUBLIC_BLUEPRINTS


def owned(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None or obj.owner_id != current_user.id:
        abort(404)
    return obj
