"""Checks of the contact and address cells of requests and of the team contact.

Shapes only (an e-mail with one @ and a dotted domain, a phone of digits, a French postcode): the
point is to catch a typo or a value pasted into the wrong column, not to prove the address exists.
"""

from __future__ import annotations

import re

from planner.inputs.cells import CellReader

EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"'.]{2,}$")
PHONE = re.compile(r"^\+?[0-9 .()\-]{6,24}$")
POSTCODE = re.compile(r"^\d{5}$")
MAX_TEXT = 500  # a contact or address cell longer than this is a pasted paragraph, not a value


def email(cells: CellReader, row: int, column: str, value: str) -> str:
    text = value.strip()
    if text and not EMAIL.match(text):
        cells.fail(row, column, value, "adresse e-mail invalide (attendu : nom@domaine.fr)")
    return text


def phone(cells: CellReader, row: int, column: str, value: str) -> str:
    text = value.strip()
    if text and (not PHONE.match(text) or sum(ch.isdigit() for ch in text) < 6):
        cells.fail(row, column, value, "numéro de téléphone invalide (attendu : 02 48 00 00 00)")
    return text


def postcode(cells: CellReader, row: int, column: str, value: str) -> str:
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if text and not POSTCODE.match(text):
        cells.fail(row, column, value, "code postal invalide : 5 chiffres attendus (ex. 18000)")
    return text


def short_text(cells: CellReader, row: int, column: str, value: str) -> str:
    text = value.strip()
    if len(text) > MAX_TEXT:
        cells.fail(row, column, text[:40] + "…", f"texte trop long ({len(text)} caractères, {MAX_TEXT} au plus)")
    return text
