"""merge incidents and norm drafts

Revision ID: 0005
Revises: 0004_incidents, 0004_statements
Create Date: 2026-11-29 12:52:37.664040
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import bot.storage.base
import monitors.sqltypes

revision = '0005'
down_revision = ('0004_incidents', '0004_statements')
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
