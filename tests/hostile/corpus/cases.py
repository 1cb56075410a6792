"""The hostile-input corpus of the command line: flags, input files, TOML keys and routing answers.

Each case is (id, kind, argv, files, expected exit code, expected message fragments). ``{tmp}``
in argv and file contents is the case's folder, ``{osrm}`` the address of the fake routing server
of tests/hostile/test_cli_routing.py. The web forms' cases live in tests/hostile/test_web_*.py.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from openpyxl import Workbook


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # flag, csv, xlsx, toml, routing, command
    argv: tuple[str, ...]
    code: int
    messages: tuple[str, ...]
    files: dict[str, bytes] = field(default_factory=dict)


SEASON = ("--start", "2026-09-07", "--end", "2026-10-02")
PLAN = ("plan", *SEASON, "--time-limit", "1", "--out", "{tmp}/out.csv")


def plan(case_id: str, args: tuple[str, ...] | list[str], code: int, *messages: str, kind: str = "flag",
         files: dict[str, bytes] | None = None) -> Case:
    return Case(case_id, kind, (*PLAN, *args), code, messages, files or {})


def xlsx(*sheets: tuple[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def utf8(text: str) -> bytes:
    return text.encode("utf-8")


REQ = "request_id;insee_com;start;end;priority\n"
REQ_OK = "D1;18145;2026-09-14;2026-09-25;must\n"
TERR = "insee_com;commune;lat;lon;population;seniors\n"
MARKETS = "insee_com;weekday\n"
POINTS = "name;kinds;insee_com;lat;lon\n"
AGES = "CODGEO;P21_POP6074;P21_POP75P\n"
STOPS = "date;insee_com;vehicle\n"

# --- flags -------------------------------------------------------------------------------------

FLAG_CASES = [
    plan("max-drive-negative", ["--max-drive", "-10"], 2, "--max-drive: « -10 » doit être entre 30 et 720"),
    plan("max-drive-zero", ["--max-drive", "0"], 2, "--max-drive: « 0 » doit être entre 30 et"),
    plan("max-drive-29", ["--max-drive", "29"], 2, "--max-drive: « 29 » doit être entre 30 et"),
    plan("max-drive-721", ["--max-drive", "721"], 2, "--max-drive: « 721 » doit être entre 30 et 720"),
    plan("max-drive-nan", ["--max-drive", "nan"], 2, "--max-drive: « nan » nombre fini attendu"),
    plan("max-drive-inf", ["--max-drive", "inf"], 2, "--max-drive: « inf » nombre fini attendu"),
    plan("max-drive-1e308", ["--max-drive", "1e308"], 2, "--max-drive: « 1e308 » doit être entre 30 et"),
    plan("max-drive-text", ["--max-drive", "beaucoup"], 2, "--max-drive: « beaucoup » nombre attendu"),
    plan("nights-negative", ["--nights", "-3"], 2, "--nights: « -3 » doit être entre 0 et 6"),
    plan("nights-7", ["--nights", "7"], 2, "--nights: « 7 » doit être entre 0 et 6"),
    plan("nights-million", ["--nights", "1000000"], 2, "--nights: « 1000000 » doit être entre 0 et 6"),
    plan("nights-decimal", ["--nights", "1.5"], 2, "--nights: « 1.5 » nombre entier attendu"),
    plan("nights-mediator", ["--mode", "mediator", "--nights", "2"], 2, "--nights: « 2 » le médiateur rentre chaque soir"),
    plan("time-limit-nan", ["--time-limit", "nan"], 2, "--time-limit: « nan » nombre fini attendu"),
    plan("time-limit-inf", ["--time-limit", "inf"], 2, "--time-limit: « inf » nombre fini attendu"),
    plan("time-limit-zero", ["--time-limit", "0"], 2, "--time-limit: « 0 » doit être plus de 0"),
    plan("time-limit-negative", ["--time-limit", "-1"], 2, "--time-limit: « -1 » doit être plus de 0"),
    plan("time-limit-year", ["--time-limit", "31536000"], 2, "--time-limit: « 31536000 » doit être plus de 0 et au plus 604800"),
    plan("time-limit-text", ["--time-limit", "10s"], 2, "--time-limit: « 10s » nombre attendu"),
    plan("workers-zero", ["--workers", "0"], 2, "--workers: « 0 » doit être entre 1 et 64"),
    plan("workers-1000", ["--workers", "1000"], 2, "--workers: « 1000 » doit être entre 1 et 64"),
    plan("workers-text", ["--workers", "deux"], 2, "--workers: « deux » nombre entier attendu"),
    plan("seed-negative", ["--seed", "-1"], 2, "--seed: « -1 » doit être entre 0 et 2147483647"),
    plan("seed-2-31", ["--seed", "2147483648"], 2, "--seed: « 2147483648 » doit être entre 0 et"),
    plan("seed-65-bits", ["--seed", "36893488147419103232"], 2, "--seed: « 36893488147419103232 » doit être entre 0 et"),
    plan("seed-text", ["--seed", "x"], 2, "--seed: « x » nombre entier attendu"),
    plan("start-invalid", ["--start", "2026-02-30"], 2, "--start: « 2026-02-30 » date invalide"),
    plan("start-empty", ["--start", ""], 2, "--start: valeur vide"),
    plan("end-before-start", ["--end", "2026-09-01"], 2, "--end: « 07/09/2026 → 01/09/2026 » la saison finit"),
    plan("season-decade", ["--end", "2036-09-01"], 2, "--end:", "au plus 731 (deux ans)"),
    plan("season-no-working-day", ["--end", "2026-09-07"], 2,
         "--end: « 07/09/2026 → 07/09/2026 » aucun jour travaillé dans la saison"),
    plan("season-only-holiday", ["--start", "2026-12-25", "--end", "2026-12-25", "--weekdays", "fri"], 2,
         "aucun jour travaillé dans la saison"),
    plan("season-all-closed", ["--end", "2026-09-11", "--closed", "2026-09-08,2026-09-09,2026-09-10,2026-09-11"], 2,
         "aucun jour travaillé"),
    plan("weekdays-empty", ["--weekdays", ""], 2, "--weekdays: valeur vide"),
    plan("weekdays-blank", ["--weekdays", "   "], 2, "--weekdays: valeur vide"),
    plan("weekdays-unknown", ["--weekdays", "tue,thi"], 2, "--weekdays: « tue,thi » jour inconnu : thi"),
    plan("weekdays-reversed-range", ["--weekdays", "fri-mon"], 2, "--weekdays: « fri-mon » plage de jours invalide"),
    plan("weekdays-commas-only", ["--weekdays", ",,,"], 2, "--weekdays: « ,,, » aucun jour donné"),
    plan("base-unknown", ["--base", "99999"], 2, "--base: « 99999 » commune inconnue"),
    plan("base-empty", ["--base", ""], 2, "--base: valeur vide"),
    plan("base-far-commune", ["--base", "37261"], 2, "--base: « 37261 » base hors du territoire « bourges »"),
    plan("base-far-coordinates", ["--base", "48.85,2.35"], 2, "--base: « 48.85,2.35 » base hors du territoire"),
    plan("base-outside-france", ["--base", "60,2"], 2, "--base: « 60,2 » latitude hors de France"),
    plan("base-swapped", ["--base", "2.39,47.08"], 2, "--base: « 2.39,47.08 » latitude hors de France métropolitaine : "
         "latitude et longitude inversées"),
    plan("base-nan", ["--base", "nan,nan"], 2, "--base: « nan,nan » nombre attendu"),
    plan("base-garbage", ["--base", "a,b"], 2, "--base: « a,b » attendu : code INSEE ou lat,lon"),
    plan("school-zone-d", ["--school-holidays", "D"], 2, "--school-holidays: « D » zone inconnue"),
    plan("school-zone-empty", ["--school-holidays", ""], 2, "--school-holidays: valeur vide"),
    plan("school-year-2030", ["--start", "2029-09-04", "--end", "2030-06-28", "--school-holidays", "B"], 2,
         "--school-holidays: « B » vacances scolaires connues de 1990 à 2028 seulement"),
    plan("closed-invalid", ["--closed", "2026-09-31"], 2, "--closed: « 2026-09-31 » date invalide"),
    plan("closed-garbage", ["--closed", "demain"], 2, "--closed: « demain » date invalide"),
    plan("pin-outside", ["--pin", "2026-09-08:99999"], 2, "--pin: « 2026-09-08:99999 » commune hors du territoire"),
    plan("pin-no-colon", ["--pin", "2026-09-08"], 2, "--pin: « 2026-09-08 » attendu DATE:INSEE"),
    plan("pin-bad-date", ["--pin", "2026-13-01:18145"], 2, "--pin: « 2026-13-01:18145 » date invalide"),
    plan("pin-on-holiday", ["--start", "2026-11-02", "--end", "2026-11-27", "--pin", "2026-11-11:18145"], 1,
         "11/11/2026", "jour férié"),
    plan("must-requests-overload", ["--requests", "{tmp}/d.csv"], 1,
         "Ces demandes impératives veulent 3 jours d'arrêt du 08/09/2026 au 08/09/2026, où la flotte n'a que 1 jour",
         files={"d.csv": utf8(REQ + "D1;18145;2026-09-08;2026-09-08;must\nD2;18160;2026-09-08;2026-09-08;must\n"
                                  "D3;18213;2026-09-08;2026-09-08;must\n")}),
    plan("must-requests-spacing", ["--requests", "{tmp}/d.csv"], 1, "Ces règles ne peuvent pas être respectées ensemble : demande impérative D1", "demande impérative D2",
         files={"d.csv": utf8(REQ + "D1;18145;2026-09-08;2026-09-08;must\nD2;18145;2026-09-10;2026-09-10;must\n")}),
    plan("forbid-outside", ["--forbid", "99999"], 2, "--forbid: « 99999 » commune hors du territoire"),
    plan("forbid-bad-date", ["--forbid", "2026-13-01:18033"], 2, "--forbid: « 2026-13-01:18033 » date invalide"),
    plan("fleet-short", ["--fleet", "bus2:18033"], 2, "--fleet: « bus2:18033 » attendu NOM:BASE:JOURS"),
    plan("fleet-no-name", ["--fleet", ":18033:tue-fri"], 2, "--fleet: « :18033:tue-fri » attendu NOM:BASE:JOURS"),
    plan("fleet-minutes-negative", ["--fleet", "b:18033:tue-fri:-60"], 2,
         "--fleet: « b:18033:tue-fri:-60 » doit être entre 30 et 720"),
    plan("fleet-minutes-nan", ["--fleet", "b:18033:tue-fri:nan"], 2, "--fleet: « b:18033:tue-fri:nan » nombre fini attendu"),
    plan("fleet-minutes-text", ["--fleet", "b:18033:tue-fri:long"], 2, "MINUTES et NUITS doivent être des nombres"),
    plan("fleet-nights-9", ["--fleet", "b:18033:tue-fri:180:9"], 2, "--fleet: « b:18033:tue-fri:180:9 » doit être entre 0 et 6"),
    plan("fleet-kind", ["--fleet", "b:18033:tue-fri:180:0:camion"], 2, "--fleet: « b:18033:tue-fri:180:0:camion » attendu : bus ou mediator"),
    plan("fleet-duplicate", ["--fleet", "b:18033:tue-fri", "--fleet", "b:18033:mon"], 2, "nom de véhicule en double"),
    plan("fleet-mediator-nights", ["--fleet", "m:18033:mon-fri:120:2:mediator"], 2, "le médiateur rentre chaque soir"),
    plan("fleet-base-far", ["--fleet", "b:37261:tue-fri"], 2, "--fleet: « b:37261:tue-fri » base hors du territoire"),
    plan("fleet-weekdays-bad", ["--fleet", "b:18033:jamais"], 2, "--fleet: « b:18033:jamais » jour inconnu"),
    plan("territory-unknown", ["--territory", "paris"], 2, "--territory: « paris » territoire inconnu"),
    plan("territory-empty", ["--territory", ""], 2, "--territory: valeur vide"),
    plan("territory-epci-unknown", ["--territory", "epci:123"], 2, "« epci:123 » EPCI inconnu"),
    plan("territory-missing-file", ["--territory", "{tmp}/absent.csv"], 2, "absent.csv:", "fichier introuvable"),
    plan("territory-folder", ["--territory", "{tmp}/dossier.csv"], 2, "dossier.csv:", "est un dossier",
         files={"dossier.csv/x": b""}),
    plan("params-folder", ["--params", "{tmp}"], 2, "est un dossier : donnez un fichier de paramètres .toml"),
    plan("params-missing", ["--params", "{tmp}/absent.toml"], 2, "absent.toml:", "fichier introuvable"),
    plan("out-unknown-format", ["--out", "{tmp}/plan.pdf"], 2, "--out:", "format inconnu"),
    plan("out-missing-folder", ["--out", "{tmp}/nulle/part.csv"], 2, "--out:", "dossier introuvable"),
    plan("out-is-folder", ["--out", "{tmp}/sortie.csv"], 2, "--out:", "est un dossier", files={"sortie.csv/x": b""}),
    plan("from-unknown-commune", ["--from", "{tmp}/prev.csv"], 2, "prev.csv:2:insee_com: « 37261 » commune hors du territoire",
         files={"prev.csv": utf8(STOPS + "2026-09-08;37261;bus\n")}),
    plan("from-unknown-vehicle", ["--from", "{tmp}/prev.csv"], 2, "prev.csv:2:vehicle: « camion » véhicule inconnu (flotte : bus)",
         files={"prev.csv": utf8(STOPS + "2026-09-08;18145;camion\n")}),
    plan("from-missing", ["--from", "{tmp}/absent.csv"], 2, "absent.csv:", "fichier introuvable"),
    plan("from-bad-slot", ["--from", "{tmp}/prev.csv"], 2, "prev.csv:2:slot: « 1.5 » attendu : 0, 1 ou 2",
         files={"prev.csv": utf8("date;insee_com;slot\n2026-09-08;18145;1.5\n")}),
    plan("many-problems-at-once", ["--start", "2026-02-30", "--weekdays", "tue,thi", "--nights", "-1",
                                   "--requests", "{tmp}/d.csv", "--markets", "{tmp}/m.csv"], 2,
         "--start: « 2026-02-30 » date invalide", "--weekdays: « tue,thi » jour inconnu", "--nights: « -1 »",
         "d.csv:2:insee_com: « 99999 » commune inconnue", "m.csv:2:weekday: « jeudo » valeur inconnue",
         files={"d.csv": utf8(REQ + "D1;99999;2026-09-14;2026-09-25;must\n"), "m.csv": utf8(MARKETS + "18033;jeudo\n")}),
    plan("unreadable-file-and-flags", ["--requests", "{tmp}/d.csv", "--max-drive", "5"], 2,
         "d.csv:", "encodage mélangé", "--max-drive: « 5 »",
         files={"d.csv": REQ.encode() + "D1;18145;2026-09-14;2026-09-25;must;Sébastien\n".encode()
                + "D2;18145;2026-09-14;2026-09-25;must;Hélène\n".encode("cp1252")}),
    Case("argparse-unknown-flag", "flag", ("plan", "--vitesse", "3"), 2, ("options inconnues : --vitesse",)),
    Case("argparse-missing-value", "flag", ("plan", "--start"), 2, ("run.py plan : --start: une valeur est attendue",)),
    Case("argparse-bad-mode", "flag", ("plan", "--mode", "velo"), 2, ("--mode: choix invalide : 'velo' (attendu : 'bus', 'mediator')",)),
    Case("argparse-no-command", "flag", (), 2, ("options obligatoires absentes : command",)),
    Case("export-revision-negative", "flag", ("export", "--plan", "{tmp}/p.csv", "--out", "{tmp}/o.ics", "--revision", "-1"),
         2, ("--revision: « -1 » doit être entre 0 et 2147483647",), {"p.csv": utf8(STOPS + "2026-09-08;18145;bus\n")}),
    Case("export-plan-json-list", "flag", ("export", "--plan", "{tmp}/p.json", "--out", "{tmp}/o.xlsx"), 2,
         ("p.json: « list » plan illisible : objet JSON attendu",), {"p.json": b"[1, 2]"}),
    Case("export-plan-json-broken", "flag", ("export", "--plan", "{tmp}/p.json", "--out", "{tmp}/o.xlsx"), 2,
         ("p.json:", "plan illisible"), {"p.json": b'{"stops": '}),
    Case("export-plan-json-foreign", "flag", ("export", "--plan", "{tmp}/p.json", "--out", "{tmp}/o.xlsx"), 2,
         ("p.json:format: pas un plan Tournée",), {"p.json": b'{"stops": [{"a": 1}]}'}),
    Case("export-host-unknown", "flag", ("export", "--plan", "{tmp}/p.csv", "--out", "{tmp}/o.ics", "--host", "99999",
                                         *SEASON), 2, ("--host: « 99999 » commune inconnue du territoire",),
         {"p.csv": utf8(STOPS + "2026-09-08;18145;bus\n")}),
    Case("export-plan-outside", "flag", ("export", "--plan", "{tmp}/p.csv", "--out", "{tmp}/o.csv", *SEASON), 2,
         ("p.csv:3:insee_com: « 37261 » commune hors du territoire « bourges » (voir --territory)",),
         {"p.csv": utf8(STOPS + "2026-09-08;18145;bus\n2026-09-09;37261;bus\n")}),
    Case("evaluate-stops-bad-and-flag", "flag", ("evaluate", "--stops", "{tmp}/s.csv", "--max-drive", "1000"), 2,
         ("s.csv:2:date: « 08/13/2026 » date invalide", "--max-drive: « 1000 »"),
         {"s.csv": utf8(STOPS + "08/13/2026;18145;bus\n")}),
    Case("compare-missing", "flag", ("compare", "{tmp}/a.csv", "{tmp}/b.csv"), 2, ("a.csv:", "b.csv:", "fichier introuvable")),
    Case("territory-params-nan", "flag", ("territory", "--params", "{tmp}/p.toml"), 2,
         ("p.toml:need.catchment_km: « nan » nombre fini attendu",), {"p.toml": b"[need]\ncatchment_km = nan\n"}),
]

# --- input files -------------------------------------------------------------------------------

BIG = "x" * (1 << 20)


def requests_case(case_id: str, content: bytes, code: int, *messages: str, name: str = "d.csv") -> Case:
    kind = "xlsx" if name.endswith(".xlsx") else "csv"
    return plan(f"requests-{case_id}", ["--requests", "{tmp}/" + name], code, *messages, kind=kind, files={name: content})


def territory_case(case_id: str, content: bytes, code: int, *messages: str, name: str = "t.csv") -> Case:
    kind = "xlsx" if name.endswith(".xlsx") else "csv"
    return Case(f"territory-{case_id}", kind, ("territory", "--territory", "{tmp}/" + name), code, messages, {name: content})


def table_case(flag: str, case_id: str, content: bytes, code: int, *messages: str, name: str = "f.csv") -> Case:
    kind = "xlsx" if name.endswith(".xlsx") else "csv"
    return Case(f"{flag.strip('-')}-{case_id}", kind, ("territory", flag, "{tmp}/" + name), code, messages, {name: content})


FILE_CASES = [
    requests_case("utf16", (REQ + "D1;99999;2026-09-14;2026-09-25;must\n").encode("utf-16"), 2,
                  "d.csv:2:insee_com: « 99999 » commune inconnue"),
    requests_case("utf16-no-bom", (REQ + "D1;99999;2026-09-14;2026-09-25;must\n").encode("utf-16-le"), 2,
                  "d.csv:2:insee_com: « 99999 » commune inconnue"),
    requests_case("mixed-encoding", REQ.encode() + "D1;18145;2026-09-14;2026-09-25;must;Sébastien\n".encode()
                  + "D2;18145;2026-09-14;2026-09-25;must;Hélène\n".encode("cp1252"), 2,
                  "d.csv:3: « D2;18145;2026-09-14;2026-09-25;must;Hélène » encodage mélangé : cette ligne est en Windows-1252"),
    requests_case("pipe", (REQ + "D1;99999;2026-09-14;2026-09-25;must\n").replace(";", "|").encode(), 2,
                  "d.csv:2:insee_com: « 99999 » commune inconnue"),
    requests_case("tab", (REQ + "D1;99999;2026-09-14;2026-09-25;must\n").replace(";", "\t").encode(), 2,
                  "d.csv:2:insee_com: « 99999 » commune inconnue"),
    requests_case("colon-delimiter", (REQ + REQ_OK).replace(";", ":").encode(), 2, "d.csv:1:", "séparateur inconnu"),
    requests_case("unbalanced-quote", utf8(REQ + 'D1;18145;2026-09-14;2026-09-25;"must\n'
                                                 'D2;18160;2026-09-15;2026-09-25;must\nD3;18160;2026-10-01;2026-10-02;must"\n'
                                                 'D4;18033;2026-09-14;2026-09-25;must\n'), 2,
                  "d.csv:2:", "guillemet non fermé : les lignes 2 à 4 sont lues comme une seule cellule (colonne 5)"),
    requests_case("quote-misplaced", utf8(REQ + 'D1;18145;"2026-09-14;2026-09-25;must\n'
                                                'D2;18160;2026-09-15;2026-09-25;must\nD3;18160;2026-10-01;2026-10-02;must\n'
                                                'D4;18033;2026-09-14;"2026-09-25;must\n'), 2,
                  "d.csv:2:", "guillemet mal placé ou non fermé à partir de la ligne 2 (jusqu'à la ligne 5)"),
    requests_case("quote-to-eof", utf8(REQ + 'D1;18145;"2026-09-14;2026-09-25;must\nD2;18160;2026-09-15;2026-09-25;must\n'), 2,
                  "d.csv:2:", "guillemet ouvert ligne 2 jamais fermé"),
    requests_case("huge-cell", utf8(REQ + f"D1;18145;2026-09-14;2026-09-25;{BIG}\n"), 2,
                  "d.csv:2:", "cellule trop longue (1048576 caractères, au plus 10000)"),
    requests_case("huge-cell-xlsx", xlsx(("d", [["insee_com", "start", "end", "note"], ["18145", "2026-09-14", "2026-09-25",
                                                                                    "y" * 40_000]])), 2,
                  "d.xlsx:2:", "cellule trop longue (32767 caractères, au plus 10000)", name="d.xlsx"),
    requests_case("windows-semicolons", utf8("insee_com;windows;priority\n18145;;;;;must\n"), 2,
                  "d.csv:2:", "période"),
    requests_case("windows-only-separators", utf8('insee_com,windows,priority\n18145,";;;",must\n'), 2,
                  "d.csv:2:windows: « ;;; » période obligatoire manquante"),
    requests_case("windows-bad-part", utf8('insee_com,windows\n18145,"2026-10-01..2026-10-31; demain"\n'), 2,
                  "d.csv:2:windows: « demain » période invalide"),
    requests_case("windows-reversed", utf8("insee_com,windows\n18145,2026-10-31..2026-10-01\n"), 2,
                  "d.csv:2:windows: « 2026-10-31..2026-10-01 » la fin précède le début"),
    requests_case("unknown-commune", utf8(REQ + "D1;99999;2026-09-14;2026-09-25;must\n"), 2,
                  "d.csv:2:insee_com: « 99999 » commune inconnue"),
    requests_case("four-digit-code", utf8(REQ + "D1;8145;2026-09-14;2026-09-25;must\n"), 2,
                  "d.csv:2:insee_com: « 8145 » code INSEE sur 4 chiffres"),
    requests_case("code-text", utf8(REQ + "D1;Bourges;2026-09-14;2026-09-25;must\n"), 2,
                  "d.csv:2:insee_com: « Bourges » code INSEE invalide"),
    requests_case("end-before-start", utf8(REQ + "D1;18145;2026-09-25;2026-09-14;must\n"), 2,
                  "d.csv:2:end: « 2026-09-14 » la fin précède le début"),
    requests_case("date-invalid", utf8(REQ + "D1;18145;2026-09-31;2026-10-02;must\n"), 2,
                  "d.csv:2:start: « 2026-09-31 » date invalide"),
    requests_case("date-missing", utf8(REQ + "D1;18145;;2026-10-02;must\n"), 2, "d.csv:2:start: date obligatoire manquante"),
    requests_case("days-zero", utf8("insee_com;start;end;days\n18145;2026-09-14;2026-09-25;0\n"), 2,
                  "d.csv:2:days: « 0 » doit être au moins 1"),
    requests_case("days-decimal", utf8("insee_com;start;end;days\n18145;2026-09-14;2026-09-25;1.5\n"), 2,
                  "d.csv:2:days: « 1.5 » nombre entier de jours attendu"),
    requests_case("days-1e308", utf8("insee_com;start;end;days\n18145;2026-09-14;2026-09-25;1e308\n"), 2,
                  "d.csv:2:days: « 1e308 » doit être au plus 366"),
    requests_case("days-nan", utf8("insee_com;start;end;days\n18145;2026-09-14;2026-09-25;nan\n"), 2,
                  "d.csv:2:days: « nan » nombre attendu"),
    requests_case("priority-unknown", utf8(REQ + "D1;18145;2026-09-14;2026-09-25;urgent\n"), 2,
                  "d.csv:2:priority: « urgent » valeur inconnue (attendu : must, should)"),
    requests_case("status-unknown", utf8("insee_com;start;end;status\n18145;2026-09-14;2026-09-25;peut-être\n"), 2,
                  "d.csv:2:status: « peut-être » valeur inconnue"),
    requests_case("duplicate-id", utf8(REQ + REQ_OK + REQ_OK), 2, "d.csv:3:request_id: « D1 » identifiant en double (déjà ligne 2)"),
    requests_case("no-date-columns", utf8("insee_com;note\n18145;x\n"), 2, "d.csv:1:start: colonnes de dates absentes"),
    requests_case("no-insee-column", utf8("commune;start;end\nBourges;2026-09-14;2026-09-25\n"), 2,
                  "d.csv:1:insee_com: colonne obligatoire absente"),
    requests_case("duplicate-column", utf8("insee_com;start;end;start\n18145;2026-09-14;2026-09-25;2026-09-14\n"), 2,
                  "d.csv:1:start: « start » colonne en double"),
    requests_case("empty-file", b"", 2, "d.csv: fichier vide"),
    requests_case("blank-lines", b"\n\n  \n", 2, "d.csv: fichier vide"),
    requests_case("binary", bytes(range(256)) * 4, 2, "d.csv:", "fichier binaire"),
    requests_case("pdf-renamed", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\n", 2, "d.csv:", "fichier binaire"),
    requests_case("xls-suffix", b"\xd0\xcf\x11\xe0", 2, "d.xls: « .xls » format non pris en charge", name="d.xls"),
    requests_case("xlsx-corrupt", b"PK\x03\x04 not a zip", 2, "d.xlsx: classeur illisible", name="d.xlsx"),
    requests_case("xlsx-cover-page", xlsx(("Couverture", [["Demandes d'arrêt 2026"], ["Communauté de communes"]]),
                                          ("Demandes", [["insee_com", "start", "end"], ["99999", "2026-09-14", "2026-09-25"]])),
                  2, "d.xlsx:2:insee_com: « 99999 » commune inconnue", name="d.xlsx"),
    requests_case("xlsx-no-sheet-matches", xlsx(("Couverture", [["Demandes"]]), ("Notes", [["texte"]])), 2,
                  "d.xlsx: aucune feuille n'a l'en-tête attendu (insee_com) ; feuilles vues : Couverture, Notes", name="d.xlsx"),
    requests_case("xlsx-number-code", xlsx(("d", [["insee_com", "start", "end"], [8145, "2026-09-14", "2026-09-25"]])), 2,
                  "d.xlsx:2:insee_com: « 8145 » code INSEE sur 4 chiffres", name="d.xlsx"),
    requests_case("xlsx-days-huge", xlsx(("d", [["insee_com", "start", "end", "days"], ["18145", "2026-09-14", "2026-09-25",
                                                                                       1e308]])), 2,
                  "d.xlsx:2:days: « 1e+308 » doit être au plus 366", name="d.xlsx"),
    requests_case("formula-text", utf8(REQ + "D1;=HYPERLINK(\"x\");2026-09-14;2026-09-25;must\n"), 2,
                  "code INSEE invalide"),
    territory_case("utf16", (TERR + "18033;Bourges;47.08;2.39;63702;14000\n").encode("utf-16"), 0, "Bourges"),
    territory_case("cp1252", (TERR + "18033;Bourges Cité;47.08;2.39;63702;14000\n").encode("cp1252"), 0, "Bourges Cité"),
    territory_case("population-1e17", utf8(TERR + "18033;Bourges;47.08;2.39;1e17;14000\n"), 2,
                   "t.csv:2:population: « 1e17 » doit être au plus 3e+06"),
    territory_case("population-1e308", utf8(TERR + "18033;Bourges;47.08;2.39;1e308;14000\n"), 2,
                   "t.csv:2:population: « 1e308 » doit être au plus 3e+06"),
    territory_case("population-inf", utf8(TERR + "18033;Bourges;47.08;2.39;inf;14000\n"), 2,
                   "t.csv:2:population: « inf » nombre attendu"),
    territory_case("population-negative", utf8(TERR + "18033;Bourges;47.08;2.39;-5;1\n"), 2,
                   "t.csv:2:population: « -5 » doit être au moins 0"),
    territory_case("seniors-above-population", utf8(TERR + "18033;Bourges;47.08;2.39;100;150\n"), 2,
                   "t.csv:2:seniors: « 150 » plus de seniors que d'habitants (100)"),
    territory_case("seniors-1e11", utf8("insee_com;seniors\n18033;1e11\n"), 2, "t.csv:2:seniors: « 1e11 » doit être au plus 3e+06"),
    territory_case("seniors-above-shipped-population", utf8("insee_com;seniors\n18145;2000000\n"), 2,
                   "t.csv:2:seniors: « 2000000 » plus de seniors que d'habitants"),
    territory_case("population-below-shipped-seniors", utf8("insee_com;population\n18033;1\n"), 2,
                   "t.csv:2:population: « 1 » moins d'habitants que de seniors (14488.6 dans le jeu de données livré)"),
    territory_case("seniors-nan", utf8("insee_com;seniors\n18033;nan\n"), 2, "t.csv:2:seniors: « nan » nombre attendu"),
    territory_case("area-1e308", utf8("insee_com;area_km2\n18033;1e308\n"), 2, "t.csv:2:area_km2: « 1e308 » doit être au plus 20000"),
    territory_case("lat-out", utf8(TERR + "99001;Nulle;200;2.39;100;10\n"), 2, "t.csv:2:lat: « 200 » latitude hors de France"),
    territory_case("lat-lon-swapped", utf8(TERR + "99001;Nulle;2.39;47.08;100;10\n"), 2, "inversées"),
    territory_case("unknown-code-alone", utf8("insee_com\n18033\n99001\n"), 2,
                   "t.csv:3:insee_com: « 99001 » commune inconnue du jeu de données livré"),
    territory_case("duplicate-code", utf8("insee_com\n18033\n18033\n"), 2, "t.csv:3:insee_com: « 18033 » commune en double"),
    territory_case("no-commune", utf8("insee_com\n"), 2, "t.csv: aucune commune dans le fichier"),
    territory_case("huge-cell", utf8(f"insee_com;commune\n18033;{BIG}\n"), 2, "t.csv:2:", "cellule trop longue"),
    territory_case("xlsx-cover", xlsx(("Lisez-moi", [["Territoire du projet"]]), ("Communes", [["insee_com"], ["99001"]])), 2,
                   "t.xlsx:2:insee_com: « 99001 » commune inconnue du jeu de données", name="t.xlsx"),
    territory_case("xlsx-title-rows", xlsx(("c", [["Communes"], [], ["insee_com", "seniors"], ["18033", -3]])), 2,
                   "t.xlsx:4:seniors: « -3 » doit être au moins 0", name="t.xlsx"),
    territory_case("mixed-encoding", TERR.encode() + "18033;Bourges Cité;47.08;2.39;63702;14000\n".encode()
                   + "18145;Saint-Florent-sur-Cher é;47;2.2;6000;1500\n".encode("cp1252"), 2, "t.csv:3:", "encodage mélangé"),
    table_case("--markets", "weekday-bad", utf8(MARKETS + "18033;jeudo\n"), 2, "f.csv:2:weekday: « jeudo » valeur inconnue"),
    table_case("--markets", "commune-unknown", utf8(MARKETS + "99999;jeudi\n"), 2, "f.csv:2:insee_com: « 99999 » commune inconnue"),
    table_case("--markets", "commune-outside", utf8(MARKETS + "37261;jeudi\n"), 2, "f.csv:2:insee_com: « 37261 » commune inconnue"),
    table_case("--markets", "duplicate", utf8(MARKETS + "18033;jeudi\n18033;jeudi\n"), 2, "f.csv:3:weekday: « jeudi » marché en double"),
    table_case("--markets", "no-weekday-column", utf8("insee_com;jour_de_marche\n18033;jeudi\n"), 2,
               "f.csv:1:weekday: colonne obligatoire absente"),
    table_case("--markets", "utf16", (MARKETS + "18033;jeudo\n").encode("utf-16"), 2, "f.csv:2:weekday: « jeudo » valeur inconnue"),
    table_case("--markets", "pipe", (MARKETS + "18033;jeudo\n").replace(";", "|").encode(), 2,
               "f.csv:2:weekday: « jeudo » valeur inconnue"),
    table_case("--service-points", "kind-unknown", utf8(POINTS + "EPN X;cybercafé;18033;;\n"), 2,
               "f.csv:2:kinds: « cybercafé » valeur inconnue"),
    table_case("--service-points", "name-missing", utf8(POINTS + ";epn;18033;;\n"), 2, "f.csv:2:name: valeur obligatoire manquante"),
    table_case("--service-points", "lat-nan", utf8(POINTS + "EPN;epn;18033;nan;2.3\n"), 2, "f.csv:2:lat: « nan » nombre attendu"),
    table_case("--service-points", "lat-out", utf8(POINTS + "EPN;epn;18033;95;2.3\n"), 2, "f.csv:2:lat: « 95 » latitude hors"),
    table_case("--service-points", "unknown-commune", utf8(POINTS + "EPN;epn;18999;;\n"), 2,
               "f.csv:2:", "coordonnées obligatoires pour une commune hors du jeu de données"),
    table_case("--service-points", "kinds-missing", utf8(POINTS + "EPN;;18033;;\n"), 2, "f.csv:2:kinds: type de lieu manquant"),
    table_case("--ages", "no-age-columns", utf8("CODGEO;P21_POP\n18033;1000\n"), 2, "f.csv:1:P21_POP6074: colonnes d'âge absentes"),
    table_case("--ages", "negative", utf8(AGES + "18033;-5;10\n"), 2, "f.csv:2:P21_POP6074: « -5 » doit être au moins 0"),
    table_case("--ages", "1e308", utf8(AGES + "18033;1e308;10\n"), 2, "f.csv:2:P21_POP6074: « 1e308 » doit être au plus 3e+06"),
    table_case("--ages", "above-population", utf8(AGES + "18145;1500000;10\n"), 2,
               "f.csv:2:P21_POP6074: « 1500000 » plus de seniors (1.50001e+06) que d'habitants"),
    table_case("--ages", "missing-value", utf8(AGES + "18033;;10\n"), 2, "f.csv:2:P21_POP6074: valeur obligatoire manquante"),
    table_case("--ages", "no-commune-of-territory", utf8(AGES + "75056;1;1\n"), 2, "aucune commune du territoire dans ce tableau"),
    table_case("--ages", "xlsx-cover", xlsx(("Documentation", [["Base INSEE"]]), ("COM", [["CODGEO", "P21_POP6074", "P21_POP75P"],
                                                                                           ["18033", "abc", 1]])), 2,
               "f.xlsx:2:P21_POP6074: « abc » nombre attendu", name="f.xlsx"),
    Case("stops-bad-date", "csv", ("evaluate", "--stops", "{tmp}/s.csv"), 2, ("s.csv:2:date: « 2026-02-30 » date invalide",),
         {"s.csv": utf8(STOPS + "2026-02-30;18145;bus\n")}),
    Case("stops-duplicate", "csv", ("evaluate", "--stops", "{tmp}/s.csv"), 2, ("s.csv:3:date: « 2026-09-08 » arrêt en double",),
         {"s.csv": utf8(STOPS + "2026-09-08;18145;bus\n2026-09-08;18145;bus\n")}),
    Case("stops-empty", "csv", ("evaluate", "--stops", "{tmp}/s.csv"), 2, ("s.csv: aucun arrêt dans le fichier",),
         {"s.csv": utf8(STOPS)}),
    Case("stops-slot-3", "csv", ("evaluate", "--stops", "{tmp}/s.csv"), 2, ("s.csv:2:slot: « 3 » doit être au plus 2",),
         {"s.csv": utf8("date;insee_com;slot\n2026-09-08;18145;3\n")}),
    Case("stops-utf16", "csv", ("evaluate", "--stops", "{tmp}/s.csv", *SEASON), 0, ("Arrêts",),
         {"s.csv": (STOPS + "2026-09-08;18145;bus\n").encode("utf-16")}),
]

# --- TOML keys ---------------------------------------------------------------------------------


def toml(section: str, key: str, value: str, *messages: str, code: int = 2) -> Case:
    return Case(f"toml-{section}-{key}-{value}"[:60], "toml", ("territory", "--params", "{tmp}/p.toml"), code, messages,
                {"p.toml": f"[{section}]\n{key} = {value}\n".encode()})


TOML_CASES = [
    toml("travel", "circuity", "0.5", "p.toml:travel.circuity: « 0.5 » doit être entre 1 et 3"),
    toml("travel", "circuity", "nan", "p.toml:travel.circuity: « nan » nombre fini attendu"),
    toml("travel", "circuity", "1e308", "p.toml:travel.circuity: « 1e+308 » doit être entre 1 et 3"),
    toml("travel", "circuity", '"beaucoup"', "p.toml:travel.circuity: « 'beaucoup' » type attendu : nombre"),
    toml("travel", "speed_kmh", "1e-300", "p.toml:travel.speed_kmh: « 1e-300 » doit être entre 5 et 130"),
    toml("travel", "speed_kmh", "0", "p.toml:travel.speed_kmh: « 0 » doit être entre 5 et"),
    toml("travel", "speed_kmh", "-inf", "p.toml:travel.speed_kmh: « -inf » nombre fini attendu"),
    toml("travel", "speed_kmh", "true", "p.toml:travel.speed_kmh: « True » type attendu : nombre"),
    toml("travel", "osrm_url", '"ftp://serveur"', "p.toml:travel.osrm_url: « ftp://serveur » adresse http:// ou https:// attendue"),
    toml("travel", "osrm_url", "5000", "p.toml:travel.osrm_url: « 5000 » type attendu : texte"),
    toml("travel", "cache_dir", "[1]", "p.toml:travel.cache_dir: « [1] » type attendu : texte"),
    toml("need", "service_kinds", '["cybercafé"]', "p.toml:need.service_kinds: « cybercafé » type inconnu"),
    toml("need", "service_kinds", '"epn"', "p.toml:need.service_kinds: « 'epn' » type attendu : liste"),
    toml("need", "gap_start_km", "-1", "p.toml:need.gap_start_km: « -1 » doit être entre 0 et 200"),
    toml("need", "gap_start_km", "20", "p.toml:need.gap_start_km: « 20 » doit être inférieur à need.gap_full_km"),
    toml("need", "gap_full_km", "0", "p.toml:need.gap_full_km: « 0 » doit être plus de 0 et au plus 200"),
    toml("need", "gap_full_km", "1e308", "p.toml:need.gap_full_km: « 1e+308 » doit être plus de 0 et au plus 200"),
    toml("need", "far_km", "inf", "p.toml:need.far_km: « inf » nombre fini attendu"),
    toml("need", "fragility_weight", "nan", "p.toml:need.fragility_weight: « nan » nombre fini attendu"),
    toml("need", "fragility_weight", "50", "p.toml:need.fragility_weight: « 50 » doit être entre 0 et 5"),
    toml("need", "decay_half_km", "0", "p.toml:need.decay_half_km: « 0 » doit être plus de 0 et au plus 100"),
    toml("need", "catchment_km", "1e308", "p.toml:need.catchment_km: « 1e+308 » doit être plus de 0 et au plus 100"),
    toml("need", "catchment_km", "nan", "p.toml:need.catchment_km: « nan » nombre fini attendu"),
    toml("need", "catchment_km", "-3", "p.toml:need.catchment_km: « -3 » doit être plus de 0"),
    toml("rules", "min_gap_days", "-1", "p.toml:rules.min_gap_days: « -1 » doit être entre 0 et 366"),
    toml("rules", "min_gap_days", "1000000", "p.toml:rules.min_gap_days: « 1000000 » doit être entre 0 et 366"),
    toml("rules", "min_gap_days", "2.5", "p.toml:rules.min_gap_days: « 2.5 » type attendu : entier"),
    toml("rules", "max_visits", "0", "p.toml:rules.max_visits: « 0 » doit être entre 1 et 366"),
    toml("rules", "max_visits", "9223372036854775807", "p.toml:rules.max_visits: « 9223372036854775807 » doit être entre 1 et"),
    toml("rules", "market_required", '"oui"', "p.toml:rules.market_required: « 'oui' » type attendu : booléen"),
    toml("rules", "mediator_visits_per_week", "0", "p.toml:rules.mediator_visits_per_week: « 0 » doit être entre 1 et 10"),
    toml("rules", "quotas", '"epci"', "p.toml:rules.quotas: « 'epci' » liste de quotas attendue"),
    toml("rules", "quotas", '[{kind = "canton", code = "1"}]', "p.toml:rules.quotas[1].kind: « 'canton' » attendu : epci ou dep"),
    toml("rules", "quotas", '[{kind = "dep", code = "18", min_days = 5, max_days = 2}]',
         "p.toml:rules.quotas[1]: « 5..2 » min_days et max_days : entiers, min <= max"),
    toml("rules", "quotas", '[{kind = "dep", code = "18", jours = 2}]', "p.toml:rules.quotas[1]:", "attendu : {kind, code"),
    toml("need", "take_up", "2", "p.toml:need.take_up: « 2 » doit être plus de 0 et au plus 1"),
    toml("need", "take_up", "0", "p.toml:need.take_up: « 0 » doit être plus de 0 et au plus 1"),
    toml("objective", "gap_weight", "nan", "p.toml:objective.gap_weight: « nan » nombre fini attendu"),
    toml("objective", "seat_points", "0", "p.toml:objective.seat_points: « 0 » doit être plus de 0 et au plus 1000000"),
    toml("objective", "market_bonus", "nan", "p.toml:objective.market_bonus: « nan » nombre fini attendu"),
    toml("objective", "market_bonus", "-0.3", "p.toml:objective.market_bonus: « -0.3 » doit être entre 0 et 10"),
    toml("objective", "should_bonus", "1e308", "p.toml:objective.should_bonus: « 1e+308 » doit être entre 0 et 1000000"),
    toml("objective", "km_cost", "1e308", "p.toml:objective.km_cost: « 1e+308 » doit être entre 0 et 1000000"),
    toml("objective", "km_cost", "-0.5", "p.toml:objective.km_cost: « -0.5 » doit être entre 0 et"),
    toml("objective", "move_penalty", "inf", "p.toml:objective.move_penalty: « inf » nombre fini attendu"),
    toml("objective", "idle_day_cost", "1e12", "p.toml:objective.idle_day_cost: « 1e+12 » doit être entre 0 et 1000000"),
    toml("vehicle", "max_drive_minutes", "10", "p.toml:vehicle.max_drive_minutes: « 10 » doit être entre 30 et 720"),
    toml("vehicle", "max_drive_minutes", "nan", "p.toml:vehicle.max_drive_minutes: « nan » nombre fini attendu"),
    toml("vehicle", "seats", "0", "p.toml:vehicle.seats: « 0 » doit être entre 1 et 100"),
    toml("vehicle", "seats", "-12", "p.toml:vehicle.seats: « -12 » doit être entre 1 et"),
    toml("vehicle", "overnight_nights", "1000000", "p.toml:vehicle.overnight_nights: « 1000000 » doit être entre 0 et 6"),
    toml("solver", "time_limit_s", "nan", "p.toml:solver.time_limit_s: « nan » nombre fini attendu"),
    toml("solver", "time_limit_s", "inf", "p.toml:solver.time_limit_s: « inf » nombre fini attendu"),
    toml("solver", "time_limit_s", "0", "p.toml:solver.time_limit_s: « 0 » doit être plus de 0"),
    toml("solver", "workers", "0", "p.toml:solver.workers: « 0 » doit être entre 1 et 64"),
    toml("solver", "seed", "-1", "p.toml:solver.seed: « -1 » doit être entre 0 et"),
    toml("solver", "seed", "9223372036854775807", "p.toml:solver.seed: « 9223372036854775807 » doit être entre 0 et"),
    toml("solver", "sequencing", '"glouton"', "p.toml:solver.sequencing: « glouton » attendu : cpsat, routing ou none"),
    toml("solver", "max_candidates", "-1", "p.toml:solver.max_candidates: « -1 » doit être entre 0 et 100000"),
    toml("solver", "reproducible", "1", "p.toml:solver.reproducible: « 1 » type attendu : booléen"),
    toml("need", "unknown_key", "1", "p.toml:need.unknown_key: paramètre inconnu"),
    toml("autre", "x", "1", "p.toml:autre: section inconnue"),
    Case("toml-section-as-value", "toml", ("territory", "--params", "{tmp}/p.toml"), 2,
         ("p.toml:need: « 3 » une section [..] est attendue",), {"p.toml": b"need = 3\n"}),
    Case("toml-syntax", "toml", ("territory", "--params", "{tmp}/p.toml"), 2, ("p.toml: TOML invalide",),
         {"p.toml": b"[travel\n"}),
    Case("toml-utf16", "toml", ("territory", "--params", "{tmp}/p.toml"), 2, ("p.toml: encodage non UTF-8",),
         {"p.toml": "[need]\nfar_km = 5\n".encode("utf-16")}),
    Case("toml-binary", "toml", ("territory", "--params", "{tmp}/p.toml"), 2, ("p.toml:",),
         {"p.toml": bytes(range(256))}),
    Case("toml-bom-accepted", "toml", ("territory", "--params", "{tmp}/p.toml"), 0, ("Territoire bourges : 103 communes",),
         {"p.toml": "[need]\nfar_km = 12\n".encode("utf-8-sig")}),
    Case("toml-every-problem", "toml", ("territory", "--params", "{tmp}/p.toml"), 2,
         ("p.toml:travel.speed_kmh: « 0 »", "p.toml:vehicle.seats: « 0 »", "p.toml:solver.seed: « -1 »"),
         {"p.toml": b"[travel]\nspeed_kmh = 0\n[vehicle]\nseats = 0\n[solver]\nseed = -1\n"}),
]

CASES = FLAG_CASES + FILE_CASES + TOML_CASES
