"""Flask extensions, created unbound here and bound to the app in ``create_app``."""

from __future__ import annotations

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so that migrations can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s", "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
          "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
# WTForms' own messages (too long, not a valid choice, ...) in French, from the translations it ships;
# the app sets WTF_I18N_ENABLED=False so that Flask-WTF uses them rather than Flask-Babel's.
FlaskForm.Meta.locales = ("fr_FR", "fr")
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
# Rate limits of the public form and of signing in (bound to the app by web.requests_form.init_app).
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)
login_manager.login_view = "auth.login"
login_manager.login_message = "Connectez-vous pour accéder à cette page."
login_manager.login_message_category = "info"
