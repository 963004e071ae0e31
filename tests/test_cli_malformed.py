"""Malformed input to the command line: one clear line on standard error and a non-zero exit, never a traceback
(issue #14)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tipkb.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
EXAMPLE = ROOT / "kb" / "examples" / "kg-2025.json"

ANSWERS = {  # an answers file that is no JSON tipkb reads: (bytes, a word the message holds)
    "nested 10,000 arrays": (b"[" * 10_000 + b"]" * 10_000, "nest"),
    "nested 10,000 objects": (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nest"),
    "5000-digit integer": (b'{"year": ' + b"9" * 5000 + b"}", "too large"),
    "NaN": (b'{"schema": "tipkb-answers/1", "answers": {"PT04": NaN}}', "NaN"),
    "Infinity": (b'{"answers": {"PT04": -Infinity}}', "Infinity"),
    "1e400": (b'{"answers": {"PT04": 1e400}}', "1e400"),
    "lone surrogate": (b'{"organisation": "\\ud800"}', "surrogate"),
    "invalid UTF-8": (b'{"organisation": "\xff\xfe"}', "UTF-8"),
    "UTF-8 BOM": (b'\xef\xbb\xbf{"answers": {}}', "JSON"),
    "truncated": (b'{"answers": {', "JSON"),
    "empty": (b"", "JSON"),
}
COMMANDS = {  # how each command that reads an answers file is given one
    "assess": lambda path, out: ["assess", str(path)],
    "recommend": lambda path, out: ["recommend", "--answers", str(path)],
    "report": lambda path, out: ["report", str(path), "-o", str(out)],
}


def run(argv, capsys):
    """Run the CLI in-process; return its exit status and standard error."""
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's usage errors
        status = exc.code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return status, captured.err


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:2000]
    assert len(lines[0]) < 500, lines[0][:600]
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ANSWERS)
def test_an_unreadable_answers_file_is_one_line_and_exit_1(command, case, tmp_path, capsys):
    body, word = ANSWERS[case]
    path = tmp_path / "answers.json"
    path.write_bytes(body)
    status, err = run(COMMANDS[command](path, tmp_path / "out.pdf"), capsys)
    line = one_line(err)
    assert status == 1 and str(path) in line and word.lower() in line.lower()
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", ["missing", "directory"])
def test_a_missing_answers_file_or_a_directory_is_one_line_and_exit_2(command, case, tmp_path, capsys):
    path = tmp_path / "answers.json"
    if case == "directory":
        path.mkdir()
    status, err = run(COMMANDS[command](path, tmp_path / "out.pdf"), capsys)
    assert status == 2 and str(path) in one_line(err)


def test_answers_of_the_wrong_shape_list_their_problems_and_exit_1(tmp_path, capsys):
    path = tmp_path / "answers.json"
    path.write_text("[1, 2]", encoding="utf-8")
    status, err = run(["assess", str(path)], capsys)
    assert status == 1 and "object" in err and str(path) in err


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A small data root (the ontology, vocabularies, countries and a sample) shared by the read-only cases."""
    root = tmp_path_factory.mktemp("root")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    shutil.copytree(ROOT / "kb" / "vocab", root / "kb" / "vocab")
    shutil.copy(ROOT / "kb" / "countries.ttl", root / "kb" / "countries.ttl")
    shutil.copy(TESTS / "shapes" / "base.ttl", root / "kb" / "sample.ttl")
    return root


QUERIES = {  # a query file: (bytes, a word the message holds)
    "invalid UTF-8": (b"SELECT * WHERE { ?s ?p \"\xff\" }", "UTF-8"),
    "broken SPARQL": (b"SELECT * WHERE { ?s ?p", "query"),
    "empty": (b"", "query"),
    "NUL": (b"SELECT * WHERE { ?s ?p \x00 }", "query"),
    "deeply nested": (b"SELECT * WHERE " + b"{" * 5000 + b"?s ?p ?o" + b"}" * 5000, "query"),
}


@pytest.mark.parametrize("case", QUERIES)
def test_a_malformed_query_file_is_one_line_and_a_non_zero_exit(case, root, tmp_path, capsys):
    body, word = QUERIES[case]
    path = tmp_path / "q.rq"
    path.write_bytes(body)
    status, err = run(["query", str(path), "--root", str(root)], capsys)
    line = one_line(err)
    assert status in (1, 2) and word.lower() in line.lower()


