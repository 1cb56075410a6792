"""An INSEE age table replaces the 65+ 2016 estimate by 60-74 + 75+ where it covers a commune."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from planner.domain.problems import DataError
from planner.inputs.dataset import load_territory

# Semicolon CSV shaped like INSEE's base-cc-evol-struct-pop-2021 (more columns than we use).
AGE_TABLE = (
    "CODGEO;P21_POP;P21_POP0014;P21_POP6074;P21_POP75P;P15_POP6074;P15_POP75P\n"
    "18160;1430;200;300,5;150;280;140\n"
    "18033;63702;9000;9000;6000;8500;5800\n"
    "75056;2100000;1;1;1;1;1\n"  # outside the territory: ignored
)


def test_age_table_overrides_the_estimate(write):
    estimate = load_territory("bourges")
    path = write("base-cc-evol-struct-pop-2021.csv", AGE_TABLE)
    territory = load_territory("bourges", ages_file=path)
    nerondes = territory.commune("18160")
    assert nerondes.seniors == pytest.approx(450.5)
    assert (nerondes.seniors_60_74, nerondes.seniors_75p) == (300.5, 150)
    assert nerondes.seniors_basis.startswith("60+ en 2021")
    assert territory.commune("18033").seniors == 15000
    # Communes the table does not cover keep the shipped estimate and its label.
    assert territory.commune("18205") == estimate.commune("18205")


def test_age_table_in_xlsx_with_title_lines(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Évolution et structure de la population en 2021"])
    sheet.append(["Source : Insee, RP2021"])
    sheet.append(["CODGEO", "LIBGEO", "P21_POP6074", "P21_POP75P"])
    sheet.append(["18160", "Nérondes", 310, 160])
    path = tmp_path / "ages.xlsx"
    book.save(path)
    assert load_territory("bourges", ages_file=path).commune("18160").seniors == 470


def test_age_table_without_age_columns_is_rejected(write):
    path = write("ages.csv", "CODGEO;P21_POP\n18160;1430\n")
    with pytest.raises(DataError) as info:
        load_territory("bourges", ages_file=path)
    assert "colonnes d'âge absentes" in str(info.value)


def test_age_table_with_a_bad_cell_changes_nothing(write):
    path = write("ages.csv", "CODGEO;P21_POP6074;P21_POP75P\n18160;300;150\n18033;n/a;10\n")
    with pytest.raises(DataError) as info:
        load_territory("bourges", ages_file=path)
    assert [str(p) for p in info.value.problems] == ["ages.csv:3:P21_POP6074: « n/a » nombre attendu"]
