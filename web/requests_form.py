"""The public request form ``/demande``: a commune or an intercommunality asks for stops, no account.

Abuse is kept out by CSRF, a rate limit per address (Flask-Limiter, ``TOURNEE_REQUEST_RATE_LIMIT``,
storage ``TOURNEE_RATELIMIT_STORAGE``, in memory by default) and a honeypot field that people never
see. The requester gets a private link (secrets.token_urlsafe) to follow the status, and to edit or
withdraw the request while it is pending; withdrawing clears the link.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from functools import lru_cache

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.i18n import get_translations
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from web import geocoding, links, planning
from web.extensions import db, limiter
from web.forms import options
from web.models import StopRequest
from web.published import current
from web.request_labels import STATUS_LABELS, WEEKDAYS

bp = Blueprint("demande", __name__)

MARKET_CHOICES = (("", "pas de marché"), *((name, f"le {name}") for _code, name in WEEKDAYS),
                  ("dimanche", "le dimanche"))
PERIODS = 3
SUMMARY_NAMES = {f"period{n}_{end}": f"Période {n} : {'début' if end == 'start' else 'fin'}"
                 for n in range(1, PERIODS + 1) for end in ("start", "end")}
MAX_COMMUNE = 80  # « Nom (INSEE) »: the longest French commune name is 45 characters
MAX_DAYS = 20
MAX_AUDIENCE = 500
HORIZON_DAYS = 2 * 366
PHONE = re.compile(r"^(?:0|\+33|0033)[1-9]\d{8}$")
POSTCODE = re.compile(r"^\d{5}$")


def init_app(app) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", os.environ.get("TOURNEE_RATELIMIT_STORAGE", "memory://"))
    app.config.setdefault("TOURNEE_REQUEST_RATE_LIMIT", os.environ.get("TOURNEE_REQUEST_RATE_LIMIT",
                                                                       "10 per hour;30 per day"))
    limiter.init_app(app)

    @app.errorhandler(429)
    def too_many(_exc):
        if request.endpoint == "auth.login":
            return render_template("errors/error.html", title="Trop d'essais",
                                   message="Trop de mots de passe erronés pour ce compte ou depuis cette adresse : "
                                   "réessayez dans un quart d'heure."), 429
        return render_template("errors/error.html", title="Trop d'envois",
                               message="Trop de demandes ont été envoyées depuis cette adresse. "
                               "Réessayez dans une heure, ou écrivez à l'équipe du bus numérique."), 429


def _rate() -> str:
    return current_app.config["TOURNEE_REQUEST_RATE_LIMIT"]


# --- communes and intercommunalities of the shipped data -----------------------------------------

@lru_cache(maxsize=1)
def commune_options() -> tuple[str, ...]:
    """« Nom (INSEE) » of every shipped commune, for the form's suggestion list."""
    return tuple(sorted((f"{c.name} ({c.insee})" for c in planning.shipped_by_insee().values()), key=planning.search_key))


@lru_cache(maxsize=1)
def commune_datalist() -> Markup:
    """The form's suggestion list as HTML, escaped once: 1,756 options rendered by the template took
    most of the page's ~100 ms."""
    return Markup("".join(f'<option value="{escape(option)}">' for option in commune_options()))


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[str, ...]]:
    names: dict[str, list[str]] = {}
    for c in planning.shipped_by_insee().values():
        names.setdefault(planning.search_key(c.name), []).append(c.insee)
    return {k: tuple(v) for k, v in names.items()}


def resolve_commune(text: str) -> str:
    """The INSEE code typed or picked (« Nom (18145) », « 18145 » or an unambiguous name);
    ValidationError with a French message otherwise."""
    text = text.strip()[:MAX_COMMUNE]
    known = planning.shipped_by_insee()
    # read once, no backtracking: « Nom (18145) » ends with a parenthesis holding five characters
    code = text[-6:-1] if text.endswith(")") and text[-7:-6] == "(" else text
    if len(code) == 5 and code.isalnum() and code.upper() in known:
        return code.upper()
    name = text[:text.index("(")] if text.endswith(")") and "(" in text else text
    codes = _by_name().get(planning.search_key(name), ())
    if len(codes) == 1:
        return codes[0]
    if len(codes) > 1:
        raise ValidationError("Plusieurs communes portent ce nom : choisissez-la dans la liste ("
                              + ", ".join(f"{known[c].name} ({c})" for c in codes) + ").")
    raise ValidationError(f"Commune inconnue : « {text[:60]} ». Choisissez-la dans la liste proposée "
                          "(communes de la région Centre-Val de Loire).")


# --- the form ------------------------------------------------------------------------------------

