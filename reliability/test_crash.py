"""Row 12: kill -9 of the server during a stream of submissions loses no acknowledged case or file.

A citizen streams online applications against live gunicorn (3 sync workers): each is three requests,
create the draft (201 + number), upload a ~200 KB PDF to its first material (201 + file id) and submit
(200). Meanwhile the whole gunicorn process group is SIGKILLed (`os.killpg`) at random moments, a few
hundred milliseconds into whatever request is running, and restarted. A request cut off by the kill is
simply not acknowledged; the client goes on with the next application.

After the run, with the server stopped:

- every acknowledged case exists, every acknowledged file exists with the checksum the client sent,
  every acknowledged submission is no longer a draft;
- no file row at all (acknowledged or not) points at a missing or damaged blob: the blob is written
  (temporary file, fsync, rename) before the transaction that creates its row commits;
- `PRAGMA integrity_check` is ok (SQLite);
- `zhengwu sweep_files` removes the orphans a kill can leave (a blob whose row never committed, a
  `.tmp-*` file of a write cut short), after which none is left.

Full: 1,000 applications and 5 kills; `RELIABILITY_SCALE=ci`: 100 and 2. On PostgreSQL only gunicorn is
killed: the cluster is shared with other work, so it is never stopped here.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import random
import threading
import time
import uuid

import pytest

from reliability import harness

SUBMISSIONS = harness.scaled(full=1000, ci=100)
KILLS = harness.scaled(full=5, ci=2)
PDF_SIZE = 200 * 1024


@pytest.fixture
def crash_site(template_site, tmp_path):
    with harness.site(tmp_path, "crash", template_site) as installation:
        yield installation, installation.tool("seed", "0", "1")


class Killer(threading.Thread):
    """Kills the server group when the client reaches each chosen application, then restarts it."""

    def __init__(self, server: harness.Server, targets: list[int], rng: random.Random):
        super().__init__(daemon=True)
        self.server, self.targets, self.rng = server, targets, rng
        self.progress = 0
        self.serving = threading.Event()
        self.serving.set()
        self.kills = 0
        self.finished = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for target in self.targets:
                while self.progress < target and not self.finished.is_set():
                    time.sleep(0.005)
                if self.finished.is_set():
                    return
                time.sleep(self.rng.uniform(0.0, 0.4))  # land inside a request, at a random point
                self.serving.clear()
                self.server.kill()
                self.kills += 1
                self.server.start()
                self.serving.set()
        except BaseException as failed:
            self.error = failed
            self.serving.set()


def _submit(url: str, token: str, item: str, n: int, acks: list[dict]) -> None:
    """One application; appends what the server acknowledged. OSError (or an HTTPException for a
    response cut short) when the server went away."""
    status, body = harness.request(
        "POST",
        f"{url}/api/v1/cases/",
        token=token,
        json_body={"item": item, "draft": True, "form_data": {"说明": f"第{n}份"}},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    if status != 201:
        raise AssertionError(f"create answered {status}: {body}")
    ack = {"number": body["number"], "file_id": None, "sha256": None, "submitted": False}
    acks.append(ack)
    data = harness.pdf_bytes(PDF_SIZE, salt=uuid.uuid4().hex)
    payload, content_type = harness.multipart("file", f"申请书{n}.pdf", data, "application/pdf")
    material = body["materials"][0]["id"]
    status, uploaded = harness.request(
        "POST",
        f"{url}/api/v1/cases/{ack['number']}/materials/{material}/files/",
        token=token,
        body=payload,
        headers={"Content-Type": content_type, "Idempotency-Key": str(uuid.uuid4())},
    )
    if status != 201:
        raise AssertionError(f"upload answered {status}: {uploaded}")
    ack["file_id"], ack["sha256"] = uploaded["id"], hashlib.sha256(data).hexdigest()
    status, submitted = harness.request(
        "POST",
        f"{url}/api/v1/cases/{ack['number']}/actions/submit/",
        token=token,
        json_body={},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    if status != 200:
        raise AssertionError(f"submit answered {status}: {submitted}")
    ack["submitted"] = True


def test_sigkill_of_the_server_during_submissions_loses_no_acknowledged_case_or_file(crash_site):
    installation, seeded = crash_site
    rng = random.Random()
    targets = sorted(rng.sample(range(SUBMISSIONS // 20, SUBMISSIONS * 19 // 20), KILLS))
    acks: list[dict] = []
    interrupted = 0
    server = harness.Server(installation)
    server.start()
    killer = Killer(server, targets, rng)
    killer.start()
    try:
        for n in range(SUBMISSIONS):
            killer.progress = n
            killer.serving.wait(timeout=120)
            try:
                _submit(server.url, seeded["citizen_token"], seeded["item"], n, acks)
            except (OSError, http.client.HTTPException):  # refused, reset or cut short by the kill
                interrupted += 1
                killer.serving.wait(timeout=120)
    finally:
        killer.finished.set()
        killer.join(timeout=120)
        server.stop()
    assert killer.error is None, f"restart failed: {killer.error!r}\n{server.log_tail()}"
    assert killer.kills == KILLS
    completed = sum(1 for ack in acks if ack["submitted"])
    assert completed >= SUBMISSIONS - 2 * KILLS, (completed, interrupted)

    before = installation.tool("inspect-crash", stdin=json.dumps(acks))
    installation.manage("sweep_files", "--older-than-minutes", "0")
    after = installation.tool("inspect-crash", stdin=json.dumps(acks))

    assert before["problems"] == [] and after["problems"] == [], before["problems"][:10]
    assert after["integrity"] in ("ok", "n/a")
    assert after["orphans"] == [] and after["temporaries"] == 0
    assert after["files"] >= completed
    assert "Traceback" not in server.log_tail(1_000_000), server.log_tail()
