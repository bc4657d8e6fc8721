"""credpub: publish signed Open Badges 3.0 microcredentials as a static site."""

__version__ = "0.1.0"
