"""Running one corpus case in-process through planner.cli.main, and judging its outcome."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

from planner.cli import main
from tests.hostile.corpus.cases import Case

OUTPUT = "out.csv"  # the file --out names in the plan cases: it must never appear after an error


@dataclass(frozen=True)
class Outcome:
    code: int | None  # None: an exception escaped main
    out: str
    err: str
    escaped: str = ""  # the exception that escaped, if any
    wrote: bool = False

    def verdict(self, case: Case) -> str:
        """good, crash (exception or traceback or exit 4), silent (accepted bad input) or unclear."""
        if self.code is None or self.code == 4 or "Traceback" in self.err:
            return "crash"
        if self.code != case.code:
            return "silent" if self.code in (0, 1) and case.code == 2 else "unclear"
        text = self.err + self.out
        if not all(m in text for m in case.messages) or (self.code != 0 and self.wrote):
            return "unclear"
        return "good"


def run_case(case: Case, folder: Path, osrm: str = "") -> Outcome:
    def fill(text: str) -> str:
        return text.replace("{tmp}", str(folder)).replace("{osrm}", osrm)

    for name, content in case.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.replace(b"{tmp}", str(folder).encode()).replace(b"{osrm}", osrm.encode()))
    out, err = io.StringIO(), io.StringIO()
    code, escaped = None, ""
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([fill(a) for a in case.argv])
        except BaseException as exc:  # noqa: BLE001 - what escaped is the finding
            escaped = f"{exc.__class__.__name__}: {exc}"[:200]
            code = exc.code if isinstance(exc, SystemExit) and isinstance(exc.code, int) else None
    return Outcome(code, out.getvalue(), err.getvalue(), escaped, (folder / OUTPUT).exists())
