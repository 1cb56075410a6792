"""One module per ``run.py`` sub-command: its arguments and its handler."""
