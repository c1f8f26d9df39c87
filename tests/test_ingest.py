"""Reading articles: formats, encodings and the inputs presslens refuses."""

import json
import os
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from presslens.config import load_config
from presslens.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingNameError,
    InputError,
    InputTooLargeError,
    InvalidDateError,
    NotEnglishError,
    NotRegularFileError,
    SurrogateTextError,
    TextTypeError,
    UnknownEncodingError,
)
from presslens.ingest import (
    DecodeSettings,
    LanguageCheck,
    ReadOptions,
    _identifier,
    article_from_text,
    decode,
    expand_inputs,
    iter_input_paths,
    language_name,
    language_names,
    markdown_to_text,
    published_date,
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
    assert LanguageCheck.from_config(load_config().ingest) == ReadOptions().language
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


# -- decoding: never silently wrong ------------------------------------------------------
# English articles quoting a few words of another language, as presslens reads them. The
# Western and Cyrillic ones are detected; a few words of Japanese or Chinese in a legacy
# CJK encoding read as Korean (cp949) just as cleanly, so they are refused naming
# --encoding, and read right when it is given.
DETECTED = {
    "latin_1": ENGLISH + " Café owners in Orléans agreed with the précis; señor Muñoz said "
                         "«à bientôt» to the élève.",
    "cp1252": ENGLISH + " The “special operation” — as the Kremlin calls it — cost €4bn, "
                        "said François Hollande’s adviser.",
    "cp1251": ENGLISH + " Putin called it a «специальная военная операция» (special "
                        "military operation) on state television.",
}
NAMED = {
    "shift_jis": ENGLISH + " The Japanese prime minister said the word 平和 (heiwa, peace) "
                           "twice, and called it 特別な日 in Tokyo.",
    "gb18030": ENGLISH + " The Chinese foreign ministry spokesman said 和平谈判 (peace "
                         "talks) must go on, 中华人民共和国 said.",
}


def _same_characters(got: str, want: str) -> None:
    """Character by character, so a failure names the first character decoded wrong."""
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"character {i}: {g!r} decoded, {w!r} encoded ({want[i - 10:i + 10]!r})"
    assert len(got) == len(want)


@pytest.mark.parametrize("encoding", list(DETECTED))
def test_ingest_legacy_encodings_are_detected_character_by_character(encoding: str,
                                                                     tmp_path: Path) -> None:
    text = DETECTED[encoding]
    decoded, notes = decode(text.encode(encoding))
    _same_characters(decoded, text)
    assert len(notes) == 1 and "not valid UTF-8" in notes[0] and "--encoding" in notes[0]
    p = tmp_path / "a.txt"
    p.write_bytes(text.encode(encoding))
    _same_characters(read_article(p).text, text + "\n")


@pytest.mark.parametrize("encoding", list(NAMED))
def test_ingest_ambiguous_cjk_is_refused_naming_encoding_and_read_with_it(
        encoding: str, tmp_path: Path) -> None:
    text = NAMED[encoding]
    p = tmp_path / "quote.txt"
    p.write_bytes(text.encode(encoding))
    with pytest.raises(UnknownEncodingError,
                       match=r"cannot tell the encoding of .*quote\.txt \(best guess \S+ at "
                             r"0\.\d\d\); pass --encoding"):
        read_article(p)
    opts = ReadOptions.from_config(load_config(), encoding=encoding)
    article = opts.read(p)
    _same_characters(article.text, text + "\n")
    assert article.notes == ()


def test_ingest_utf8_with_one_bad_byte_stays_utf8_and_marks_it() -> None:
    text = ENGLISH + " «Peace», they said, “now” — and the café stayed open."
    data = text.encode("utf-8")
    at = data.index(b"Peace") + 2
    broken = data[:at] + b"\xff" + data[at + 1:]  # the "a" of Peace becomes an invalid byte
    decoded, notes = decode(broken)
    want = text.replace("Peace", "Pe\ufffdce")
    _same_characters(decoded, want)
    assert notes == (f"1 invalid UTF-8 byte(s) replaced with U+FFFD (first at byte {at})",)


def test_ingest_utf8_with_many_bad_bytes_is_detected_not_marked() -> None:
    text = DETECTED["latin_1"] + " Ça va, à la française, très élégant." * 5
    decoded, notes = decode(text.encode("latin-1"))
    _same_characters(decoded, text)
    assert "\ufffd" not in decoded and "decoded as cp1252" in notes[0]


def test_ingest_utf8_thresholds_come_from_the_config() -> None:
    text = ENGLISH + " «Peace», they said, “now”."
    broken = text.encode("utf-8").replace(b"Peace", b"P\xff\xfe\xfdce")
    assert "3 invalid UTF-8 byte(s)" in decode(broken)[1][0]
    strict = replace(ReadOptions().decoding, utf8_max_invalid_bytes=2,
                     utf8_max_invalid_share=0.0)
    with pytest.raises(UnknownEncodingError):  # not UTF-8 then, and no reading fits well
        decode(broken, settings=strict)
    settings = ReadOptions.from_config(load_config()).decoding
    assert settings == ReadOptions().decoding  # the readers' defaults are the shipped ones
    assert settings == DecodeSettings.from_config(load_config().ingest)


@pytest.mark.parametrize("name", ["no-such-codec", "base64", "rot13"])
def test_ingest_unknown_encoding_name_is_refused(name: str) -> None:
    with pytest.raises(EncodingNameError, match="unknown encoding .*--encoding"):
        ReadOptions.from_config(load_config(), encoding=name)


def test_ingest_encoding_name_is_canonical() -> None:
    assert ReadOptions.from_config(load_config(), encoding="Latin-1").encoding == "iso8859-1"
    assert ReadOptions.from_config(load_config()).encoding is None


# -- library inputs ----------------------------------------------------------------------

@pytest.mark.parametrize(("value", "stored"), [
    ("2022-11-21", "2022-11-21"), ("20221121", "2022-11-21"), ("2022-W47-1", "2022-11-21"),
    (" 2022-11-21 ", "2022-11-21"), (None, None)])
def test_ingest_published_dates_are_normalised(value: str | None, stored: str | None) -> None:
    assert published_date(value) == stored
    assert ReadOptions(published=value).published == stored


@pytest.mark.parametrize("value", ["2022-02-30", "not-a-date", "21/11/2022", "", 20221121])
def test_ingest_published_dates_that_are_not_real_are_refused(value: object) -> None:
    with pytest.raises(InvalidDateError, match="not a real date"):
        published_date(value)
    with pytest.raises(InputError):
        ReadOptions(published=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "error", "message"), [
    (None, TextTypeError, "must be a str, not NoneType"),
    (b"bytes", TextTypeError, "not bytes .*decode it first"),
    ("Talks \ud83d go on", SurrogateTextError, "1 lone surrogate.* U\\+D83D at character 6"),
])
def test_ingest_text_that_is_not_valid_unicode_is_refused(text: object, error: type,
                                                          message: str) -> None:
    with pytest.raises(error, match=message):
        ReadOptions().from_text(text)  # type: ignore[arg-type]
    assert issubclass(error, InputError)


