"""users.session_generation: signing out or changing the password revokes every session and remember-me cookie

Revision ID: 7d3c9a41e2b5
Revises: 5b8e2f1c9d40
Create Date: 2026-12-03 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '7d3c9a41e2b5'
down_revision = '5b8e2f1c9d40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
