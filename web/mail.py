"""E-mail through an outbox: what a publication, a moved or cancelled date, a reminder or a decision
on a request has to tell someone is written as an ``OutboxMessage`` in the same transaction as its
cause, so that a server killed right after answering loses nothing. The queue worker sends it
(``send_due``: a task queued after each write, and a pass every minute that also writes the hosts'
reminders 21 and 7 days before their dates), with retries.

Each message is claimed (``pending`` -> ``sending``) by one worker before it talks to the server,
so two workers never send it both; ``key`` is unique, so a cause asked twice writes one message.
A worker killed while it sends leaves a claim that goes back to ``pending`` at the next pass when
its process is gone (this machine), or after ``STALE_CLAIM_S`` (another one): whether the server had
accepted it is unknown, so it is sent again, with the same Message-ID, which mail programs show
once. That one message is the only one a kill may send twice; none is lost.

``TOURNEE_SMTP_URL`` (``smtp://host:port``, ``smtp://user:password@host:port``, ``smtps://`` for
TLS from the start) names the server; with none set nothing is sent and the planner copies the
messages from « Courriels » (/courriels).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import smtplib
import socket
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from urllib.parse import unquote, urlsplit

import sqlalchemy as sa
from flask import Flask, current_app
from markupsafe import escape

from web import workers
from web.extensions import db
from web.models import OutboxMessage, utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
RETRY_AFTER_S = (30, 60, 120, 300, 600, 1800, 3600)  # after the n-th failure
STALE_CLAIM_S = 600
REMINDER_DAYS = (21, 7)
SMTP_TIMEOUT_S = 20
SIGNATURE = "L'équipe du bus numérique"


def init_app(app: Flask) -> None:
    app.config.setdefault("SMTP_URL", os.environ.get("TOURNEE_SMTP_URL", ""))
    app.config.setdefault("MAIL_FROM", os.environ.get("TOURNEE_MAIL_FROM", "") or "tournee@localhost")


def configured(app: Flask | None = None) -> bool:
    return bool((app or current_app).config.get("SMTP_URL"))


def queue(key: str, to_addr: str, subject: str, paragraphs: list[str], *, links: list[tuple[str, str]] = (),
          owner_id: int | None = None, send_after: dt.date | None = None) -> OutboxMessage | None:
    """Write a message into the outbox (the caller commits, with its cause): French plain text and the
    same in HTML, its links listed at the end. None when the key was already written or there is no
    address."""
    to_addr = (to_addr or "").strip()
    if not to_addr or db.session.scalar(db.select(OutboxMessage.id).filter_by(key=key)) is not None:
        return None
    pending = [m for m in db.session.new if isinstance(m, OutboxMessage) and m.key == key]
    if pending:
        return None
    text = "\n\n".join(["Bonjour,", *paragraphs, *(f"{label} : {url}" for label, url in links), SIGNATURE]) + "\n"
    html = ("<!doctype html><html lang=\"fr\"><body><p>Bonjour,</p>"
            + "".join(f"<p>{escape(p)}</p>".replace("\n", "<br>") for p in paragraphs)
            + ("<ul>" + "".join(f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for label, url in links) + "</ul>"
               if links else "")
            + f"<p>{escape(SIGNATURE)}</p></body></html>")
    message = OutboxMessage(key=key[:200], to_addr=to_addr, subject=subject[:300], text_body=text, html_body=html,
                            owner_id=owner_id, send_after=send_after, status="pending", attempts=0, last_error="")
    db.session.add(message)
    return message


def kick(app: Flask) -> None:
    """Ask the worker to send now (after the commit); the minute pass sends anyway if this is lost."""
    if configured(app):
        try:
            app.extensions["huey_mail"]()
        except Exception:  # noqa: BLE001 - the queue unreachable: the outbox keeps the message
            log.warning("mail task not queued; the next pass sends it", exc_info=True)


def email_message(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr(("Tournée", sender))
    message["To"] = row.to_addr
    message["Subject"] = row.subject
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    digest = hashlib.sha256(row.key.encode()).hexdigest()[:24]
    message["Message-ID"] = f"<outbox-{row.id}-{digest}@{sender.rpartition('@')[2] or 'tournee'}>"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


def _connect(url: str) -> smtplib.SMTP:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError(f"TOURNEE_SMTP_URL : schéma « {parts.scheme} » inconnu (attendu : smtp:// ou smtps://)")
    host, port = parts.hostname or "localhost", parts.port or (465 if parts.scheme == "smtps" else 25)
    server = (smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP)(host, port, timeout=SMTP_TIMEOUT_S)
    if parts.username:
        if parts.scheme == "smtp":
            server.starttls()
        server.login(unquote(parts.username), unquote(parts.password or ""))
    return server


def send_due(app: Flask, today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """Send every message due (pending, its day come, its retry delay passed); returns how many were
    sent. Stale claims go back to pending first. Nothing happens without TOURNEE_SMTP_URL. ``now``
    (naive UTC) is the clock the delays are judged by."""
    url = app.config.get("SMTP_URL")
    if not url:
        return 0
    today = today or dt.date.today()
    table = OutboxMessage.__table__
    now = now or utcnow()
    with db.engine.begin() as connection:
        claims = connection.execute(sa.select(table.c.id, table.c.claimed_by, table.c.claimed_at)
                                    .where(table.c.status == "sending")).all()
        dropped = [row.id for row in claims if _claim_lost(row.claimed_by, row.claimed_at, now)]
        if dropped:
            connection.execute(sa.update(table).where(table.c.id.in_(dropped), table.c.status == "sending")
                               .values(status="pending"))
        due = connection.execute(sa.select(table.c.id, table.c.attempts, table.c.claimed_at).where(
            table.c.status == "pending", sa.or_(table.c.send_after.is_(None), table.c.send_after <= today))
            .order_by(table.c.id)).all()
    sent = 0
    server = None
    try:
        for message_id, attempts, claimed_at in due:
            if attempts and claimed_at and now < claimed_at + dt.timedelta(
                    seconds=RETRY_AFTER_S[min(attempts, len(RETRY_AFTER_S)) - 1]):
                continue
            with db.engine.begin() as connection:
                taken = connection.execute(sa.update(table).where(table.c.id == message_id, table.c.status == "pending")
                                           .values(status="sending", claimed_at=now, claimed_by=workers.identity(),
                                                   attempts=table.c.attempts + 1))
            if taken.rowcount != 1:
                continue  # another worker has it
            row = db.session.get(OutboxMessage, message_id)
            db.session.refresh(row)
            try:
                if server is None:
                    server = _connect(url)
                server.send_message(email_message(row, app.config["MAIL_FROM"]))
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                server = None
                failed = row.attempts >= MAX_ATTEMPTS or isinstance(exc, ValueError)
                with db.engine.begin() as connection:
                    connection.execute(sa.update(table).where(table.c.id == message_id).values(
                        status="failed" if failed else "pending", last_error=str(exc)[:500]))
                log.warning("mail %s not sent (attempt %s): %s", message_id, row.attempts, exc)
                continue
            with db.engine.begin() as connection:
                connection.execute(sa.update(table).where(table.c.id == message_id)
                                   .values(status="sent", sent_at=utcnow(), last_error=""))
            sent += 1
    finally:
        db.session.remove()
        if server is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                server.quit()
    return sent


def _claim_lost(claimed_by: str, claimed_at: dt.datetime | None, now: dt.datetime) -> bool:
    """A claim whose worker is gone: a dead process of this machine, or silent for STALE_CLAIM_S."""
    host, _, pid = (claimed_by or "").rpartition(":")
    if host == socket.gethostname() and pid.isdigit() and int(pid) != os.getpid() and not workers.process_alive(int(pid)):
        return True
    return claimed_at is None or claimed_at < now - dt.timedelta(seconds=STALE_CLAIM_S)


def mark_sent_by_hand(message: OutboxMessage) -> None:
    """The planner copied the message and sent it: it is not sent again."""
    message.status, message.sent_at, message.last_error = "sent", utcnow(), "copié et envoyé à la main"
