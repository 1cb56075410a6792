"""A throwaway Redis server for the tests: Debian's ``redis-server`` on a free loopback port, nothing
written to disk, stopped by the test that started it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time

import redis

REDIS_SERVER = shutil.which("redis-server")
MISSING = ("redis-server is not installed: the several-workers case does not run. "
           "Install it with `apt-get install redis-server` (.ci/run does).")
START_TIMEOUT_S = 30


def available() -> bool:
    return REDIS_SERVER is not None


class RedisServer:
    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="tournee-redis-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.folder, "--daemonize", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.1)
        client.close()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
