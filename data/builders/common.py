"""What every builder shares: the region, number formatting, CSV writing and reading raw CSVs."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

REGION_DEPS = ("18", "28", "36", "37", "41", "45")
# An inventory point geocoded farther than this from the centre of its own commune is misplaced.
MISPLACED_KM = 20.0
GEO_NOTE_CENTRE = "géocodage source hors commune : centre de la commune"


def read_raw_csv(path: Path, **options) -> pd.DataFrame:
    """A raw CSV as text cells: codes keep their leading zeros, an empty cell stays ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **options)


def fmt_number(value) -> str:
    """Shortest text of a rounded figure; empty when the sources have none."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def to_csv(frame: pd.DataFrame, columns: list[str]) -> str:
    buffer = io.StringIO()
    frame[columns].to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
