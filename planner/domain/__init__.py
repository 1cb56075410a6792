"""The season's vocabulary: communes, vehicles, requests, stops, plans, parameters, problems.

Plain frozen dataclasses and the rules of the calendar; the bottom layer, importable by all.
"""
