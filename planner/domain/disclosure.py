"""What of a request may leave the planner's hands.

A request carries the requester's contact (name, function, e-mail, telephone) and a private note
(« code portail 4521 »): the planner needs them, a host or a passer-by does not. Public files and
feeds (the season's CSV and workbook as published, each host's calendar and workbook) are built
from ``public_scenario``, whose requests keep only ``PUBLIC_REQUEST_FIELDS``; the planner's own
downloads keep everything. This list is the one place that decides, field by field.
"""

from __future__ import annotations

from dataclasses import fields, replace

from planner.domain.request import Request
from planner.domain.scenario import Scenario

# Who asked and how to reach them, and what they wrote to the team: never in a public file.
PRIVATE_REQUEST_FIELDS = ("requester", "contact", "contact_role", "contact_email", "contact_phone", "note")
# What a host needs to welcome the stop: where it parks (site, address, coordinates) and the request's identity.
PUBLIC_REQUEST_FIELDS = tuple(f.name for f in fields(Request) if f.name not in PRIVATE_REQUEST_FIELDS)


def public_request(request: Request) -> Request:
    """The request with every private field emptied."""
    return replace(request, **{name: "" for name in PRIVATE_REQUEST_FIELDS})


def public_scenario(scenario: Scenario) -> Scenario:
    """The scenario whose requests carry only their public fields (the rest of it is public already)."""
    return replace(scenario, requests=tuple(public_request(r) for r in scenario.requests))


def is_public_field(field: str | None) -> bool:
    """Whether a column drawn from this request field (None: from the stop itself) may be published."""
    return field is None or field in PUBLIC_REQUEST_FIELDS
