"""`countybridge serve --addr 127.0.0.1:8000`: the embedded default in one command.

It starts task worker(s) as child processes (`countybridge jobs worker`, a `db_worker` that also stops
if this process dies), then Django's development server in the foreground without the auto-reloader.
Ctrl-C or SIGTERM stops the web server and then the workers: each finishes the task it is running
(up to --grace seconds); a task still running after that is interrupted and its run marked cancelled.
A worker that crashes is restarted. No other server is needed: the queue lives in the database.

Production runs the same code differently: the web app under gunicorn (`gunicorn countybridge.wsgi`)
behind a proxy, and as many workers as the load needs, each its own process under a supervisor
(systemd, Kubernetes …): `countybridge db_worker --no-reload` — any number, on any machines that reach
the same PostgreSQL; they claim queued tasks with row locks (SELECT … FOR UPDATE SKIP LOCKED), so no
task runs twice. On SQLite keep to one worker.
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt


class WorkerSupervisor:
    """Starts, watches and stops the worker child processes."""

    RESTART_DELAY_MAX = 60.0

    def __init__(self, count: int, *, interval: float, log):
        self.count = count
        self.interval = interval
        self.log = log
        self.procs: list[subprocess.Popen | None] = [None] * count
        self.started_at = [0.0] * count
        self.delay = [1.0] * count
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "countybridge.cli",
            "jobs",
            "worker",
            "--exit-with-parent",
            "--interval",
            str(self.interval),
        ]

    def _spawn(self, index: int) -> None:
        # own session: a Ctrl-C in the terminal reaches only `serve`, which then stops workers in order
        proc = subprocess.Popen(self.command(), start_new_session=True)
        self.procs[index], self.started_at[index] = proc, time.monotonic()
        self.log(f"worker {index + 1} started (pid {proc.pid})")

    def start(self) -> None:
        with self._lock:
            for i in range(self.count):
                self._spawn(i)
        if self.count:
            threading.Thread(target=self._watch, name="worker-watch", daemon=True).start()

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p is not None and p.poll() is None]

    def _watch(self) -> None:
        retry_at: list[float | None] = [None] * self.count
        while not self._stopping.wait(1.0):
            with self._lock:
                if self._stopping.is_set():
                    return
                now = time.monotonic()
                for i, proc in enumerate(self.procs):
                    if proc is None or proc.poll() is None:
                        continue
                    if retry_at[i] is None:
                        # a worker that keeps dying at start is retried ever more slowly, not in a tight loop
                        lived = now - self.started_at[i]
                        self.delay[i] = 1.0 if lived > 30 else min(self.delay[i] * 2, self.RESTART_DELAY_MAX)
                        retry_at[i] = now + self.delay[i]
                        self.log(
                            f"worker {i + 1} exited with {proc.returncode}; restarting in {self.delay[i]:.0f} s"
                        )
                    elif now >= retry_at[i]:
                        retry_at[i] = None
                        self._spawn(i)

    def stop(self, grace: float) -> None:
        self._stopping.set()
        with self._lock:
            alive = [p for p in self.procs if p is not None and p.poll() is None]
            try:
                for p in alive:
                    p.send_signal(signal.SIGTERM)  # finish the current task, then exit
                if not self._wait(alive, grace):
                    self.log("workers still busy: interrupting their tasks")
                    for p in alive:
                        if p.poll() is None:
                            p.send_signal(signal.SIGTERM)  # second signal: stop now, run marked cancelled
                    self._wait(alive, 5.0)
            except KeyboardInterrupt:
                pass  # a second Ctrl-C: do not wait any longer
            for p in alive:
                if p.poll() is None:
                    p.kill()
                    p.wait()

    @staticmethod
    def _wait(procs, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        for p in procs:
            try:
                p.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                return False
        return True


def _split_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    if not port.isdigit():
        raise CommandError(f"地址应为 主机:端口 / --addr must be host:port, got {addr!r}")
    return (host.strip("[]") or "127.0.0.1"), int(port)


def _check_port(host: str, port: int) -> None:
    """Refuse before starting workers: runserver would otherwise exit with os._exit and leave them."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"无法监听 {host}:{port}(端口被占用?)/ Cannot listen on {host}:{port}: {exc}"
            ) from None


class Command(BaseCommand):
    help = "Serve the web app and run the background task worker(s) in one command (embedded default)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port to listen on")
        parser.add_argument("--workers", type=int, default=1, help="worker processes (0: none)")
        parser.add_argument("--grace", type=float, default=10.0, help="seconds a worker may finish its task")
        parser.add_argument("--worker-interval", type=float, default=1.0, help="seconds between queue polls")

    def handle(self, *args, addr: str, workers: int, grace: float, worker_interval: float, **options):
        if workers < 0:
            raise CommandError("--workers 不能为负 / --workers must be 0 or more")
        host, port = _split_addr(addr)
        _check_port(host, port)
        supervisor = WorkerSupervisor(
            workers, interval=worker_interval, log=lambda text: self.stdout.write(text, ending="\n")
        )
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)  # SIGTERM stops like Ctrl-C
        try:
            supervisor.start()
            call_command("runserver", addr, use_reloader=False, use_threading=True)
        except (KeyboardInterrupt, SystemExit):
            pass  # runserver turns Ctrl-C into sys.exit(0)
        finally:
            self.stdout.write("stopping workers…")
            supervisor.stop(grace)
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write("stopped")
