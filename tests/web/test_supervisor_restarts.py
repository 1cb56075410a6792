"""``serve``'s supervisor on a worker that cannot start (it exits at once with code 3): it is started
again, ever less often (2 s, then 5 s), each time said in French, never in a tight loop; ``stop``
ends the watch."""

from __future__ import annotations

import sys
import time

from web.supervisor import Supervisor

GUARD_S = 60  # a hang guard, not a timing assertion


def test_a_worker_exiting_at_once_is_restarted_with_growing_delays(app):
    said: list[str] = []
    supervisor = Supervisor(app, [sys.executable, "-c", "raise SystemExit(3)"], said.append)
    supervisor.start()
    try:
        deadline = time.monotonic() + GUARD_S
        while len(said) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        supervisor.stop()
    assert said[:2] == [
        "Le calculateur s'est arrêté (code de sortie 3) ; 0 calcul interrompu ; nouveau calculateur dans 2 s.",
        "Le calculateur s'est arrêté (code de sortie 3) ; 0 calcul interrompu ; nouveau calculateur dans 5 s.",
    ]
    assert not supervisor.thread.is_alive()
