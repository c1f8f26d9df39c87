"""Reading articles: formats, encodings and the inputs presslens refuses."""

import json
from pathlib import Path
from typing import Any

import pytest

from presslens.config import load_config
from presslens.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    InputTooLargeError,
    NotEnglishError,
)
from presslens.ingest import (
    LanguageCheck,
    ReadOptions,
    _identifier,
    article_from_text,
    expand_inputs,
    iter_input_paths,
    language_name,
    language_names,
    markdown_to_text,
    read_article,
)

LANGUAGE_CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "languages.json").read_text("utf-8"))["texts"]
FOREIGN = [c for c in LANGUAGE_CASES if c["lang"] != "en"]
ENGLISH_SHAPES = [c for c in LANGUAGE_CASES if c["lang"] == "en"]
TEXT_BY_ID = {c["id"]: c["text"] for c in LANGUAGE_CASES}

ENGLISH = ("The minister said on Monday that the talks with the delegation would go on, and "
           "that the army had not been told of any change in the plan for the coming week.")


def test_ingest_text_file_keeps_text_and_takes_headline(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_text(f"Talks go on\n\n{ENGLISH}\n")
    art = read_article(p)
    assert art.title == "Talks go on"
    assert art.text.startswith("Talks go on\n\n")
    assert art.format == "text"


def test_ingest_markdown_strips_syntax(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(f"# Talks go on\n\n**{ENGLISH}** See [the report](http://x.invalid/r).\n")
    art = read_article(p)
    assert art.title == "Talks go on"
    assert "**" not in art.text and "http" not in art.text and "the report" in art.text


def test_ingest_html_extracts_main_text_title_and_date(tmp_path: Path) -> None:
    p = tmp_path / "a.html"
    p.write_text(
        "<html><head><title>Talks go on</title>"
        '<meta property="article:published_time" content="2022-11-21"></head>'
        f"<body><nav>Home | World</nav><article><h1>Talks go on</h1><p>{ENGLISH}</p>"
        f"<p>{ENGLISH}</p></article><script>alert(1)</script></body></html>")
    art = read_article(p)
    assert "The minister said on Monday" in art.text
    assert "alert(1)" not in art.text
    assert art.title == "Talks go on"
    assert art.published == "2022-11-21"


def test_ingest_legacy_encoding_is_decoded_with_a_note(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes((ENGLISH + " Café owners in Orléans agreed with the précis.").encode("cp1252"))
    art = read_article(p)
    assert "Café" in art.text and "Orléans" in art.text
    assert art.notes and "UTF-8" in art.notes[0]


@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"])
def test_ingest_empty_is_refused(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "e.txt"
    p.write_bytes(content)
    with pytest.raises(EmptyInputError, match="empty"):
        read_article(p)


def test_ingest_binary_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "b.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(BinaryInputError, match="binary"):
        read_article(p)


def test_ingest_oversized_is_refused_naming_the_flag(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_text(ENGLISH * 20)
    with pytest.raises(InputTooLargeError, match="--max-bytes"):
        read_article(p, max_bytes=500)


def test_ingest_non_english_is_reported(tmp_path: Path) -> None:
    p = tmp_path / "de.txt"
    p.write_text("Der Minister sagte am Montag, dass die Gespräche mit der Delegation "
                 "weitergehen würden und dass die Armee über keine Änderung des Plans für "
                 "die kommende Woche informiert worden sei. Die Regierung schweigt dazu.")
    with pytest.raises(NotEnglishError, match=r"de\.txt: looks like German \(de\), not English"):
        read_article(p)


@pytest.mark.parametrize("case", FOREIGN, ids=[c["id"] for c in FOREIGN])
def test_ingest_foreign_text_is_refused_naming_its_language(case: dict[str, Any]) -> None:
    name = language_name(case["lang"])
    with pytest.raises(NotEnglishError, match=rf"looks like {name} \({case['lang']}\), not"):
        article_from_text(case["text"], source=case["id"])


@pytest.mark.parametrize("case", ENGLISH_SHAPES, ids=[c["id"] for c in ENGLISH_SHAPES])
def test_ingest_english_of_every_shape_is_accepted(case: dict[str, Any]) -> None:
    """Results tables, market reports, datelines, headline lists, names, quoted speech."""
    assert article_from_text(case["text"], source=case["id"]).text.strip()


@pytest.mark.parametrize("text", [
    "Der Minister tritt heute zurück.",
    "Le gouvernement a démissionné ce matin à Paris.",
    "Huelga general convocada para el jueves.",
    "政府宣布新政策。",
    "Results: Ajax 2 PSV 1, Feyenoord 0 Twente 0, AZ 3 Utrecht 3",
])
def test_ingest_under_ten_words_is_accepted(text: str) -> None:
    assert article_from_text(text).text.strip()


def test_ingest_english_article_with_a_foreign_paragraph_is_accepted() -> None:
    text = "\n\n".join(TEXT_BY_ID[i] for i in ("en-machine-translated", "de-budget",
                                                "en-place-names", "en-dateline"))
    assert article_from_text(text).text.strip()


def test_ingest_foreign_article_quoting_english_is_refused() -> None:
    text = "\n\n".join([TEXT_BY_ID["fr-drought"], TEXT_BY_ID["fr-headed"],
                         'Un diplomate a déclaré en anglais : "We will not give in."'])
    with pytest.raises(NotEnglishError, match=r"French \(fr\)"):
        article_from_text(text)


def test_ingest_language_thresholds_come_from_the_config() -> None:
    assert LanguageCheck.from_config(load_config()["ingest"]) == LanguageCheck()
    german = TEXT_BY_ID["de-budget"]
    lenient = ReadOptions.from_config(load_config({"ingest": {"language_min_words": 1000}}))
    assert lenient.from_text(german).text.strip()
    with pytest.raises(NotEnglishError):
        ReadOptions.from_config(load_config()).from_text(german)


def test_ingest_every_identifier_label_has_a_language_name() -> None:
    names = language_names()
    assert set(_identifier().labels) <= set(names)
    assert all(within in names for _, within in names.values())


def test_ingest_expands_folders_and_rejects_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.md", "sub/c.html", "skip.pdf"):
        (tmp_path / name).write_text("x")
    found = [p.name for p in iter_input_paths([str(tmp_path)]) if p is not None]
    assert found == ["a.md", "b.txt", "c.html"]
    with pytest.raises(InputError, match="no such file"):
        list(iter_input_paths([str(tmp_path / "missing.txt")]))


def test_ingest_expand_inputs_lists_hidden_and_unsupported_files_skipped(
        tmp_path: Path) -> None:
    folder = tmp_path / ".cache" / "in"  # a dot-folder above the folder given is fine
    for name in ("a.txt", ".b.txt", ".git/c.txt", "sub/d.md", "e.pdf", "f.HTML"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x")
    single = tmp_path / ".explicit.pdf"  # a file named explicitly is taken as it is
    single.write_text("x")
    found = expand_inputs([str(folder), "-", str(single)])
    assert found.files == (folder / "a.txt", folder / "f.HTML", folder / "sub/d.md", None,
                           single)
    assert [(s.path.relative_to(folder).as_posix(), s.reason) for s in found.skipped] == [
        (".b.txt", "hidden"), (".git/c.txt", "hidden"), ("e.pdf", "unsupported")]
    assert {s.folder for s in found.skipped} == {folder}
    assert list(iter_input_paths([str(folder)])) == list(found.files[:3])
    assert expand_inputs([str(tmp_path / ".cache" / "in" / "sub")]).skipped == ()


def test_ingest_markdown_keeps_plain_prose() -> None:
    text, title = markdown_to_text("Plain words, no markup.")
    assert text == "Plain words, no markup." and title is None


def test_ingest_malformed_html_is_read_not_refused(tmp_path: Path) -> None:
    p = tmp_path / "broken.html"
    p.write_text(f"<html><body><div><p>{ENGLISH}<p>{ENGLISH}<table><tr><td>unclosed"
                 "<script>var x = '</div>")
    art = read_article(p)
    assert "The minister said on Monday" in art.text and "var x" not in art.text