@pytest.mark.parametrize("case", ["missing", "directory"])
def test_a_missing_query_file_or_a_directory_is_one_line_and_exit_2(case, root, tmp_path, capsys):
    path = tmp_path / "q.rq"
    if case == "directory":
        path.mkdir()
    status, err = run(["query", str(path), "--root", str(root)], capsys)
    assert status == 2 and str(path) in one_line(err)


TURTLE = {  # a KB file: (bytes, a word the message holds)
    "syntax error": (b"@prefix kb: <https://example.org/kb/> .\nkb:a kb:b kb:c ;; .\nkb:d kb:e", "broken.ttl"),
    "invalid UTF-8": (b"@prefix kb: <https://example.org/kb/> .\nkb:a kb:b \"\xff\xfe\" .\n", "broken.ttl"),
    "undefined prefix": (b"nope:a nope:b nope:c .\n", "broken.ttl"),
    "NUL": (b"@prefix kb: <https://example.org/kb/> .\nkb:a kb:b \"\x00\" ;\n\x00", "broken.ttl"),
}
KB_COMMANDS = {
    "stats": ["stats"],
    "country": ["country", "KZ"],
    "validate": ["validate", "--no-owl"],
}


@pytest.mark.parametrize("command", KB_COMMANDS)
@pytest.mark.parametrize("case", TURTLE)
def test_a_broken_turtle_file_is_one_line_and_a_non_zero_exit(command, case, root, tmp_path, capsys):
    kb = tmp_path / "kb"
    shutil.copytree(root / "kb", kb)
    body, word = TURTLE[case]
    (kb / "broken.ttl").write_bytes(body)
    status, err = run([*KB_COMMANDS[command], "--root", str(root), "--kb", str(kb)], capsys)
    if command == "validate":  # a report, one problem a line under its heading
        assert status == 1 and "broken.ttl:" in err and "SYNTAX" in err
    else:
        assert status == 2 and word in one_line(err)


NESTED = b"@prefix kb: <https://example.org/kb/> .\nkb:a " + b"kb:b [ " * 5000 + b"kb:b kb:c" + b" ]" * 5000 + b" .\n"


@pytest.mark.parametrize("backend", ["oxigraph", "rdflib"])
def test_turtle_nested_5000_levels_deep_loads_or_is_refused_in_one_line(backend, root, tmp_path, capsys):
    kb = tmp_path / "kb"
    shutil.copytree(root / "kb", kb)
    (kb / "nested.ttl").write_bytes(NESTED)
    status, err = run(["stats", "--root", str(root), "--kb", str(kb), "--backend", backend], capsys)
    assert status == 0 or (status == 2 and "nested.ttl" in one_line(err))


@pytest.mark.parametrize("case", ["missing", "file"])
def test_a_kb_folder_that_is_missing_or_a_file_is_one_line_and_exit_2(case, root, tmp_path, capsys):
    kb = tmp_path / "kb"
    if case == "file":
        kb.write_text("not a folder", encoding="utf-8")
    status, err = run(["stats", "--root", str(root), "--kb", str(kb)], capsys)
    assert status == 2 and str(kb) in one_line(err)


def test_a_broken_release_is_refused_by_kb_import_in_one_line(root, tmp_path, capsys):
    release = tmp_path / "release"
    shutil.copytree(root / "kb", release)
    (release / "broken.ttl").write_bytes(TURTLE["syntax error"][0])
    db = f"sqlite:///{tmp_path / 'tipkb.sqlite'}"
    status, err = run(["kb", "import", str(release), "--root", str(root), "--db", db], capsys)
    assert status in (1, 2) and "broken.ttl" in one_line(err)


def test_the_installed_command_prints_no_traceback_for_a_huge_number(tmp_path):
    path = tmp_path / "answers.json"
    path.write_bytes(b'{"year": ' + b"9" * 5000 + b"}")
    entry = "import sys; from tipkb.cli import main; sys.exit(main())"  # what the `tipkb` script runs
    done = subprocess.run([sys.executable, "-c", entry, "assess", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and str(path) in done.stderr