def _bounded(call: object, seconds: float = 20) -> BaseException | None:
    """Run ``call`` in a thread and return what it raised; fail if it blocks."""
    raised: list[BaseException | None] = [None]

    def target() -> None:
        try:
            call()  # type: ignore[operator]
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            raised[0] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "reading blocked"
    return raised[0]


def test_ingest_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    error = _bounded(lambda: read_article(fifo))
    assert isinstance(error, NotRegularFileError)
    assert str(error) == (f"{fifo}: not a regular file (a FIFO); presslens reads files, "
                          "folders and - for standard input")


def test_ingest_fifo_in_a_folder_is_listed_and_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ENGLISH)
    os.mkfifo(tmp_path / "b.txt")
    found = expand_inputs([str(tmp_path)])
    assert found.files == (tmp_path / "a.txt", tmp_path / "b.txt")
    assert isinstance(_bounded(lambda: read_article(tmp_path / "b.txt")), NotRegularFileError)


def test_ingest_device_is_refused_before_reading() -> None:
    error = _bounded(lambda: read_article(Path("/dev/zero"), max_bytes=1000))
    assert isinstance(error, NotRegularFileError) and "character device" in str(error)


@pytest.mark.parametrize(("depth", "note"), [
    (300, "HTML nested past 255 levels: parsed without libxml2's depth limit"),
    (5000, "text taken by stripping tags: the HTML is nested too deeply for any parser; "
           "menus and boilerplate may remain")])
def test_ingest_deeply_nested_html_keeps_its_text(tmp_path: Path, depth: int,
                                                  note: str) -> None:
    p = tmp_path / "deep.html"
    p.write_text("<html><head><title>Talks go on</title><script>var x = 1;</script></head>"
                 f"<body>{'<div>' * depth}<p>{ENGLISH}</p><p>{ENGLISH} &amp; more</p>"
                 f"{'</div>' * depth}</body></html>")
    art = read_article(p)
    assert art.text.split() == f"{ENGLISH} {ENGLISH} & more".split()  # all the text, no script
    assert art.title == "Talks go on"
    assert art.notes == (note,)


def test_ingest_shallow_html_is_not_stripped_of_tags(tmp_path: Path) -> None:
    p = tmp_path / "a.html"
    p.write_text(f"<html><body><nav>Home</nav><div><div><p>{ENGLISH}</p></div></div>"
                 "</body></html>")
    assert read_article(p).notes == ()


def test_ingest_long_cyrillic_quotes_pick_the_common_code_page() -> None:
    # cp1251 and mac_cyrillic read this alike but for one letter (П): one language, so the
    # common code page is taken, not refused as ambiguous.
    text = (ENGLISH + " Putin said: «Путин назвал это специальной военной операцией.»\n") * 2000
    decoded, notes = decode(text.encode("cp1251"))
    _same_characters(decoded, text)
    assert notes[0].startswith("decoded as cp1251")


def test_ingest_russian_article_in_cp1251_is_refused_as_russian(tmp_path: Path) -> None:
    p = tmp_path / "ru.txt"
    p.write_bytes("Министр заявил в понедельник, что переговоры с делегацией продолжатся и "
                  "что армию не уведомляли ни о каких изменениях в плане на неделю."
                  .encode("cp1251"))
    with pytest.raises(NotEnglishError, match=r"looks like Russian \(ru\)"):
        read_article(p)


@pytest.mark.parametrize("hostile", ["<" * 300_000, "<script>" * 50_000 + "x",
                                     "<!--" * 100_000, "<title>" * 100_000])
def test_ingest_tag_stripping_is_linear_on_hostile_markup(hostile: str) -> None:
    import time

    from presslens.ingest import html_to_plain_text

    started = time.perf_counter()
    html_to_plain_text(f"<div><p>{ENGLISH}</p></div>{hostile}")
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(("data", "text", "note"), [
    (b"\xef\xbb\xbfTalks \xff go on", "Talks \ufffd go on",
     "1 invalid UTF-8 byte(s) replaced with U+FFFD (first at byte 9)"),
    ("Talks go on".encode("utf-16") + b"\x00\xd8", "Talks go on\ufffd",
     "1 sequence(s) invalid in utf-16 replaced with U+FFFD"),
])
def test_ingest_text_with_a_bom_marks_its_bad_bytes(data: bytes, text: str, note: str) -> None:
    assert decode(data) == (text, (note,))
