"""The hostile-input corpus of the command line (tests/hostile/corpus/cases.py), run in-process:
each case asserts its exit code, its message, no traceback, and no output file after an error."""

from __future__ import annotations

import pytest

from tests.hostile.corpus.cases import CASES
from tests.hostile.corpus.runner import run_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_case(case, tmp_path, monkeypatch):
    monkeypatch.setenv("TOURNEE_LOG_DIR", str(tmp_path / "journal"))
    outcome = run_case(case, tmp_path)
    text = outcome.err + outcome.out
    assert outcome.code == case.code, (outcome.code, outcome.escaped, text[-2000:])
    for message in case.messages:
        assert message in text, (message, text[-2000:])
    assert "Traceback" not in text
    if case.code != 0:
        assert not outcome.wrote
