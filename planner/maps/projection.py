"""A local map projection fitted to a box of pixels.

Equirectangular with longitudes scaled by the cosine of the central latitude: over a basin, a
département or the region (under 3 degrees of latitude) it keeps areas and shapes within a few
per cent, which is all a planning map needs, and it needs no projection library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Bounds = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass(frozen=True)
class Projection:
    """Pixel x grows east, pixel y grows south (SVG); ``scale`` is pixels per degree of latitude."""

    lon0: float
    lat0: float
    kx: float  # cos(lat0): a degree of longitude is this many degrees of latitude long
    scale: float
    x0: float  # pixel position of (lon0, lat0)
    y0: float

    @classmethod
    def fit(cls, bounds: Bounds, x: float, y: float, width: float, height: float | None = None) -> Projection:
        """The largest projection of ``bounds`` that fits the box, centred in it.

        With ``height`` None the box is as tall as the bounds need at the box's width.
        """
        min_lon, min_lat, max_lon, max_lat = bounds
        lat0 = (min_lat + max_lat) / 2
        lon0 = (min_lon + max_lon) / 2
        kx = math.cos(math.radians(lat0))
        span_x = max((max_lon - min_lon) * kx, 1e-6)
        span_y = max(max_lat - min_lat, 1e-6)
        scale = width / span_x if height is None else min(width / span_x, height / span_y)
        box_height = span_y * scale if height is None else height
        return cls(lon0, lat0, kx, scale, x + width / 2, y + box_height / 2)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (self.x0 + (lon - self.lon0) * self.kx * self.scale, self.y0 - (lat - self.lat0) * self.scale)

    def pixels_per_km(self) -> float:
        return self.scale / 111.2  # a degree of latitude is about 111.2 km


def padded(bounds: Bounds, fraction: float) -> Bounds:
    """Bounds grown by ``fraction`` of their larger side on every edge (in projected units)."""
    min_lon, min_lat, max_lon, max_lat = bounds
    kx = math.cos(math.radians((min_lat + max_lat) / 2))
    pad_lat = max((max_lon - min_lon) * kx, max_lat - min_lat) * fraction
    return (min_lon - pad_lat / kx, min_lat - pad_lat, max_lon + pad_lat / kx, max_lat + pad_lat)
