"""Opening hours of a host site (a mairie), as the source wrote them, and what they say.

The raw text is kept verbatim (e.g. "L au V (10-12h ;14-17h)"); ``parse_hours`` reads the notation
of the Cher directories into opening intervals per ISO weekday, and ``available`` tells whether
a mediator's half-day fits them. Where a commune has no hours, or where a text cannot be read with
certainty, availability is unknown (None), never "always open" nor "closed": the planner sees it.

Notation: days L, Ma, Me, J, V, S, D (lundi..dimanche), as a list ("L, Ma, J", "L et J") or a range
("L au V"), each group followed by its intervals in parentheses ("(9-12h ;16h30-18h30)"); groups
are separated by ";" or ","; a group may be prefixed by a site ("Mairie : ...", "annexe-mairie de
Rosières : ..."). A weekday the text does not name is closed: the directories list open days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from planner.domain.vehicle import Session

DAY_TOKENS = {"l": 1, "ma": 2, "me": 3, "j": 4, "v": 5, "s": 6, "d": 7,
              "lun": 1, "mar": 2, "mer": 3, "jeu": 4, "ven": 5, "sam": 6, "dim": 7,
              "lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7}
# A half-day is "available" when the host is open for at least this much of it (or all of it, if
# shorter): an hour is enough for the secretary to open the room and announce the mediator; less
# (e.g. Azy, open 16h45-19h, against a 14h-17h session) would leave the mediator at a closed door.
MIN_OVERLAP_MINUTES = 60

_GROUP = re.compile(r"([^()]*?)\s*\(([^()]*)\)")
_INTERVAL = re.compile(r"^(\d{1,2})(?:h(\d{2})?)?\s*[-–]\s*(\d{1,2})(?:h(\d{2})?)?$")
_RANGE = re.compile(r"^(\w+)\s+(?:au|à)\s+(\w+)$")


@dataclass(frozen=True)
class SiteHours:
    """Opening intervals of one site: ``days[w - 1]`` holds (start, end) minutes from midnight."""

    site: str  # "" when the text names no site, else as written ("Mairie", "annexe-mairie de Rosières")
    days: tuple[tuple[tuple[int, int], ...], ...]

    def intervals(self, weekday: int) -> tuple[tuple[int, int], ...]:
        return self.days[weekday - 1]


@dataclass(frozen=True)
class OpeningHours:
    """The reading of one hours text: its sites, or why it could not be read (``problem``)."""

    text: str
    sites: tuple[SiteHours, ...] = ()
    problem: str = ""  # French; empty when the text was read

    @property
    def known(self) -> bool:
        return not self.problem and bool(self.sites)

    @property
    def main(self) -> SiteHours | None:
        """The site that hosts the mediator: the unnamed one or the one named "Mairie", else the first.

        An annex (Lunery's "annexe-mairie de Rosières") keeps its own hours but is not the host.
        """
        if not self.known:
            return None
        for site in self.sites:
            if site.site == "" or site.site.strip().lower() == "mairie":
                return site
        return self.sites[0]


UNKNOWN = OpeningHours("", (), "horaires non renseignés")


@dataclass(frozen=True)
class HostHours:
    insee: str
    commune: str
    hours: str
    source: str
    vintage: str

    @cached_property
    def opening(self) -> OpeningHours:
        return parse_hours(self.hours)


def parse_hours(text: str | None) -> OpeningHours:
    """Opening intervals of each site of ``text``; an unreadable text is unknown, with the reason."""
    if text is None or not text.strip():
        return UNKNOWN
    text = text.strip()
    try:
        sites = _parse_sites(text)
    except ValueError as exc:
        return OpeningHours(text, (), f"horaires illisibles ({exc}) : « {text} »")
    return OpeningHours(text, sites)


def available(hours: OpeningHours | HostHours | None, weekday: int, session: Session,
              min_overlap: int = MIN_OVERLAP_MINUTES) -> bool | None:
    """Is the host open for a sizeable part of ``session`` on ISO ``weekday``? None when unknown.

    "Sizeable" is an overlap of at least ``min_overlap`` minutes (or the whole session when it is
    shorter), with the host's own site (see ``OpeningHours.main``).
    """
    if isinstance(hours, HostHours):
        hours = hours.opening
    if hours is None or not hours.known:
        return None
    start = session.start.hour * 60 + session.start.minute
    end = session.end.hour * 60 + session.end.minute
    overlap = sum(max(0, min(b, end) - max(a, start)) for a, b in hours.main.intervals(weekday))
    return overlap >= min(min_overlap, end - start)


def _parse_sites(text: str) -> tuple[SiteHours, ...]:
    """Sites in order of appearance; each one's groups merged day by day."""
    order: list[str] = []
    days: dict[str, list[list[tuple[int, int]]]] = {}
    site = ""
    for chunk in _split_top_level(text, ";"):
        labelled = _split_top_level(chunk, ":") if ":" in chunk else [chunk]
        if len(labelled) > 2:
            raise ValueError("plusieurs « : » dans un groupe")
        if len(labelled) == 2:
            site, chunk = labelled
        if site not in days:
            order.append(site)
            days[site] = [[] for _ in range(7)]
        for weekdays, intervals in _groups(chunk):
            for weekday in weekdays:
                days[site][weekday - 1].extend(intervals)
    return tuple(SiteHours(name, tuple(_merge(d) for d in days[name])) for name in order)


def _split_top_level(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside parentheses."""
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth < 0:
                raise ValueError("parenthèse fermante en trop")
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth != 0:
        raise ValueError("parenthèse non fermée")
    parts.append("".join(current))
    parts = [p.strip() for p in parts]
    if not all(parts):
        raise ValueError("groupe vide")
    return parts


def _groups(chunk: str) -> list[tuple[tuple[int, ...], list[tuple[int, int]]]]:
    """The "DAYS (INTERVALS)" groups of a chunk, which must be made of nothing else."""
    groups = []
    position = 0
    chunk = chunk.strip()
    for match in _GROUP.finditer(chunk):
        if chunk[position:match.start()].strip(" ,"):
            raise ValueError(f"texte inattendu « {chunk[position:match.start()].strip()} »")
        days_text = match.group(1).strip().lstrip(",").strip()
        groups.append((_days(days_text), [_interval(p) for p in re.split(r"[;,]|\bet\b", match.group(2))]))
        position = match.end()
    if not groups or chunk[position:].strip():
        raise ValueError(f"texte inattendu « {chunk[position:].strip() or chunk} »")
    return groups


def _days(text: str) -> tuple[int, ...]:
    """ISO weekdays of "L au V", "L, Ma, J, V" or "L et J"."""
    found: list[int] = []
    for item in filter(None, (p.strip() for p in re.split(r",|\bet\b", text))):
        span = _RANGE.match(item)
        if span:
            first, last = _day(span.group(1)), _day(span.group(2))
            if first > last:
                raise ValueError(f"plage de jours à l'envers « {item} »")
            found.extend(range(first, last + 1))
        else:
            found.append(_day(item))
    if not found:
        raise ValueError("jours manquants")
    return tuple(found)


def _day(token: str) -> int:
    day = DAY_TOKENS.get(token.strip().rstrip(".").lower())
    if day is None:
        raise ValueError(f"jour inconnu « {token.strip()} »")
    return day


def _interval(text: str) -> tuple[int, int]:
    """Minutes from midnight of "10-12h", "9h-18h", "16h30-18h30", "13-17h30"."""
    match = _INTERVAL.match(text.strip())
    if not match:
        raise ValueError(f"plage horaire illisible « {text.strip()} »")
    h1, m1, h2, m2 = (int(g) if g else 0 for g in match.groups())
    if h1 > 24 or h2 > 24 or m1 > 59 or m2 > 59:
        raise ValueError(f"heure impossible « {text.strip()} »")
    start, end = 60 * h1 + m1, 60 * h2 + m2
    if end <= start or end > 24 * 60:
        raise ValueError(f"plage horaire vide ou à l'envers « {text.strip()} »")
    return start, end


def _merge(intervals: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)
