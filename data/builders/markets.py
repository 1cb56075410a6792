"""Market days: the hand-collected Cher file (confirmed by its pages) and the region's listing (« à confirmer »).

The listing (raw SOURCES §14) has no INSEE code: a market's commune is found from its name and
postcode together. The name picks, among the communes holding the postcode, the one it names
(« Marché de Saint-Doulchard », 18230); when the name names none of them and the postcode belongs
to one commune only (« marronniers », 18000), that commune. Anything else (a postcode shared by
several communes with a generic name, a name naming a commune of another postcode) is left out
and listed in the build report, never guessed. Rows repeating one market (same commune, days,
hours and season, and the same name or the same place in other words) are merged. A weekday the
hand-collected file already gives as a weekly market of the commune is not added twice.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from planner.domain.names import normalize_name

from .common import read_raw_csv
from .communes import COMMUNES_FILE

ETALAB_FILE = "communes/etalab_decoupage_communes_reg24.json"
HAND_FILE = "markets/market_days_cher.csv"
LISTING_FILE = "markets/jours_de_marche_2023-02_reg24.csv"
MARKET_COLUMNS = [
    "insee_com", "commune", "weekday", "time_of_day", "place", "frequency", "frequency_kind",
    "season", "months", "status", "confidence", "source_url", "source_date",
]
LISTING_SOURCE = "jours-de-marche.fr, relevé 2023-02"  # the copy used is named in data/SOURCES.md
LISTING_DATE = "2023-02"
FREQUENCY_KINDS = (
    ("hebdomadaire", "weekly"),
    ("mensuel", "monthly"),
    ("occasionnel", "occasional"),
    ("ponctuel", "one_off"),
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("JANVIER", "FEVRIER", "MARS", "AVRIL", "MAI", "JUIN", "JUILLET", "AOUT", "SEPTEMBRE", "OCTOBRE",
          "NOVEMBRE", "DECEMBRE")  # as normalize_name writes them
_SCHEDULE = re.compile(r"^Ce marché a lieu (?P<season>toute l'année|de (?P<m1>\w+) à (?P<m2>\w+)) "
                       r"(?:le\s+(?P<day>\w+)|les jours suivants :\s+(?P<days>[\w, ]+?)) "
                       r"de (?P<h1>\d{1,2})h(?P<n1>\d{2})? à (?P<h2>\d{1,2})h(?P<n2>\d{2})?$")
NAMED = "nom et code postal"
_GENERIC_NAME = re.compile(r"^((GRAND|PETIT) )*MARCHES?\b")  # normalize_name drops a leading article
_NAMED_MARKET = re.compile(r"^MARCHES? (?:DE |D |DU |DES )?(?P<rest>.{4,})$")


def build_markets(raw: Path) -> tuple[pd.DataFrame, list[str]]:
    """Every market row to ship, and the lines of the build report about the listing."""
    hand = read_raw_csv(raw / HAND_FILE)
    hand["frequency_kind"] = hand["frequency"].map(frequency_kind)
    hand["months"] = ""
    hand["status"] = "confirmed"
    delegated = json.loads((raw / ETALAB_FILE).read_text(encoding="utf-8"))
    matcher = PostcodeMatcher(read_raw_csv(raw / COMMUNES_FILE), delegated)
    listing = read_raw_csv(raw / LISTING_FILE)
    report = ListingReport(len(listing))
    markets = []
    for number, row in enumerate(listing.itertuples(), start=2):  # line 1 is the header
        label = f"ligne {number} : « {row.name} », {row.address}, {row.postcode}"
        schedule = read_schedule(row.schedule)
        if schedule is None:
            report.unreadable.append(f"{label} : horaire illisible « {row.schedule} »")
            continue
        code, how = matcher.match(row.name, row.address, row.postcode)
        if code is None:
            report.unmatched.append(f"{label} : {how}")
            continue
        report.matched[how] = report.matched.get(how, 0) + 1
        if how != NAMED:  # the name did not say the commune: shown for review
            report.unnamed.append(f"{label} → {code} {matcher.names[code]} ({how})")
        markets.append(ListedMarket(code, row.name.strip(), row.address.strip(), number, **schedule))
    kept = merge_repeated(markets, report)
    weekly_by_hand = {(r.insee_com, r.weekday) for r in hand.itertuples() if r.frequency_kind == "weekly" and r.weekday}
    rows = []
    for market in kept:
        for day in market.days:
            if (market.insee, day) in weekly_by_hand:
                report.known_by_hand.append(f"{market.insee} {day} ({market.name})")
                continue
            rows.append(market.row(matcher.names[market.insee], matcher.keys[market.insee], day))
    if market_seasons := [m for m in kept if m.season_note]:
        report.seasons = [f"{m.insee} « {m.name} » : {m.season_note}" for m in market_seasons]
    listed = pd.DataFrame(rows, columns=MARKET_COLUMNS)
    report.rows = len(listed)
    out = pd.concat([hand[MARKET_COLUMNS], listed], ignore_index=True)
    return out, report.lines()


def frequency_kind(text: str) -> str:
    """Machine-readable frequency of a market row; 'unknown' when the source does not say."""
    low = text.lower()
    for word, kind in FREQUENCY_KINDS:
        if low.startswith(word):
            return kind
    return "unknown"


def read_schedule(text: str) -> dict | None:
    """Weekdays, hours, season text and months of a listing sentence; None when it cannot be read."""
    match = _SCHEDULE.match(text.strip())
    if not match:
        return None
    days = [match["day"]] if match["day"] else [d.strip() for d in match["days"].split(",")]
    if not days or any(d not in WEEKDAYS for d in days):
        return None
    start = f"{int(match['h1'])}h{match['n1'] or ''}"
    end = f"{int(match['h2'])}h{match['n2'] or ''}"
    season, months, note = "toute l'année", (), ""
    if match["m1"]:
        first, last = normalize_name(match["m1"]), normalize_name(match["m2"])
        if first not in MONTHS or last not in MONTHS:
            return None
        season = f"{from_month(match['m1'].lower())} à {match['m2'].lower()}"
        a, b = MONTHS.index(first) + 1, MONTHS.index(last) + 1
        if a == b:  # « de Janvier à Janvier »: one month, or the whole year? The listing does not say.
            note = f"saison « {season} » ambiguë : mois non retenus, compté toute l'année, à confirmer"
        else:
            months = tuple(range(a, b + 1)) if a < b else tuple(range(a, 13)) + tuple(range(1, b + 1))
    return {"days": tuple(days), "hours": f"{start}-{end}", "season": season, "months": months, "season_note": note}


def from_month(month: str) -> str:
    """« d'avril », « de mars »: French elision before a vowel."""
    return f"d'{month}" if normalize_name(month)[0] in "AEIOU" else f"de {month}"


