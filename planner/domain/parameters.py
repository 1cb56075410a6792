"""The catalogue of the planner's parameters: for each one its French label, meaning, unit and
range, written once and read by the TOML loader (ranges), the web forms and the workbook.

Defaults are not repeated here: ``Parameter.default`` reads them from the section dataclasses of
``planner/domain/params.py``, which stay the one place a default is written.
"""

from __future__ import annotations

from dataclasses import dataclass

WEIGHT_MAX = 1e6  # points; a weight beyond outweighs the whole season's value many times
CP_SAT_SEED_MAX = 2**31 - 1  # CP-SAT's random_seed is a 32-bit signed integer


@dataclass(frozen=True)
class Section:
    """A section of the parameters file: ``name`` in a table's cell, ``title`` as a form's heading."""

    key: str
    name: str
    title: str


@dataclass(frozen=True)
class Parameter:
    """One tunable figure. ``minimum``/``maximum`` (None for texts, flags and lists) follow from the
    domain: a value outside is a typo, a unit slip or an overflow, and would surface as a nonsense
    plan, a hung solve or a crash. ``read_only``: a server setting or a structure that a form shows
    but does not edit (it is set in the parameters file)."""

    section: str
    name: str
    label: str
    meaning: str
    unit: str = ""
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False  # True: the minimum itself is excluded (a value must be more)
    read_only: bool = False

    @property
    def key(self) -> str:
        """``section.name``, as in the parameters file and in a problem's field."""
        return f"{self.section}.{self.name}"

    @property
    def default(self):
        """The default, read from the section dataclass (imported here, at call time, because the
        loader in params.py reads this catalogue for its ranges)."""
        from planner.domain.params import Params

        return getattr(getattr(Params(), self.section), self.name)

    @property
    def titled_label(self) -> str:
        """The label with its unit, for a table: « Vitesse moyenne (km/h) »."""
        return f"{self.label} ({self.unit})" if self.unit else self.label

    def range_text(self) -> str:
        """The range in French (« entre 30 et 720 »), '' for a parameter without one."""
        if self.minimum is None or self.maximum is None:
            return ""
        if self.above_minimum:
            return f"plus de {_bound(self.minimum)} et au plus {_bound(self.maximum)}"
        return f"entre {_bound(self.minimum)} et {_bound(self.maximum)}"

    def range_problem(self, value: float) -> str:
        """'' when ``value`` is finite and inside the range (or there is no range), else the French reason."""
        if self.minimum is None or self.maximum is None:
            return ""
        if value != value or value in (float("inf"), float("-inf")):
            return "nombre fini attendu"
        low = value <= self.minimum if self.above_minimum else value < self.minimum
        return f"doit être {self.range_text()}" if low or value > self.maximum else ""


