"""The French words of a stop request that the request form and the planners' inbox both show."""

from __future__ import annotations

WEEKDAYS = (("lun", "lundi"), ("mar", "mardi"), ("mer", "mercredi"), ("jeu", "jeudi"), ("ven", "vendredi"),
            ("sam", "samedi"))
STATUS_LABELS = {"pending": "en attente d'examen", "accepted": "acceptée", "declined": "refusée",
                 "withdrawn": "retirée par le demandeur"}
