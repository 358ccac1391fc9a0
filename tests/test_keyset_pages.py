"""todochat.keyset on a real (in-memory SQLite) table: following pages from the last row of
each one reads every row exactly once, in the order asked for, whatever the ties."""

from __future__ import annotations

import itertools
import random

import pytest
import sqlalchemy as sa

from todochat.keyset import Key, ordered_page, page_size, rows_after, split_page

ROWS = [(n, random.Random(n).choice("abc"), random.Random(-n).randint(0, 3)) for n in range(1, 41)]


@pytest.fixture(scope="module")
def table():
    engine = sa.create_engine("sqlite://")
    metadata = sa.MetaData()
    rows = sa.Table(
        "rows", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("word", sa.Text, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(rows.insert(), [{"id": i, "word": w, "rank": r} for i, w, r in ROWS])
    yield engine, rows
    engine.dispose()


def every_page(engine, table, keys: list[Key], size: int) -> list[list[int]]:
    pages: list[list[int]] = []
    last = None
    with engine.connect() as connection:
        for _ in range(len(ROWS) + 2):  # bounded: a keyset bug fails instead of looping
            query = sa.select(table.c.id, table.c.word, table.c.rank)
            if last is not None:
                query = query.where(rows_after(keys, [getattr(last, k.expr.name) for k in keys]))
            rows, more = split_page(connection.execute(ordered_page(query, keys, size)).all(), size)
            pages.append([row.id for row in rows])
            if not more:
                return pages
            last = rows[-1]
    raise AssertionError("paging did not end")


def expected(keys: list[Key]) -> list[int]:
    index = {"id": 0, "word": 1, "rank": 2}
    ordered = list(ROWS)
    for key in reversed(keys):  # stable sorts, last key first
        ordered.sort(key=lambda row: row[index[key.expr.name]], reverse=key.descending)
    return [row[0] for row in ordered]


@pytest.mark.parametrize("directions", list(itertools.product((False, True), repeat=3)))
@pytest.mark.parametrize("size", [1, 3, 7, 40, 100])
def test_pages_in_any_mix_of_directions_read_every_row_once_in_order(table, directions, size):
    engine, rows = table
    word_down, rank_down, id_down = directions
    keys = [Key(rows.c.word, word_down), Key(rows.c.rank, rank_down, sa.Integer()), Key(rows.c.id, id_down)]
    pages = every_page(engine, rows, keys, size)
    assert [row for page in pages for row in page] == expected(keys)
    assert all(len(page) == size for page in pages[:-1]) and 0 < len(pages[-1]) <= size


def test_page_size_is_what_was_asked_within_one_and_the_most():
    assert [page_size(n, 50) for n in (-3, 0, 1, 20, 50, 51, 10**9)] == [1, 1, 1, 20, 50, 50, 50]


def test_split_page_says_whether_more_rows_follow():
    assert split_page([1, 2, 3, 4], 3) == ([1, 2, 3], True)
    assert split_page([1, 2, 3], 3) == ([1, 2, 3], False)
    assert split_page([], 3) == ([], False)
