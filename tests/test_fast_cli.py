"""The command line starts at once: help loads none of the heavy libraries (issue 14, point 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "rdflib", "spacy", "networkx", "pyoxigraph", "oxrdflib", "numpy", "pyparsing")

_PROBE = """
import json, runpy, sys
args, watched = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
sys.argv = ["labelgraph", *args]
try:
    runpy.run_module("graph.cli", run_name="__main__")
except SystemExit as e:
    code = e.code
else:
    code = 0
heavy = sorted({m.split(".")[0] for m in sys.modules} & watched)
sys.stderr.write("\\nPROBE " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


def _probe(*args: str) -> dict:
    """Run ``labelgraph ARGS`` in a fresh interpreter; its exit code and the heavy modules it loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(list(args)), json.dumps(HEAVY)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("PROBE ")][-1]
    return json.loads(line.removeprefix("PROBE ")) | {"stdout": done.stdout}


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("ask", "--help"),
        ("ask", "critical", "--help"),
        ("query", "--help"),
        ("export", "--help"),
        ("serve", "--help"),
        ("build", "--help"),
    ],
)
def test_help_loads_no_heavy_library(args: tuple[str, ...]) -> None:
    result = _probe(*args)
    assert result["code"] == 0
    assert "Usage" in result["stdout"]
    assert result["heavy"] == []


def test_query_list_loads_no_heavy_library() -> None:
    result = _probe("query", "--list")
    assert result["code"] == 0
    assert "dependents" in result["stdout"]
    assert result["heavy"] == []


def test_python_m_graph_cli_help_in_importtime() -> None:
    """The check the issue names: ``python -X importtime -m graph.cli --help`` lists none of them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "graph.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines() if "|" in line}
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
