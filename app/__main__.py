"""`python -m app` runs the `demarche` command."""

from app.cli import main

main()
