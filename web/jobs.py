"""A solve job's page, its progress as JSON for the polling script, and its cancel button."""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import login_required

from web.access import owned
from web.extensions import db
from web.forms import PostForm
from web.models import SolveJob, utcnow

bp = Blueprint("jobs", __name__)
STATUS_LABELS = {"queued": "en attente", "running": "en cours", "done": "terminé", "failed": "échoué",
                 "cancelled": "arrêté à votre demande", "interrupted": "interrompu"}  # its error says by what
# Each phase the planner reports (planner.core.control.PHASES, checked by a test), and the wait before it.
PHASE_LABELS = {
    "model": "préparation du modèle",
    "greedy": "plan glouton de départ",
    "aggregate": "modèle agrégé (combien de jours par commune)",
    "season": "modèle de saison (quelles dates)",
    "dating": "choix des dates",
    "local_search": "amélioration arrêt par arrêt",
    "sequencing": "ordre des tournées",
    "repair": "réparation",
    "replan": "re-planification au plus près du plan précédent",
    "done": "terminé",
    "queued": "en attente d'un calculateur",
}


def phase_label(phase: str) -> str:
    return PHASE_LABELS.get(phase, phase)


@bp.get("/calculs/<int:job_id>")
@login_required
def show(job_id: int):
    job = owned(SolveJob, job_id)
    return render_template("jobs/show.html", job=job, status=progress(job), form=PostForm(), phase_label=phase_label,
                           status_labels=STATUS_LABELS)


@bp.get("/calculs/<int:job_id>/etat.json")
@login_required
def status(job_id: int):
    return jsonify(progress(owned(SolveJob, job_id)))


def progress(job: SolveJob) -> dict:
    """What the polling script shows; a running job's time runs on between the planner's events."""
    plan_id = job.plan.id if job.plan is not None else None
    elapsed = job.elapsed_s or 0.0
    if job.status == "running" and job.started_at is not None:
        elapsed = max(elapsed, (utcnow() - job.started_at).total_seconds())
    return {
        "id": job.id, "status": job.status, "status_label": STATUS_LABELS.get(job.status, job.status),
        "finished": job.finished, "cancel_requested": job.cancel_requested,
        "phase": job.phase, "phase_label": phase_label(job.phase), "solutions": job.solutions,
        "objective": job.objective, "bound": job.bound, "gap": job.gap, "elapsed_s": round(elapsed, 1),
        "error": job.error, "plan_id": plan_id,
        "plan_url": url_for("plans.show", plan_id=plan_id) if plan_id else None,
    }


@bp.post("/calculs/<int:job_id>/annuler")
@login_required
def cancel(job_id: int):
    job = owned(SolveJob, job_id)
    if not PostForm().validate_on_submit():
        abort(400)
    if job.status == "queued":
        job.status, job.cancel_requested = "cancelled", True
        flash("Calcul annulé avant son début.", "info")
    elif job.status == "running":
        job.cancel_requested = True  # the page says so while the solve winds down
    db.session.commit()
    return redirect(url_for("jobs.show", job_id=job.id))
