"""The ten-turn conversation with a real-model API over the CLI and POST /chatkit, and `cli eval`.

Same fake model server and script as test_real_models.py (tests/ten_turns.py); here the
turns go through the user-facing entry points: the command line as a user types it and
the HTTP endpoint the ChatKit web component calls.
"""

from __future__ import annotations

import io
import json
import re

import pytest

from tests.fake_openai import FakeOpenAI, reply, tool_call
from tests.ten_turns import FINAL, REPLIES, TURNS, final_state
from todochat import cli
from todochat.auth.accounts import Auth
from todochat.chat.client import decode_sse, user_input


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


@pytest.fixture(params=["chat_completions", "responses"])
def model_settings(request, make_settings, fake):
    return make_settings(
        TODOCHAT_MODEL="openai:gpt-test", OPENAI_API_KEY="sk-test", OPENAI_BASE_URL=fake.base_url,
        OPENAI_API=request.param, MODEL_TIMEOUT_SECONDS=10,
    )


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    out = io.StringIO()
    code = cli.main(args, out=out)
    return code, out.getvalue(), capsys.readouterr().err


def test_ten_turns_through_the_cli(model_settings, fake, db_url, monkeypatch, capsys):
    monkeypatch.setattr(cli, "settings", model_settings)
    base = ["--db", db_url, "--user", "ada@example.com", "--now", "2026-11-23T10:00", "--tz", "UTC"]
    thread: list[str] = []
    for (text, steps), expected_reply in zip(TURNS, REPLIES):
        fake.script(*steps)
        code, out, err = run_cli([*base, "say", text, *thread], capsys)
        assert code == 0 and expected_reply in out, (text, out, err)
        if not thread:
            thread = ["--thread", re.search(r"\(thread (\S+)\)", err).group(1)]
    code, out, _ = run_cli([*base, "tasks", "--json"], capsys)
    assert final_state(json.loads(out)) == FINAL
    assert fake.pending == 0 and fake.unexpected == []


async def test_ten_turns_through_post_chatkit(model_settings, fake, engine, client_for, signup):
    client = client_for(Auth(engine, model_settings))
    ada = await signup(client)
    thread_id = None
    for (text, steps), expected_reply in zip(TURNS, REPLIES):
        fake.script(*steps)
        if thread_id is None:
            request = {"type": "threads.create", "params": {"input": user_input(text)}}
        else:
            request = {"type": "threads.add_user_message", "params": {"thread_id": thread_id, "input": user_input(text)}}
        response = await client.post("/chatkit", json=request, headers=ada.headers)
        assert response.status_code == 200
        events = decode_sse(response.content)
        assert not [e for e in events if e.type == "error"], text
        said = [e.item for e in events if e.type == "thread.item.done" and e.item.type == "assistant_message"]
        assert [m.content[0].text for m in said] == [expected_reply]
        thread_id = thread_id or events[0].thread.id
    tasks = (await client.get("/api/tasks?status=all", headers=ada.headers)).json()["items"]
    assert final_state(tasks) == FINAL


def test_eval_scores_a_configured_model(model_settings, fake, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(cli, "settings", model_settings)
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        "\n".join(
            json.dumps(case)
            for case in [
                {"id": "right", "given": [], "say": "add buy milk", "expect": {"count": 1, "tasks": [{"title": "buy milk"}]}},
                {"id": "wrong", "given": [], "say": "add pay rent", "expect": {"tasks": [{"title": "pay rent"}]}},
            ]
        )
    )
    fake.script(
        tool_call("add_tasks", {"tasks": [{"title": "buy milk"}]}), reply("Added."),
        tool_call("add_tasks", {"tasks": [{"title": "pay the rent"}]}), reply("Added."),
    )
    code, out, _ = run_cli(["eval", str(cases)], capsys)
    assert code == 0
    assert "wrong" in out and "right" not in out.replace("score", "")
    assert out.strip().splitlines()[-1] == "score: 1/2 (50.0%) with openai:gpt-test"

