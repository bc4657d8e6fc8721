"""python -m credpub: the credpub command."""

from credpub.cli import main

main()
