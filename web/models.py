"""What the workspace stores: accounts, scenarios, solve jobs and their progress, plans, publications.

A scenario keeps its ScenarioSpec as JSON and a plan its ``plan_to_dict`` JSON, so that the planner
owns their shape; the columns beside them are copies for listing and polling without decoding.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from web.extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Part of the id every session and remember-me cookie carries: raised on sign-out and on a new
    # password, it makes every copy of an older cookie worthless (web.auth loads only the current one).
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.revoke_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation or 0}"

    def revoke_sessions(self) -> None:
        self.session_generation = (self.session_generation or 0) + 1


class Scenario(db.Model):
    """A season being prepared: its ScenarioSpec (territory, vehicles, dates, rules, weights)."""

    __tablename__ = "scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    spec: Mapped[dict] = mapped_column(sa.JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # deleting a scenario deletes its plans and solves (and their events); the stop requests fed to it
    # stay, accepted, with no scenario: the inbox then asks which scenario receives them
    plans: Mapped[list[PlanRecord]] = relationship(back_populates="scenario", order_by="PlanRecord.id.desc()",
                                                   cascade="all, delete-orphan")
    jobs: Mapped[list[SolveJob]] = relationship(back_populates="scenario", order_by="SolveJob.id.desc()",
                                                cascade="all, delete-orphan")
    requests: Mapped[list[StopRequest]] = relationship(back_populates="scenario")

    def deletion_blocker(self) -> str:
        """Why the scenario cannot be deleted (French), or "" when it can: a published season stays,
        since communes read its calendar; a solve in progress would write into a deleted scenario."""
        if db.session.scalar(db.select(db.func.count(Publication.id)).filter_by(scenario_id=self.id)):
            return ("Cette saison est publiée : les communes et les intercommunalités lisent son calendrier. "
                    "Une saison publiée ne se supprime pas ; publiez un autre plan si elle change.")
        if db.session.scalar(db.select(db.func.count(SolveJob.id)).filter(SolveJob.scenario_id == self.id,
                                                                           SolveJob.status.in_(("queued", "running")))):
            return "Un calcul de ce scénario est en cours : arrêtez-le ou attendez sa fin avant de supprimer le scénario."
        return ""


JOB_STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")


class SolveJob(db.Model):
    """One solve run on the queue; the last event's figures are copied here for the progress page."""

    __tablename__ = "solve_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    # use_alter: plans and jobs refer to each other, so this key is added after both tables exist
    previous_plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id", use_alter=True))
    spec: Mapped[dict] = mapped_column(sa.JSON)  # the spec as it was when the job was asked for
    status: Mapped[str] = mapped_column(sa.String(20), default="queued")
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    phase: Mapped[str] = mapped_column(sa.String(40), default="")
    solutions: Mapped[int] = mapped_column(default=0)
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    elapsed_s: Mapped[float] = mapped_column(default=0.0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    started_at: Mapped[dt.datetime | None]
    finished_at: Mapped[dt.datetime | None]
    # the consumer running it ("host:pid", web.workers) and its last sign of life: a job whose worker
    # died is found and marked interrupted rather than shown « en cours » forever
    worker: Mapped[str] = mapped_column(sa.String(120), default="")
    heartbeat_at: Mapped[dt.datetime | None]

    scenario: Mapped[Scenario] = relationship(back_populates="jobs")
    # post_update: a job and the plan it re-plans point at each other's tables; the link is cut by an
    # UPDATE before either row is deleted
    previous_plan: Mapped[PlanRecord | None] = relationship(foreign_keys=[previous_plan_id], post_update=True)
    events: Mapped[list[JobEvent]] = relationship(back_populates="job", order_by="JobEvent.id",
                                                  cascade="all, delete-orphan")
    plan: Mapped[PlanRecord | None] = relationship(back_populates="job", foreign_keys="PlanRecord.job_id")

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed", "cancelled", "interrupted")


class JobEvent(db.Model):
    """A progress event of a solve (planner's SolveEvent), as it arrived."""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(sa.ForeignKey("solve_jobs.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    phase: Mapped[str] = mapped_column(sa.String(40))
    elapsed_s: Mapped[float]
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    solutions: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(sa.Text, default="")

    job: Mapped[SolveJob] = relationship(back_populates="events")


class PlanRecord(db.Model):
    """A plan (solved, re-planned or stopped early) with its spec, as ``plan_to_dict`` wrote it."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("solve_jobs.id"))
    previous_plan_id: Mapped[int | None] = mapped_column(sa.ForeignKey("plans.id"))
    label: Mapped[str] = mapped_column(sa.String(200), default="")
    data: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(30), default="")
    objective: Mapped[float | None]
    bound: Mapped[float | None]
    gap: Mapped[float | None]
    stop_count: Mapped[int] = mapped_column(default=0)
    stopped: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    scenario: Mapped[Scenario] = relationship(back_populates="plans")
    job: Mapped[SolveJob | None] = relationship(back_populates="plan", foreign_keys=[job_id], post_update=True)
    previous_plan: Mapped[PlanRecord | None] = relationship(remote_side=[id], foreign_keys=[previous_plan_id],
                                                            post_update=True)
    publications: Mapped[list[Publication]] = relationship(back_populates="plan", order_by="Publication.revision")
    imported_outcomes: Mapped[ImportedOutcomes | None] = relationship(back_populates="plan", cascade="all, delete-orphan")


class Publication(db.Model):
    """A plan made public for a scenario's season; revisions count up per scenario (ICS SEQUENCE)."""

    __tablename__ = "publications"
    __table_args__ = (sa.UniqueConstraint("scenario_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), index=True)
    revision: Mapped[int]
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))

    plan: Mapped[PlanRecord] = relationship(back_populates="publications")
    scenario: Mapped[Scenario] = relationship()
    publisher: Mapped[User] = relationship()


# --- stop requests from the public form, and the geocoder's cache (branch `public`) -------------------

REQUEST_STATUSES = ("pending", "accepted", "declined", "withdrawn")


class StopRequest(db.Model):
    """A request for stops sent through ``/demande`` (or imported by a planner).

    ``token`` is the requester's private link (secrets.token_urlsafe); a withdrawn request's link
    shows only that it was withdrawn. ``lat``/``lon`` are the geocoded host site, None
    when only the commune's centre is known (``location_note`` says why).
    """

    __tablename__ = "stop_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending", index=True)
    source: Mapped[str] = mapped_column(sa.String(20), default="form")  # form | import
    requester_kind: Mapped[str] = mapped_column(sa.String(10), default="commune")  # commune | epci
    requester_code: Mapped[str] = mapped_column(sa.String(20), default="")
    requester_name: Mapped[str] = mapped_column(sa.String(200), default="")
    epci: Mapped[str] = mapped_column(sa.String(20), default="", index=True)  # EPCI of the host commune
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_role: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(30), default="")
    insee: Mapped[str] = mapped_column(sa.String(5), index=True)
    commune: Mapped[str] = mapped_column(sa.String(120), default="")
    host_site: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    postcode: Mapped[str] = mapped_column(sa.String(5), default="")
    parking_power: Mapped[bool] = mapped_column(default=False)
    toilets: Mapped[bool] = mapped_column(default=False)
    room: Mapped[bool] = mapped_column(default=False)
    windows: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[ISO start, ISO end], ...]
    weekdays: Mapped[str] = mapped_column(sa.String(40), default="")  # "mar,jeu"; "" = any
    market_day: Mapped[str] = mapped_column(sa.String(20), default="")  # French weekday or ""
    days: Mapped[int] = mapped_column(default=1)
    audience: Mapped[int | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    location_note: Mapped[str] = mapped_column(sa.String(200), default="")
    priority: Mapped[str] = mapped_column(sa.String(10), default="should")  # must | should
    decision_reason: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[dt.datetime | None]
    decided_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    scenario_id: Mapped[int | None] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    scenario: Mapped[Scenario | None] = relationship(back_populates="requests")

    @property
    def request_id(self) -> str:
        """The id this request has in a scenario's ``requests`` rows and in plans."""
        return f"web-{self.id}"


class GeocodeCache(db.Model):
    """An address the BAN geocoder answered (found or not), so it is asked once."""

    __tablename__ = "geocode_cache"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(sa.String(400), unique=True)
    found: Mapped[bool] = mapped_column(default=False)
    lat: Mapped[float | None]
    lon: Mapped[float | None]
    label: Mapped[str] = mapped_column(sa.String(300), default="")
    score: Mapped[float | None]
    fetched_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- running a published season: host links, host sites, workshop outcomes, mail (issue 23) -----------

class HostLink(db.Model):
    """A host's private link for one commune of one season (scenario): its dates, its host site, the
    sign-ups and participants of its workshops. ``token`` (secrets.token_urlsafe(32), 256 bits) is
    cleared when the planner revokes it; ``email`` is where the host's mail goes (private)."""

    __tablename__ = "host_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    insee: Mapped[str] = mapped_column(sa.String(5), index=True)
    token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]

    scenario: Mapped[Scenario] = relationship()


