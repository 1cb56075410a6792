"""Tournée planning core: territory data, need model, distances and the season optimizer.

This package never imports Flask: the web layer calls into it, not the other way round.
"""
