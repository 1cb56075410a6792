"""Greedy label placement: each label takes the first spot around its point that overlaps no
marker and no label placed before it; when none is free, the least crowded spot."""

from __future__ import annotations

from dataclasses import dataclass, field

Box = tuple[float, float, float, float]  # x0, y0, x1, y1

# (dx, dy, anchor) around a point, tried in this order: right, left, above, below, then diagonals;
# then the same farther out, where a leader line will tie the label to its point.
NEAR = ((8, 4, "start"), (-8, 4, "end"), (0, -9, "middle"), (0, 17, "middle"),
        (7, -6, "start"), (-7, -6, "end"), (7, 14, "start"), (-7, 14, "end"))
FAR = tuple((dx * 3, dy * 3 - 4 * (dy > 0), anchor) for dx, dy, anchor in NEAR)


def text_width(text: str, size: float) -> float:
    """A width estimate good enough to avoid overlaps: DejaVu Sans digits are 0.64 em wide, bold a little more."""
    return sum(0.68 if ch.isdigit() else 0.36 if ch in " ,.·'" else 0.64 for ch in text) * size


def wrap_words(text: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` pixels (a single long word may exceed it)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


@dataclass
class LabelPlacer:
    frame: Box  # labels stay inside this box
    taken: list[Box] = field(default_factory=list)

    def block(self, box: Box) -> None:
        self.taken.append(box)

    def place(self, x: float, y: float, text: str, size: float) -> tuple[float, float, str, bool]:
        """Position (x, y of the baseline, text-anchor, whether it is far) of a label for (x, y)."""
        width = text_width(text, size)
        best = None
        for dx, dy, anchor in NEAR + FAR:
            lx, ly = x + dx, y + dy
            left = lx if anchor == "start" else lx - width if anchor == "end" else lx - width / 2
            box = (left - 1, ly - size * 0.8, left + width + 1, ly + size * 0.25)
            crowd = sum(overlap(box, other) for other in self.taken)
            outside = (max(0.0, self.frame[0] - box[0]) + max(0.0, box[2] - self.frame[2])
                       + max(0.0, self.frame[1] - box[1]) + max(0.0, box[3] - self.frame[3]))
            score = crowd + 1e6 * outside
            if best is None or score < best[0]:
                best = (score, lx, ly, anchor, box, (dx, dy, anchor) in FAR)
            if score == 0:
                break
        _, lx, ly, anchor, box, far = best
        self.taken.append(box)
        return lx, ly, anchor, far
