"""``python -m presslens`` runs the command line."""

from .cli import main

main()
