"""The builders of the shipped dataset, one module per raw source (see data/build.py and data/SOURCES.md)."""
