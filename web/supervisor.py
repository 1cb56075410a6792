"""``serve``'s solve worker, supervised: started beside the web server, started again when it dies on
its own (the job it was running is marked interrupted, the queue keeps moving), and the jobs of dead
workers on other machines found by their silence (``web.workers``)."""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Callable

from flask import Flask

from web import planning
from web.queue import requeue_lost
from web.workers import exit_description, identity, interrupt_lost, worker_stopped

log = logging.getLogger(__name__)
WATCH_S = 1.0
QUICK_DEATH_S = 30.0  # a worker that dies sooner than this after its start is not restarted at once
RESTART_DELAYS_S = (0.0, 2.0, 5.0, 15.0, 60.0)  # after 0, 1, 2, ... quick deaths in a row


class Supervisor:
    """Runs ``command`` (a ``run.py worker``, or none with ``--no-worker``) and watches it and the jobs."""

    def __init__(self, app: Flask, command: list[str] | None, say: Callable[[str], None]) -> None:
        self.app, self.command, self.say = app, command, say
        self.process: subprocess.Popen | None = None
        self.started_at = 0.0
        self.quick_deaths = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def start(self) -> None:
        if self.command:
            self._spawn()
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=10)
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def _spawn(self) -> None:
        self.process = subprocess.Popen(self.command)
        self.started_at = time.monotonic()

    def _watch(self) -> None:
        while not self.stopping.wait(WATCH_S):
            try:
                self._check()
            except Exception:  # noqa: BLE001 - a busy or briefly unreachable database must not end the watch
                log.exception("worker supervision: check failed, trying again")

    def _check(self) -> None:
        process = self.process
        if process is not None and process.poll() is not None:
            self._replace(process.returncode)
            return
        with self.app.app_context():  # its own worker's jobs are _replace's, which knows how it ended
            lost = interrupt_lost(worker_stopped(), spare=identity(process.pid) if process else "")
        if lost:
            self.say(f"{planning.plural(lost, 'calcul interrompu')} : leur calculateur s'est arrêté ou ne répond plus.")

    def _replace(self, code: int) -> None:
        """The worker ended while the server runs: its job is interrupted, a new worker takes the queue."""
        with self.app.app_context():
            lost = interrupt_lost(worker_stopped(code))
            requeue_lost(self.app)  # a task it had taken from the queue but not yet started
        self.quick_deaths = self.quick_deaths + 1 if time.monotonic() - self.started_at < QUICK_DEATH_S else 0
        delay = RESTART_DELAYS_S[min(self.quick_deaths, len(RESTART_DELAYS_S) - 1)]
        self.say(f"Le calculateur s'est arrêté ({exit_description(code)}) ; {planning.plural(lost, 'calcul interrompu')} ; "
                 f"nouveau calculateur dans {delay:g} s.")
        if not self.stopping.wait(delay):
            self._spawn()
