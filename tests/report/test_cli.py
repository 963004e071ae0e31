"""`tipkb report`: an answers file or a country alone to a PDF file."""

import json

import pytest

from tipkb.cli.main import main

from .conftest import EXAMPLE, read


@pytest.mark.pdf
def test_country_baseline_pdf(tmp_path, capsys):
    out = tmp_path / "out" / "kz.pdf"
    assert main(["report", "--country", "kz", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "baseline report" in capsys.readouterr().out


@pytest.mark.pdf
def test_answers_file_to_russian_pdf_grouped_by_stakeholder(tmp_path):
    out = tmp_path / "kz.pdf"
    assert main(["report", str(EXAMPLE), "--lang", "ru", "--group", "stakeholder", "-o", str(out)]) == 0
    text = read(out.read_bytes(), None).text
    assert "Рекомендации по исполнителям" in text
    assert "Приложение: все ответы" in text and "Example NGO (illustrative)" in text


def test_invalid_answers_file_names_the_problem(tmp_path, capsys):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["answers"]["PR01"] = "perhaps"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    assert main(["report", str(bad), "-o", str(tmp_path / "x.pdf")]) == 1
    assert "PR01" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_no_input_or_unknown_country_is_an_error(tmp_path, capsys):
    assert main(["report", "-o", str(tmp_path / "x.pdf")]) == 2
    assert main(["report", "--country", "XX", "-o", str(tmp_path / "x.pdf")]) == 2
    assert "'XX'" in capsys.readouterr().err
