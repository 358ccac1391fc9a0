"""The compiled widget renderer: one memo per level, so its size grows linearly with depth."""

from __future__ import annotations

import re

from reflex.compiler.compiler import compile_memo_components
from reflex_base.components.memo import MEMOS

from todochat.ui.components import widget_renderer
from todochat.ui.widget_view import MAX_DEPTH


def _compiled() -> str:
    ours = [d for d in MEMOS.values() if d.export_name.startswith(("WidgetLevel", "WidgetLeaf", "WidgetIcon"))]
    files, _ = compile_memo_components(ours)
    return "\n".join(code for _, code in files)


def _level_sources(code: str) -> dict[int, str]:
    """The source of each level component, by its depth."""
    chunks = code.split("export const ")[1:]
    return {
        int(match.group(1)): chunk
        for chunk in chunks
        if (match := re.match(r"WidgetLevel(\d+)_", chunk))
    }


def test_every_level_is_compiled_once_and_draws_the_next():
    code = _compiled()
    levels = _level_sources(code)
    assert sorted(levels) == list(range(MAX_DEPTH)) and len(widget_renderer.LEVELS) == MAX_DEPTH
    for depth in range(MAX_DEPTH - 1):
        assert re.search(rf"WidgetLevel{depth + 1}_\w+", levels[depth]), f"level {depth} does not draw level {depth + 1}"
    # The last level draws its children as leaves; no level ever inlines another.
    assert "WidgetLeaf" in levels[MAX_DEPTH - 1]
    assert all(src.count(" = memo(") == 1 for src in levels.values())


def test_compiled_size_grows_linearly_with_depth():
    levels = _level_sources(_compiled())
    sizes = [len(levels[d]) for d in range(MAX_DEPTH - 1)]  # the last one has no next level
    # Every level adds the same amount: a renderer twice as deep is twice the code, not 2^depth.
    assert max(sizes) - min(sizes) <= 10, sizes
    assert max(sizes) < 5_000
