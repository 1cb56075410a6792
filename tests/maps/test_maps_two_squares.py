"""Geometry and classes of the maps on hand-checkable instances: two unit squares side by side,
four bars framing a square hole, ten need values and a square kilometre."""

from __future__ import annotations

from planner.maps.geometry import point_in_ring, signed_area, union_rings
from planner.maps.palette import SEQUENTIAL, ZERO_COLOUR, need_classes, round_nice
from planner.maps.projection import Projection

LEFT = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]
RIGHT = [(1, 1), (1, 0), (2, 0), (2, 1), (1, 1)]  # clockwise on purpose


def test_two_squares_unite_into_one_ring_without_their_shared_edge():
    (ring,) = union_rings([LEFT, RIGHT])
    assert signed_area(ring) == 2.0  # counter-clockwise, area 2
    assert sorted(set(ring)) == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)]
    assert union_rings([RIGHT, LEFT]) == [ring]  # order does not matter


def test_four_bars_framing_a_square_unite_into_a_ring_with_a_hole():
    bottom = [(0, 0), (3, 0), (3, 1), (2, 1), (1, 1), (0, 1), (0, 0)]
    top = [(0, 2), (1, 2), (2, 2), (3, 2), (3, 3), (0, 3), (0, 2)]
    left = [(0, 1), (1, 1), (1, 2), (0, 2), (0, 1)]
    right = [(2, 1), (3, 1), (3, 2), (2, 2), (2, 1)]
    rings = union_rings([bottom, top, left, right])
    assert sorted(signed_area(r) for r in rings) == [-1.0, 9.0]  # outer counter-clockwise, hole clockwise
    hole = next(r for r in rings if signed_area(r) < 0)
    assert sorted(set(hole)) == [(1, 1), (1, 2), (2, 1), (2, 2)]
    outer = next(r for r in rings if signed_area(r) > 0)
    assert point_in_ring((1.5, 1.5), outer) and point_in_ring((1.5, 1.5), hole)
    assert not point_in_ring((0.5, 0.5), hole) and not point_in_ring((3.5, 0.5), outer)


def test_ten_needs_make_five_quantile_classes_with_rounded_breaks():
    values = [0, 0, 12, 25, 37, 118.4, 130, 337.9, 350, 1000]
    classes = need_classes(values)
    # 8 positive values, upper bounds at ranks ceil(8 i / 5) = 2, 4, 5, 7: 25, 118.4 -> 120, 130, 350
    assert classes.breaks == (25, 120, 130, 350)
    assert classes.colours == SEQUENTIAL
    assert classes.colour(0) == ZERO_COLOUR and classes.colour(25) == SEQUENTIAL[0]
    assert classes.colour(26) == SEQUENTIAL[1] and classes.colour(1000) == SEQUENTIAL[-1]
    assert [label for _, label in classes.labels()] == ["jusqu'à 25", "25 à 120", "120 à 130", "130 à 350", "plus de 350"]
    assert round_nice(0.4) == 1 and round_nice(1234) == 1200


def test_projection_keeps_a_square_kilometre_square():
    # 0.01 degree of latitude and 0.01 / cos(47 deg) of longitude are the same length at 47 N
    p = Projection.fit((2.0, 46.99, 2.0 + 0.01 / 0.6820, 47.01), 0, 0, 100)
    x0, y0 = p.point(2.0, 47.0)
    x1, y1 = p.point(2.0 + 0.01 / 0.6820, 47.01)
    assert abs(abs(x1 - x0) - abs(y1 - y0)) < 0.1
