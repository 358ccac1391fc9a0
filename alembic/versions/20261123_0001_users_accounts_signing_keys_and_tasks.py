"""users, accounts, signing keys and tasks

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 23:53:29.657984
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database Better Auth created already has its user/account/jwks tables: use them.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'jwks' not in existing:
        _create_jwks()
    if 'user' not in existing:
        _create_user()
    if 'account' not in existing:
        _create_account()
    _create_task()


def _create_jwks() -> None:
    op.create_table('jwks',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('publicKey', sa.Text(), nullable=False),
    sa.Column('privateKey', sa.Text(), nullable=False),
    sa.Column('createdAt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expiresAt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('alg', sa.Text(), nullable=True),
    sa.Column('crv', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )


def _create_user() -> None:
    op.create_table('user',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('emailVerified', sa.Boolean(), nullable=False),
    sa.Column('image', sa.Text(), nullable=True),
    sa.Column('createdAt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updatedAt', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )


def _create_account() -> None:
    op.create_table('account',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('accountId', sa.Text(), nullable=False),
    sa.Column('providerId', sa.Text(), nullable=False),
    sa.Column('userId', sa.Text(), nullable=False),
    sa.Column('accessToken', sa.Text(), nullable=True),
    sa.Column('refreshToken', sa.Text(), nullable=True),
    sa.Column('idToken', sa.Text(), nullable=True),
    sa.Column('accessTokenExpiresAt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refreshTokenExpiresAt', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scope', sa.Text(), nullable=True),
    sa.Column('password', sa.Text(), nullable=True),
    sa.Column('createdAt', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updatedAt', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['userId'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.create_index('account_userId_idx', ['userId'], unique=False)


def _create_task() -> None:
    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('completed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('priority', sa.String(length=6), server_default='medium', nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('due_time', sa.Time(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=False),
    sa.Column('recurrence', sa.String(length=8), nullable=True),
    sa.Column('spawned_from_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Float(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['spawned_from_id'], ['task.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index('ix_task_user_completed_due', ['user_id', 'completed', 'due_date'], unique=False)
        batch_op.create_index('ix_task_user_created', ['user_id', 'created_at'], unique=False)
        batch_op.create_index('ix_task_user_position', ['user_id', 'position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index('ix_task_user_position')
        batch_op.drop_index('ix_task_user_created')
        batch_op.drop_index('ix_task_user_completed_due')

    op.drop_table('task')
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_index('account_userId_idx')

    op.drop_table('account')
    op.drop_table('user')
    op.drop_table('jwks')
