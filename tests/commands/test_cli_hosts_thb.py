"""``run.py plan --hosts FILE``: the planner's corrected mairie hours, on CC Terres du Haut Berry.
The directory opens Menetou-Salon's mairie Monday to Friday mornings, so a mediator pinned there on
Wednesday 28 October 2026 is fine; corrected to « mardi (14h-17h) », the pin cannot hold."""

from __future__ import annotations

from tests.commands.test_cli_territory_bourges import run_cli

AUTUMN = ["--start", "2026-10-26", "--end", "2026-11-13", "--time-limit", "3"]


def test_corrected_hours_refuse_a_pin_on_a_closed_day(write):
    hosts = write("accueil.csv", "insee_com,hours\n18145,mardi (14h-17h)\n")
    base = ["plan", "--mode", "mediator", "--territory", "epci:200066330", *AUTUMN, "--pin", "2026-10-28:18145"]
    assert "INFEASIBLE" not in run_cli(*base).stdout
    result = run_cli(*base, "--hosts", str(hosts))
    assert "arrêt imposé 18145 le 28/10/2026 : mairie fermée le mercredi 09:00-12:00 d'après ses horaires " \
           "(« mardi (14h-17h) »)" in result.stdout, result.stdout + result.stderr


def test_unreadable_hours_are_named_by_file_line_and_column(write):
    hosts = write("accueil.csv", "insee_com,hours\n18145,mardi 14h\n")
    result = run_cli("plan", "--mode", "mediator", "--territory", "epci:200066330", *AUTUMN, "--hosts", str(hosts))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "accueil.csv:2:hours: « mardi 14h » horaires illisibles" in result.stderr, result.stderr
