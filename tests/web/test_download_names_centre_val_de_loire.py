"""Download names of a long season name (« Saison Centre-Val de Loire 2026-2027 … »): cut between two
words, never inside the year (« …val-de-loire-202-plan-4 » was seen), sent as RFC 6266 UTF-8 with an
ASCII fallback."""

from __future__ import annotations

from urllib.parse import unquote

from web.downloads import ascii_name, content_disposition, file_name

LONG = "Saison Centre-Val de Loire 2026-2027 : bus numérique et médiateurs des intercommunalités du Cher et de l'Indre"


def test_a_long_centre_val_de_loire_name_is_cut_between_words():
    name = file_name(LONG, "plan 4", "révision 2", ext="xlsx")
    stem = name.removesuffix(".xlsx")
    head = stem.split(" - ")[0]
    assert len(stem) <= 100 and head.startswith("Saison Centre-Val de Loire 2026-2027") and head.split()[-1] in LONG.split()
    assert stem.endswith(" - plan 4 - révision 2")
    assert "2026-2027" in name and not stem.endswith(("202", "-"))
    assert file_name("Saison Cher 2027", "plan 4", "révision 2", ext="csv") == "Saison Cher 2027 - plan 4 - révision 2.csv"
    assert file_name('a/b:c*"d"', ext="ics") == "a b c d.ics"


def test_the_header_carries_utf8_and_an_ascii_fallback():
    header = content_disposition("Tournée - Menetou-Salon - révision 1.xlsx")
    assert header.startswith('attachment; filename="tournee-menetou-salon-revision-1.xlsx"; filename*=UTF-8\'\'')
    assert unquote(header.split("UTF-8''", 1)[1]) == "Tournée - Menetou-Salon - révision 1.xlsx"
    assert header.isascii()
    assert content_disposition("x.ics", inline=True).startswith("inline; ")
    assert ascii_name("Évreux.csv") == "evreux.csv"
