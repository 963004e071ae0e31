"""Issue #18, item 4: `tipkb kb changes --since REV` lists the KB resources a release added, changed and removed."""

import json
import subprocess

import pytest

from tipkb.cli.main import main

BEFORE = """@prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix kb:  <https://w3id.org/tipkb/kb/> .
@prefix dct: <http://purl.org/dc/terms/> .
kb:tier-rating-kz-2024 a tip:TierRating ; tip:tier kb:tier-2 ; dct:source <https://www.state.gov/a> .
kb:ratification-kz-untoc a tip:Ratification ; tip:note "read on the UN Treaty Collection"@en ;
    tip:condition [ tip:text "a reservation"@en ] .
kb:route-kz-ru a tip:Route ; dct:source <https://example.org/r> .
"""
# the same ratification written another way (order, blank node), one tier changed, a route gone, a tier new
AFTER = """@prefix tip: <https://w3id.org/tipkb/ontology#> .
@prefix kb:  <https://w3id.org/tipkb/kb/> .
@prefix dct: <http://purl.org/dc/terms/> .
kb:ratification-kz-untoc tip:condition [ tip:text "a reservation"@en ] ;
    tip:note "read on the UN Treaty Collection"@en ; a tip:Ratification .
kb:tier-rating-kz-2024 a tip:TierRating ; tip:tier kb:tier-2-watch-list ; dct:source <https://www.state.gov/a> .
kb:tier-rating-kz-2025 a tip:TierRating ; tip:tier kb:tier-2 ; dct:source <https://www.state.gov/b> .
"""


def git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.mark.slow
def test_changes_since_a_revision_name_each_resource_added_changed_and_removed(tmp_path, capsys):
    (tmp_path / "kb" / "situation").mkdir(parents=True)
    facts = tmp_path / "kb" / "situation" / "kz.ttl"
    facts.write_text(BEFORE, encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "kb")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "release 1")
    git(tmp_path, "tag", "v1")
    facts.write_text(AFTER, encoding="utf-8")

    assert main(["kb", "changes", "--since", "v1", "--root", str(tmp_path), "--json"]) == 0
    found = {(c["change"], c["iri"].rsplit("/", 1)[1]): c for c in json.loads(capsys.readouterr().out)}
    assert set(found) == {("added", "tier-rating-kz-2025"), ("changed", "tier-rating-kz-2024"),
                          ("removed", "route-kz-ru")}
    assert found[("changed", "tier-rating-kz-2024")]["properties"] == ["tier"]
    assert found[("added", "tier-rating-kz-2025")] | {"kind": "TierRating", "file": "situation/kz.ttl"} == \
        found[("added", "tier-rating-kz-2025")]

    git(tmp_path, "add", "kb")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "release 2")
    assert main(["kb", "changes", "--since", "v1", "--until", "HEAD", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 added, 1 changed, 1 removed" in out and "tier-rating-kz-2024" in out and "(tier)" in out
    assert main(["kb", "changes", "--since", "HEAD", "--root", str(tmp_path)]) == 0
    assert "0 added, 0 changed, 0 removed" in capsys.readouterr().out

    assert main(["kb", "changes", "--since", "no-such-tag", "--root", str(tmp_path)]) == 2  # an error, not a crash
    assert "no-such-tag" in capsys.readouterr().err
