"""The OpenAPI document tells the truth: task routes declare the task they return, and
their error shape (issue 9, "Also"). A response that broke its schema would be a 500."""

from __future__ import annotations


async def test_task_routes_declare_their_responses(client):
    spec = (await client.get("/openapi.json")).json()
    task = spec["components"]["schemas"]["TaskOut"]
    assert set(task["properties"]) == {
        "id", "title", "notes", "completed", "priority", "due", "tags", "recurrence", "recurrence_text", "position",
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


async def test_auth_routes_declare_their_requests_and_responses(client):
    spec = (await client.get("/openapi.json")).json()
    paths, schemas = spec["paths"], spec["components"]["schemas"]

    def response_ref(path: str, method: str, status: str) -> str:
        return paths[path][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]

    def body_ref(path: str, method: str) -> str:
        return paths[path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]

    assert body_ref("/api/auth/sign-up/email", "post").endswith("/SignUpBody")
    assert body_ref("/api/auth/sign-in/email", "post").endswith("/SignInBody")
    expected = {
        ("/api/auth/sign-up/email", "post"): "SignedInOut",
        ("/api/auth/sign-in/email", "post"): "SignedInOut",
        ("/api/auth/get-session", "get"): "SessionOut",
        ("/api/auth/token", "get"): "TokenOut",
        ("/api/auth/chatkit-token", "post"): "ChatKitTokenOut",
        ("/api/auth/sign-out", "post"): "SuccessOut",
        ("/api/auth/revoke-sessions", "post"): "StatusOut",
        ("/api/auth/jwks", "get"): "JwksOut",
        ("/health", "get"): "HealthOut",
        ("/chatkit/mentions", "get"): "Mentions",
    }
    for (path, method), model in expected.items():
        assert response_ref(path, method, "200").endswith(f"/{model}"), (path, model)
    assert response_ref("/health", "get", "503").endswith("/HealthOut")
    assert set(schemas["UserOut"]["properties"]) == {
        "id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"
    }
    assert "set-auth-jwt" in paths["/api/auth/sign-in/email"]["post"]["responses"]["200"]["headers"]

    # Errors: the one shape the handlers send, never FastAPI's default {"detail": ...}.
    errors = {
        ("/api/auth/sign-up/email", "post"): {"400", "413", "422", "429", "503"},
        ("/api/auth/sign-in/email", "post"): {"400", "401", "413", "422", "429", "503"},
        ("/api/auth/get-session", "get"): {"401"},
        ("/api/auth/token", "get"): {"401"},
        ("/api/auth/chatkit-token", "post"): {"401"},
        ("/api/auth/sign-out", "post"): {"401"},
        ("/api/auth/revoke-sessions", "post"): {"401"},
        ("/chatkit/mentions", "get"): {"401", "422"},
    }
    for (path, method), statuses in errors.items():
        responses = paths[path][method]["responses"]
        assert statuses <= set(responses), (path, statuses - set(responses))
        for status in statuses:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ValidationErrorOut" if status == "422" else "/ErrorOut"), (path, status)
    assert "Retry-After" in paths["/api/auth/sign-in/email"]["post"]["responses"]["429"]["headers"]
    assert "HTTPValidationError" not in schemas

    # The bearer token is declared, on the routes that need one and not on those that don't.
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"].lower() == "bearer"
    for path, method in [("/api/auth/get-session", "get"), ("/api/auth/token", "get"), ("/api/auth/sign-out", "post"),
                         ("/api/auth/revoke-sessions", "post"), ("/api/auth/chatkit-token", "post"),
                         ("/api/tasks", "get"), ("/chatkit", "post"), ("/chatkit/mentions", "get")]:
        assert paths[path][method].get("security") == [{"HTTPBearer": []}], (path, method)
    for path, method in [("/api/auth/sign-up/email", "post"), ("/api/auth/sign-in/email", "post"),
                         ("/api/auth/jwks", "get"), ("/health", "get")]:
        assert "security" not in paths[path][method], (path, method)


async def test_auth_responses_match_what_the_document_says(client, signup):
    ada = await signup(client, email="ada@example.com")
    assert set(ada.user) == {"id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"}
    signed_in = await client.post("/api/auth/sign-in/email", json={"email": "ada@example.com",
                                                                 "password": "correct-horse-42"})
    assert signed_in.status_code == 200
    assert set(signed_in.json()) == {"token", "user"}
    assert signed_in.headers["set-auth-jwt"] == signed_in.json()["token"]
    assert set((await client.get("/api/auth/get-session", headers=ada.headers)).json()) == {"user"}
    assert set((await client.get("/api/auth/token", headers=ada.headers)).json()) == {"token"}
    assert set((await client.post("/api/auth/chatkit-token", headers=ada.headers)).json()) == {"token", "expiresIn"}
    keys = (await client.get("/api/auth/jwks")).json()["keys"]
    assert keys and {"alg", "crv", "x", "kty", "kid"} <= set(keys[0])
    assert (await client.get("/health")).json() == {"status": "ok", "database": True, "redis": None}
    assert (await client.post("/api/auth/sign-out", headers=ada.headers)).json() == {"success": True}
    refused = await client.get("/api/auth/get-session", headers=ada.headers)
    assert refused.status_code == 401 and refused.json() == {"message": "Unauthorized", "code": "UNAUTHORIZED"}


async def test_recurrence_is_documented_as_a_repeat_rule(client):
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    for body in ("TaskCreate", "TaskPatch"):
        [rule] = [s for s in schemas[body]["properties"]["recurrence"]["anyOf"] if s.get("type") == "string"]
        assert rule["maxLength"] == 200
        assert "RFC 5545 RRULE such as FREQ=WEEKLY;INTERVAL=2;BYDAY=TU" in rule["description"]
        assert "daily/weekdays/weekly/monthly/yearly" in rule["description"]
    assert "recurrence_text" in schemas["TaskOut"]["properties"]