def _bound(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


SECTIONS: tuple[Section, ...] = (
    Section("travel", "trajets", "Trajets"),
    Section("need", "besoin", "Besoin d'une commune et public d'un arrêt"),
    Section("rules", "règles", "Règles de la saison"),
    Section("objective", "objectif", "Valeur d'un plan"),
    Section("vehicle", "véhicule", "Véhicule par défaut"),
    Section("solver", "calcul", "Calcul"),
)

P = Parameter
CATALOGUE: tuple[Parameter, ...] = (
    P("travel", "circuity", "Détour routier", "km de route par km à vol d'oiseau (1,2 à 1,4 en zone rurale)",
      "", 1.0, 3.0),
    P("travel", "speed_kmh", "Vitesse moyenne", "vitesse porte à porte d'un minibus sur routes départementales",
      "km/h", 5.0, 130.0),  # from walking pace to the motorway limit
    P("travel", "osrm_url", "Serveur d'itinéraires (OSRM)", "adresse d'un serveur OSRM ; vide = estimation hors ligne",
      read_only=True),
    P("travel", "cache_dir", "Dossier du cache d'itinéraires",
      "où garder les distances calculées ; vide = dossier par défaut", read_only=True),
    P("need", "service_kinds", "Lieux d'aide qui comptent",
      "types de lieux qui suppriment l'éloignement d'une commune"),
    P("need", "gap_start_km", "Éloignement nul jusqu'à",
      "en deçà de cette distance d'un lieu d'aide, la commune n'est pas éloignée", "km", 0.0, 200.0),
    P("need", "gap_full_km", "Éloignement complet à partir de",
      "au-delà, la commune est pleinement éloignée (linéaire entre les deux)", "km", 0.0, 200.0, True),
    P("need", "far_km", "« Loin des lieux d'aide » au-delà de", "seuil des seniors comptés « loin » dans les bilans",
      "km", 0.0, 200.0),
    P("need", "fragility_weight", "Poids de la fragilité numérique",
      "exposant de l'indice de fragilité ; 0 = indice non utilisé", "", 0.0, 5.0),
    P("need", "decay_half_km", "Distance où la moitié des seniors vient encore",
      "au-delà, de moins en moins viennent à l'arrêt", "km", 0.0, 100.0, True),
    P("need", "catchment_km", "Personne ne vient au-delà de", "rayon maximal du public d'un arrêt",
      "km", 0.0, 100.0, True),  # nobody drives 100 km to a workshop
    P("need", "take_up", "Part des seniors qui viennent à un passage",
      "part des seniors d'une commune qu'un passage attire (moins avec la distance ; calée sur l'étude : "
      "« près de 200 séniors » pour les 12 jours de bus de 2018-2019, une visite par commune)", "", 0.0, 1.0, True),
    P("need", "season_share", "Part des seniors qui peuvent venir sur la saison",
      "au plus cette part des seniors d'une commune vient sur toute la saison (un senior venu ne revient pas "
      "compter) ; par défaut les seniors en situation d'illectronisme, « plus d'une personne de 60 ans ou "
      "plus sur trois » (Insee Première n° 1953, 2023) : aucune source ne dit combien viendraient",
      "", 0.0, 1.0, True),
    P("rules", "min_gap_days", "Écart minimal entre deux passages",
      "jours calendaires entre deux arrêts dans une même commune", "jours", 0, 366),
    P("rules", "max_visits", "Passages au plus par commune", "sur toute la saison", "", 1, 366),
    P("rules", "market_required", "Seulement le jour du marché",
      "une commune qui a un marché hebdomadaire connu n'est visitée que ce jour-là"),
    P("rules", "unconfirmed_markets", "Compter les marchés à confirmer",
      "les marchés de la liste publique que personne n'a vérifiés donnent leur bonus et comptent pour la règle "
      "du marché ; décoché, seuls les marchés confirmés comptent"),
    P("rules", "mediator_visits_per_week", "Demi-journées du médiateur par commune et semaine",
      "dans la semaine type du médiateur", "", 1, 10),  # two half-days a weekday at most
    P("rules", "quotas", "Quotas par EPCI ou département", "jours minimum et maximum dans un groupe de communes",
      read_only=True),
    P("objective", "gap_weight", "Poids de l'éloignement",
      "une place prise par un senior loin de toute aide vaut 1 + ce poids (0 = toutes les places se valent)",
      "", 0.0, 100.0),
    P("objective", "seat_points", "Points d'une place prise",
      "valeur d'une place prise par un senior qui a un lieu d'aide près de chez lui (le trajet, les jours "
      "vides et les demandes se comptent dans les mêmes points)", "points", 0.0, WEIGHT_MAX, True),
    P("objective", "market_bonus", "Bonus jour de marché",
      "part de la valeur de l'arrêt ajoutée le jour du marché (0,3 = +30 %)", "", 0.0, 10.0),
    P("objective", "should_bonus", "Bonus d'une demande souhaitée servie",
      "points pour une demande « souhaitée » acceptée et servie", "points", 0.0, WEIGHT_MAX),
    P("objective", "km_cost", "Coût d'un km", "points retirés par km parcouru", "points", 0.0, WEIGHT_MAX),
    P("objective", "move_penalty", "Coût d'un arrêt publié déplacé",
      "points retirés par arrêt déplacé lors d'une re-planification", "points", 0.0, WEIGHT_MAX),
    P("objective", "idle_day_cost", "Coût d'un jour sans arrêt",
      "points retirés par jour travaillé laissé vide (le véhicule est payé)", "points", 0.0, WEIGHT_MAX),
    P("vehicle", "max_drive_minutes", "Conduite maximale par jour",
      "aller et retour depuis la base, ou étapes du jour en tournée", "minutes", 30.0, 720.0),
    P("vehicle", "seats", "Places par atelier", "nombre de participants d'un atelier", "", 1, 100),
    P("vehicle", "overnight_nights", "Nuits de suite hors base", "0 = retour à la base chaque soir",
      "nuits", 0, 6),  # a week away at most: weeks end at base
    P("solver", "time_limit_s", "Durée de calcul", "temps laissé à l'optimiseur CP-SAT", "secondes",
      0.0, 604_800.0, True),  # up to a week
    P("solver", "workers", "Fils de calcul", "cœurs utilisés par CP-SAT", "", 1, 64),
    P("solver", "seed", "Graine aléatoire", "la même graine redonne le même plan", "", 0, CP_SAT_SEED_MAX),
    P("solver", "sequencing", "Ordre des tournées",
      "cpsat, routing ou none : comment les semaines avec nuitées sont ré-ordonnées"),
    P("solver", "max_candidates", "Communes candidates au plus",
      "0 = toutes ; sinon les N meilleures (grands territoires)", "", 0, 100_000),
    P("solver", "reproducible", "Calcul reproductible",
      "un budget de travail au lieu de l'horloge : mêmes données et graine, même plan (plus lent)"),
)
del P

_BY_KEY = {p.key: p for p in CATALOGUE}
_SECTIONS = {s.key: s for s in SECTIONS}


def parameter(key: str) -> Parameter:
    """The parameter ``section.name``; KeyError for a key the planner does not have."""
    return _BY_KEY[key]


def find(key: str) -> Parameter | None:
    """The parameter ``section.name``, or None (a key read from a user's file may be anything)."""
    return _BY_KEY.get(key)


def section(key: str) -> Section:
    """The section ``key``; one the catalogue does not know keeps its key as name and title."""
    return _SECTIONS.get(key, Section(key, key, key))


def range_problem(key: str, value: float) -> str:
    """'' when ``value`` is finite and inside the range of parameter ``key`` (or ``key`` has no
    range), else the French reason."""
    found = _BY_KEY.get(key)
    return found.range_problem(value) if found else ""
