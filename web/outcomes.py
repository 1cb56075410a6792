"""What became of a published season's stops, for its report and for the next season: the one
place the web app gathers them.

Three sources, later ones replacing earlier ones stop by stop: the published plan's stops read
« as planned » (« non renseigné » in the report); what hosts and planners recorded per workshop
during the season (web.season: sign-ups, participants, held or cancelled, and the dates a later
revision moved or cancelled); and an outcomes file the planner imports (a season run outside
Tournée, or corrections made afterwards).
"""

from __future__ import annotations

from web import planning
from web.models import PlanRecord
from web.season import recorded_outcomes


def season_outcomes(record: PlanRecord, imported: tuple = ()) -> tuple:
    """The outcomes of a published plan's stops (planner StopOutcome values), ``imported`` last."""
    return planning.merge_outcomes(planning.planned_outcomes(record.data), recorded_outcomes(record.scenario_id),
                                   imported)
