"""The service on a real uvicorn server bound to a random loopback port, asked over real HTTP."""

import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from nextwatch.recommend import Recommender
from nextwatch.serving import create_app


@pytest.mark.slow
def test_real_server_answers_on_loopback(tiny_checkpoint_path: Path) -> None:
    """uvicorn serving create_app answers /health and a viewer's recommendations over a loopback socket."""
    app = create_app(Recommender.from_checkpoint(tiny_checkpoint_path))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))  # the OS picks a free port; the socket is handed to uvicorn, so no race
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started:
                break
            time.sleep(0.05)
        assert server.started
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            assert client.get("/health").json()["status"] == "ok"
            answer = client.get("/v1/users/999/recommendations", params={"k": 2})
        assert answer.status_code == 200
        assert answer.json() == {"user_id": 999, "show_ids": [40, 10], "scores": [3.0, 2.0], "cold_start": True}
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
    assert not thread.is_alive()
