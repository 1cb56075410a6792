"""imported_outcomes: the outcomes file imported on a published plan's season report, kept for its page, workbook and next season

Revision ID: b6d1f0a83c27
Revises: e4a7b2c91d03
Create Date: 2026-12-04 22:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b6d1f0a83c27'
down_revision = 'e4a7b2c91d03'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'imported_outcomes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), sa.ForeignKey('plans.id'), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.Column('imported_by', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('plan_id'),
    )


def downgrade():
    op.drop_table('imported_outcomes')