class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required(message: str):
    return InputRequired(message)


class Bounded(Length):
    """A maximum length that stops the field's checks: no pattern ever reads an overlong value
    (WTForms runs the next validators after a plain ValidationError)."""

    def __init__(self, max: int, message: str | None = None):  # noqa: A002 - WTForms' own name
        super().__init__(max=max, message=message or f"{max} caractères au plus.")

    def __call__(self, form, field):
        if len(field.data or "") > self.max:
            raise StopValidation(self.message)


class FrenchMeta:
    """WTForms' own French messages for what the validators below do not say themselves."""

    locales = ("fr_FR", "fr")

    def get_translations(self, form):
        return get_translations(self.locales)


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker sends ISO; a browser without one, what people type


class RequestForm(FlaskForm):
    class Meta(FrenchMeta):
        pass

    requester_kind = RadioField("Qui fait la demande ?", choices=options([("commune", "la commune (mairie)"),
                                                                          ("epci", "une intercommunalité")]),
                                default="commune", validators=[_required("Indiquez qui fait la demande.")])
    requester_epci = SelectField("Intercommunalité", choices=[], validate_choice=False,
                                 description="Seulement si la demande vient d'une intercommunalité.")
    contact_name = StringField("Nom et prénom", validators=[_required("Indiquez le nom de la personne à contacter."),
                                                            Bounded(120, "120 caractères au plus.")])
    contact_role = StringField("Fonction", description="Par exemple : secrétaire de mairie, maire adjointe, chargé de mission.",
                               validators=[_required("Indiquez la fonction de la personne à contacter."),
                                           Bounded(120, "120 caractères au plus.")])
    contact_email = StringField("Adresse e-mail", validators=[_required("Indiquez une adresse e-mail."),
                                                              Bounded(254, "254 caractères au plus.")])
    contact_phone = StringField("Téléphone", description="10 chiffres, par exemple 02 48 00 00 00.",
                                validators=[_required("Indiquez un numéro de téléphone."), Bounded(30)])
    commune = StringField("Commune où le bus s'arrêterait",
                          validators=[_required("Indiquez la commune."), Bounded(MAX_COMMUNE)],
                          description="Tapez le début du nom, puis choisissez dans la liste : « Menetou-Salon (18145) ».")
    host_site = StringField("Lieu d'accueil", description="Par exemple : parking de la mairie, place du marché.",
                            validators=[_required("Indiquez le lieu où le bus se garerait."),
                                        Bounded(200, "200 caractères au plus.")])
    address = StringField("Adresse du lieu", description="Numéro et rue, pour que le bus trouve l'endroit.",
                          validators=[_required("Indiquez l'adresse du lieu."), Bounded(200, "200 caractères au plus.")])
    postcode = StringField("Code postal", validators=[_required("Indiquez le code postal."), Bounded(5)])
    parking_power = BooleanField("Une place de stationnement pour le bus avec une prise électrique")
    toilets = BooleanField("Des toilettes accessibles au public")
    room = BooleanField("Une salle (en cas de mauvais temps, ou pour un atelier)")
    period1_start = DateField("Du", format=DATE_FORMATS,
                              validators=[_required("Indiquez le début de la première période souhaitée.")])
    period1_end = DateField("au", format=DATE_FORMATS,
                            validators=[_required("Indiquez la fin de la première période souhaitée.")])
    period2_start = DateField("Du", format=DATE_FORMATS, validators=[Optional()])
    period2_end = DateField("au", format=DATE_FORMATS, validators=[Optional()])
    period3_start = DateField("Du", format=DATE_FORMATS, validators=[Optional()])
    period3_end = DateField("au", format=DATE_FORMATS, validators=[Optional()])
    weekdays = CheckboxesField("Jours de la semaine qui conviennent", choices=options(WEEKDAYS), validate_choice=True,
                               description="Ne cochez rien si tous les jours conviennent.")
    market_day = SelectField("Jour de marché dans la commune", choices=options(MARKET_CHOICES))
    days = IntegerField("Nombre de jours souhaités", default=1,
                        validators=[_required("Indiquez un nombre de jours (1 au moins)."),
                                    NumberRange(1, MAX_DAYS, f"Entre 1 et {MAX_DAYS} jours.")])
    audience = IntegerField("Nombre de personnes attendues (environ)", validators=[
        Optional(), NumberRange(1, MAX_AUDIENCE, f"Entre 1 et {MAX_AUDIENCE} personnes.")])
    note = TextAreaField("Autre chose à nous dire ?", validators=[Bounded(2000, "2 000 caractères au plus.")])
    consent = BooleanField("J'accepte que ces coordonnées servent uniquement à traiter cette demande.",
                           validators=[_required("Cochez cette case pour que nous puissions vous recontacter.")])
    website = StringField("Ne pas remplir ce champ", validators=[Bounded(200)])  # honeypot

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requester_epci.choices = options([("", "— choisir —"), *planning.epci_choices()])
        self.insee = ""

    def validate_requester_epci(self, field):
        if self.requester_kind.data == "epci":
            if not field.data:
                raise ValidationError("Choisissez l'intercommunalité qui fait la demande.")
            if field.data not in planning.epci_names():
                raise ValidationError("Intercommunalité inconnue : choisissez-la dans la liste.")

    def validate_commune(self, field):
        self.insee = resolve_commune(field.data or "")

    def validate_contact_email(self, field):
        problem = planning.email_problem((field.data or "").strip())  # the loader's own check
        if problem:
            raise ValidationError(f"{problem[0].upper()}{problem[1:]} : « {field.data[:60]} ».")

    def validate_contact_phone(self, field):
        digits = re.sub(r"[\s.\-()]", "", field.data or "")
        if not PHONE.match(digits) or planning.phone_problem(" ".join(field.data.split())):
            raise ValidationError(f"Numéro de téléphone invalide : « {field.data[:30]} » (attendu : 10 chiffres, "
                                  "par exemple 02 48 00 00 00).")

    def validate_postcode(self, field):
        code = (field.data or "").strip()
        if not POSTCODE.match(code):
            raise ValidationError(f"Code postal invalide : « {code[:10]} » (5 chiffres, par exemple 18510).")
        commune = planning.shipped_by_insee().get(self.insee)
        if commune is not None and not code.startswith(commune.dep):
            raise ValidationError(f"Ce code postal n'est pas dans le département de {commune.name} ({commune.dep}).")

    def validate_period1_start(self, field):
        self._check_period(1)

    def validate_period2_start(self, field):
        self._check_period(2)

    def validate_period3_start(self, field):
        self._check_period(3)

    def _check_period(self, n: int) -> None:
        start, end = getattr(self, f"period{n}_start"), getattr(self, f"period{n}_end")
        if start.data is None and end.data is None:
            return
        if start.data is None or end.data is None:
            raise ValidationError("Indiquez le début et la fin de la période.")
        today = dt.date.today()
        if end.data < start.data:
            raise ValidationError(f"La fin ({end.data:%d/%m/%Y}) précède le début ({start.data:%d/%m/%Y}).")
        if start.data < today:
            raise ValidationError(f"Cette période commence dans le passé ({start.data:%d/%m/%Y}).")
        if end.data > today + dt.timedelta(days=HORIZON_DAYS):
            raise ValidationError("Cette période finit plus de deux ans après aujourd'hui.")

    def windows(self) -> list[list[str]]:
        out = []
        for n in range(1, PERIODS + 1):
            start, end = getattr(self, f"period{n}_start").data, getattr(self, f"period{n}_end").data
            if start and end:
                out.append([start.isoformat(), end.isoformat()])
        return out

    def fill(self, record: StopRequest) -> None:
        """Copy the validated form into a request (new or edited) and locate its host site."""
        commune = planning.shipped_by_insee()[self.insee]
        record.requester_kind = self.requester_kind.data
        if record.requester_kind == "epci":
            record.requester_code = self.requester_epci.data
            record.requester_name = planning.epci_names()[self.requester_epci.data]
        else:
            record.requester_code, record.requester_name = commune.insee, f"Commune de {commune.name}"
        record.epci = commune.epci
        record.contact_name = self.contact_name.data.strip()
        record.contact_role = self.contact_role.data.strip()
        record.contact_email = self.contact_email.data.strip()
        record.contact_phone = " ".join(self.contact_phone.data.split())
        moved = (record.insee, record.address, record.postcode) != (commune.insee, self.address.data.strip(),
                                                                   self.postcode.data.strip())
        record.insee, record.commune = commune.insee, commune.name
        record.host_site = self.host_site.data.strip()
        record.address, record.postcode = self.address.data.strip(), self.postcode.data.strip()
        record.parking_power, record.toilets, record.room = (bool(self.parking_power.data), bool(self.toilets.data),
                                                             bool(self.room.data))
        record.windows = self.windows()
        record.weekdays = ",".join(self.weekdays.data or [])
        record.market_day = self.market_day.data or ""
        record.days = int(self.days.data)
        record.audience = self.audience.data
        record.note = (self.note.data or "").strip()
        if moved or record.location_note == geocoding.NOTE_OFFLINE:  # new place, or the geocoder was away
            place = geocoding.locate(record.address, record.postcode, commune.name, commune.insee)
            record.lat, record.lon, record.location_note = place.lat, place.lon, place.note

    def load(self, record: StopRequest) -> None:
        """Fill the form's fields from a stored request (edit page)."""
        self.requester_kind.data = record.requester_kind
        self.requester_epci.data = record.requester_code if record.requester_kind == "epci" else ""
        self.commune.data = f"{record.commune} ({record.insee})"
        for name in ("contact_name", "contact_role", "contact_email", "contact_phone", "host_site", "address", "postcode",
                     "parking_power", "toilets", "room", "market_day", "days", "audience", "note"):
            getattr(self, name).data = getattr(record, name)
        self.weekdays.data = [d for d in record.weekdays.split(",") if d]
        for n, (start, end) in enumerate(record.windows[:PERIODS], start=1):
            getattr(self, f"period{n}_start").data = dt.date.fromisoformat(start)
            getattr(self, f"period{n}_end").data = dt.date.fromisoformat(end)
        self.consent.data = True


