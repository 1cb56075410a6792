"""Signing in and out (Flask-Login, Werkzeug password hashes).

Guessing is slowed per account and per address (Flask-Limiter: failed attempts only, limits
``TOURNEE_LOGIN_RATE_LIMIT_ACCOUNT`` and ``TOURNEE_LOGIN_RATE_LIMIT_ADDRESS``), and an unknown
account costs the same password hash as a known one, so that the answer's time does not tell which
accounts exist. Signing out revokes every session and remember-me cookie of the account (its
``session_generation``), so that a copied cookie stops working too; a new password does the same.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from web.extensions import db, limiter
from web.models import User

bp = Blueprint("auth", __name__)
ACCOUNT_LIMIT = "10 per 15 minutes"  # failed sign-ins of one account, from anywhere
ADDRESS_LIMIT = "30 per 15 minutes"  # failed sign-ins from one address, whatever the account
MAX_NEXT = 2000


class LoginForm(FlaskForm):
    email = EmailField("Adresse e-mail", validators=[DataRequired("Saisissez votre adresse e-mail."), Length(max=254)])
    password = PasswordField("Mot de passe", validators=[DataRequired("Saisissez votre mot de passe."), Length(max=1024)])
    remember = BooleanField("Rester connecté sur cet appareil")


def _account_key() -> str:
    return "connexion:" + (request.form.get("email") or "").strip().lower()[:254]


def _account_limit() -> str:
    return current_app.config.get("TOURNEE_LOGIN_RATE_LIMIT_ACCOUNT") or os.environ.get(
        "TOURNEE_LOGIN_RATE_LIMIT_ACCOUNT", ACCOUNT_LIMIT)


def _address_limit() -> str:
    return current_app.config.get("TOURNEE_LOGIN_RATE_LIMIT_ADDRESS") or os.environ.get(
        "TOURNEE_LOGIN_RATE_LIMIT_ADDRESS", ADDRESS_LIMIT)


def _failed(response) -> bool:
    """Only a refused sign-in counts (a success redirects)."""
    return response.status_code != 302


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash of a random password, checked for unknown accounts: same method and cost as a real one."""
    return generate_password_hash(secrets.token_urlsafe(16))


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_failed)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("scenarios.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(db.select(User).filter_by(email=form.email.data.strip().lower()))
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)  # as long as a wrong password
        elif user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")))
        flash("Adresse e-mail ou mot de passe incorrect.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/deconnexion")
@login_required
def logout():
    current_user.revoke_sessions()  # every copy of this account's cookies, on every device
    db.session.commit()
    logout_user()
    flash("Vous êtes déconnecté.", "info")
    return redirect(url_for("auth.login"))


def safe_next(target: str | None) -> str:
    """Only a path on this site, of printable characters: never an open redirect to another host,
    nor a header split by a line break."""
    if (target and len(target) <= MAX_NEXT and target.startswith("/") and not target.startswith("//")
            and target.isprintable() and "\\" not in target and not urlsplit(target).netloc):
        return target
    return url_for("scenarios.index")



def create_user(email: str, password: str) -> User:
    user = User(email=email.strip().lower())
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def change_password(user: User, password: str) -> None:
    """A new password; every session and remember-me cookie of the account stops working."""
    user.set_password(password)
    db.session.commit()
