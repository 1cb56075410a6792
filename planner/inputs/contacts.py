"""Checks of the contact and address cells of requests and of the team contact.

Shapes only (an e-mail with one @ and a dotted domain, a phone of digits, a French postcode): the
point is to catch a typo or a value pasted into the wrong column, not to prove the address exists.
The same checks serve the files a planner imports and the public request form (through
``email_problem`` and ``phone_problem``), so that what the form accepts the loader accepts too. Each
bounds the length first and then reads the text once (no backtracking pattern): a hostile value of
40,000 characters costs nothing.
"""

from __future__ import annotations

import re

from planner.inputs.cells import CellReader

MAX_EMAIL, MAX_LOCAL = 254, 64  # RFC 5321's limits on a path and its local part
# Never in an address people type: spaces and control characters, and what would break a mailto link or a header.
EMAIL_FORBIDDEN = frozenset('<>"(),;:[]\\')
PHONE = re.compile(r"^\+?[0-9 .()\-]{6,24}$")
MAX_PHONE = 24
POSTCODE = re.compile(r"^\d{5}$")
MAX_TEXT = 500  # a contact or address cell longer than this is a pasted paragraph, not a value


def email_problem(text: str) -> str | None:
    """Why ``text`` is not an e-mail address (French), or None. « jean.o'neil@mairie.fr » is one."""
    if len(text) > MAX_EMAIL:
        return f"adresse e-mail trop longue ({MAX_EMAIL} caractères au plus)"
    local, at, domain = text.partition("@")
    labels = domain.split(".")
    if (not at or not local or "@" in domain or len(local) > MAX_LOCAL or len(labels) < 2
            or any(not label for label in labels) or len(labels[-1]) < 2 or "'" in domain
            or any(ch.isspace() or not ch.isprintable() or ch in EMAIL_FORBIDDEN for ch in text)):
        return "adresse e-mail invalide (attendu : nom@domaine.fr)"
    return None


def phone_problem(text: str) -> str | None:
    """Why ``text`` is not a telephone number (French), or None."""
    if len(text) > MAX_PHONE or not PHONE.match(text) or sum(ch.isdigit() for ch in text) < 6:
        return "numéro de téléphone invalide (attendu : 02 48 00 00 00)"
    return None


def email(cells: CellReader, row: int, column: str, value: str) -> str:
    text = value.strip()
    problem = email_problem(text) if text else None
    if problem:
        cells.fail(row, column, value[:80], problem)
    return text


def phone(cells: CellReader, row: int, column: str, value: str) -> str:
    text = value.strip()
    problem = phone_problem(text) if text else None
    if problem:
        cells.fail(row, column, value[:40], problem)
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
