"""Problems found in input files, reported all at once, and the error that carries them."""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.formatting import plural


@dataclass(frozen=True)
class Problem:
    """One defect of an input: where it is (file, row, column), the value, and what is wrong.

    ``row`` is the 1-based line (CSV) or row (spreadsheet) number the user sees in their editor;
    0 means the file as a whole.
    """

    file: str
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        column = f":{self.column}" if self.column else ""
        value = f" « {shown(self.value)} »" if self.value != "" else ""
        return f"{where}{column}:{value} {self.message}"


SHOWN_CHARS = 200  # a value longer than this is cut in messages (a 1 MiB cell stays one line; paths fit)


def shown(value: str) -> str:
    """The value as a message quotes it: on one line, cut after SHOWN_CHARS characters."""
    text = " ".join(str(value).split()) if any(c in str(value) for c in "\r\n\t") else str(value)
    return text if len(text) <= SHOWN_CHARS else f"{text[:SHOWN_CHARS]}… ({len(text)} caractères)"


class DataError(Exception):
    """Raised with every problem of an input; the caller has loaded nothing from it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def report(self, limit: int = 50) -> str:
        """Readable French report, capped so a broken 30 000-row file stays legible."""
        lines = [f"{plural(len(self.problems), 'problème')} dans les données :"]
        lines += [f"  {p}" for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"  … et {plural(len(self.problems) - limit, 'autre')}.")
        return "\n".join(lines)
