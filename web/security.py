"""Security of every response and every upload: a strict CSP (no inline script or style), no framing,
no sniffing; uploaded files are CSV or XLSX by their content, not only by their name."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from flask import Flask, Response, render_template, request

from web import planning

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
UPLOAD_SUFFIXES = (".csv", ".xlsx")
# Binary formats a planner may pick by mistake (or an attacker rename): refused as CSV by their first bytes.
BINARY_MAGIC = {b"PK\x03\x04": "une archive ZIP", b"%PDF": "un PDF", b"\x89PNG": "une image PNG",
                b"\xff\xd8\xff": "une image JPEG", b"GIF8": "une image GIF", b"\x7fELF": "un programme",
                b"MZ": "un programme Windows", b"\xd0\xcf\x11\xe0": "un ancien fichier Office (.xls, .doc)",
                b"\x1f\x8b": "une archive gzip", b"SQLite format 3": "une base SQLite"}
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# No field of any form is longer (the longest, a list of closed days, holds a few hundred dates): a value
# beyond it is refused before any view, validator or pattern reads it.
MAX_FIELD_CHARS = 20_000


def init_app(app: Flask) -> None:
    app.config.setdefault("WTF_I18N_ENABLED", False)  # WTForms' French messages (see web.extensions)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.before_request
    def bounded_fields():
        if request.method == "POST" and any(len(v) > MAX_FIELD_CHARS for values in request.form.listvalues()
                                            for v in values):
            return render_template("errors/error.html", title="Requête refusée",
                                   message=f"Un champ du formulaire dépasse {planning.number(MAX_FIELD_CHARS)} caractères : "
                                   "rien n'a été enregistré."), 400
        return None

    @app.before_request
    def no_nul_characters():
        """A NUL character is never text a planner typed; PostgreSQL could not even store it."""
        if request.method == "POST" and any("\x00" in v for values in request.form.listvalues() for v in values):
            return render_template("errors/error.html", title="Requête refusée",
                                   message="Un champ du formulaire contient un caractère nul : rien n'a été "
                                   "enregistré. Retapez la valeur au clavier plutôt que de la coller."), 400
        return None

    @app.before_request
    def uploads_are_csv_or_xlsx():
        """Every .csv/.xlsx file of a form is checked before any view reads it: a refusal stores nothing."""
        if request.method != "POST" or not request.files:
            return None
        for storage in (part for parts in request.files.listvalues() for part in parts):  # every part of every name
            # a file named otherwise is refused by its view, with the form and its problems table
            if not storage or not storage.filename or not storage.filename.lower().endswith(UPLOAD_SUFFIXES):
                continue
            data = storage.stream.read()
            storage.stream.seek(0)
            problem = upload_problem(storage.filename, data)
            if problem:
                return render_template("errors/error.html", title="Fichier refusé", message=problem), 415
        return None


def upload_problem(filename: str, data: bytes) -> str | None:
    """Why this upload is not a CSV or XLSX file (French, naming the file), or None when it is one.

    The loaders then check its columns and values; here only the kind of file is judged, by content.
    """
    name = PurePath(filename.replace("\\", "/")).name or "fichier"
    shown = planning.upload_name(name)
    suffix = PurePath(name).suffix.lower()
    if "\x00" in filename:
        return "Le nom du fichier contient un caractère nul : renommez-le puis envoyez-le de nouveau."
    if suffix not in UPLOAD_SUFFIXES:
        return f"« {shown} » : format non pris en charge ; envoyez un fichier CSV (.csv) ou Excel (.xlsx)."
    if not data:
        return f"« {shown} » est vide."
    if suffix == ".xlsx":
        return None if _is_xlsx(data) else (f"« {shown} » porte l'extension .xlsx mais n'est pas un classeur Excel "
                                            "(.xlsx) : enregistrez-le depuis votre tableur au format .xlsx ou .csv.")
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic):
            return f"« {shown} » porte l'extension .csv mais contient {kind}, pas du texte : envoyez un fichier CSV."
    if not data.startswith(UTF16_BOMS) and b"\x00" in data:
        return (f"« {shown} » contient des octets nuls : ce n'est pas un fichier texte CSV (enregistrez-le en "
                "« CSV UTF-8 » depuis votre tableur).")
    return None


def _is_xlsx(data: bytes) -> bool:
    """An Office Open XML workbook: a ZIP holding [Content_Types].xml and xl/workbook.xml."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names
