"""Single entry point of Tournée: ``python run.py territory|plan|evaluate|...`` (see --help)."""

import sys

from planner.cli import main

if __name__ == "__main__":
    sys.exit(main())
