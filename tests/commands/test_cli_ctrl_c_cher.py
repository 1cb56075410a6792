"""Ctrl-C (a real SIGINT) during ``plan --out`` over a published file on the Cher with nights away
(a solve that runs to its limit; without nights the Cher is proven within a second or two): the command
exits 130 with a French message, and the published file is left exactly as it was, with no
temporary file beside it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from tests.conftest import ROOT

PUBLISHED = "date;vehicle;insee_com\n2026-09-08;bus;18033\n".encode("utf-8-sig")


def test_ctrl_c_stops_the_solve_and_leaves_the_published_file(tmp_path):
    out = tmp_path / "saison.csv"
    out.write_bytes(PUBLISHED)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "plan", "--territory", "cher", "--start", "2026-09-07", "--end",
         "2027-06-25", "--nights", "2", "--time-limit", "600", "--out", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The command says when the solve starts (and how to stop it): that is when Ctrl-C is pressed.
    first = process.stderr.readline()
    assert "Ctrl-C" in first, first
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    try:
        stdout, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    assert process.returncode == 130, (stdout[-2000:], stderr)
    assert "Interrompu (Ctrl-C)" in stderr and "aucun fichier écrit" in stderr
    assert "Traceback" not in stderr and stdout == ""
    assert out.read_bytes() == PUBLISHED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saison.csv"]
