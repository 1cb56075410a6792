"""Atomic writes of the command line (planner/commands/common.py ``write_atomically``), on one
published file ``saison.csv`` holding b"old": it is replaced whole, or not at all; the temporary
file sits in the target folder (a rename across file systems would not be atomic) and is removed
whatever happens.

The interruption is real Python (a KeyboardInterrupt, as Ctrl-C raises, or an OSError raised at
the step where the system would fail); the files are real files in a temporary folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from planner.commands.common import write_atomically
from planner.domain.problems import DataError


@pytest.fixture
def published(tmp_path):
    out = tmp_path / "saison.csv"
    out.write_bytes(b"old")
    os.chmod(out, 0o640)
    return out


def test_the_file_is_replaced_whole_and_keeps_its_permissions(published):
    write_atomically(published, b"new season\n" * 1000)
    assert published.read_bytes() == b"new season\n" * 1000
    assert stat.S_IMODE(published.stat().st_mode) == 0o640
    assert sorted(p.name for p in published.parent.iterdir()) == ["saison.csv"]


def test_a_new_file_is_created(tmp_path):
    out = tmp_path / "nouveau.csv"
    write_atomically(out, b"data")
    assert out.read_bytes() == b"data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nouveau.csv"]


def test_the_temporary_file_is_written_in_the_target_folder_then_renamed(published, monkeypatch):
    seen = {}
    real_replace = os.replace

    def replace(source, target):
        seen["source"], seen["content"] = source, Path(source).read_bytes()
        seen["target"], seen["target_then"] = target, Path(target).read_bytes()
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    write_atomically(published, b"new")
    assert os.path.dirname(seen["source"]) == str(published.parent)
    assert os.path.basename(seen["source"]).startswith(".saison.csv.")
    assert seen["content"] == b"new" and seen["target_then"] == b"old"  # complete before the rename
    assert published.read_bytes() == b"new"


def test_an_interruption_before_the_rename_leaves_the_previous_file_and_no_temporary(published, monkeypatch):
    """Ctrl-C while the data is flushed to disk: the previous file is intact, the half-written
    temporary is gone, and the interruption goes on up (the command exits with 130)."""

    def interrupted(_fd):
        assert [p.name for p in published.parent.iterdir() if p.name.endswith(".part")]  # written beside it
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(published, b"new" * 100_000)
    assert published.read_bytes() == b"old"
    assert sorted(p.name for p in published.parent.iterdir()) == ["saison.csv"]


def test_a_failed_write_is_a_french_problem_naming_the_flag_and_leaves_nothing(published, monkeypatch):
    def full_disk(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(DataError) as error:
        write_atomically(published, b"new", flag="--out")
    [problem] = error.value.problems
    assert problem.file == "--out" and problem.value == str(published)
    assert problem.message == "écriture impossible : No space left on device"
    assert published.read_bytes() == b"old"
    assert sorted(p.name for p in published.parent.iterdir()) == ["saison.csv"]


def test_a_folder_in_the_way_is_refused_and_left_alone(tmp_path):
    target = tmp_path / "saison.csv"
    target.mkdir()
    (target / "inside.txt").write_bytes(b"keep")
    with pytest.raises(DataError) as error:
        write_atomically(target, b"new")
    assert error.value.problems[0].message.startswith("écriture impossible : ")
    assert (target / "inside.txt").read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["saison.csv"]


def test_a_missing_folder_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(DataError) as error:
        write_atomically(tmp_path / "absent" / "saison.csv", b"new")
    assert error.value.problems[0].message.startswith("écriture impossible : ")
