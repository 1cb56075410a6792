"""Form pieces every blueprint uses: the token-only form and WTForms options from (value, label) pairs."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (buttons, and forms whose fields are built by hand)."""


def options(pairs, group: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options (tuples are deprecated by WTForms 3.3), in an optgroup
    when ``group`` is given."""
    return [SelectChoice(value, label, optgroup=group) for value, label in pairs]
