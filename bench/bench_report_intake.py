"""Case-report intake through the API on the local PostgreSQL: sustained reports/s from concurrent clinic
systems, then the same batch resent concurrently (a link that dropped mid-upload), which must store nothing
twice and lose nothing.

Runs in a child process against a fresh database (`cb_bench_intake_<pid>`, dropped afterwards), so the
benchmark never touches another database. The PostgreSQL server comes from `PG_URL` (as `make test` uses);
without a reachable server the benchmark says so and is skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


def _server_url(database: str) -> str:
    parts = urlsplit(os.environ.get("PG_URL") or DEFAULT_PG)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(_server_url("postgres"), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def run(smoke: bool = False) -> None:
    name = f"cb_bench_intake_{os.getpid()}"
    try:
        _admin(f'CREATE DATABASE "{name}"')
    except Exception as exc:  # no server here: say so rather than fail the other benchmarks
        print(f"PostgreSQL not reachable ({exc.__class__.__name__}); report intake benchmark skipped")
        return
    try:
        env = dict(
            os.environ, DATABASE_URL=_server_url(name), DJANGO_SETTINGS_MODULE="countybridge.settings_test"
        )
        reports, threads = (120, 2) if smoke else (3000, 4)
        subprocess.run(
            [sys.executable, "-m", "bench.report_intake_worker", str(reports), str(threads)],
            env=env,
            check=True,
        )
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
