"""Plain JSON values: what the domain's ``to_dict`` methods hand out (lists, never tuples)."""

from __future__ import annotations


def plain(value):
    """``value`` with tuples turned into lists and dict keys into strings, recursively."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
