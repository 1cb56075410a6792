"""solve jobs record the worker running them and its heartbeat

Revision ID: 5b8e2f1c9d40
Revises: a371c156af90
Create Date: 2026-12-03 08:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b8e2f1c9d40'
down_revision = 'a371c156af90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('solve_jobs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('worker', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('solve_jobs', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('worker')
