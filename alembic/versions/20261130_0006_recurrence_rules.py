"""task.recurrence: an RFC 5545 RRULE instead of one of five words

Upgrade widens the column from 8 to 200 characters and rewrites the five words the
first version stored as the rules they meant (daily -> FREQ=DAILY, weekdays ->
FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR, ...), on SQLite and PostgreSQL alike.

Downgrade maps those five rules back to their words. Any other rule (every other
Tuesday, the third Friday of the month, a COUNT or UNTIL) has no word in the old schema:
it is set to NULL, so those tasks stop repeating. Nothing else about them is lost.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

# A copy, not an import: a migration must keep meaning what it meant when it was written
# (todochat.recurrence.LEGACY_WORDS and RULE_MAX may change later).
LEGACY_WORDS = {
    'daily': 'FREQ=DAILY',
    'weekdays': 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR',
    'weekly': 'FREQ=WEEKLY',
    'monthly': 'FREQ=MONTHLY',
    'yearly': 'FREQ=YEARLY',
}
RULE_MAX = 200

task = sa.table('task', sa.column('recurrence', sa.String))


def upgrade() -> None:
    # SQLite rebuilds the table here: keep its AUTOINCREMENT (ids are never reused).
    with op.batch_alter_table('task', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('recurrence', existing_type=sa.String(length=8),
                              type_=sa.String(length=RULE_MAX), existing_nullable=True)
    for word, rule in LEGACY_WORDS.items():
        op.execute(task.update().where(task.c.recurrence == word).values(recurrence=rule))


def downgrade() -> None:
    for word, rule in LEGACY_WORDS.items():
        op.execute(task.update().where(task.c.recurrence == rule).values(recurrence=word))
    # Every other rule has no word: those tasks stop repeating (see the docstring).
    op.execute(task.update().where(task.c.recurrence.not_in(list(LEGACY_WORDS))).values(recurrence=None))
    with op.batch_alter_table('task', schema=None, table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.alter_column('recurrence', existing_type=sa.String(length=RULE_MAX),
                              type_=sa.String(length=8), existing_nullable=True)
