"""cat number counters and saga effects

CAT numbers come from a per-year counter row (seeded from the CATs already there) instead of max(seq)+1;
each external effect of the activation saga is recorded (intent, then outcome). Activations that finished
before this revision get their new last step ("notify") marked done, so nobody is told twice.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 15:30:00
"""
from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import bot.storage.base

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    counters = op.create_table('cat_number_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_cat_number_counters'))
    )
    op.create_table('cat_saga_effects',
    sa.Column('cat_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('updated_at', bot.storage.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cat_id'], ['cats.id'], name=op.f('fk_cat_saga_effects_cat_id_cats')),
    sa.PrimaryKeyConstraint('cat_id', 'key', name=op.f('pk_cat_saga_effects'))
    )
    bind = op.get_bind()
    years = bind.execute(sa.text("SELECT year, max(seq) FROM cats GROUP BY year")).all()
    if years:
        op.bulk_insert(counters, [{"year": year, "last_seq": seq} for year, seq in years])
    steps = sa.table('cat_saga_steps', sa.column('cat_id', sa.Integer()), sa.column('step', sa.String()),
                     sa.column('completed_at', bot.storage.base.UTCDateTime(timezone=True)),
                     sa.column('result', sa.JSON()))
    finished = bind.execute(sa.text("SELECT cat_id FROM cat_saga_steps WHERE step = 'reminders'")).scalars().all()
    if finished:
        now = datetime.now(UTC)
        op.bulk_insert(steps, [{"cat_id": cat_id, "step": "notify", "completed_at": now,
                                "result": {"before_revision_0006": True}} for cat_id in finished])


def downgrade() -> None:
    op.execute("DELETE FROM cat_saga_steps WHERE step = 'notify'")
    op.drop_table('cat_saga_effects')
    op.drop_table('cat_number_counters')
