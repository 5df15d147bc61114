"""A folder of every hostile input plus good articles builds with exit 1: each bad one
named once, every good one stored, the derived graph written, no traceback, peak memory
under 2 GB; an article whose extraction fails is that article's skip message."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app
from graph.ingest.build import build
from graph.storage.store import Store
from ontology import GRAPH_NS
from ontology.namespace import LG

pytestmark = pytest.mark.slow
GOOD = "Accel invested $5 million in Labelbox, the company said on Monday.\n"
WRAPPER = """import resource, subprocess, sys
code = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "w"), stderr=open(sys.argv[1] + ".err", "w"))
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code.returncode)"""


def long_text(chars: int, seed: int = 7) -> str:
    """Different real-looking paragraphs (written for this test) up to ``chars`` characters."""
    rng = random.Random(seed)
    firms = ["Acme Labs", "Beta Data", "Northwind Analytics", "Contoso Vision", "Globex", "Initech", "Labelbox"]
    people = ["Maria Lopez", "Daniel Chen", "Aisha Khan", "Tom Becker"]
    forms = [
        "{a} invested ${n} million in {b}, according to a statement.",
        "{p} joined {a} as chief technology officer after six years at {b}.",
        "Analysts said {a} competes with {b} for contracts with large model developers.",
        "{a} signed a multi-year agreement with {b} to label driving footage.",
        "The startup said revenue tripled last year as demand for expert annotators grew.",
        "{b} declined to comment on whether it would renew its contract with {a}.",
    ]
    out: list[str] = []
    while sum(map(len, out)) < chars:
        out.append(" ".join(rng.choice(forms).format(a=a, b=b, p=rng.choice(people), n=rng.randint(2, 400))
                            for a, b in (rng.sample(firms, 2) for _ in range(rng.randint(3, 6)))))  # fmt: skip
    return "\n\n".join(out)


def hostile_folder(folder: Path) -> tuple[dict[str, str], int]:
    """Every hostile input of issue 13 plus good articles: (skipped name -> reason fragment, articles to store)."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD)
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD.replace("Labelbox", "Beta Data"))
    for sub in ("a", "b"):
        (folder / sub).mkdir()
        (folder / sub / "story.md").write_text(f"# Story {sub}\n\n" + GOOD.replace("Accel", f"Fund {sub.upper()}"))
    (folder / "utf16.txt").write_bytes(b"\xff\xfe" + GOOD.replace("Accel", "Sequoia").encode("utf-16-le"))
    rows = [
        json.dumps({"text": GOOD, "url": "https://news.example/good"}),
        "[" * 100_000,
        json.dumps({"text": GOOD, "url": 'https://news.example/<>"{}|^'}),
        json.dumps({"text": GOOD, "url": "http://[::1"}),
        json.dumps({"title": "Beta \ud800 raises", "text": "Beta\ud800 Data hired Labelbox, the firm said.\n"}),
    ]
    (folder / "feed.jsonl").write_text("\n".join(rows) + "\n")
    (folder / "long.txt").write_text(long_text(160_000))
    (folder / "empty.txt").write_text("")
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.txt")
    skipped = {"feed.jsonl:2": "nested too deeply", "empty.txt": "empty file",
               "zero.txt": "not a regular file (a character device)", "pipe.txt": "not a regular file (a FIFO)"}  # fmt: skip
    return skipped, 10  # good, café, a/story, b/story, utf16, long, feed rows 1, 3, 4, 5


