"""TeamContact: how hosts and seniors reach the team that runs the bus or the mediator.

Exports print it on every file a host receives; when it is not set they say so ("contact de
l'équipe à renseigner") rather than invent one.
"""

from __future__ import annotations

from dataclasses import dataclass

TEAM_FIELDS = ("name", "phone", "email", "signup")
NOT_SET = "contact de l'équipe à renseigner"


@dataclass(frozen=True)
class TeamContact:
    name: str = ""  # the team or person, e.g. "Équipe du bus numérique ASEPT Berry"
    phone: str = ""
    email: str = ""
    signup: str = ""  # how seniors sign up, e.g. "auprès de la mairie ou au 02 48 ..."

    @property
    def is_set(self) -> bool:
        return any((self.name, self.phone, self.email))

    def label(self) -> str:
        """"Équipe X · 02 48 .. · x@y.fr", or the not-set marker."""
        if not self.is_set:
            return NOT_SET
        return " · ".join(p for p in (self.name, self.phone, self.email) if p)
