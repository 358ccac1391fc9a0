"""The OpenAPI document tells the truth: task routes declare the task they return, and
their error shape (issue 9, "Also"). A response that broke its schema would be a 500."""

from __future__ import annotations


async def test_task_routes_declare_their_responses(client):
    spec = (await client.get("/openapi.json")).json()
    task = spec["components"]["schemas"]["TaskOut"]
    assert set(task["properties"]) == {
        "id", "title", "notes", "completed", "priority", "due", "tags", "recurrence", "position",
        "created_at", "updated_at", "completed_at",
    }
    one = spec["paths"]["/api/tasks/{task_id}"]["get"]["responses"]
    assert one["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/TaskOut")
    assert one["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    listed = spec["paths"]["/api/tasks"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert listed["$ref"].endswith("/TaskPageOut")
    done = spec["paths"]["/api/tasks/{task_id}/complete"]["post"]["responses"]["200"]
    assert done["content"]["application/json"]["schema"]["$ref"].endswith("/CompletedOut")


async def test_responses_match_what_the_document_says(client, signup):
    ada = await signup(client)
    created = (await client.post("/api/tasks", json={"title": "pay rent", "recurrence": "monthly", "due": "2026-11-30"},
                                 headers=ada.headers)).json()
    done = (await client.post(f"/api/tasks/{created['id']}/complete", headers=ada.headers)).json()
    assert set(done) == {"task", "next"} and done["next"]["due"] == "2026-12-31"
    bulk = (await client.post("/api/tasks/bulk", json={"action": "delete", "ids": [created["id"]]},
                              headers=ada.headers)).json()
    assert bulk == {"deleted": [created["id"]]}
