"""Build the compact dataset shipped in data/ from the raw open data in ../shared/data.

Run ``python data/build.py`` (or ``python run.py build-data``). The output is deterministic: the
same raw files give byte-identical files, which ``tests/test_data_build.py`` checks. Nothing is
invented: a value that no source gives stays empty, a row that cannot be placed is left out and
listed in ``build_report.md``, and every transformation is described in data/SOURCES.md. The
builders, one per raw source, are in ``data/builders/``.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "data"
for folder in (ROOT, DATA_DIR):  # planner/ (names, geodesy, geometry) and data/builders/
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from builders.common import to_csv  # noqa: E402
from builders.communes import COMMUNE_COLUMNS, build_bourges, build_communes, build_postcodes  # noqa: E402
from builders.mairies import MAIRIE_COLUMNS, build_mairies  # noqa: E402
from builders.markets import MARKET_COLUMNS, build_markets  # noqa: E402
from builders.outlines import build_outlines  # noqa: E402
from builders.resolver import CommuneResolver  # noqa: E402
from builders.service_points import SERVICE_COLUMNS, build_service_points  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared" / "data"

OUTPUT_FILES = (
    "communes.csv",
    "service_points.csv",
    "markets.csv",
    "mairies.csv",
    "territories/bourges.csv",
    "outlines.geojson",
    "postcodes.csv",
    "build_report.md",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rebuild data/ from ../shared/data/raw")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="folder holding raw/ and territories/")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="output folder (default: data/)")
    args = parser.parse_args(argv)
    if not (args.shared / "raw").is_dir():
        print(f"build: raw data not found in {args.shared / 'raw'}", file=sys.stderr)
        return 2
    for name, text in build(args.shared).items():
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path}")
    return 0


def build(shared: Path) -> dict[str, str]:
    """Return the text of every output file, keyed by its path relative to data/."""
    raw = shared / "raw"
    communes = build_communes(raw)
    resolver = CommuneResolver(raw, communes)
    points = build_service_points(raw, communes, resolver)
    markets, market_notes = build_markets(raw)
    mairies, mairie_notes = build_mairies(raw, communes)
    bourges = build_bourges(shared)
    return {
        "communes.csv": to_csv(communes, COMMUNE_COLUMNS),
        "service_points.csv": to_csv(points, SERVICE_COLUMNS),
        "markets.csv": to_csv(markets, MARKET_COLUMNS),
        "mairies.csv": to_csv(mairies, MAIRIE_COLUMNS),
        "territories/bourges.csv": to_csv(bourges, ["insee_com", "commune", "epci", "epci_nom"]),
        "outlines.geojson": build_outlines(raw, communes),
        "postcodes.csv": to_csv(build_postcodes(raw), ["insee_com", "code_postal"]),
        "build_report.md": build_report(communes, set(bourges["insee_com"]), points, markets, market_notes,
                                        mairie_notes),
    }


def build_report(communes: pd.DataFrame, basin: set[str], points: pd.DataFrame, markets: pd.DataFrame,
                 market_notes: list[str], mairie_notes: list[str]) -> str:
    """data/build_report.md: what the build kept, left out and merged, with the counts SOURCES.md quotes."""
    region = set(communes["insee_com"])
    cher = set(communes.loc[communes["dep"] == "18", "insee_com"])
    areas = (("bassin de Bourges", basin), ("Cher", cher), ("région", region))
    lines = ["# Rapport de construction des données", "",
             "Écrit par `python data/build.py` ; ne pas modifier à la main.", "",
             "## Lieux d'aide numérique (`service_points.csv`) par type", "",
             "| type | " + " | ".join(name for name, _ in areas) + " |", "| --- |" + " ---: |" * len(areas)]
    by_area = [Counter(k for code, kinds in zip(points["insee_com"], points["kinds"]) if code in codes
                       for k in kinds.split("|")) for _, codes in areas]
    for kind in sorted(set().union(*by_area)):
        lines.append(f"| `{kind}` | " + " | ".join(str(c[kind]) for c in by_area) + " |")
    totals = [sum(code in codes for code in points["insee_com"]) for _, codes in areas]
    lines += ["| lieux (tous types) | " + " | ".join(map(str, totals)) + " |", "",
              "## Mairies (`mairies.csv`)", "", *mairie_notes, "",
              "## Marchés de la liste régionale (`jours_de_marche_2023-02_reg24.csv`)", "", *market_notes, "",
              "## Communes avec un marché hebdomadaire de jour connu (`markets.csv`)", "",
              "| | " + " | ".join(name for name, _ in areas) + " |", "| --- |" + " ---: |" * len(areas)]
    weekly = markets[(markets["frequency_kind"] == "weekly") & (markets["weekday"] != "")]
    for label, rows in (("toutes sources", weekly), ("dont confirmé (relevé manuel)", weekly[weekly["status"] == "confirmed"])):
        counts = [len(set(rows["insee_com"]) & codes) for _, codes in areas]
        lines.append(f"| {label} | " + " | ".join(f"{n} / {len(codes)}" for n, (_, codes) in zip(counts, areas)) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    raise SystemExit(main())
