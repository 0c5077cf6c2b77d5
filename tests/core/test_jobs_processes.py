"""Jobs across real processes: a run queued by one process and done by a worker started later, Ctrl-C
in `jobs run`, and `serve` with its worker (a running run cancelled from another process; SIGTERM).

pytest-django's SQLite test database lives in memory, which no other process can open, so these tests
migrate their own SQLite file and drive it only through `countybridge` processes, reading the outcome
straight from the file. On PostgreSQL one more test points a worker process at the test database itself.
"""

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from countybridge.core import jobs
from countybridge.core.models import JobRun

JIANYANG = "510185"
SEED = """
from countybridge.core.services import regions_load
from countybridge.core.models import Organisation, Region
regions_load()
Organisation.objects.create(kind="employer", name="bad code", credit_code="91510185MA6CX8KW8Z",
                            region=Region.objects.get(code="510185"))
"""


class Sandbox:
    def __init__(self, directory: Path):
        self.db = directory / "db.sqlite3"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db}",
            "COUNTYBRIDGE_ENV_FILE": "/nonexistent",
            "DJANGO_SETTINGS_MODULE": "countybridge.settings",
            "DJANGO_DEBUG": "1",
        }
        self.env.pop("COUNTYBRIDGE_TASK_BACKEND", None)

    def argv(self, *args) -> list[str]:
        return [sys.executable, "-m", "countybridge.cli", *args]

    def run(self, *args, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run(self.argv(*args), env=self.env, capture_output=True, text=True, timeout=timeout)
        if check and done.returncode != 0:
            raise AssertionError(f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def popen(self, *args, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(self.argv(*args), env=self.env, text=True, **kwargs)

    def row(self, job_id: str, table: str = "core_jobrun", columns: str = "status, progress, result, error"):
        with sqlite3.connect(self.db, timeout=20) as db:
            return db.execute(
                f"SELECT {columns} FROM {table} WHERE id = ?", [uuid.UUID(job_id).hex]
            ).fetchone()

    def wait_for(self, job_id: str, status: str, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            row = self.row(job_id)
            if row and row[0] == status:
                return row
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not reach {status}: {self.row(job_id)}")

    def start(self, *args) -> str:
        out = self.run("jobs", "start", *args).stdout.split()
        assert out[0] == "queued"
        return out[-1]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    box = Sandbox(tmp_path_factory.mktemp("jobs-processes"))
    box.run("migrate", "--no-input", "-v", "0")
    box.run("shell", "-c", SEED)
    return box


def test_a_queued_run_survives_a_restart_and_a_later_worker_runs_it(sandbox):
    job_id = sandbox.start("core.registry_integrity", "--param", f"county={JIANYANG}")
    # the process that queued it has exited: the run and its task wait in the database
    assert sandbox.row(job_id)[0] == "queued"
    task_id = sandbox.row(job_id, columns="task_result_id")[0]
    assert sandbox.row(task_id, "django_tasks_database_dbtaskresult", "status")[0] == "READY"

    sandbox.run("db_worker", "--batch", "--no-reload", "--no-startup-delay")

    status, progress, result, error = sandbox.row(job_id)
    assert (status, progress, error) == ("succeeded", 100, "")
    county = json.loads(result)["counties"][0]
    assert county["code"] == JIANYANG and county["problems"] == {"uscc_format": 1}
    assert county["organisations_with_problems"] == 1
    assert sandbox.row(task_id, "django_tasks_database_dbtaskresult", "status")[0] == "SUCCESSFUL"


def test_ctrl_c_in_jobs_run_marks_the_run_cancelled(sandbox):
    proc = sandbox.popen(
        "jobs",
        "run",
        "core.worker_check",
        "--param",
        "seconds=120",
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        job_id = proc.stdout.readline().split()[-1]
        sandbox.wait_for(job_id, "running")
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 130
    finally:
        proc.kill()
    status, _, result, error = sandbox.row(job_id)
    assert status == "cancelled" and result is None and "Interrupted" in error
    assert "Cancelled" in proc.stderr.read()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _wait_http(port: int, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/core/jobs/")
            return conn.getresponse().status
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the web server did not answer")


def test_serve_runs_a_worker_and_stops_it_cleanly(sandbox, tmp_path):
    port = _free_port()
    log = (tmp_path / "serve.log").open("w+")
    proc = sandbox.popen(
        "serve", "--addr", f"127.0.0.1:{port}", "--grace", "5", stdout=log, stderr=subprocess.STDOUT
    )
    try:
        assert _wait_http(port) == 302  # signed out: to the login page
        quick = sandbox.start("core.worker_check", "--param", "seconds=0")
        sandbox.wait_for(quick, "succeeded")
        workers = _children(proc.pid)
        # a running run, cancelled from another process, stops at its next progress report
        slow = sandbox.start("core.worker_check", "--param", "seconds=120")
        sandbox.wait_for(slow, "running")
        assert sandbox.run("jobs", "cancel", slow).stdout.startswith("running")
        started = time.monotonic()
        sandbox.wait_for(slow, "cancelled", timeout=10)
        assert time.monotonic() - started < 5
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    log.seek(0)
    output = log.read()
    assert "worker 1 started" in output and "stopped" in output, output
    for pid in workers:  # the worker went with it
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )


def test_serve_refuses_a_port_in_use(sandbox):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = sandbox.run("serve", "--addr", f"127.0.0.1:{busy.getsockname()[1]}", check=False, timeout=30)
    assert done.returncode != 0 and "Cannot listen" in done.stderr and "worker 1 started" not in done.stdout


# ---------------------------------------------------------------- PostgreSQL: a worker on the test database


@pytest.fixture
def reload_regions_afterwards(django_db_blocker):
    """Requested before transactional_db, so this runs after its flush and puts the session's regions back."""
    yield
    with django_db_blocker.unblock():
        from countybridge.core.services import regions_load

        regions_load()


def test_a_worker_process_runs_a_run_queued_in_the_test_database(
    reload_regions_afterwards, transactional_db, make_org
):
    if connection.vendor != "postgresql":
        pytest.skip("an in-memory SQLite test database cannot be opened by another process")
    make_org(JIANYANG, kind="employer", credit_code="91510185MA6CX8KW8Z")
    run = jobs.job_start(actor=None, kind="core.registry_integrity", params={"county": JIANYANG})
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST'] or 'localhost'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {**os.environ, "DATABASE_URL": url, "COUNTYBRIDGE_ENV_FILE": "/nonexistent"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "countybridge.cli",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    run.refresh_from_db()
    assert run.status == JobRun.Status.SUCCEEDED, run.error
    assert run.result["totals"]["organisations_with_problems"] == 1
