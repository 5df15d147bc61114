"""The ``labelgraph`` command line: the main commands, ``ask``, and the HTTP commands."""

from graph.cli.main import app

__all__ = ["app"]
