"""The French words of a stop request that the request form and the planners' inbox both show."""

from __future__ import annotations

import datetime as dt

WEEKDAYS = (("lun", "lundi"), ("mar", "mardi"), ("mer", "mercredi"), ("jeu", "jeudi"), ("ven", "vendredi"),
            ("sam", "samedi"))
STATUS_LABELS = {"pending": "en attente d'examen", "accepted": "acceptée", "declined": "refusée",
                 "withdrawn": "retirée par le demandeur"}

PRIORITY_LABELS = {"must": "obligatoire", "should": "souhaitée"}
ROW_STATUS_LABELS = {"accepted": "acceptée", "pending": "en attente", "refused": "refusée", "": "acceptée"}
# The columns of a request's row in a scenario, in French (the inbox shows what the scenario received).
ROW_LABELS = {"request_id": "Référence", "insee_com": "Commune (code INSEE)", "windows": "Périodes", "days": "Arrêts demandés",
              "priority": "Importance", "status": "Statut", "requester": "Demandeur", "host_site": "Lieu d'accueil",
              "contact": "Contact", "note": "Note", "address": "Adresse", "postcode": "Code postal", "lat": "Latitude",
              "lon": "Longitude", "location_note": "Position", "contact_role": "Fonction du contact",
              "contact_email": "E-mail du contact", "contact_phone": "Téléphone du contact"}
WEEKDAY_PLURALS = ("lundis", "mardis", "mercredis", "jeudis", "vendredis", "samedis", "dimanches")


def parse_windows(text: str) -> list[tuple[dt.date, dt.date]]:
    """« 2027-03-09..2027-03-09; 2027-03-16..2027-03-20 » as date pairs (unreadable parts left out)."""
    pairs = []
    for part in (text or "").split(";"):
        start, _, end = part.strip().partition("..")
        try:
            pairs.append((dt.date.fromisoformat(start.strip()), dt.date.fromisoformat((end or start).strip())))
        except ValueError:
            continue
    return pairs


def periods_label(windows) -> str:
    """A request's periods as a planner reads them: « du 09/03/2027 au 20/03/2027 », and twenty
    one-day periods on Tuesdays as « les mardis du 09/03/2027 au 20/07/2027 (20 dates) »."""
    pairs = parse_windows(windows) if isinstance(windows, str) else [
        (dt.date.fromisoformat(str(a)[:10]), dt.date.fromisoformat(str(b)[:10])) for a, b in windows]
    if not pairs:
        return str(windows or "")
    pairs.sort()
    singles = all(a == b for a, b in pairs)
    weekdays = {a.weekday() for a, _ in pairs}
    if singles and len(pairs) >= 3 and len(weekdays) <= 3:
        names = [WEEKDAY_PLURALS[d] for d in sorted(weekdays)]
        days = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " et " + names[-1]
        return f"les {days} du {pairs[0][0]:%d/%m/%Y} au {pairs[-1][0]:%d/%m/%Y} ({len(pairs)} dates)"
    return " ; ".join(f"{a:%d/%m/%Y}" if a == b else f"du {a:%d/%m/%Y} au {b:%d/%m/%Y}" for a, b in pairs)


def row_value(key: str, value) -> str:
    """A value of a request's scenario row in French."""
    if key == "windows":
        return periods_label(value)
    if key == "priority":
        return PRIORITY_LABELS.get(value, value)
    if key == "status":
        return ROW_STATUS_LABELS.get(value, value)
    return "" if value is None else str(value)
