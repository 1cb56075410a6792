"""Per-owner access: another planner's scenario, job or plan is answered 404, as if it did not exist."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from web.extensions import db


def owned(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None or obj.owner_id != current_user.id:
        abort(404)
    return obj
