"""auth_session: every token this app signs belongs to a session that can end

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'auth_session',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_auth_session_user', 'auth_session', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_auth_session_user', table_name='auth_session')
    op.drop_table('auth_session')