def test_bad_batch_acceptance_every_bad_input_named_once_the_rest_stored(tmp_path):
    skipped, stored = hostile_folder(tmp_path / "in")
    store, peak = tmp_path / "store", tmp_path / "peak"
    wrapper = tmp_path / "wrapper.py"
    wrapper.write_text(WRAPPER)
    cmd = [sys.executable, str(wrapper), str(peak), sys.executable, "-m", "graph.cli", "build", str(tmp_path / "in"),
           "--store", str(store)]  # fmt: skip
    code = subprocess.run(cmd, timeout=300, env={**os.environ, "COLUMNS": "200"}).returncode
    out, err = Path(f"{peak}.out").read_text(), Path(f"{peak}.err").read_text()
    assert code == 1, err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    for name, reason in skipped.items():
        named = [line for line in lines if line.startswith("skipped ") and f"/in/{name}:" in line]
        assert len(named) == 1 and reason in named[0], (name, err)
    assert sum(line.startswith("skipped ") for line in lines) == len(skipped)
    for warning in ('"url" ignored', "lone surrogate", "article cut to its first"):
        assert warning in err
    assert f"{stored} added" in out and f"{len(skipped)} skipped" in out
    with Store(store, read_only=True) as s:
        assert len(s.article_hashes()) == stored
        assert GRAPH_NS + "derived" in s.graph_names()
        names = {str(v) for v in s.dataset.objects(None, LG.fileName)}
    assert {"caf\\xe9.txt", "story.md", "long.txt", "utf16.txt", "feed.jsonl#5"} <= names
    assert int(peak.read_text()) < 2 * 1024 * 1024  # KB: under 2 GB


def test_bad_batch_an_article_whose_extraction_fails_is_skipped_and_the_rest_stored(tmp_path, monkeypatch):
    """A fault injected into the extractor (no real input is known to break it any more)."""
    from extractors import pipeline

    real = pipeline.relations_from_doc

    def fragile(doc, article, offset=0):
        if "Explode" in article.text:
            raise RuntimeError("injected fault")
        return real(doc, article, offset)

    monkeypatch.setattr(pipeline, "relations_from_doc", fragile)
    (tmp_path / "in").mkdir()
    for name, text in (
        ("a.txt", GOOD),
        ("b.txt", "Explode Corp hired Labelbox.\n"),
        ("c.txt", GOOD.replace("Accel", "Sequoia")),
    ):
        (tmp_path / "in" / name).write_text(text)
    rows = [json.dumps({"text": "Explode Corp hired Turing."}), json.dumps({"text": GOOD.replace("Accel", "Index")})]
    (tmp_path / "in" / "d.jsonl").write_text("\n".join(rows) + "\n")
    report = build([tmp_path / "in"], tmp_path / "store")
    assert [(Path(s.source).name, s.reason) for s in report.skipped] == [
        ("b.txt", "extraction failed (RuntimeError: injected fault)"),
        ("d.jsonl:1", "extraction failed (RuntimeError: injected fault)"),
    ]
    assert report.added == 3 and report.dependencies is not None
    with Store(tmp_path / "store", read_only=True) as s:
        assert len(s.article_hashes()) == 3
    extracted = CliRunner().invoke(app, ["extract", str(tmp_path / "in"), "--out", str(tmp_path / "r.jsonl")])
    assert extracted.exit_code == 1 and "b.txt: extraction failed" in extracted.output
    assert "from 3 articles written" in extracted.output
    written = {json.loads(line)["article"] for line in (tmp_path / "r.jsonl").read_text().splitlines()}
    assert {"a.txt", "c.txt"} <= written and not written & {"b.txt", "d.jsonl#1"}


def test_bad_batch_same_name_in_two_folders_stored_twice_and_rerun_unchanged(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / "in" / sub).mkdir(parents=True)
        (tmp_path / "in" / sub / "story.md").write_text(GOOD.replace("Accel", f"Fund {sub.upper()}"))
    first = build([tmp_path / "in"], tmp_path / "store")
    again = build([tmp_path / "in"], tmp_path / "store")
    assert (first.added, first.replaced) == (2, 0)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 2)


def test_bad_batch_corrupt_store_is_exit_3_without_a_traceback(tmp_path):
    with Store(tmp_path / "store"):
        pass
    (tmp_path / "store" / "CURRENT").write_bytes(b"\x00garbage")
    (tmp_path / "a.txt").write_text(GOOD)
    result = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(tmp_path / "a.txt"), "--store",
                             str(tmp_path / "store")], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and "cannot open the store" in result.stderr
    stats = CliRunner().invoke(app, ["stats", "--store", str(tmp_path / "store")])
    assert stats.exit_code == 3
