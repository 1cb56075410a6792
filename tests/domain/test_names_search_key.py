"""The search key of what people type in a search box or the request form: accents, hyphens,
apostrophes and « st »/« ste » do not matter."""

from __future__ import annotations

from planner.domain.names import search_key


def test_search_key_of_saint_martin_sainte_solange_oeuilly():
    assert search_key("st-martin d'auxigny") == search_key("Saint-Martin-d'Auxigny") == "saint martin d auxigny"
    assert search_key("Ste Solange") == "sainte solange" and search_key("Œuilly") == "oeuilly"
