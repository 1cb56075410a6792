"""The scenario editor's forms: the WTForms of each section, and the readers of the sections whose
fields are built by hand (vehicle rows, weights), each problem keyed by the field it belongs to."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from web import planning
from web.formatting import MONTHS, WEEKDAYS, fr_date, parse_fr_date
from web.forms import CommuneField, options

MAX_VEHICLES = 4


class NewScenarioForm(FlaskForm):
    name = StringField("Titre de la saison", validators=[DataRequired("Donnez un titre à la saison."), Length(max=200)],
                       description="Le titre que liront les communes, par exemple « Bus numérique 2026-2027 ».")
    territory = SelectField("Territoire", choices=options(planning.PRESET_LABELS.items()))


class GeneralForm(FlaskForm):
    name = StringField("Titre de la saison", validators=[DataRequired("Donnez un titre à la saison."), Length(max=200)])
    start = StringField("Premier jour (jj/mm/aaaa)", description="Vide : lundi prochain.")
    end = StringField("Dernier jour (jj/mm/aaaa)", description="Vide : le 30 juin suivant.")
    school_zone = SelectField("Vacances scolaires fermées", choices=options([("", "Non, on circule pendant les vacances")]
                                                     + [(z, f"Zone {z}") for z in planning.SCHOOL_ZONES]))
    closed = TextAreaField("Autres jours fermés",
                           description="Une date par ligne ou séparées par des virgules, au format jj/mm/aaaa.")
    team_name = StringField("Équipe (nom affiché aux communes)", validators=[Length(max=200)],
                            description="Par exemple « Bus numérique ASEPT Berry ». Figure sur les affiches, "
                                        "les classeurs et les pages des communes.")
    team_phone = StringField("Téléphone de l'équipe", validators=[Length(max=40)])
    team_email = StringField("Courriel de l'équipe", validators=[Length(max=200)])
    team_signup = StringField("Comment les seniors s'inscrivent", validators=[Length(max=300)],
                              description="Vide : « auprès de la mairie ».")

    @classmethod
    def of(cls, spec: dict, name: str) -> GeneralForm:
        """The form filled from a stored spec (dates shown jj/mm/aaaa)."""
        team = spec.get("team_contact") or {}
        return cls(data={"name": spec.get("name") or name, "start": fr_date(spec.get("start")),
                         "end": fr_date(spec.get("end")), "school_zone": spec.get("school_zone", ""),
                         "closed": "\n".join(fr_date(d) for d in spec.get("closed", ())),
                         **{f"team_{key}": team.get(key, "") for key in planning.TEAM_FIELDS}})

    def closed_days(self) -> list[str]:
        """The typed closed dates (ISO, sorted, once each); a bad one is an error under the field."""
        closed = []
        for part in self.closed.data.replace(",", "\n").split():
            day = parse_fr_date(part)
            if day is None:
                self.closed.errors.append(f"« {part} » n'est pas une date jj/mm/aaaa.")
            else:
                closed.append(day.isoformat())
        return sorted(set(closed))

    def team_contact(self) -> dict[str, str]:
        """The team's contact as typed, checked by the planner's own rules (e-mail and phone shapes),
        each problem shown under its field."""
        values = {key: (getattr(self, f"team_{key}").data or "").strip() for key in planning.TEAM_FIELDS}
        for problem in planning.contact_problems(values["email"], values["phone"]):
            getattr(self, f"team_{problem.column}").errors.append(problem.message)
        return {key: value for key, value in values.items() if value}


class TerritoryForm(FlaskForm):
    territory = SelectField("Territoire prédéfini ou intercommunalité")


class UploadForm(FlaskForm):
    file = FileField("Fichier CSV ou XLSX", validators=[FileRequired("Choisissez un fichier.")])

    def rows(self, kind: str) -> tuple[list[dict], list[dict]]:
        """Rows of the uploaded file, or the problems of every row (nothing is kept then)."""
        storage = self.file.data
        try:
            return planning.import_rows(kind, storage.filename, storage.read()), []
        except planning.DataError as exc:
            return [], planning.problem_rows(exc)


class PastSeasonForm(UploadForm):
    """A past season kept outside Tournée (the seasons before it): the spec's ``history``, whose
    participants leave the pools of the communes they came from."""

    file = FileField("Fichier de la saison passée (CSV ou XLSX)", validators=[FileRequired("Choisissez un fichier.")])

    def history(self, spec: dict) -> tuple[list[dict], list[dict]]:
        """The history rows of the uploaded file, or the problems of every row (nothing is kept then)."""
        storage = self.file.data
        try:
            return planning.past_season_rows(spec, storage.filename, storage.read()), []
        except planning.DataError as exc:
            return [], planning.problem_rows(exc)


class MarketForm(FlaskForm):
    insee_com = CommuneField("Commune", description="Tapez le début du nom, puis choisissez dans la liste.")
    weekday = SelectField("Jour", choices=options((d, d) for d in ("lundi", "mardi", "mercredi", "jeudi", "vendredi",
                                                                "samedi", "dimanche")))
    time_of_day = StringField("Horaire (facultatif)", validators=[Length(max=100)],
                              description="Par exemple « matin » ou « 8h-12h ».")
    place = StringField("Lieu (facultatif)", validators=[Length(max=200)])


class HostForm(FlaskForm):
    """A commune's usual host site and/or its mairie's hours for this scenario (one row of ``spec.hosts``)."""

    insee_com = CommuneField("Commune", description="Tapez le début du nom, puis choisissez dans la liste.")
    site = StringField("Nom du lieu", validators=[Length(max=120)],
                       description="Par exemple « Salle des fêtes ». Vide : la mairie.")
    address = StringField("Adresse", validators=[Length(max=200)],
                          description="Par exemple « 2 place de l'Église, 18510 Menetou-Salon ». Vide : l'adresse de la mairie.")
    lat = StringField("Latitude (facultative)", validators=[Length(max=20)], description="Par exemple 47,2312.")
    lon = StringField("Longitude (facultative)", validators=[Length(max=20)],
                      description="Par exemple 2,4879. Vide : la position de la mairie.")
    hours = StringField("Horaires d'ouverture de la mairie", validators=[Length(max=300)],
                        description="Par exemple « mardi (14h-18h) ; jeudi, vendredi (9h-12h) », ou « inconnus » "
                                    "si ceux de l'annuaire sont faux. Vide : ceux de l'annuaire.")

    FIELDS = ("site", "address", "lat", "lon", "hours")

    def row(self) -> dict[str, str] | None:
        """The correction as a hosts row, checked by the planner's own reader; None with each problem
        under its field (« Latitude « 91 » : ... »)."""
        values = {key: (getattr(self, key).data or "").strip() for key in self.FIELDS}
        values = {k: v.replace(",", ".") if k in ("lat", "lon") else v for k, v in values.items() if v}
        if not values:
            self.site.errors.append("Renseignez au moins un lieu, une adresse, une position ou des horaires.")
            return None
        row = {"insee_com": self.insee_com.data, **values}
        for problem in planning.host_row_problems(row):
            field = getattr(self, problem.column, None) if problem.column in self.FIELDS else self.insee_com
            said = f"« {problem.value} »" in problem.message  # the reader's message may quote the value already
            field.errors.append(f"{field.label.text}{'' if said else f' « {problem.value} »'} : {problem.message}.")
        return None if any(f.errors for f in self) else row


MONTH_CHOICES = [("", "toute l'année")] + [(str(i), name) for i, name in enumerate(MONTHS, start=1)]


class MarketReviewForm(FlaskForm):
    """One market of the territory (commune and weekday) that the planner confirms, rejects or corrects."""

    insee_com = StringField(validators=[DataRequired()])
    weekday = StringField()  # ISO 1-7 of the market reviewed; "" for a market whose day is unknown
    action = SelectField(choices=options([("confirm", "Confirmer"), ("reject", "Rejeter"), ("correct", "Corriger")]))
    # Only a correction sends these: checked by ``day`` and ``months``, not as choices.
    new_weekday = SelectField("Jour", choices=options([("", "—")] + [(str(i), d) for i, d in enumerate(WEEKDAYS, start=1)]),
                              validate_choice=False, default="")
    month_from = SelectField("De", choices=options(MONTH_CHOICES), validate_choice=False, default="")
    month_to = SelectField("À", choices=options(MONTH_CHOICES), validate_choice=False, default="")

    def day(self) -> int | None:
        """The corrected weekday (ISO), or None with the problem under the field."""
        text = self.new_weekday.data or ""
        if text not in {str(i) for i in range(1, 8)}:
            self.new_weekday.errors.append(f"Jour « {text or '—'} » : choisissez le jour du marché (lundi à dimanche).")
            return None
        return int(text)

    def months(self) -> tuple[list[int], str] | None:
        """The corrected season: months (« d'octobre à mars » wraps the year) and its words; ([], "")
        all year; None with the problem under the field."""
        first, last = self.month_from.data or "", self.month_to.data or ""
        if not first and not last:
            return [], ""
        months = {str(i) for i in range(1, 13)}
        for field, text in ((self.month_from, first), (self.month_to, last)):
            if text and text not in months:
                field.errors.append(f"Mois « {field.label.text} » : « {text} » n'est pas un mois (1 à 12).")
                return None
        if not (first and last):
            field = self.month_to if first else self.month_from
            field.errors.append(f"Mois « {field.label.text} » manquant : donnez le premier et le dernier mois, "
                                "ou aucun pour toute l'année.")
            return None
        a, b = int(first), int(last)
        months = [(a - 1 + i) % 12 + 1 for i in range((b - a) % 12 + 1)]
        return months, f"{_de(MONTHS[a - 1])} à {MONTHS[b - 1]}"


class UnconfirmedMarketsForm(FlaskForm):
    count = BooleanField("Compter les marchés à confirmer")


def _de(word: str) -> str:
    """« d'avril », « de mai »."""
    return f"d'{word}" if word[:1] in "aeiouyh" else f"de {word}"


class PinForm(FlaskForm):
    date = StringField("Date (jj/mm/aaaa)", validators=[DataRequired("Saisissez une date.")])
    insee = CommuneField("Commune", description="Tapez le début du nom, puis choisissez dans la liste.")
    vehicle = SelectField("Véhicule", choices=[])


class ForbidForm(FlaskForm):
    insee = CommuneField("Commune", description="Tapez le début du nom, puis choisissez dans la liste.")
    date = StringField("Date (jj/mm/aaaa)", description="Vide : toute la saison.")


def date_field(field) -> dt.date | None:
    """The jj/mm/aaaa date of a text field, or None with an error under it."""
    day = parse_fr_date(field.data)
    if day is None:
        field.errors.append(f"« {field.data} » n'est pas une date jj/mm/aaaa.")
    return day


def vehicle_rows(values, communes: set[str]) -> tuple[list[dict], dict[str, str]]:
    """The spec's vehicle rows from the hand-built vehicle table (rows without a name are ignored),
    and the French problems keyed by field name."""
    rows, errors, names = [], {}, set()
    for i in range(MAX_VEHICLES):
        name = values.get(f"v{i}-name", "").strip()
        if not name:
            continue
        kind = values.get(f"v{i}-kind", "bus")
        if kind not in ("bus", "mediator"):
            errors[f"v{i}-kind"] = "Type inconnu."
        if name in names:
            errors[f"v{i}-name"] = f"Deux véhicules s'appellent « {name} »."
        names.add(name)
        base = values.get(f"v{i}-base", "")
        if base and base not in communes:
            errors[f"v{i}-base"] = "Choisissez une commune du territoire."
        days = [code for code in planning.WEEKDAY_CODES if values.get(f"v{i}-day-{code}")]
        if not days:
            errors[f"v{i}-days"] = "Cochez au moins un jour."
        minutes = _number(values.get(f"v{i}-minutes", ""), f"v{i}-minutes", errors, "vehicle.max_drive_minutes")
        nights = _number(values.get(f"v{i}-nights", ""), f"v{i}-nights", errors, "vehicle.overnight_nights", integer=True)
        if kind == "mediator" and nights:
            errors[f"v{i}-nights"] = "Le médiateur rentre chaque soir : 0 nuit."
        rows.append({"name": name[:60], "kind": kind, "base": base, "weekdays": ",".join(days),
                     "max_drive_minutes": minutes, "overnight_nights": None if nights is None else int(nights)})
    return rows, errors


def _number(text: str, key: str, errors: dict, name: str, *, integer: bool = False) -> float | None:
    """The number typed for parameter ``name`` inside its catalogue range, None when empty or refused."""
    low, high = planning.parameter(name).minimum, planning.parameter(name).maximum
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        errors[key] = f"« {text} » n'est pas un nombre."
        return None
    if not low <= value <= high or (integer and not value.is_integer()):
        errors[key] = f"Entre {low:g} et {high:g}{' (entier)' if integer else ''}."
        return None
    return value


def value_kind(default) -> str:
    """How the weights form shows and reads a parameter, from the type of its default."""
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, (int, float)):
        return "number"
    if isinstance(default, (list, tuple)):
        return "list"
    return "text"


