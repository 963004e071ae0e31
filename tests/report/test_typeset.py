"""How the report reaches Typst: its data in a private file that each report has to itself, Russian words tied."""

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .conftest import flat, typeset

LINE_END = re.compile(r"(?:^|[\s(«])[А-ЯЁа-яё]{1,2}\s*$")


@pytest.mark.slow
def test_reports_typeset_at_once_each_print_their_own_data_and_leave_no_file(shipped_kb, questionnaire, kz_answers):
    """Two threads typesetting at once never swap data files; no assessment data stays behind on the host."""
    from dataclasses import replace

    from tipkb.report import typeset as typeset_module

    names = ["Alpha Aid", "Beta Shelter"]
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda name: typeset(shipped_kb, questionnaire, replace(kz_answers, organisation=name),
                                                     lang="en"), names))
    for name, report in zip(names, reports, strict=True):
        assert name in flat(report.pages[0])
        assert report.reader().metadata.author == name
    places = []
    while not typeset_module._places.empty():
        places.append(typeset_module._places.get_nowait())
    for place in places:
        typeset_module._places.put(place)
    assert places and all(not (place / "data.json").exists() for place in places)
    assert all(place.stat().st_mode & 0o077 == 0 for place in places)  # only this user can look inside


def test_russian_short_words_are_tied_to_the_next_word_but_not_in_bookmarks(ru_report):
    """A one- or two-letter Russian word never ends a line; bookmarks and the title keep plain spaces."""
    import json

    from tipkb.report.typeset import data_json, tie_short_words

    text = json.dumps({"a": ["и в дом на столе (в России) «не знаю»", "Адрес:\nв Алматы"]}, ensure_ascii=False)
    assert json.loads(tie_short_words(text)) == {
        "a": ["и\u00a0в\u00a0дом на\u00a0столе (в\u00a0России) «не\u00a0знаю»", "Адрес:\nв\u00a0Алматы"]}
    # The report's data is tied part by part (a part a report before had is not gone through again), to the same text.
    data = {"lang": "ru", "cover": {"organisation": "НКО «в пути»"}, "a": ["и в дом", "Адрес:\nв Алматы"]}
    for _ in range(2):
        assert json.loads(data_json(data)) == json.loads(tie_short_words(json.dumps(data, ensure_ascii=False)))
    assert json.loads(data_json(dict(data, lang="en")))["a"] == data["a"]
    lines = [line for page in ru_report.pages for line in page.split("\n")]
    assert any("\u00a0" in line for line in lines)
    assert not [line for line in lines if LINE_END.search(line)]  # no line ends with "и", "в", "на"…
    reader = ru_report.reader()
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles and not any("\u00a0" in title for title in titles)
    assert "\u00a0" not in reader.metadata.title


@pytest.mark.pdf
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pillar_chart_stays_on_the_page_of_its_heading_and_boxes(request, lang):
    """Regression: the Russian chart went on over the page, leaving one bar and the scale alone on page 3."""
    from tipkb.report.words import words

    report = request.getfixturevalue(f"{lang}_report")
    w = words(lang)
    page = report.page_with(w["pillar_scores"])
    summary = flat(report.pages[page])
    assert w["completeness"] in summary and flat(w["chart_note"]) in summary  # the boxes and the chart's caption
    assert w["pillar_scores"] not in flat(report.pages[page + 1])


@pytest.mark.slow
def test_warm_up_removes_the_report_folders_of_killed_workers_and_only_those(tmp_path):
    """Regression: a worker killed mid-compile left its data file in memory until the host restarted."""
    import tempfile

    from tipkb.report import typeset as typeset_module

    scratch = typeset_module.SCRATCH if typeset_module.SCRATCH.is_dir() else Path(tempfile.gettempdir())
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs, as a killed worker's
    prefix = typeset_module.PLACE_PREFIX
    dead = Path(tempfile.mkdtemp(prefix=f"{prefix}{gone.pid}-", dir=scratch))
    (dead / "data.json").write_text('{"organisation": "NGO A"}', encoding="utf-8")
    kept = [Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getppid()}-", dir=scratch)),  # a worker still running
            Path(tempfile.mkdtemp(prefix=f"tipkb-other-{gone.pid}-", dir=scratch))]  # not a report folder
    link = scratch / f"{prefix}{gone.pid}-link{os.getpid()}"
    link.symlink_to(tmp_path, target_is_directory=True)  # a link, even of ours, is never followed
    if os.geteuid() == 0:  # root can make a folder another user owns, which is never removed
        kept.append(Path(tempfile.mkdtemp(prefix=f"{prefix}{gone.pid}-", dir=scratch)))
        os.chown(kept[-1], 65534, 65534)
    (tmp_path / "keep.txt").write_text("kept", encoding="utf-8")
    try:
        typeset_module.warm_up()
        assert not dead.exists()
        assert all(place.is_dir() for place in kept)
        assert link.is_symlink() and (tmp_path / "keep.txt").exists()
    finally:
        for place in (dead, *kept):
            shutil.rmtree(place, ignore_errors=True)
        link.unlink(missing_ok=True)
