"""CP-SAT season model: variables, one function per constraint family, objective, solve."""
