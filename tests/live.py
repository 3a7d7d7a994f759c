"""Serving the real app on loopback for tests that talk to it over HTTP."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from sqlalchemy.orm import Session

from app.db import make_engine, upgrade
from app.main import create_app
from app.models import ROLES
from app.services.accounts import create_user
from app.services.registry import sync_registry
from app.settings import Settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def live_app(
    make_database: Callable[[str], str],
    purpose: str,
    settings: Settings,
    *,
    prepare: Callable[[Session], None] | None = None,
    password: str,
) -> Iterator[str]:
    """The app with its queue worker, in a thread, on a fresh migrated database.

    The browser talks to it over real HTTP, so its data is committed, not rolled back.
    `prepare` fills the database first (the demo corpus, say) in a session of its own.
    It has the accounts `viewer`, `editor` and `admin`, whose password is `password`.
    """
    engine = make_engine(make_database(purpose))
    upgrade(engine)
    with Session(engine) as session:
        sync_registry(session)
        if prepare:
            prepare(session)
        for role in ROLES:
            create_user(session, username=role, password=password, role=role)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, engine=engine), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 20 seconds")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
