"""python -m credpub: the credpub command."""

from .cli import main

main()
