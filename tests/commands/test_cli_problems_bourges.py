"""The command line builds its scenario as a ScenarioSpec, yet every problem still names what the
user typed: the flag and its value, or the file, line and column (Bourges basin, bad inputs)."""

from __future__ import annotations

from planner.cli import main

SEASON = ["plan", "--start", "2026-09-07", "--end", "2026-10-30", "--time-limit", "1"]


def test_file_rows_and_flags_are_named_as_typed(write, capsys):
    requests = write("demandes.csv", "request_id;insee_com;start;end\nD1;18145;2026-09-14;2026-09-18\n"
                                     "\nD2;1803;2026-09-14;2026-09-18\nD3;18160;2026-09-31;2026-10-02\n")
    markets = write("marches.csv", "insee_com,weekday\n18033,jeudo\n")
    params = write("p.toml", "[need]\nfar = 3\n")
    code = main([*SEASON, "--requests", str(requests), "--markets", str(markets), "--params", str(params),
                 "--pin", "2026-09-08:99999", "--forbid", "2026-13-01:18033", "--base", "99999", "--weekdays", "tue,thi",
                 "--closed", "2026-09-31", "--school-holidays", "D"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    for expected in [
        "demandes.csv:4:insee_com: « 1803 » code INSEE sur 4 chiffres",  # line 4: the blank line counts
        "demandes.csv:5:start: « 2026-09-31 » date invalide",
        "marches.csv:2:weekday: « jeudo » valeur inconnue",
        "p.toml:need.far: paramètre inconnu",
        "--pin: « 2026-09-08:99999 » commune hors du territoire",
        "--forbid: « 2026-13-01:18033 » date invalide",
        "--base: « 99999 » commune inconnue",
        "--weekdays: « tue,thi » jour inconnu : thi",
        "--closed: « 2026-09-31 » date invalide",
        "--school-holidays: « D » zone inconnue",
    ]:
        assert expected in err, (expected, err)


def test_a_flag_that_overrides_a_parameter_is_named(capsys):
    assert main([*SEASON[:-1], "-3"]) == 2
    assert "--time-limit: « -3 » doit être plus de 0 et au plus 604800" in capsys.readouterr().err
