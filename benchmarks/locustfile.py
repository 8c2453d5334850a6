"""Locust traffic of ``make load`` (issue 10): desk agents searching (70 %), reading (20 %), creating (10 %).

Driven by ``benchmarks/load/run.py``, which writes LOAD_SAMPLE (API tokens and identities that exist).
LOAD_THINK=0 removes the 0.5-2 s pause between actions (the saturation ramp). Traits are synthetic.
"""

import itertools
import json
import os
import random
from datetime import date, timedelta
from pathlib import Path

from locust import FastHttpUser, between, constant, task

SAMPLE = json.loads(Path(os.environ["LOAD_SAMPLE"]).read_text(encoding="utf-8"))
TOKENS = itertools.cycle(SAMPLE["tokens"])
PATIENTS = SAMPLE["patients"]
SYLLABLES = ["MAR", "TIN", "BER", "NARD", "DU", "PONT", "GALL", "RO", "SEAU", "FON", "TAINE", "REAU", "VAL"]
FIRST = ["JEAN", "MARIE", "PIERRE", "ANNE", "LOUIS", "ZOE", "PAUL", "CLAIRE", "LUC", "INES", "LEA"]


class DeskAgent(FastHttpUser):
    # FastHttpUser (geventhttpclient): locust runs on the same two cores as the registry, and its default
    # client (requests) costs several times more CPU per call.
    wait_time = between(0.5, 2) if os.environ.get("LOAD_THINK", "1") == "1" else constant(0)

    def on_start(self) -> None:
        self.auth = {"Authorization": f"Token {next(TOKENS)}"}

    @task(7)
    def search(self) -> None:
        _, name, first, born = random.choice(PATIENTS)
        # Half as the screen's box (free text forgiving typos, TR-05), half as name + birth date.
        free_text = {"q": f"{name.lower()} {first.lower()}"}
        body = free_text if random.random() < 0.5 else {"name": name, "birth_date": born}
        self.client.post("/api/v1/patients/search/", json=body, name="search", headers=self.auth)

    @task(2)
    def read(self) -> None:
        public_id = random.choice(PATIENTS)[0]
        self.client.get(f"/api/v1/patients/{public_id}/", name="read", headers=self.auth)

    @task(1)
    def write(self) -> None:
        first = random.choice(FIRST)
        body = {
            "birth_name": "".join(random.choice(SYLLABLES) for _ in range(3)),
            "first_name": first,
            "first_names": first,
            "sex": random.choice("MF"),
            "birth_date": (date(1930, 1, 1) + timedelta(days=random.randint(0, 33000))).isoformat(),
            "birthplace_cog": "75056",
        }
        self.client.post("/api/v1/patients/", json=body, name="write", headers=self.auth)
