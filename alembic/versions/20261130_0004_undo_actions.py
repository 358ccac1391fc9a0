"""undo_action: what an Undo button does, kept on the server (the button carries a token)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 04:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'undo_action',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token'),
    )
    op.create_index('ix_undo_action_user_expires', 'undo_action', ['user_id', 'expires_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_undo_action_user_expires', table_name='undo_action')
    op.drop_table('undo_action')