class PostcodeMatcher:
    """The commune of a listed market, from its name and postcode together (see the module docstring)."""

    def __init__(self, base: pd.DataFrame, etalab: list[dict]) -> None:
        self.by_postcode: dict[str, set[str]] = {}
        self.names: dict[str, str] = {}
        self.keys: dict[str, set[str]] = {}
        for row in base.itertuples():
            self.by_postcode.setdefault(row.code_postal, set()).add(row.insee_com)
            self.names.setdefault(row.insee_com, row.commune_article)
            self.keys.setdefault(row.insee_com, set()).update(
                {normalize_name(row.commune), normalize_name(row.commune_article)})
        for item in etalab:  # a delegated commune's name (« Janville ») names the commune it joined
            if item["type"] != "commune-actuelle" and item.get("chefLieu") in self.keys:
                self.keys[item["chefLieu"]].add(normalize_name(item["nom"]))

    def named(self, text: str, codes) -> set[str]:
        """Codes among ``codes`` whose name appears in ``text`` as whole words; a longer name wins
        over one it contains (« Saint-Martin-d'Auxigny » over a « Saint-Martin »)."""
        words = f" {normalize_name(text)} "
        spans = {c: {k for k in self.keys[c] if f" {k} " in words} for c in codes}
        spans = {c: keys for c, keys in spans.items() if keys}
        longer = {k for keys in spans.values() for k in keys}
        return {c for c, keys in spans.items() if any(not any(k != o and k in o for o in longer) for k in keys)}

    def match(self, name: str, address: str, postcode: str) -> tuple[str | None, str]:
        """(INSEE code, how) or (None, why not)."""
        codes = self.by_postcode.get(postcode.strip(), set())
        if not codes:
            return None, "code postal inconnu dans la région"
        here = self.named(name, codes)
        if len(here) == 1:
            return next(iter(here)), NAMED
        by_address = self.named(address, codes) if not here else set()
        if len(by_address) == 1:
            return next(iter(by_address)), "adresse et code postal"
        if len(here) > 1:
            return None, f"le nom désigne plusieurs communes du code postal ({self.listing(here)})"
        named = _NAMED_MARKET.match(normalize_name(name))
        starts = {c for c in codes if named and any(k.startswith(named["rest"] + " ") for k in self.keys[c])}
        if len(starts) == 1:  # « Marché de Langon », 41320: Langon-sur-Cher is the one commune of 41320 so named
            return next(iter(starts)), "début du nom et code postal"
        elsewhere = self.named(name, set(self.names) - codes)
        if elsewhere:
            return None, f"le nom désigne une commune d'un autre code postal ({self.listing(elsewhere)})"
        if len(codes) == 1:
            return next(iter(codes)), "code postal d'une seule commune (nom sans commune)"
        return None, f"nom sans commune et code postal partagé par {len(codes)} communes ({self.listing(codes)})"

    def listing(self, codes) -> str:
        return ", ".join(f"{c} {self.names[c]}" for c in sorted(codes))


