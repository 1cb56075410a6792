"""CP-SAT model builders (season, aggregate, mediator, week sequencing, diagnosis, LP bound):
variables, one function per constraint family, objective. They solve nothing on their own schedule."""
