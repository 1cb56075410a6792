"""A few corpus cases as real processes (python run.py): the exit code a script sees, stderr
without a traceback, nothing written; an internal error (exit 4) leaves one French line and its
traceback in a log file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.corpus.cases import CASES

ROOT = Path(__file__).resolve().parents[2]
CHOSEN = ("nights-million", "from-unknown-vehicle", "requests-huge-cell", "params-folder", "argparse-unknown-flag",
          "many-problems-at-once")


def run(argv: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *argv], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("case", [c for c in CASES if c.id in CHOSEN], ids=lambda c: c.id)
def test_process_exit_code_and_nothing_written(case, tmp_path):
    for name, content in case.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    done = run([a.replace("{tmp}", str(tmp_path)) for a in case.argv])
    assert done.returncode == case.code, done.stderr
    assert all(m in done.stderr for m in case.messages), done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_internal_error_exits_4_with_a_log_file(tmp_path):
    # A defect of the program, not of the user's input: the shipped dataset itself is damaged
    # (its mairies file lost its columns), which the loaders do not expect and need not.
    data = tmp_path / "data"
    data.mkdir()
    for item in (ROOT / "data").iterdir():
        (data / item.name).symlink_to(item)
    (data / "mairies.csv").unlink()
    (data / "mairies.csv").write_text("insee_com\n18033\n", encoding="utf-8")
    logs = tmp_path / "journal"
    done = run(["territory"], env={"TOURNEE_DATA": str(data), "TOURNEE_LOG_DIR": str(logs)})
    assert done.returncode == 4, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Erreur interne de Tournée") and "Traceback" not in done.stderr
    written = list(logs.glob("erreur-*.log"))
    assert len(written) == 1 and str(written[0]) in lines[0]
    assert "Traceback (most recent call last)" in written[0].read_text(encoding="utf-8")
