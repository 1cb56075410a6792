"""Benchmarks of Tournée: ``python -m bench [NAME ...]`` prints a table of measured figures."""
