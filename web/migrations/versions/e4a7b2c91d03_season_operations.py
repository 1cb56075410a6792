"""host links, host sites, workshop outcomes, date change requests and the mail outbox (running a season)

Revision ID: e4a7b2c91d03
Revises: 7d3c9a41e2b5
Create Date: 2026-12-04 18:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e4a7b2c91d03'
down_revision = '7d3c9a41e2b5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'host_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.Integer(), sa.ForeignKey('scenarios.id'), nullable=False),
        sa.Column('insee', sa.String(length=5), nullable=False),
        sa.Column('token', sa.String(length=64), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token'),
    )
    op.create_index('ix_host_links_scenario_id', 'host_links', ['scenario_id'])
    op.create_index('ix_host_links_insee', 'host_links', ['insee'])
    op.create_table(
        'host_sites',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.Integer(), sa.ForeignKey('scenarios.id'), nullable=False),
        sa.Column('insee', sa.String(length=5), nullable=False),
        sa.Column('host_site', sa.String(length=200), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('parking_power', sa.Boolean(), nullable=False),
        sa.Column('toilets', sa.Boolean(), nullable=False),
        sa.Column('room', sa.Boolean(), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('scenario_id', 'insee'),
    )
    op.create_index('ix_host_sites_scenario_id', 'host_sites', ['scenario_id'])
    op.create_table(
        'workshop_outcomes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.Integer(), sa.ForeignKey('scenarios.id'), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('vehicle', sa.String(length=120), nullable=False),
        sa.Column('insee', sa.String(length=5), nullable=False),
        sa.Column('workshop', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('signups', sa.Integer(), nullable=True),
        sa.Column('waiting', sa.Integer(), nullable=True),
        sa.Column('participants', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('entered_by', sa.String(length=20), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('scenario_id', 'date', 'vehicle', 'insee', 'workshop'),
    )
    op.create_index('ix_workshop_outcomes_scenario_id', 'workshop_outcomes', ['scenario_id'])
    op.create_table(
        'date_change_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scenario_id', sa.Integer(), sa.ForeignKey('scenarios.id'), nullable=False),
        sa.Column('insee', sa.String(length=5), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_date_change_requests_scenario_id', 'date_change_requests', ['scenario_id'])
    op.create_table(
        'outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('owner_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('to_addr', sa.String(length=254), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('text_body', sa.Text(), nullable=False),
        sa.Column('html_body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('send_after', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('claimed_by', sa.String(length=120), nullable=False, server_default=''),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_index('ix_outbox_owner_id', 'outbox', ['owner_id'])
    op.create_index('ix_outbox_status', 'outbox', ['status'])


def downgrade():
    for index, table in (('ix_outbox_status', 'outbox'), ('ix_outbox_owner_id', 'outbox')):
        op.drop_index(index, table_name=table)
    op.drop_table('outbox')
    op.drop_index('ix_date_change_requests_scenario_id', table_name='date_change_requests')
    op.drop_table('date_change_requests')
    op.drop_index('ix_workshop_outcomes_scenario_id', table_name='workshop_outcomes')
    op.drop_table('workshop_outcomes')
    op.drop_index('ix_host_sites_scenario_id', table_name='host_sites')
    op.drop_table('host_sites')
    op.drop_index('ix_host_links_insee', table_name='host_links')
    op.drop_index('ix_host_links_scenario_id', table_name='host_links')
    op.drop_table('host_links')
