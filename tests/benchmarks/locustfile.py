"""Locust users for bench_load.py: signed-in people browsing the site, or the framework floor.

BENCH_MODE=mixed visits BENCH_PATHS ("path:weight,..."); BENCH_MODE=floor only /healthz.
Each simulated user signs in with one of the session ids in the BENCH_SESSIONS file.
"""

from __future__ import annotations

import itertools
import os
import random
from pathlib import Path

from locust import HttpUser, constant, task

SESSIONS = itertools.cycle(Path(os.environ["BENCH_SESSIONS"]).read_text().split())
PATHS = [
    (path, int(weight))
    for path, weight in (item.rsplit(":", 1) for item in (os.environ.get("BENCH_PATHS") or "/:1").split(","))
]


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set("sessionid", next(SESSIONS))

    @task
    def visit(self):
        if os.environ.get("BENCH_MODE") == "floor":
            self.client.get("/healthz", name="floor")
            return
        path = random.choices([p for p, _ in PATHS], weights=[w for _, w in PATHS])[0]
        with self.client.get(path, name=path.split("?")[0], catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