class WithdrawForm(FlaskForm):
    class Meta(FrenchMeta):
        pass

    """Nothing but the CSRF token."""


# --- pages ---------------------------------------------------------------------------------------

@bp.route("/demande", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
def new():
    form = RequestForm()
    if form.validate_on_submit():
        if form.website.data:
            # a robot filled the field people never see: answer as usual, keep nothing
            current_app.logger.info("honeypot filled on /demande from %s", get_remote_address())
            return render_template("demande/received.html", record=None, link=None), 200
        record = StopRequest(token=secrets.token_urlsafe(32), status="pending", source="form")
        form.fill(record)
        db.session.add(record)
        db.session.commit()
        return redirect(url_for("demande.follow", token=record.token, envoyee=1))
    return render_template("demande/form.html", form=form, communes=commune_datalist(), record=None,
                           summary_names=SUMMARY_NAMES), \
        400 if form.errors else 200


def _by_token(token: str) -> StopRequest:
    """The request of a private link; anything else (wrong, withdrawn, malformed) is a plain 404."""
    if not token or len(token) > 64 or not re.fullmatch(r"[A-Za-z0-9_\-]+", token):
        abort(404)
    record = db.session.scalar(db.select(StopRequest).filter_by(token=token))
    if record is None or not secrets.compare_digest(record.token, token):
        abort(404)
    return record


@bp.get("/demande/suivi/<token>")
def follow(token: str):
    record = _by_token(token)
    if record.status == "withdrawn":
        return render_template("demande/withdrawn.html", record=record)
    link = links.absolute_url("demande.follow", token=record.token)
    if request.args.get("envoyee"):
        return render_template("demande/received.html", record=record, link=link, status=STATUS_LABELS)
    return render_template("demande/follow.html", record=record, link=link, status=STATUS_LABELS,
                           form=WithdrawForm(), weekdays=dict(WEEKDAYS), service=published_service(record))


def published_service(record: StopRequest) -> dict | None:
    """The published season's answer for this request (planner.core.service, the one answer the
    plan page and the inbox give): its dates and how many were asked; None before a publication."""
    if record.status != "accepted":
        return None
    return next((answer for season in current()
                 if (answer := planning.published_service(season.plan, season.spec, record.request_id))), None)


@bp.route("/demande/suivi/<token>/modifier", methods=["GET", "POST"])
@limiter.limit(_rate, methods=["POST"])
def edit(token: str):
    record = _by_token(token)
    if record.status != "pending":
        return render_template("demande/follow.html", record=record, status=STATUS_LABELS, form=WithdrawForm(),
                               weekdays=dict(WEEKDAYS), locked=True,
                               link=links.absolute_url("demande.follow", token=record.token)), 409
    form = RequestForm()
    if request.method == "GET":
        form.load(record)
    elif form.validate_on_submit() and not form.website.data:
        form.fill(record)
        db.session.commit()
        return redirect(url_for("demande.follow", token=record.token, modifiee=1))
    return render_template("demande/form.html", form=form, communes=commune_datalist(), record=record,
                           summary_names=SUMMARY_NAMES), \
        400 if form.errors else 200


@bp.post("/demande/suivi/<token>/retirer")
def withdraw(token: str):
    record = _by_token(token)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    if record.status != "pending":
        return render_template("demande/follow.html", record=record, status=STATUS_LABELS, form=WithdrawForm(),
                               weekdays=dict(WEEKDAYS), locked=True,
                               link=links.absolute_url("demande.follow", token=record.token)), 409
    record.status = "withdrawn"  # the link stays: it says the request was withdrawn, never a dead end
    db.session.commit()
    return render_template("demande/withdrawn.html", record=record)
