"""The best commune to take a published stop's place on its own date and vehicle, for « Remplacer »
during a season: the other stops stay as they are, so that the minimal-change re-plan that follows
(with this stop pinned) moves no other published date unless a rule forces it.

Every candidate is judged by the evaluator on the whole plan (``plan_value``: its value and its
broken rules), not by a stop's own figures: a commune's seniors may already be seated by another
of its visits, and a new visit can break the spacing or visit limits. Candidates are the communes the vehicle may serve
that day (``rules.stop_allowed``, and the host's hours for a mediator).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from planner.core.evaluate import plan_value
from planner.core.instance import VALUE_SCALE, Instance
from planner.core.rules import hours_violation, named_communes, seats_someone, stop_allowed
from planner.domain.formatting import fr_number
from planner.domain.stop import Stop


@dataclass(frozen=True)
class Replacement:
    """The commune chosen for ``date``, with the plan's value with it and with the next best."""

    date: dt.date
    vehicle: str
    insee: str
    commune: str
    replaces_insee: str
    replaces: str  # the commune it replaces, by name
    value: float  # the whole plan's value with this stop
    runner_up: str = ""  # the next best commune, "" when it was the only one
    runner_up_value: float | None = None
    candidates: int = 1  # communes that kept every rule that day

    @property
    def reason(self) -> str:
        """Why this commune, in French, as the plan page and the season view say it."""
        head = f"{self.commune} remplace {self.replaces} le {self.date:%d/%m/%Y}, même véhicule ({self.vehicle})"
        if not self.runner_up or self.runner_up_value is None:
            return f"{head} : seule commune possible ce jour-là, toutes règles respectées"
        return (f"{head} : la commune qui apporte le plus ce jour-là parmi les {self.candidates} possibles, toutes "
                f"règles respectées ; valeur du plan {fr_number(self.value, 1)} contre "
                f"{fr_number(self.runner_up_value, 1)} avec {self.runner_up}, la suivante")


def best_replacement(instance: Instance, stops: tuple[Stop, ...], date: dt.date, vehicle: str,
                     insee: str) -> Replacement | None:
    """The commune whose stop, in the place of ``insee``'s on ``date`` by ``vehicle``, gives the plan
    its highest value while breaking no rule the plan without that stop keeps; ties go to the commune
    first by name. None when the stop is not in ``stops`` or no commune keeps every rule."""
    scenario = instance.scenario
    names = [v.name for v in scenario.vehicles]
    gone = [s for s in stops if (s.date, s.vehicle, s.insee) == (date, vehicle, insee)]
    if not gone or vehicle not in names:
        return None
    v, slot = names.index(vehicle), gone[0].slot
    kept = tuple(s for s in stops if (s.date, s.vehicle, s.insee) != (date, vehicle, insee))
    broken = Counter((x.rule, x.date, x.insee) for x in plan_value(instance, kept)[1])
    useful = seats_someone(instance)
    named = named_communes(instance, scenario.requests)
    judged = []
    for s, commune in enumerate(instance.communes):
        if commune.insee == insee or not (useful[s] or s in named) or not stop_allowed(instance, v, date, s) \
                or hours_violation(instance, v, date.isoweekday(), slot, s):
            continue
        value_q, violations = plan_value(instance, (*kept, Stop(date, vehicle, commune.insee, slot=slot)))
        if Counter((x.rule, x.date, x.insee) for x in violations) - broken:
            continue  # a rule the plan kept without the stop (spacing, visits, same day, ...) now broken
        judged.append((-value_q, commune.name, commune.insee))
    if not judged:
        return None
    judged.sort()
    (best_q, best_name, best_insee), runner = judged[0], judged[1] if len(judged) > 1 else None
    old = gone[0].commune or (scenario.territory.commune(insee).name if insee in scenario.territory else insee)
    return Replacement(date, vehicle, best_insee, best_name, insee, old, -best_q / VALUE_SCALE,
                       runner[1] if runner else "", -runner[0] / VALUE_SCALE if runner else None, len(judged))
