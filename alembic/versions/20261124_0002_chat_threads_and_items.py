"""chat threads and items

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 00:29:13.740371
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('chat_thread',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('status', sa.JSON(), nullable=False),
    sa.Column('metadata', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chat_thread_user_created', 'chat_thread', ['user_id', 'created_at', 'id'], unique=False)

    op.create_table('chat_item',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('thread_id', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['chat_thread.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_chat_item_thread_created', 'chat_item', ['thread_id', 'user_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_chat_item_user', 'chat_item', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_chat_item_user', table_name='chat_item')
    op.drop_index('ix_chat_item_thread_created', table_name='chat_item')
    op.drop_table('chat_item')
    op.drop_index('ix_chat_thread_user_created', table_name='chat_thread')
    op.drop_table('chat_thread')
