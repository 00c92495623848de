"""The HTTP service in-process (httpx over ASGI): answers, documented policies, and a 4xx for every bad request."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from nextwatch.recommend import Recommender
from nextwatch.serving import create_app

# The tiny checkpoint of tests/conftest.py.
SHOW_IDS = (10, 20, 30, 40, 50, 60)
SEEN = {3: (10, 30), 8: (20,), 11: (10, 20, 40, 50)}


class AsgiClient:
    """A synchronous client that calls the app in-process through httpx's ASGI transport.

    starlette's TestClient warns about httpx at import (an error under filterwarnings=error), so we call httpx here.
    An exception escaping the app comes back as a 500, so a test sees it as a status, not a traceback.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://nextwatch.test") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(send())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@pytest.fixture(scope="module")
def recommender(tiny_checkpoint_path: Path) -> Recommender:
    return Recommender.from_checkpoint(tiny_checkpoint_path)


@pytest.fixture(scope="module")
def client(recommender: Recommender) -> AsgiClient:
    return AsgiClient(create_app(recommender))


def test_health_describes_the_loaded_checkpoint(client: AsgiClient) -> None:
    """GET /health is 200 with the checkpoint's name and sizes."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": "0.1.0",
        "checkpoint": "tiny",
        "shows": 6,
        "viewers": 3,
        "window": 3,
    }


def test_user_recommendations_match_the_python_api(client: AsgiClient, recommender: Recommender) -> None:
    """GET /v1/users/{id}/recommendations returns what Recommender.recommend returns."""
    response = client.get("/v1/users/11/recommendations", params={"k": 4, "exclude_seen": "true"})
    assert response.status_code == 200
    assert response.json() == recommender.recommend(11, k=4, exclude_seen=True).to_dict()
    assert not set(response.json()["show_ids"]) & set(SEEN[11])


def test_unknown_viewer_is_a_marked_cold_start(client: AsgiClient) -> None:
    """An unknown, negative or huge viewer id gets 200 with the popular shows and cold_start true."""
    for user_id in ("999", "-4", str(2**80)):
        response = client.get(f"/v1/users/{user_id}/recommendations", params={"k": 3})
        assert response.status_code == 200
        assert response.json() == {
            "user_id": int(user_id),
            "show_ids": [40, 10, 20],
            "scores": [3.0, 2.0, 1.0],
            "cold_start": True,
        }


def test_posted_history_matches_the_python_api(client: AsgiClient, recommender: Recommender) -> None:
    """POST /v1/recommendations answers the history as recommend_history does."""
    body = {"show_ids": [10, 30], "asset_types": ["VOD", "CHANNEL"], "watch_minutes": [6, 7], "k": 6}
    response = client.post("/v1/recommendations", json=body)
    assert response.status_code == 200
    expected = recommender.recommend_history([10, 30], ["VOD", "CHANNEL"], [6, 7], k=6)
    assert response.json()["show_ids"] == list(expected.show_ids)
    assert response.json()["cold_start"] is False and response.json()["user_id"] is None


def test_posted_history_exclude_seen_removes_the_history(client: AsgiClient) -> None:
    """exclude_seen in the body removes exactly the posted shows."""
    response = client.post("/v1/recommendations", json={"show_ids": [60, 30, 10, 20], "k": 6, "exclude_seen": True})
    assert response.status_code == 200
    assert sorted(response.json()["show_ids"]) == [40, 50]


def test_empty_history_is_a_marked_cold_start(client: AsgiClient) -> None:
    """An empty posted history is 200 with the popular shows and cold_start true."""
    response = client.post("/v1/recommendations", json={"show_ids": [], "k": 2})
    assert response.status_code == 200
    assert response.json()["show_ids"] == [40, 10] and response.json()["cold_start"] is True


def test_long_history_within_the_limit_is_answered(client: AsgiClient) -> None:
    """A 10,000-play history (the limit) is answered from its newest window."""
    history = [SHOW_IDS[i % 6] for i in range(10_000)]
    response = client.post("/v1/recommendations", json={"show_ids": history, "k": 6})
    assert response.status_code == 200
    assert sorted(response.json()["show_ids"]) == sorted(SHOW_IDS)


def test_k_defaults_to_ten_or_the_whole_catalogue(client: AsgiClient) -> None:
    """Without k, the tiny 6-show catalogue answers all 6 shows (5 neighbours for similar)."""
    assert len(client.get("/v1/users/3/recommendations").json()["show_ids"]) == 6
    assert len(client.post("/v1/recommendations", json={"show_ids": [10]}).json()["show_ids"]) == 6
    assert len(client.get("/v1/shows/10/similar").json()["show_ids"]) == 5


def test_similar_shows_match_the_python_api(client: AsgiClient, recommender: Recommender) -> None:
    """GET /v1/shows/{id}/similar returns the embedding neighbours, never the show itself."""
    response = client.get("/v1/shows/20/similar", params={"k": 6})
    assert response.status_code == 200
    assert response.json() == recommender.similar_shows(20, k=6).to_dict()
    assert 20 not in response.json()["show_ids"] and len(response.json()["show_ids"]) == 5


def test_openapi_docs_are_served(client: AsgiClient) -> None:
    """/docs and /openapi.json list the four routes."""
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    routes = {"/health", "/v1/users/{user_id}/recommendations", "/v1/recommendations", "/v1/shows/{show_id}/similar"}
    assert routes <= set(paths)


@pytest.mark.parametrize(
    ("method", "url", "body", "status", "reason"),
    [
        ("GET", "/v1/users/3/recommendations?k=0", None, 422, "greater than or equal to 1"),
        ("GET", "/v1/users/3/recommendations?k=7", None, 422, "less than or equal to 6"),
        ("GET", "/v1/users/3/recommendations?k=-3", None, 422, "greater than or equal"),
        ("GET", "/v1/users/3/recommendations?k=ten", None, 422, "valid integer"),
        ("GET", f"/v1/users/3/recommendations?k={2**80}", None, 422, "less than or equal"),
        ("GET", "/v1/users/3/recommendations?exclude_seen=maybe", None, 422, "valid boolean"),
        ("GET", "/v1/users/abc/recommendations", None, 422, "valid integer"),
        ("GET", "/v1/users/3.5/recommendations", None, 422, "valid integer"),
        ("GET", "/v1/users/" + "9" * 5000 + "/recommendations", None, 422, "user_id"),
        ("GET", "/v1/shows/15/similar", None, 404, "not in the model's vocabulary"),
        ("GET", "/v1/shows/-1/similar", None, 404, "not in the model's vocabulary"),
        ("GET", f"/v1/shows/{2**80}/similar", None, 404, "not in the model's vocabulary"),
        ("GET", "/v1/shows/x/similar", None, 422, "valid integer"),
        ("GET", "/v1/shows/10/similar?k=0", None, 422, "greater than or equal to 1"),
        ("GET", "/v1/shows/10/similar?k=99", None, 422, "less than or equal to 6"),
        ("POST", "/v1/recommendations", {"show_ids": [10, 15, -2]}, 422, "[-2, 15] are not in the model"),
        ("POST", "/v1/recommendations", {"show_ids": [10, 2**80], "k": 2}, 422, "are not in the model"),
        ("POST", "/v1/recommendations", {"show_ids": [10], "k": 0}, 422, "greater than or equal to 1"),
        ("POST", "/v1/recommendations", {"show_ids": [10], "k": 7}, 422, "k must be between 1 and the 6 shows"),
        ("POST", "/v1/recommendations", {"show_ids": [10, 20], "asset_types": ["VOD"]}, 422, "asset_types has 1"),
        ("POST", "/v1/recommendations", {"show_ids": [10], "watch_minutes": [1, 2]}, 422, "watch_minutes has 2"),
        ("POST", "/v1/recommendations", {"show_ids": [10], "watch_minutes": [-1]}, 422, "greater than or equal"),
        ("POST", "/v1/recommendations", {"show_ids": ["ten"]}, 422, "valid integer"),
        ("POST", "/v1/recommendations", {"show_ids": [1.5]}, 422, "valid integer"),
        ("POST", "/v1/recommendations", {"show_ids": 10}, 422, "valid list"),
        ("POST", "/v1/recommendations", {"shows": [10]}, 422, "show_ids"),
        ("POST", "/v1/recommendations", {"show_ids": [10], "colour": "red"}, 422, "Extra inputs"),
        ("POST", "/v1/recommendations", [10, 20], 422, "valid dictionary"),
        ("POST", "/v1/recommendations", {"show_ids": [10] * 10_001}, 422, "at most 10000"),
    ],
)
def test_bad_requests_are_4xx_with_a_reason(
    client: AsgiClient, method: str, url: str, body: object, status: int, reason: str
) -> None:
    """Every malformed or out-of-range request gets the documented 4xx and a reason naming the problem."""
    response = client.request(method, url, json=body)
    assert response.status_code == status, response.text
    assert reason in response.text


def test_malformed_json_and_nan_minutes_are_422(client: AsgiClient) -> None:
    """A body that is not JSON, or NaN/Infinity minutes (which Python's JSON parser accepts), is a 422."""
    headers = {"content-type": "application/json"}
    assert client.post("/v1/recommendations", content=b"{show_ids: [", headers=headers).status_code == 422
    for bad in (b"NaN", b"Infinity"):
        body = b'{"show_ids": [10], "watch_minutes": [' + bad + b'], "k": 2}'
        assert client.post("/v1/recommendations", content=body, headers=headers).status_code == 422
    assert client.post("/v1/recommendations").status_code == 422
