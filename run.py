"""Single entry point of Tournée: ``python run.py territory|plan|evaluate|...`` for the planner and
``python run.py serve|worker|users|backup|restore`` for the web workspace (see --help)."""

import sys

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("serve", "worker", "users", "backup", "restore"):
        from web.cli import main
    else:
        from planner.cli import main
    sys.exit(main())
