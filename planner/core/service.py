"""Whether a plan serves a request, by which stops, and why not: the one answer every page and file gives.

A request is served when its commune has at least ``days`` stops inside its periods (the rule the
evaluator counts, ``Request.stops_in_window``). A stop inside the periods of a request that is not
served is only part of the answer (« 2 arrêts sur 3 demandés ») and is said so, never as « servie ».
Why not is the reason the solve recorded for this plan (``planner.core.reasons``: the one that
decided, a published stop whose move costs more than the request's bonus included).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.domain.formatting import fr_date, plural
from planner.domain.plan import Unserved
from planner.domain.request import Request
from planner.domain.stop import Stop

NOT_ACCEPTED = {"pending": "en attente", "refused": "refusée"}


@dataclass(frozen=True)
class RequestService:
    request_id: str
    insee: str
    priority: str  # must / should
    served: bool
    stops: tuple[Stop, ...]  # the commune's stops inside the request's periods (all of them serve it when served)
    asked: int  # stops the request wants
    reason: str  # "" when served, else the machine code of the deciding reason
    message: str  # French, one sentence: « Servie par 2 arrêts : 11/03/2027, 10/06/2027. »

    @property
    def dates(self) -> tuple:
        return tuple(s.date for s in self.stops)


def request_service(request: Request, stops: Iterable[Stop], unserved: Iterable[Unserved] = (),
                    *, planned: bool = True) -> RequestService:
    """The plan's answer for one request: ``stops`` are the plan's, ``unserved`` the reasons its
    solve (or evaluation) recorded; ``planned`` False when the plan was computed before the request
    was in its scenario (it then has no reason for it)."""
    inside = request.stops_in_window(tuple(stops))
    dates = ", ".join(fr_date(s.date) for s in inside)

    def answer(served: bool, reason: str, message: str) -> RequestService:
        return RequestService(request.request_id, request.insee, request.priority, served, inside, request.days,
                              reason, message)

    if not request.active:
        status = NOT_ACCEPTED.get(request.status, request.status)
        return answer(False, "not_accepted", f"Demande {status} : le plan n'en tient pas compte.")
    if len(inside) >= request.days:
        return answer(True, "", f"Servie par {plural(len(inside), 'arrêt')} : {dates}.")
    if not planned:
        return answer(False, "not_planned", "Ce plan a été calculé avant que la demande soit dans le scénario : "
                                            "re-planifiez.")
    why = next((u for u in unserved if u.request_id == request.request_id), None)
    cause = why.message if why is not None else "le plan ne la sert pas"
    partial = (f"{plural(len(inside), 'arrêt')} sur {request.days} demandés dans ses périodes ({dates}) ; "
               if inside else "")
    return answer(False, why.reason if why is not None else "unserved", f"Non servie : {partial}{cause}.")


def request_services(requests: Iterable[Request], stops: Iterable[Stop],
                     unserved: Iterable[Unserved] = ()) -> tuple[RequestService, ...]:
    """``request_service`` of every accepted request, in the scenario's order."""
    stops, unserved = tuple(stops), tuple(unserved)
    return tuple(request_service(r, stops, unserved) for r in requests if r.active)
