"""Form pieces every blueprint uses: the token-only form and WTForms options from (value, label) pairs."""

from __future__ import annotations

from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from web import planning


class PostForm(FlaskForm):
    """A form with nothing but its CSRF token (buttons, and forms whose fields are built by hand)."""


def options(pairs, group: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as WTForms options (tuples are deprecated by WTForms 3.3), in an optgroup
    when ``group`` is given."""
    return [SelectChoice(value, label, optgroup=group) for value, label in pairs]


class CommuneInput:
    """A text box with the suggestion list of its field's communes: the browser narrows the list as
    one types (no 286-line drop-down), as on the public request form."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        kwargs.update({"list": f"{field.id}-liste", "autocomplete": "off"})
        attributes = " ".join(f'{k.replace("_", "-")}="{escape(v)}"' for k, v in kwargs.items() if v is not None)
        listed = "".join(f'<option value="{escape(text)}">' for text in field.suggestions())
        return Markup(f'<input type="text" name="{escape(field.name)}" value="{escape(field._value())}" {attributes}>'
                      f'<datalist id="{escape(field.id)}-liste">{listed}</datalist>')


class CommuneField(StringField):
    """A commune of the scenario typed or picked: « Menetou-Salon (18145) », « 18145 », or a name alone
    when only one commune of the list bears it (accents, hyphens and « St » do not matter). ``choices``
    are (INSEE, name) options set by the page; ``data`` is the INSEE code once validated."""

    widget = CommuneInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.choices: list = []

    def _names(self) -> dict[str, str]:
        return {c.value if hasattr(c, "value") else c[0]: c.label if hasattr(c, "label") else c[1] for c in self.choices}

    def suggestions(self) -> list[str]:
        return [f"{name} ({code})" for code, name in self._names().items()]

    def _value(self) -> str:
        names = self._names()
        return f"{names[self.data]} ({self.data})" if self.data in names else (self.data or "")

    def pre_validate(self, form) -> None:
        names = self._names()
        text = (self.data or "").strip()[:80]
        code = text[-6:-1] if text.endswith(")") and text[-7:-6] == "(" else text
        if code in names:
            self.data = code
            return
        typed = planning.search_key(text[:text.rindex("(")] if text.endswith(")") and "(" in text else text)
        found = [c for c, name in names.items() if planning.search_key(name) == typed] if typed else []
        if len(found) == 1:
            self.data = found[0]
            return
        self.data = text
        if not text:
            raise ValidationError("Choisissez une commune.")
        if found:
            raise ValidationError("Plusieurs communes portent ce nom : choisissez-la dans la liste ("
                                  + ", ".join(f"{names[c]} ({c})" for c in found) + ").")
        raise ValidationError(f"« {text[:60]} » n'est pas une commune du territoire du scénario : choisissez-la dans "
                              "la liste proposée.")


def refused_upload(field) -> list[dict]:
    """The problem row of an upload the form itself refused (no file, too large, wrong kind), in the
    shape of the import problems table."""
    return [{"file": "", "row": 0, "column": "", "value": "", "message": " ".join(field.errors) or "envoi invalide"}]
