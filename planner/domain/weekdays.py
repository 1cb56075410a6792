"""Weekday names in French and English, mapped to ISO numbers (1 = Monday ... 7 = Sunday)."""

from __future__ import annotations

FRENCH = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
ENGLISH = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

WEEKDAY_NAMES: dict[str, int] = {}
for _iso, (_fr, _en) in enumerate(zip(FRENCH, ENGLISH), start=1):
    WEEKDAY_NAMES.update({_fr: _iso, _fr[:3]: _iso, _en: _iso, _en[:3]: _iso, str(_iso): _iso})


def parse_weekday(text: str) -> int | None:
    """ISO weekday of 'mardi', 'mar', 'tue', 'Tuesday' or '2'; None when not a weekday."""
    return WEEKDAY_NAMES.get(text.strip().lower().rstrip("."))


def french_weekday(iso: int) -> str:
    return FRENCH[iso - 1]


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Sorted ISO weekdays of a list like 'tue,wed,thu,fri' or 'mardi-vendredi'; ValueError if bad."""
    text = text.strip().lower()
    if "-" in text and "," not in text:
        first, last = (parse_weekday(p) for p in text.split("-", 1))
        if first is None or last is None or first > last:
            raise ValueError(f"plage de jours invalide : {text}")
        return tuple(range(first, last + 1))
    days = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        day = parse_weekday(part)
        if day is None:
            raise ValueError(f"jour inconnu : {part}")
        days.append(day)
    if not days:
        raise ValueError("aucun jour donné")
    return tuple(sorted(set(days)))
