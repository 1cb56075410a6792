"""``run.py plan --history``: a past season of the Bourges basin kept outside Tournée (14 seniors
came to Trouy, 18267, in October 2025; Sancergues, 18240, full with 3 waiting) makes the plan say
what it changed, and a bad file is reported by its lines with nothing written."""

from __future__ import annotations

import json

from planner.cli import main

SEASON = ["--start", "2026-09-07", "--end", "2026-09-25", "--time-limit", "2", "--workers", "1"]
PAST = ("date;commune;participants;inscrits;liste_attente\n"
        "07/10/2025;Trouy;14;15;\n"
        "2025-10-08;18240;24;24;3\n")


def test_the_plan_says_what_the_past_season_changed(write, capsys):
    past = write("saison-2025.csv", PAST)
    assert main(["plan", *SEASON, "--history", str(past)]) in (0, 1)
    text = capsys.readouterr().out
    assert "Saison passée 2025 : 38 participants dans 2 communes" in text
    assert "Trouy : 14 participants en 2025 : vivier réduit (" in text
    assert "Sancergues : 24 participants en 2025 : vivier réduit (" in text and "complet avec liste d'attente (3)" in text
    assert main(["plan", *SEASON, "--history", str(past), "--json"]) in (0, 1)
    history = json.loads(capsys.readouterr().out)["history"]
    trouy = next(c for c in history["communes"] if c["insee_com"] == "18267")
    assert trouy["participants"] == 14 and trouy["pool_after"] < trouy["pool_before"]


def test_without_history_the_plan_says_nothing_of_one(capsys):
    assert main(["plan", *SEASON, "--json"]) in (0, 1)
    assert "history" not in json.loads(capsys.readouterr().out)


def test_a_bad_past_season_is_named_by_its_lines(write, tmp_path, capsys):
    bad = write("passee.csv", "date;commune;participants\n2025-10-07;Paris;3\n2025-13-01;18267;2\n")
    out = tmp_path / "plan.csv"
    assert main(["plan", *SEASON, "--history", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "passee.csv:2:commune: « Paris »" in err and "passee.csv:3:date: « 2025-13-01 »" in err, err
    assert not out.exists()
