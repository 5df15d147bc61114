"""``python -m graph.cli``: the same as the ``labelgraph`` command."""

from graph.cli.main import app

app()
