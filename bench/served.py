"""The real web server for the web benchmarks: `python run.py serve` (waitress and its solve worker)
on a free loopback port, stopped however the measurement ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(instance: str | Path, log_path: Path, *, probe: str = "/connexion", env: dict | None = None) -> Iterator[str]:
    """Start the server on ``instance`` (output to ``log_path``), wait until ``probe`` answers, yield its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "run.py", "serve", "--instance", str(instance), "--port", str(port)],
                                  cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        try:
            _wait_until_up(base + probe)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(url: str, guard_s: float = 60.0) -> None:
    deadline = time.monotonic() + guard_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"run.py serve did not answer {url} within {guard_s:.0f} s")
