"""The weights and rules of a season in French: what each parameter means, for the editor.

Defaults are never copied here: they are read from planner's ``Params`` (see ``planning``), and a
test checks that every parameter the planner has is explained.
"""

from __future__ import annotations

SECTIONS = {
    "need": "Besoin d'une commune et public d'un arrêt",
    "objective": "Valeur d'un plan",
    "rules": "Règles de la saison",
    "travel": "Trajets",
    "vehicle": "Véhicule par défaut",
    "solver": "Calcul",
}

# (section, key): (label, meaning, unit)
LABELS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("travel", "circuity"): ("Détour routier", "km de route par km à vol d'oiseau (1,2 à 1,4 en zone rurale)", ""),
    ("travel", "speed_kmh"): ("Vitesse moyenne", "vitesse porte à porte d'un minibus sur routes départementales", "km/h"),
    ("travel", "osrm_url"): ("Serveur d'itinéraires (OSRM)", "adresse d'un serveur OSRM ; vide = estimation hors ligne", ""),
    ("travel", "cache_dir"):
        ("Dossier du cache d'itinéraires", "où garder les distances calculées ; vide = dossier par défaut", ""),
    ("need", "service_kinds"): ("Lieux d'aide qui comptent", "types de lieux qui suppriment l'éloignement d'une commune", ""),
    ("need", "gap_start_km"):
        ("Éloignement nul jusqu'à", "en deçà de cette distance d'un lieu d'aide, la commune n'est pas éloignée", "km"),
    ("need", "gap_full_km"):
        ("Éloignement complet à partir de", "au-delà, la commune est pleinement éloignée (linéaire entre les deux)", "km"),
    ("need", "far_km"): ("« Loin des lieux d'aide » au-delà de", "seuil des seniors comptés « loin » dans les bilans", "km"),
    ("need", "fragility_weight"):
        ("Poids de la fragilité numérique", "exposant de l'indice de fragilité ; 0 = indice non utilisé", ""),
    ("need", "decay_half_km"):
        ("Distance où la moitié des seniors vient encore", "au-delà, de moins en moins viennent à l'arrêt", "km"),
    ("need", "catchment_km"): ("Personne ne vient au-delà de", "rayon maximal du public d'un arrêt", "km"),
    ("need", "take_up"):
        ("Part des seniors qui viennent",
         "part des seniors d'une commune qui viendraient à un atelier de la saison (calée sur l'étude : "
         "« près de 200 séniors » pour les 12 jours de bus de 2018-2019)", ""),
    ("rules", "min_gap_days"):
        ("Écart minimal entre deux passages", "jours calendaires entre deux arrêts dans une même commune", "jours"),
    ("rules", "max_visits"): ("Passages au plus par commune", "sur toute la saison", ""),
    ("rules", "market_required"):
        ("Seulement le jour du marché", "une commune qui a un marché hebdomadaire connu n'est visitée que ce jour-là", ""),
    ("rules", "mediator_visits_per_week"):
        ("Demi-journées du médiateur par commune et semaine", "dans la semaine type du médiateur", ""),
    ("rules", "quotas"): ("Quotas par EPCI ou département", "jours minimum et maximum dans un groupe de communes", ""),
    ("objective", "gap_weight"):
        ("Poids de l'éloignement",
         "une place prise par un senior loin de toute aide vaut 1 + ce poids (0 = toutes les places se valent)", ""),
    ("objective", "seat_points"):
        ("Points d'une place prise",
         "valeur d'une place prise par un senior qui a un lieu d'aide près de chez lui (le trajet, les jours "
         "vides et les demandes se comptent dans les mêmes points)", "points"),
    ("objective", "market_bonus"):
        ("Bonus jour de marché", "part de la valeur de l'arrêt ajoutée le jour du marché (0,3 = +30 %)", ""),
    ("objective", "should_bonus"):
        ("Bonus d'une demande souhaitée servie", "points pour une demande « souhaitée » acceptée et servie", "points"),
    ("objective", "km_cost"): ("Coût d'un km", "points retirés par km parcouru", "points"),
    ("objective", "move_penalty"):
        ("Coût d'un arrêt publié déplacé", "points retirés par arrêt déplacé lors d'une re-planification", "points"),
    ("objective", "idle_day_cost"):
        ("Coût d'un jour sans arrêt", "points retirés par jour travaillé laissé vide (le véhicule est payé)", "points"),
    ("vehicle", "max_drive_minutes"):
        ("Conduite maximale par jour", "aller et retour depuis la base, ou étapes du jour en tournée", "minutes"),
    ("vehicle", "seats"): ("Places par atelier", "nombre de participants d'un atelier", ""),
    ("vehicle", "overnight_nights"): ("Nuits de suite hors base", "0 = retour à la base chaque soir", "nuits"),
    ("solver", "time_limit_s"): ("Durée de calcul", "temps laissé à l'optimiseur CP-SAT", "secondes"),
    ("solver", "workers"): ("Fils de calcul", "cœurs utilisés par CP-SAT", ""),
    ("solver", "seed"): ("Graine aléatoire", "la même graine redonne le même plan", ""),
    ("solver", "sequencing"):
        ("Ordre des tournées", "cpsat, routing ou none : comment les semaines avec nuitées sont ré-ordonnées", ""),
    ("solver", "max_candidates"): ("Communes candidates au plus", "0 = toutes ; sinon les N meilleures (grands territoires)", ""),
    ("solver", "reproducible"):
        ("Calcul reproductible", "un budget de travail au lieu de l'horloge : mêmes données et graine, même plan (plus lent)", ""),
}

# Server settings or structures the form does not edit (shown read-only).
READ_ONLY = {("travel", "osrm_url"), ("travel", "cache_dir"), ("rules", "quotas")}


def label(section: str, key: str) -> tuple[str, str, str]:
    return LABELS.get((section, key), (f"{section}.{key}", "", ""))
