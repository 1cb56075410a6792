"""Names of downloaded files: what a person sees in their downloads folder says which season,
which plan or revision and which commune the file holds.

Browsers read a non-ASCII ``filename="…"`` as garbage or fall back to the URL (every file was
« saison.xlsx »): the header carries RFC 6266's ``filename*=UTF-8''…`` with an ASCII ``filename``
for the old clients.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_STEM = 100  # characters of a name before its extension, cut between words
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def file_name(*parts: str, ext: str) -> str:
    """« Saison Cher 2027 - plan 4 - révision 2.xlsx »: the non-empty parts joined, characters that
    file systems refuse taken out; a long season name (the first part) is cut between two words
    (never inside a year), the plan, revision and commune that follow are kept whole."""
    clean = [re.sub(r"\s+", " ", _UNSAFE.sub(" ", p)).strip(" .-") for p in parts if p and p.strip()]
    clean = [p for p in clean if p] or ["tournee"]
    head, tail = clean[0], clean[1:]
    room = MAX_STEM - sum(len(p) + 3 for p in tail)
    if len(head) > room:
        head = head[:max(room, 20)].rsplit(" ", 1)[0].strip(" .,;:-")
    return f"{' - '.join([head, *tail])}.{ext}"


def ascii_name(name: str) -> str:
    """The ASCII fallback: accents dropped, anything else a hyphen (« saison-cher-2027-plan-4.xlsx »)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode().lower()
    plain = re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "tournee"
    return f"{plain}.{ext}" if ext else plain


def content_disposition(name: str, *, inline: bool = False) -> str:
    """``attachment; filename="ascii"; filename*=UTF-8''percent-encoded`` (RFC 6266, RFC 5987)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
