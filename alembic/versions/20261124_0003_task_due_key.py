"""task.due_key: the due order as one indexed column

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 01:45:00
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

NO_DUE_KEY = dt.datetime(9999, 12, 31, 23, 59, 59)


def upgrade() -> None:
    # SQLite rebuilds the table here: keep its AUTOINCREMENT (ids are never reused).
    with op.batch_alter_table('task', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('due_key', sa.DateTime(), nullable=True))

    # Backfill in Python: the same rule as todochat.models.due_key_of, on both databases.
    task = sa.table('task', sa.column('id', sa.Integer), sa.column('due_date', sa.Date),
                    sa.column('due_time', sa.Time), sa.column('due_key', sa.DateTime))
    bind = op.get_bind()
    bind.execute(task.update().where(task.c.due_date.is_(None)).values(due_key=NO_DUE_KEY))
    rows = bind.execute(sa.select(task.c.id, task.c.due_date, task.c.due_time).where(task.c.due_date.is_not(None)))
    for task_id, due_date, due_time in rows.all():
        key = dt.datetime.combine(due_date, due_time or dt.time(23, 59, 59))
        bind.execute(task.update().where(task.c.id == task_id).values(due_key=key))

    # SQLite rebuilds the table here: keep its AUTOINCREMENT (ids are never reused).
    with op.batch_alter_table('task', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('due_key', existing_type=sa.DateTime(), nullable=False)
        batch_op.drop_index('ix_task_user_completed_due')
        batch_op.create_index('ix_task_user_completed_due_key', ['user_id', 'completed', 'due_key', 'id'], unique=False)
        batch_op.create_index('ix_task_user_due_key', ['user_id', 'due_key', 'id'], unique=False)


def downgrade() -> None:
    # SQLite rebuilds the table here: keep its AUTOINCREMENT (ids are never reused).
    with op.batch_alter_table('task', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_index('ix_task_user_due_key')
        batch_op.drop_index('ix_task_user_completed_due_key')
        batch_op.create_index('ix_task_user_completed_due', ['user_id', 'completed', 'due_date'], unique=False)
        batch_op.drop_column('due_key')
