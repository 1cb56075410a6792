"""Normalisation of French place names, so that sources spelled differently can be joined."""

from __future__ import annotations

import re
import unicodedata

_ARTICLES = re.compile(r"^(LE|LA|LES|L) ")


def normalize_name(name: str) -> str:
    """Upper-case ASCII key of a commune or place name.

    Accents, punctuation, a leading article and Saint/Sainte spellings are folded, because the
    inventories write "ST GERMAIN DU PUY" where INSEE writes "Saint-Germain-du-Puy".
    """
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^A-Z0-9]+", " ", text.upper()).strip()
    text = _ARTICLES.sub("", text)
    text = re.sub(r"\bSAINTE\b", "STE", text)
    text = re.sub(r"\bSAINT\b", "ST", text)
    return text


def search_key(text: str) -> str:
    """Lower-case key for what people type in a search box: no accents, hyphens and apostrophes as
    spaces, « st »/« ste » as « saint »/« sainte », so « st-martin » finds Saint-Martin-d'Auxigny."""
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe"))
    text = "".join(ch if ch.isalnum() else " " for ch in text if not unicodedata.combining(ch))
    return " ".join({"st": "saint", "ste": "sainte"}.get(word, word) for word in text.split())