class ListedMarket:
    """One market of the listing, possibly seen on several rows (``lines``)."""

    def __init__(self, insee: str, name: str, place: str, line: int, *, days: tuple[str, ...], hours: str,
                 season: str, months: tuple[int, ...], season_note: str) -> None:
        self.insee, self.name, self.place, self.lines = insee, name, place, [line]
        self.days, self.hours, self.season, self.months, self.season_note = days, hours, season, months, season_note

    @property
    def key(self) -> tuple:
        return self.insee, self.days, self.hours, self.months

    def same_market(self, other: ListedMarket) -> bool:
        """Same name once folded, or one place's words all found in the other's (« halles saint-bonnet »
        and « autour des halles saint-bonnet »)."""
        if normalize_name(self.name) == normalize_name(other.name):
            return True
        a, b = set(normalize_name(self.place).split()), set(normalize_name(other.place).split())
        return bool(a and b) and (a <= b or b <= a)

    def row(self, commune: str, keys: set[str], day: str) -> dict:
        """The row of one weekday; the place is prefixed by the market's name when the name says more
        than « Marché (de COMMUNE) » (« Halle au blé, place de la nation »)."""
        place, name = self.place, normalize_name(self.name)
        plain = _GENERIC_NAME.sub("", name).strip()
        plain = normalize_name(re.sub(r"^(DE|D|DU|DES|HEBDOMADAIRE)\b", "", plain))  # « DE LES AIX » -> « AIX »
        if plain and plain not in keys and name != normalize_name(place):
            place = f"{self.name}, {place}"
        monthly = "MENSUEL" in normalize_name(self.name)
        frequency = "mensuel (d'après le nom)" if monthly else "hebdomadaire"
        return {
            "insee_com": self.insee, "commune": commune, "weekday": day, "time_of_day": self.hours, "place": place,
            "frequency": frequency, "frequency_kind": frequency_kind(frequency), "season": self.season,
            "months": "|".join(str(m) for m in self.months), "status": "unconfirmed", "confidence": "",
            "source_url": LISTING_SOURCE + " ; lignes " + ", ".join(str(n) for n in self.lines),
            "source_date": LISTING_DATE,
        }


def merge_repeated(markets: list[ListedMarket], report: ListingReport) -> list[ListedMarket]:
    """Fold the rows of one market into its first row, in file order."""
    kept: list[ListedMarket] = []
    for market in markets:
        twin = next((k for k in kept if k.key == market.key and k.same_market(market)), None)
        if twin is None:
            kept.append(market)
        else:
            twin.lines += market.lines
            report.merged.append(f"lignes {', '.join(map(str, twin.lines))} : {twin.insee} « {twin.name} » "
                                 f"({', '.join(twin.days)} {twin.hours})")
    return kept


class ListingReport:
    """What happened to the rows of the listing, for data/build_report.md."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.matched: dict[str, int] = {}
        self.unmatched: list[str] = []
        self.unreadable: list[str] = []
        self.unnamed: list[str] = []
        self.merged: list[str] = []
        self.known_by_hand: list[str] = []
        self.seasons: list[str] = []
        self.rows = 0

    def lines(self) -> list[str]:
        out = [f"- lignes lues : {self.total}"]
        out += [f"- rattachées à une commune par {how} : {n}" for how, n in sorted(self.matched.items())]
        out.append("- dont rattachées sans que le nom désigne la commune (à relire) :")
        out += [f"  - {line}" for line in self.unnamed]
        out.append(f"- non rattachées (laissées de côté) : {len(self.unmatched)}")
        out += [f"  - {line}" for line in self.unmatched]
        if self.unreadable:
            out.append(f"- horaire illisible (laissées de côté) : {len(self.unreadable)}")
            out += [f"  - {line}" for line in self.unreadable]
        out.append(f"- répétitions fusionnées : {len(self.merged)}")
        out += [f"  - {line}" for line in self.merged]
        out.append(f"- jours déjà donnés comme marché hebdomadaire par le relevé manuel (non ajoutés) : "
                   f"{len(self.known_by_hand)}")
        out += [f"  - {line}" for line in self.known_by_hand]
        out.append(f"- saisons ambiguës : {len(self.seasons)}")
        out += [f"  - {line}" for line in self.seasons]
        out.append(f"- lignes écrites dans markets.csv (une par marché et jour) : {self.rows}")
        return out
