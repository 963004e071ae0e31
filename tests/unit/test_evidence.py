"""Evidence for answers: accepted types read from the content, links checked, files kept outside the database."""

import hashlib
import io
import zipfile

import pytest

from tipkb import AssessmentStore
from tipkb.assess.evidence import EvidenceError, check_link, safe_name, sniff
from tipkb.assess.evidence_store import EvidenceNotFound, EvidenceStore
from tipkb.assess.storage import ReadOnlyError

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'


def office(folder: str, mimetype: str | None = None) -> bytes:
    """Return a small zip laid out like an office document (OOXML parts, or an OpenDocument `mimetype` first)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        if mimetype:
            z.writestr("mimetype", mimetype)
        else:
            z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr(f"{folder}/content.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def evidence(store, tmp_path):
    return EvidenceStore(store, tmp_path / "evidence", max_bytes=4096)


@pytest.fixture
def draft(store):
    return store.create("Example NGO", "KG", 2025)


def test_accepted_types_are_read_from_the_content():
    assert sniff(PDF) == "application/pdf"
    assert sniff(PNG) == "image/png"
    assert sniff(office("word")).endswith("wordprocessingml.document")
    assert sniff(office("xl")).endswith("spreadsheetml.sheet")
    assert sniff(office("x", "application/vnd.oasis.opendocument.text")) == "application/vnd.oasis.opendocument.text"
    for content in (HTML, SVG, b"plain text", office("other"), b""):
        with pytest.raises(EvidenceError) as caught:
            sniff(content)
        assert caught.value.code in ("type", "empty")


def test_a_file_is_kept_under_a_random_name_and_listed_with_its_sniffed_type(store, evidence, draft):
    item = evidence.add_file(draft.id, "PR01", PDF, "../../etc/Закон о ТЛ.html", user_id=None)
    assert (item.kind, item.title, item.media_type) == ("file", "Закон о ТЛ.html", "application/pdf")
    assert item.size == len(PDF)
    assert item.sha256 == hashlib.sha256(PDF).hexdigest()
    path = evidence.path(item)
    assert path.parent == evidence.folder / str(draft.id) and path.read_bytes() == PDF
    assert "Закон" not in path.name and ".." not in path.name
    assert item.download_name() == "Закон о ТЛ.html.pdf"
    link = evidence.add_link(draft.id, "PR01", " https://example.org/report ", "")
    assert (link.url, link.title) == ("https://example.org/report", "example.org/report")
    assert [e.id for e in evidence.listing(draft.id)["PR01"]] == [item.id, link.id]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.org/a",
                                 "https:///no-host", "https://example.org/a b", "http://" + "a" * 2000])
def test_a_link_must_be_an_http_address(url):
    with pytest.raises(EvidenceError) as caught:
        check_link(url)
    assert caught.value.code in ("url", "url-long")


def test_refused_files_and_links_leave_no_row_and_no_file(evidence, draft):
    with pytest.raises(EvidenceError):
        evidence.add_link(draft.id, "PR01", "javascript:alert(1)")
    for content in (HTML, SVG, b"%PDF" + b"x" * 4096):
        with pytest.raises(EvidenceError) as caught:
            evidence.add_file(draft.id, "PR01", content, "report.pdf")
        assert caught.value.code in ("type", "size")
    assert evidence.listing(draft.id) == {}
    assert not any(p.is_file() for p in evidence.folder.rglob("*"))


def test_answers_evidence_is_read_only_once_submitted_but_follow_up_evidence_is_not(store, evidence, draft):
    kept = evidence.add_link(draft.id, "PR01", "https://example.org/a")
    store.submit(draft.id)
    with pytest.raises(ReadOnlyError):
        evidence.add_file(draft.id, "PR01", PDF, "a.pdf")
    with pytest.raises(ReadOnlyError):
        evidence.remove(draft.id, kept.id)
    assert not any(p.is_file() for p in evidence.folder.rglob("*"))  # the refused file went again
    assert evidence.add_link(draft.id, "followup:P-01", "https://example.org/b").subject == "followup:P-01"


def test_removing_evidence_and_deleting_a_draft_delete_the_files(store, evidence, draft):
    first = evidence.add_file(draft.id, "PR01", PDF, "a.pdf")
    second = evidence.add_file(draft.id, "PR02", PNG, "b.png")
    evidence.remove(draft.id, first.id)
    assert not (evidence.folder / str(draft.id) / first.stored_name).exists()
    with pytest.raises(EvidenceNotFound):
        evidence.get(draft.id, first.id)
    other = store.create("Other NGO", "KG", 2025)
    with pytest.raises(EvidenceNotFound):
        evidence.get(other.id, second.id)  # evidence is reached only through its own assessment
    store.delete_draft(draft.id, "Example NGO")
    assert evidence.prune() == 1
    assert not (evidence.folder / str(draft.id)).exists()
    assert evidence.of_assessments([draft.id]) == {}


def test_download_names_keep_letters_and_drop_path_and_quote_characters():
    assert safe_name('a/b\\c"d\r\n.pdf', "pdf") == "a_b_c_d.pdf"
    assert safe_name("...", "png") == "evidence.png"
    assert safe_name("Отчёт 2025", "docx") == "Отчёт 2025.docx"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_evidence_is_kept_and_goes_with_its_assessment_on_postgresql(questionnaire, database_url, tmp_path):
    with AssessmentStore(database_url, questionnaire=questionnaire) as store:
        evidence = EvidenceStore(store, tmp_path / "evidence")
        draft = store.create("Example NGO", "KG", 2025)
        item = evidence.add_file(draft.id, "PR01", PNG, "photo.png")
        assert evidence.get(draft.id, item.id).media_type == "image/png"
        following = store.copy(store.submit(draft.id).id, year=2026)
        assert evidence.copy_answers(draft.id, following.id) == 1  # next year's draft gets a copy of its own
        store.delete_draft(following.id, "Example NGO")
        assert evidence.prune() == 1 and evidence.listing(following.id) == {}
        assert evidence.path(evidence.get(draft.id, item.id)).read_bytes() == PNG


def test_deleting_an_organisation_deletes_its_evidence_and_its_export_lists_it(store, evidence, draft):
    from tipkb.assess.organisation_data import delete_organisation, export_organisation

    kept = evidence.add_file(draft.id, "PR01", PDF, "a.pdf", title="Statute")
    other = store.create("Other NGO", "KZ", 2025)
    evidence.add_file(other.id, "PR01", PNG, "b.png")
    [row] = export_organisation(store, "Example NGO")["related"]["evidence"]
    assert (row["id"], row["title"], row["media_type"]) == (kept.id, "Statute", "application/pdf")
    delete_organisation(store, "Example NGO")
    assert evidence.prune() == 1
    assert not (evidence.folder / str(draft.id)).exists()
    assert [p.parent.name for p in evidence.folder.rglob("*") if p.is_file()] == [str(other.id)]


def test_a_draft_made_from_last_year_gets_copies_of_its_answers_evidence_never_shared_files(store, evidence, draft):
    kept = evidence.add_file(draft.id, "PR01", PDF, "law.pdf", title="Statute")
    link = evidence.add_link(draft.id, "PR02", "https://example.org/plan", "Plan")
    submitted = store.submit(draft.id)
    evidence.add_link(submitted.id, "followup:P01", "https://example.org/letter")  # stays with last year's
    following = store.copy(submitted.id, year=2026)
    assert evidence.copy_answers(submitted.id, following.id) == 2
    assert evidence.copy_answers(submitted.id, following.id) == 0  # once
    copied = evidence.listing(following.id)
    assert set(copied) == {"PR01", "PR02"}
    [file], [web] = copied["PR01"], copied["PR02"]
    assert (file.title, file.media_type, file.sha256, web.url, web.title) == (
        "Statute", "application/pdf", kept.sha256, link.url, "Plan")
    assert file.stored_name != kept.stored_name and evidence.path(file).read_bytes() == PDF
    evidence.remove(following.id, file.id)  # removing the copy leaves last year's file
    store.delete_draft(following.id, "Example NGO")
    evidence.prune()
    assert evidence.path(evidence.get(submitted.id, kept.id)).read_bytes() == PDF
    with pytest.raises(ReadOnlyError):
        evidence.copy_answers(submitted.id, store.create("Example NGO", "KG", 2027).id)  # not made from it