class HostSite(db.Model):
    """The host site as the host confirmed or corrected it for a season (one per commune and season)."""

    __tablename__ = "host_sites"
    __table_args__ = (sa.UniqueConstraint("scenario_id", "insee"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    insee: Mapped[str] = mapped_column(sa.String(5))
    host_site: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(200), default="")
    parking_power: Mapped[bool] = mapped_column(default=False)
    toilets: Mapped[bool] = mapped_column(default=False)
    room: Mapped[bool] = mapped_column(default=False)
    confirmed_at: Mapped[dt.datetime | None]


class WorkshopOutcome(db.Model):
    """What became of one workshop of a published stop: sign-ups and waiting list before the day,
    participants after it, held or cancelled. Counts only: no senior's name is ever stored.
    ``None`` is « not entered yet »; ``entered_by`` is « hôte » or « équipe »."""

    __tablename__ = "workshop_outcomes"
    __table_args__ = (sa.UniqueConstraint("scenario_id", "date", "vehicle", "insee", "workshop"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    date: Mapped[dt.date]
    vehicle: Mapped[str] = mapped_column(sa.String(120))
    insee: Mapped[str] = mapped_column(sa.String(5))
    workshop: Mapped[int] = mapped_column(default=0)  # 0 = the morning (or only) workshop, 1 = the afternoon
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")  # planned | held | cancelled
    signups: Mapped[int | None]
    waiting: Mapped[int | None]
    participants: Mapped[int | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    entered_by: Mapped[str] = mapped_column(sa.String(20), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ImportedOutcomes(db.Model):
    """The outcomes file a planner imported on a published plan's « Bilan de saison » (a season run
    outside Tournée, or corrections made afterwards), kept so that the page, its workbook and the
    next season read it again; one per plan, a new file replaces it.

    ``rows`` are the outcomes as the planner's reader accepted them, written back as rows it reads
    to the same values (web.planning.outcome_rows): INSEE codes, ISO dates, counts only (no name).
    They belong to the plan, not to its scenario's spec: the spec is the next solve's input, and a
    scenario publishes several plans in a season."""

    __tablename__ = "imported_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plans.id"), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    rows: Mapped[list] = mapped_column(sa.JSON)
    imported_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    imported_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    plan: Mapped[PlanRecord] = relationship(back_populates="imported_outcomes")


class DateChangeRequest(db.Model):
    """A host asking, through its link, that one of its dates change, with its reason."""

    __tablename__ = "date_change_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(sa.ForeignKey("scenarios.id"), index=True)
    insee: Mapped[str] = mapped_column(sa.String(5))
    date: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(20), default="open")  # open | handled
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class OutboxMessage(db.Model):
    """An e-mail to send, written in the transaction of what caused it (a publication, a decision), so
    a restart never loses it; ``key`` names its cause (one message per cause and recipient: asked
    twice, it is written once). The queue worker claims it (``pending`` -> ``sending``), sends it and
    marks it ``sent``; a failure puts it back to ``pending`` until ``MAX_ATTEMPTS`` (web.mail)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(200), unique=True)
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    to_addr: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[str] = mapped_column(sa.String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    send_after: Mapped[dt.date | None]  # reminders wait for their day
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    claimed_by: Mapped[str] = mapped_column(sa.String(120), default="")  # the worker sending it ("host:pid")
    sent_at: Mapped[dt.datetime | None]
