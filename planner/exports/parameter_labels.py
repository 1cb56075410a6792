"""The planner's parameters in French, with what each one means, for the Paramètres sheet.

The keys stay those of the parameters file (shown in a last column, so that a planner can find
them in the TOML file or the web form); a reader of the workbook gets the label and meaning.
"""

from __future__ import annotations

SECTIONS = {"travel": "trajets", "need": "besoin", "rules": "règles", "objective": "objectif", "vehicle": "véhicule",
            "solver": "calcul"}

LABELS: dict[tuple[str, str], tuple[str, str]] = {
    ("travel", "circuity"): ("Détour de la route", "km de route par km à vol d'oiseau (estimation sans serveur d'itinéraires)"),
    ("travel", "speed_kmh"): ("Vitesse moyenne (km/h)", "vitesse de porte à porte sur routes départementales"),
    ("travel", "osrm_url"): ("Serveur d'itinéraires", "adresse d'un serveur OSRM ; vide : distances estimées hors ligne"),
    ("travel", "cache_dir"): ("Dossier du cache des distances", "vide : dossier par défaut"),
    ("need", "service_kinds"): ("Lieux d'aide pris en compte", "types de lieux d'aide numérique qui comptent comme accès"),
    ("need", "gap_start_km"): ("Pas d'écart d'accès en deçà de (km)", "km de route du lieu d'aide le plus proche en "
                                                                      "deçà desquels une commune n'a pas de besoin"),
    ("need", "gap_full_km"): ("Écart d'accès complet au-delà de (km)", "km de route au-delà desquels l'écart d'accès vaut 1"),
    ("need", "far_km"): ("« Loin d'un lieu d'aide » au-delà de (km)", "seuil des seniors éloignés dans les comptes"),
    ("need", "fragility_weight"): ("Poids de la fragilité numérique", "0 : l'indice de fragilité n'est pas utilisé"),
    ("need", "decay_half_km"): ("Moitié des seniors viennent de (km)", "distance à laquelle la moitié des seniors d'une "
                                                                     "commune viennent encore à l'arrêt"),
    ("need", "catchment_km"): ("Personne ne vient au-delà de (km)", "au-delà, un senior n'est pas compté comme touché"),
    ("rules", "min_gap_days"): ("Écart minimal entre deux visites (jours)", "jours de calendrier entre deux visites d'une "
                                                                          "même commune"),
    ("rules", "max_visits"): ("Visites au plus par commune", "sur la saison"),
    ("rules", "market_required"): ("Visite seulement le jour du marché", "oui : une commune qui a un marché hebdomadaire "
                                                                         "n'est visitée que ce jour-là"),
    ("rules", "mediator_visits_per_week"): ("Demi-journées du médiateur par semaine et commune", "dans la semaine type"),
    ("rules", "quotas"): ("Quotas de jours", "jours au moins / au plus par intercommunalité ou département"),
    ("objective", "repeat_decay"): ("Valeur d'une visite de plus", "la k-ième visite d'une commune vaut cette part, "
                                                                   "à la puissance k-1, de la première"),
    ("objective", "market_bonus"): ("Bonus jour de marché", "part de la valeur de l'arrêt ajoutée le jour du marché"),
    ("objective", "should_bonus"): ("Bonus demande souhaitée servie", "points pour une demande « souhaitée » servie"),
    ("objective", "km_cost"): ("Coût du km", "points retirés par km parcouru"),
    ("objective", "move_penalty"): ("Coût d'un arrêt publié déplacé", "points retirés par arrêt déplacé lors d'une "
                                                                      "nouvelle planification"),
    ("objective", "idle_day_cost"): ("Coût d'un jour sans arrêt", "points retirés par jour de travail sans arrêt"),
    ("vehicle", "max_drive_minutes"): ("Conduite maximale par jour (min)", "aller-retour depuis la base, ou trajets du "
                                                                         "jour en tournée"),
    ("vehicle", "seats"): ("Places par atelier", "participants accueillis à chaque atelier"),
    ("vehicle", "overnight_nights"): ("Nuits hors de la base d'affilée", "0 : retour à la base chaque soir"),
    ("solver", "time_limit_s"): ("Durée de calcul (s)", "limite de temps de la recherche"),
    ("solver", "workers"): ("Fils de calcul", "processus de calcul en parallèle"),
    ("solver", "seed"): ("Graine", "graine du hasard du calcul"),
    ("solver", "sequencing"): ("Ordre des tournées", "méthode de réordonnancement des semaines en tournée"),
    ("solver", "max_candidates"): ("Communes candidates au plus", "0 : toutes les communes"),
    ("solver", "reproducible"): ("Calcul reproductible", "oui : budget de travail au lieu du temps réel"),
}


def section_label(section: str) -> str:
    return SECTIONS.get(section, section)


def parameter_label(section: str, key: str) -> tuple[str, str]:
    """(French label, meaning); a key this table does not know keeps its name and no meaning."""
    return LABELS.get((section, key), (key.replace("_", " "), ""))
