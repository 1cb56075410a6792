"""Bad user files are rejected with every problem named (file:row:column: value) and nothing loaded."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from planner.domain.problems import DataError
from planner.inputs.communes import read_communes
from planner.inputs.dataset import load_territory, shipped_communes
from planner.inputs.markets import read_markets
from planner.inputs.service_points import read_service_points


def known():
    return {c.insee: c for c in shipped_communes()}


def problems_of(call) -> list[str]:
    with pytest.raises(DataError) as info:
        call()
    return [str(p) for p in info.value.problems]


def test_missing_required_column_is_named(write):
    path = write("communes.csv", "code,nom\n18033,Bourges\n")
    assert problems_of(lambda: read_communes(path, known())) == [
        "communes.csv:1:insee_com: colonne obligatoire absente de l'en-tête "
        "(noms acceptés : insee_com, code_insee, codgeo, insee, code_commune, com)"
    ]


def test_every_problem_of_a_file_is_reported_at_once(write):
    path = write("territoire.csv", "\n".join([
        "insee_com,commune,lat,lon,population,seniors",
        "18033,Bourges,47.07,2.39,63702,14000",  # fine
        "8033,Ailleurs,47.0,2.0,10,1",  # leading zero lost
        "18A33,X,47.0,2.0,10,1",  # not a code
        "99001,Inconnue,2.5,47.1,100,10",  # unknown commune, lat/lon swapped
        "99002,Loin,60.0,2.0,100,10",  # latitude out of France
        "99003,Texte,47.0,2.0,beaucoup,10",  # population not a number
        "99004,Trop,47.0,2.0,100,150",  # more seniors than people
        "18033,Bourges bis,47.07,2.39,1,1",  # duplicate
        "99005,,,,100,10",  # unknown commune without name nor coordinates
    ]) + "\n")
    found = problems_of(lambda: read_communes(path, known()))
    assert found == [
        "territoire.csv:3:insee_com: « 8033 » code INSEE sur 4 chiffres : le zéro initial a-t-il été perdu (08033) ?",
        "territoire.csv:4:insee_com: « 18A33 » code INSEE invalide : 5 caractères attendus (ex. 18033)",
        "territoire.csv:5:lat: « 2.5 » latitude hors de France métropolitaine : latitude et longitude inversées ?",
        "territoire.csv:6:lat: « 60.0 » latitude hors de France métropolitaine (41 à 51.5)",
        "territoire.csv:7:population: « beaucoup » nombre attendu",
        "territoire.csv:8:seniors: « 150 » plus de seniors que d'habitants (100)",
        "territoire.csv:9:insee_com: « 18033 » commune en double (déjà ligne 2)",
        "territoire.csv:10:insee_com: « 99005 » commune inconnue du jeu de données livré : pour l'ajouter, "
        "donnez aussi commune, lat, lon, population et seniors",
    ]


def test_windows_1252_semicolon_file_with_french_decimals_loads(write):
    text = "insee_com;commune;lat;lon;population;seniors\n18033;Bourges;47,078;2,398;63 702;14 489,5\n" \
           "99001;Sainte-Sévère-les-Étangs;47,1;2,4;120;40\n"
    path = write("territoire.csv", text, encoding="cp1252")
    communes = read_communes(path, known())
    assert [c.name for c in communes] == ["Bourges", "Sainte-Sévère-les-Étangs"]
    assert communes[0].seniors == 14489.5 and communes[0].lat == 47.078 and communes[0].population == 63702
    assert communes[0].seniors_basis == "fichier utilisateur"


def test_utf8_bom_and_codes_only_take_the_shipped_figures(write):
    path = write("liste.csv", "\ufeffinsee_com\n18033\n18160\n")
    bourges, nerondes = read_communes(path, known())
    assert bourges == known()["18033"] and nerondes.name == "Nérondes"


def test_xlsx_with_title_rows_and_numeric_codes(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Territoire du test"])
    sheet.append([])
    sheet.append(["CODGEO", "LIBGEO"])
    sheet.append([18033, "Bourges"])
    sheet.append([8033, "Perdu"])
    path = tmp_path / "liste.xlsx"
    book.save(path)
    assert problems_of(lambda: read_communes(path, known())) == [
        "liste.xlsx:5:codgeo: « 8033 » code INSEE sur 4 chiffres : le zéro initial a-t-il été perdu (08033) ?"
    ]


def test_market_file_unknown_commune_and_bad_weekday(write):
    path = write("marches.csv", "insee_com,weekday,frequency\n18160,mardi,hebdomadaire\n18999,jeudi,\n18033,jeudo,\n"
                 "18160,mardi,hebdomadaire\n")
    communes = {c.insee: c for c in load_territory("bourges").communes}
    found = problems_of(lambda: read_markets(path, communes))
    assert found[0] == "marches.csv:3:insee_com: « 18999 » commune inconnue"
    assert found[1].startswith("marches.csv:4:weekday: « jeudo » valeur inconnue (attendu : ")
    assert found[2] == "marches.csv:5:weekday: « mardi » marché en double (déjà ligne 2)"
    assert len(found) == 3


def test_market_file_rows_without_frequency_are_weekly(write):
    path = write("marches.csv", "insee_com,weekday\n18160,mardi\n")
    (market,) = read_markets(path, known())
    assert market.weekday == 2 and market.usable


def test_service_point_file_checks_kind_and_coordinates(write):
    path = write("lieux.csv", "name,kinds,insee_com,lat,lon\nEPN A,epn,18160,,\nB,cyber-café,18160,,\n"
                 "C,epn,58001,,\nD,epn,18160,46.9,99\n")
    found = problems_of(lambda: read_service_points(path, known()))
    assert found[0].startswith("lieux.csv:3:kinds: « cyber-café » valeur inconnue")
    assert found[1] == "lieux.csv:4:lat: coordonnées obligatoires pour une commune hors du jeu de données"
    assert found[2] == "lieux.csv:5:lon: « 99 » longitude hors de France métropolitaine (-5.5 à 10)"
    assert len(found) == 3


def test_service_point_without_coordinates_sits_at_its_commune_centre(write):
    path = write("lieux.csv", "name,kinds,insee_com\nEPN de Nérondes,epn,18160\n")
    (point,) = read_service_points(path, known())
    assert (point.lat, point.lon) == (known()["18160"].lat, known()["18160"].lon)
    assert "centre de la commune" in point.geo_note


def test_bad_market_file_leaves_the_territory_unloaded(write):
    # Ourouer-les-Bourdelins (18175): no shipped market (Nérondes, used before, now has the listing's
    # Saturday market), so a market there can only come from the user's file.
    good = write("ok.csv", "insee_com,weekday\n18175,mardi\n")
    bad = write("ko.csv", "insee_com,weekday\n18175,mardi\n18175,jour\n")
    assert any(m.insee == "18175" for m in load_territory("bourges", markets_file=good).markets)
    with pytest.raises(DataError):
        load_territory("bourges", markets_file=bad)
    assert not any(m.insee == "18175" for m in load_territory("bourges").markets)


def test_unsupported_format_and_missing_file(tmp_path):
    (tmp_path / "x.ods").write_bytes(b"")
    assert problems_of(lambda: read_communes(tmp_path / "x.ods", known())) == [
        "x.ods: « .ods » format non pris en charge : utilisez un fichier CSV ou XLSX"
    ]
    assert problems_of(lambda: read_communes(tmp_path / "absent.csv", known()))[0].startswith("absent.csv: « ")


def test_unknown_territory_name_is_explained():
    found = problems_of(lambda: load_territory("bourge"))
    assert "territoire inconnu" in found[0]
