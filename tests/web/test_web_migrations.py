"""The migrations build exactly the models' schema, on a fresh SQLite database (and PostgreSQL:
tests/web/conftest.py BOTH_DATABASES)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from web import MIGRATIONS_DIR
from web.extensions import db


def test_migration_head_equals_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, db.metadata) == []
        assert context.get_current_revision() is not None


def test_imported_outcomes_migration_goes_down_and_up(app):
    """The newest migration (the season report's imported outcomes) undoes and redoes cleanly."""
    with app.app_context():
        assert "imported_outcomes" in sa.inspect(db.engine).get_table_names()
        downgrade(directory=MIGRATIONS_DIR, revision="e4a7b2c91d03")
        assert "imported_outcomes" not in sa.inspect(db.engine).get_table_names()
        upgrade(directory=MIGRATIONS_DIR)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"render_as_batch": True})
            assert compare_metadata(context, db.metadata) == []
