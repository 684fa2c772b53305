"""slack seen requests

Signed requests already let through, keyed by a hash of (timestamp, signature), so a replay within Slack's
five-minute window is acknowledged and dropped; the retention job purges rows older than a day.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 18:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('slack_seen_requests',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('received_at', bot.storage.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_slack_seen_requests'))
    )


def downgrade() -> None:
    op.drop_table('slack_seen_requests')
