"""What became of a published season's stops, for its report and for the next season: the one
place the web app gathers them.

For now Tournée records nothing per stop, so a published season's stops read « as planned »
(« non renseigné » in the report); an outcomes file imported by the planner (a season run outside
Tournée, or before it) replaces them stop by stop. The outcomes recorded per workshop during the
season (hosts' links, sign-ups, held or cancelled) join here, between the two.
"""

from __future__ import annotations

from web import planning
from web.models import PlanRecord


def season_outcomes(record: PlanRecord, imported: tuple = ()) -> tuple:
    """The outcomes of a published plan's stops (planner StopOutcome values), ``imported`` last."""
    return planning.merge_outcomes(planning.planned_outcomes(record.data), imported)