def param_changes(values, defaults: dict) -> tuple[dict, dict[str, str]]:
    """Only values that differ from the planner's defaults are stored, so new defaults still apply."""
    changes: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for section, items in defaults.items():
        if section == "vehicle":
            continue
        for key, default in items.items():
            name = f"{section}.{key}"
            if planning.parameter(name).read_only:
                continue
            kind = value_kind(default)
            if kind == "bool":
                value = bool(values.get(name))
            elif kind == "list":
                value = values.getlist(name)
                if list(value) == list(default):
                    continue
            elif kind == "number":
                text = (values.get(name) or "").strip().replace(",", ".").replace("\u202f", "").replace(" ", "")
                try:
                    value = int(text) if isinstance(default, int) else float(text)
                except ValueError:
                    errors[name] = f"« {values.get(name, '')} » n'est pas un nombre{' entier' if isinstance(default, int) else ''}."
                    continue
                if value != value or value in (float("inf"), float("-inf")):
                    errors[name] = "Nombre fini attendu."
                    continue
            else:
                value = (values.get(name) or "").strip()
            if value != default:
                changes.setdefault(section, {})[key] = value
    return changes, errors


def typed_params(values, defaults: dict) -> dict:
    """The weights as typed (refused ones too), to show the form again with its errors."""
    return {section: {key: values.getlist(f"{section}.{key}") if value_kind(default) == "list"
                      else values.get(f"{section}.{key}") for key, default in items.items()}
            for section, items in defaults.items()}


def weight_sections(defaults: dict, current: dict, errors: dict[str, str]) -> list[tuple[str, list[dict]]]:
    """(French heading, fields) of each parameter section the weights page edits, labelled from
    the planner's catalogue; the vehicle section is edited per vehicle instead."""
    sections = []
    for section, values in defaults.items():
        if section == "vehicle":
            continue
        items = []
        for key, default in values.items():
            name = f"{section}.{key}"
            about = planning.parameter(name)
            items.append({"name": name, "label": about.label, "meaning": about.meaning, "unit": about.unit,
                          "default": default, "value": (current.get(section) or {}).get(key, default),
                          "kind": value_kind(default), "read_only": about.read_only, "error": errors.get(name)})
        sections.append((planning.section_title(section), items))
    return sections
