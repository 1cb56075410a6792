"""The scenario editor blueprint: its routes (``routes``) and its forms (``forms``)."""

from web.scenarios.routes import bp

__all__ = ["bp"]
