"""How a plan is searched: the heuristics (greedy, stop swaps, constructive dates) and the
orchestration that runs them with the CP-SAT models within the time limit."""
