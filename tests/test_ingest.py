"""Ingest: real files in, cleaned articles (or a reason why not) out."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.ingest.article import Article
from kgraph.errors import InputError
from kgraph.ingest.furniture import (
    MAX_FURNITURE_CHARS,
    MAX_RUN_CHARS,
    clean_field,
    clean_text,
    is_furniture,
)
from kgraph.ingest.sources import DEFAULT_MAX_ARTICLE_CHARS, IngestResult, ingest

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED_IDS = (
    "000_2ed4ab707bf7d13e",
    "001_2971140ada78fed4",
    "002_0d52fcbb7dc54264",
    "003_d14ddbe9530e48af",
    "004_23350b8c88186ba0",
)
# The furniture lines of each seed, exactly as they stand in the file (stripped).
SEED_FURNITURE = {
    "000_2ed4ab707bf7d13e": {
        "date 2022-10-24 The city of Izyum is in ruin from artillery shelling and occupation "
        "and is the site of a 400 plus mass grave. Video / Supplied",
        "The city of Izyum is in ruin from artillery shelling and occupation "
        "and is the site of a 400 plus mass grave. Video / Supplied",
    },
    "001_2971140ada78fed4": set(),
    "002_0d52fcbb7dc54264": {">"},
    "003_d14ddbe9530e48af": set(),
    "004_23350b8c88186ba0": {"by -922 Views", "No More Posts Available.", "No more pages to load."},
}

BODY = (
    "Russian forces are preparing to defend the city of Kherson, Ukraine’s military "
    "intelligence chief said on Monday.\n\n"
    "“They are not leaving right now,” Kyrylo Budanov said."
)


def write(path: Path, content: str | bytes) -> Path:
    """Create ``path`` (and its folders) with ``content``; str is written as UTF-8."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def only_article(result: IngestResult) -> Article:
    assert result.skipped == () and result.duplicates == ()
    assert len(result.articles) == 1
    return result.articles[0]


def reasons(result: IngestResult) -> dict[str, str]:
    return {s.source: s.reason for s in result.skipped}


# --- the seeds ----------------------------------------------------------------


def test_seeds_ingest_to_five_articles_with_ids_and_the_date_line() -> None:
    result = ingest([SEEDS])

    assert [a.id for a in result.articles] == list(SEED_IDS)
    assert result.skipped == () and result.duplicates == ()
    by_id = {a.id: a for a in result.articles}
    assert by_id["000_2ed4ab707bf7d13e"].date == "2022-10-24"
    assert {a.date for a in result.articles[1:]} == {None}
    assert by_id["001_2971140ada78fed4"].source == str(SEEDS / "001_2971140ada78fed4.txt")


@pytest.mark.parametrize("seed_id", SEED_IDS)
def test_seed_furniture_goes_and_every_real_paragraph_survives_unchanged(seed_id: str) -> None:
    raw = (SEEDS / f"{seed_id}.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    assert SEED_FURNITURE[seed_id] <= set(lines)  # the fixture names real lines

    article = only_article(ingest([SEEDS / f"{seed_id}.txt"]))

    expected = [line for line in lines if line not in SEED_FURNITURE[seed_id]]
    assert article.text.split("\n\n") == expected


def test_seed_sentences_sit_at_their_exact_place() -> None:
    by_id = {a.id: a for a in ingest([SEEDS]).articles}

    izyum = by_id["000_2ed4ab707bf7d13e"].text
    assert "Video / Supplied" not in izyum and "Izyum" not in izyum
    assert izyum.startswith("Russia’s army has not abandoned Kherson city and is instead reinforcing it")
    quote = "“They are not leaving right now. They are preparing to defend,” he said."
    assert izyum.index(quote) == izyum.index("\n\nMajor-General Kyrylo Budanov told") + 2 + len(
        "Major-General Kyrylo Budanov told the Ukrainska Pravda newspaper that Russian forces wanted "
        "to draw Ukraine’s army into urban combat in the south Ukrainian city.\n\n"
    )

    assert by_id["002_0d52fcbb7dc54264"].text.startswith(
        "Russia is planning to retreat from the city of Kherson and play it off as a civilian evacuation"
    )

    nyt = by_id["004_23350b8c88186ba0"].text
    assert nyt.split("\n\n")[:2] == [
        "Russian Officials Flee Kherson as Russian Troops Dig In for a Battle",
        "KYIV, Ukraine — The first city to fall to Russia’s invasion of Ukraine was in turmoil on Monday as "
        "its Moscow-appointed officials began fleeing across a river to safer territory, while Russian "
        "soldiers appeared to be digging in for a fight against advancing Ukrainian forces.",
    ]
    assert nyt.endswith("Helene Cooper contributed reporting from Washington, and Cora Engelbrecht from London.")
    assert "Views" not in nyt and "No More Posts" not in nyt and "pages to load" not in nyt
    assert "some merchants in Kherson had a new message for customers: No more rubles." in nyt  # not furniture


# --- text files -----------------------------------------------------------------


def test_yaml_front_matter_gives_metadata_and_is_not_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "kherson.txt",
        "---\n"
        "id: budanov-interview\n"
        "title: Russians digging in, says Budanov\n"
        "date: 2022-10-24T10:00:00Z\n"
        "url: https://example.org/kherson\n"
        "publisher: Example News\n"
        "---\n" + BODY,
    )

    article = only_article(ingest([path]))

    assert (article.id, article.title, article.date, article.url, article.outlet) == (
        "budanov-interview",
        "Russians digging in, says Budanov",
        "2022-10-24",
        "https://example.org/kherson",
        "Example News",
    )
    assert article.text == BODY


def test_malformed_yaml_front_matter_skips_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.txt", "---\ntitle: [unclosed\ndate: 2022-10-24\n---\n" + BODY)

    result = ingest([path])

    assert result.articles == ()
    assert reasons(result)[str(path)].startswith("malformed YAML front matter: ")


@pytest.mark.parametrize(
    ("first_line", "date", "first_paragraph"),
    [
        ("  DATE 2022-10-25\n", "2022-10-25", "Russian forces are preparing"),
        ("Date: 2022-10-25\n", "2022-10-25", "Russian forces are preparing"),
        ("date 2022-10-25 Kherson is quiet.\n", "2022-10-25", "Kherson is quiet."),
        ("date 2022-13-45 Kherson is quiet.\n", None, "date 2022-13-45 Kherson is quiet."),
    ],
)
def test_leading_date_line(tmp_path: Path, first_line: str, date: str | None, first_paragraph: str) -> None:
    path = write(tmp_path / "dated.txt", first_line + BODY)

    article = only_article(ingest([path]))

    assert article.date == date
    assert article.text.startswith(first_paragraph)
    assert article.text.endswith("Kyrylo Budanov said.")


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    text = "Café owners in Kherson said the “new rules” were naïve – and that the rouble’s days were numbered."
    path = write(tmp_path / "legacy.txt", text.encode("cp1252"))

    assert only_article(ingest([path])).text == text


def test_latin1_and_utf8_bom_files_are_decoded(tmp_path: Path) -> None:
    text = "Señor Müller said the façade of the Kherson theatre was intact."
    latin1 = write(tmp_path / "a_latin1.txt", text.encode("latin-1"))
    bom = write(tmp_path / "b_bom.txt", b"\xef\xbb\xbf" + ("Kyiv ‘denies’ it. " + text).encode("utf-8"))

    result = ingest([latin1, bom])

    assert [a.text for a in result.articles] == [text, "Kyiv ‘denies’ it. " + text]


def test_binary_and_empty_files_are_skipped(tmp_path: Path) -> None:
    png = write(tmp_path / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    noisy = write(tmp_path / "noise.txt", bytes(range(1, 32)) * 40)
    empty = write(tmp_path / "empty.txt", b"")
    blank = write(tmp_path / "blank.txt", " \n\t\n\n")
    furniture_only = write(tmp_path / "footer.txt", "Advertisement\n>\nNo more pages to load.\n")

    result = ingest([tmp_path])

    assert result.articles == ()
    assert reasons(result) == {
        str(blank): "empty article",
        str(empty): "empty article",
        str(furniture_only): "empty article",
        str(noisy): "binary file, not text",
        str(png): "binary file, not text",
    }


def test_unsupported_extension_is_skipped_naming_the_supported_ones(tmp_path: Path) -> None:
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.7")

    reason = reasons(ingest([pdf]))[str(pdf)]

    assert "'.pdf'" in reason
    assert all(ext in reason for ext in (".txt", ".html", ".htm", ".json", ".jsonl"))


def test_missing_path_and_empty_glob_are_skipped(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    pattern = str(tmp_path / "none-*.txt")

    result = ingest([missing, pattern])

    assert result.articles == ()
    assert reasons(result) == {str(missing): "no such file or directory", pattern: "no such file or directory"}


# --- folders and globs --------------------------------------------------------------


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write(tmp_path / "corpus" / "b.txt", "Second article about Kherson.")
    write(tmp_path / "corpus" / "a" / "z.txt", "First article, in a subfolder.")
    write(tmp_path / "corpus" / ".git" / "notes.txt", "Hidden folder, never read.")
    write(tmp_path / "corpus" / ".draft.txt", "Hidden file, never read.")
    image = write(tmp_path / "corpus" / "a" / "map.png", b"\x89PNG")

    result = ingest([tmp_path / "corpus"])

    assert [a.id for a in result.articles] == ["z", "b"]  # corpus/a/z.txt sorts before corpus/b.txt
    assert [s.source for s in result.skipped] == [str(image)]


def test_globs_select_files_and_recurse(tmp_path: Path) -> None:
    write(tmp_path / "seeds" / "one.txt", "Budanov spoke to Ukrainska Pravda.")
    write(tmp_path / "seeds" / "two.json", json.dumps({"text": "Scholz called for a new Marshall Plan."}))
    write(tmp_path / "seeds" / "deep" / "three.txt", "Lapin was probably sacked.")

    flat = ingest([str(tmp_path / "seeds" / "*.txt")])
    deep = ingest([str(tmp_path / "seeds" / "**")])

    assert [a.id for a in flat.articles] == ["one"]
    assert [a.id for a in deep.articles] == ["three", "one", "two"]
    assert deep.skipped == () and deep.duplicates == ()


# --- JSON records -------------------------------------------------------------------


def test_json_list_builds_good_records_and_skips_bad_ones(tmp_path: Path) -> None:
    records = [
        {"id": 7, "text": "Budanov said Russia was reinforcing Kherson.", "title": "Reinforcing",
         "url": "https://example.org/7", "date": "2022-10-24T10:00:00Z", "outlet": "Example News"},
        {"title": "No text at all"},
        "not a record",
        {"text": "Western officials expect a retreat.", "date": "24/10/2022"},
    ]
    path = write(tmp_path / "feed.json", json.dumps(records))

    result = ingest([path])

    first, second = result.articles
    assert (first.id, first.title, first.url, first.date, first.outlet, first.source) == (
        "7", "Reinforcing", "https://example.org/7", "2022-10-24", "Example News", f"{path}[1]",
    )
    assert (second.id, second.date, second.source) == ("feed-4", None, f"{path}[4]")
    assert reasons(result) == {
        f"{path}[2]": "record has no 'text' string",
        f"{path}[3]": "record is a JSON str, not an object",
    }


def test_json_single_record_uses_the_file_stem(tmp_path: Path) -> None:
    path = write(tmp_path / "one.json", json.dumps({"text": "Kherson is the only regional capital taken."}))

    article = only_article(ingest([path]))

    assert (article.id, article.source) == ("one", str(path))


def test_jsonl_invalid_line_and_textless_record_do_not_stop_the_file(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Russia is planning to retreat from Kherson."}),
        '{"id": "b", "text": "unterminated',
        "",
        json.dumps({"id": "c", "title": "no text"}),
        json.dumps({"text": "Kyiv says Russia is reinforcing the city."}),
    ]
    path = write(tmp_path / "wire.jsonl", "\n".join(lines) + "\n")

    result = ingest([path])

    assert [(a.id, a.source) for a in result.articles] == [("a", f"{path}:1"), ("wire-5", f"{path}:5")]
    skipped = reasons(result)
    assert skipped[f"{path}:2"].startswith("invalid JSON: ")
    assert skipped[f"{path}:4"] == "record has no 'text' string"
    assert len(skipped) == 2


def test_deeply_nested_or_broken_json_is_skipped_not_raised(tmp_path: Path) -> None:
    nested = write(tmp_path / "nested.json", "[" * 200_000 + "]" * 200_000)
    nested_line = write(tmp_path / "nested.jsonl", '{"a":' * 200_000 + "1" + "}" * 200_000 + "\n")
    garbage = write(tmp_path / "garbage.json", b"\xff\xfe{not json")

    result = ingest([nested, nested_line, garbage])

    assert result.articles == ()
    assert reasons(result) == {
        str(garbage): "binary file, not text",  # a UTF-16 byte-order mark, then odd bytes
        str(nested): "invalid JSON: nested too deeply",
        f"{nested_line}:1": "invalid JSON: nested too deeply",
    }


# --- duplicates and ids -------------------------------------------------------------


def test_same_content_twice_is_built_once_and_reported(tmp_path: Path) -> None:
    first = write(tmp_path / "a" / "story.txt", BODY)
    second = write(tmp_path / "b" / "copy.txt", BODY + "\n\n")  # same text once cleaned
    record = json.dumps({"id": "r", "text": BODY})
    wire = write(tmp_path / "c" / "wire.jsonl", record + "\n" + record + "\n")

    result = ingest([tmp_path])

    assert [a.id for a in result.articles] == ["story"]
    assert result.duplicates == (
        (str(second), "story"),
        (f"{wire}:1", "story"),
        (f"{wire}:2", "story"),
    )
    assert first.exists()


def test_same_id_with_different_text_gets_a_hash_suffix(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", "Budanov said Russia was reinforcing Kherson.")
    other_text = "Western officials said Russia would retreat from Kherson."
    write(tmp_path / "b" / "x.txt", other_text)

    result = ingest([tmp_path])

    digest = hashlib.sha256(other_text.encode("utf-8")).hexdigest()
    assert [a.id for a in result.articles] == ["x", f"x-{digest[:8]}"]
    assert ingest([tmp_path / "b", tmp_path / "a"]).articles == result.articles  # argument order is irrelevant


def test_max_article_chars_skips_longer_articles(tmp_path: Path) -> None:
    write(tmp_path / "short.txt", "Kherson is quiet.")
    long = write(tmp_path / "long.txt", "Kherson is quiet. " * 20)

    result = ingest([tmp_path], max_article_chars=100)

    assert [a.id for a in result.articles] == ["short"]
    assert reasons(result) == {
        str(long): "article has 359 characters, over the limit of 100; raise it with --max-article-chars"
    }


def test_max_article_chars_counts_the_cleaned_text(tmp_path: Path) -> None:
    text = "Kherson is quiet."
    padded = write(tmp_path / "padded.txt", f"{text}\n\nAdvertisement\n\n{text}\n\n   " + "\n" * 500)

    assert only_article(ingest([padded], max_article_chars=len(text))).text == text


def test_default_article_limit_is_spacys_and_applies_when_none_is_given(tmp_path: Path) -> None:
    paragraph = "Kherson residents crossed the Dnipro on Monday as officials left the city.\n"
    lines = [f"{i:07d} {paragraph}" for i in range(DEFAULT_MAX_ARTICLE_CHARS // len(paragraph) + 100)]
    huge = write(tmp_path / "huge.txt", "".join(lines))
    small = write(tmp_path / "small.txt", BODY)

    result = ingest([huge, small], max_article_chars=None)

    assert DEFAULT_MAX_ARTICLE_CHARS == 1_000_000
    assert [a.id for a in result.articles] == ["small"]
    chars = len(clean_text("".join(lines)))
    assert reasons(result) == {
        str(huge): f"article has {chars:,} characters, over the limit of 1,000,000; "
        "raise it with --max-article-chars"
    }
    assert ingest([huge], max_article_chars=chars).articles[0].id == "huge"  # the user raised it


@pytest.mark.parametrize("limit", [0, -5])
def test_limits_below_one_are_a_programming_error(tmp_path: Path, limit: int) -> None:
    with pytest.raises(ValueError, match="max_article_chars must be at least 1"):
        ingest([tmp_path], max_article_chars=limit)
    with pytest.raises(ValueError, match="max_articles must be at least 1"):
        ingest([tmp_path], max_articles=limit)


def test_max_articles_stops_the_run_with_a_clear_error(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path / "corpus" / f"{i}.txt", f"Article number {i} about Kherson.")
    write(tmp_path / "corpus" / "copy.txt", "Article number 0 about Kherson.")  # a duplicate: not counted
    write(tmp_path / "corpus" / "empty.txt", "")  # skipped: not counted

    with pytest.raises(InputError) as raised:
        ingest([tmp_path / "corpus"], max_articles=4)

    assert str(raised.value) == (
        f"{tmp_path / 'corpus'}: found 5 articles, more than the limit of 4; raise it with --max-articles"
    )
    assert len(ingest([tmp_path / "corpus"], max_articles=5).articles) == 5
    assert len(ingest([tmp_path / "corpus"]).articles) == 5  # no limit by default
    with pytest.raises(InputError, match=r"^2 inputs: found 5 articles, more than the limit of 1;"):
        ingest([tmp_path / "corpus", tmp_path / "none-*.txt"], max_articles=1)


# --- HTML ---------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Russians dig in at Kherson | Example News</title>
  <meta property="og:site_name" content="Example News">
  <meta property="og:title" content="Russians dig in at Kherson">
  <meta property="article:published_time" content="2022-10-24T10:00:00Z">
</head>
<body>
  <header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a>
    <a href="/subscribe">Subscribe to our newsletter today</a></nav></header>
  <main><article>
    <h1>Russians dig in at Kherson</h1>
    <p>Russian forces are preparing to defend the city of Kherson, Ukraine’s military intelligence chief
       said on Monday in a long interview with the Ukrainska Pravda newspaper.</p>
    <p>“They are not leaving right now. They are preparing to defend,” Kyrylo Budanov said, adding that
       new units were arriving in the city every day.</p>
    <p>Officials said thousands of civilians had already crossed the Dnipro river to the east bank as
       the front line moved closer to the city.</p>
  </article></main>
  <footer><p>© 2022 Example News Ltd. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/cookies">Cookie settings</a></footer>
</body>
</html>
"""


def test_html_page_gives_main_text_and_metadata_without_boilerplate(tmp_path: Path) -> None:
    path = write(tmp_path / "kherson-page.html", PAGE)

    article = only_article(ingest([path]))

    assert (article.id, article.title, article.date, article.outlet) == (
        "kherson-page", "Russians dig in at Kherson", "2022-10-24", "Example News",
    )
    assert "“They are not leaving right now. They are preparing to defend,” Kyrylo Budanov said" in article.text
    for boilerplate in ("Home", "Sport", "newsletter", "All rights reserved", "Privacy policy", "Cookie"):
        assert boilerplate not in article.text
    assert "\n\n" in article.text and "\n\n\n" not in article.text


def test_html_without_article_text_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path / "blank.htm", "<html><head><title>x</title></head><body></body></html>")

    result = ingest([path])

    assert result.articles == ()
    assert reasons(result) == {str(path): "no article text found in the HTML"}


# --- furniture ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "furniture",
    [
        "Workers clear debris in Kherson. Photo: Reuters",
        "A destroyed bridge over the Dnipro (Getty Images)",
        "Budanov in Kyiv. Photograph: AP",
        "1,234 views",
        "Load more",
        "Advertisement",
        "Share this article",
        "Read more",
        "Sign up for our newsletter",
        "***",
    ],
)
def test_furniture_lines_are_dropped(furniture: str) -> None:
    assert clean_text(f"Kherson is quiet.\n{furniture}\nKyiv is not.") == "Kherson is quiet.\n\nKyiv is not."


def test_clean_text_keeps_characters_and_normalises_invisibles() -> None:
    raw = "  “Cafe\u0301” isn’t (file image, HIMARS)\u200b.\r\n\r\n\r\nNext\tline\x07 — end.  \n“Cafe\u0301” isn’t (file image, HIMARS).\n"

    assert clean_text(raw) == "“Café” isn’t (file image, HIMARS).\n\nNext line — end."


_FURNITURE_SAMPLES = st.sampled_from(
    ["", " ", ">", "by -922 Views", "No More Posts Available.", "Caption. Video / Supplied", "\u200b", "e\u0301"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(), _FURNITURE_SAMPLES), max_size=12).map("\n".join))
def test_clean_text_is_idempotent_and_total(raw: str) -> None:
    once = clean_text(raw)

    assert clean_text(once) == once
    assert "\n\n\n" not in once and once == once.strip()


def test_clean_field_makes_one_visible_line() -> None:
    assert clean_field("  Budanov\u200b says:\n\t“No”\u202e\x00\ud800 ") == "Budanov says: “No”"
    assert clean_field("Cafe\u0301") == "Café"
    assert clean_field("\u200b\u2060 \n") == ""


@pytest.mark.parametrize(
    "line",
    [
        "1" + " " * 200_000 + "x",  # a view counter's number, then no "views"
        "1 " * 100_000 + "x",
        "(" + "AP " * 70_000 + "x",  # an agency credit that never closes
        "(AP " * 50_000,
        "Photo: " + "A " * 100_000 + "x",
        "(Photo: " + "a " * 100_000,
        "share this " + "a" * 100_000 + "!" * 100_000 + "x",
    ],
    ids=["counter-spaces", "counter-digits", "agency-open", "agency-many", "credit", "credit-paren", "share"],
)
def test_long_lines_are_cleaned_in_linear_time(line: str) -> None:
    # Both the patterns and the length cap keep this to milliseconds; before,
    # the counter and agency patterns backtracked quadratically (minutes here).
    started = time.perf_counter()
    cleaned = clean_text(f"Kherson is quiet.\n{line}\n{line[:5_000]}")
    assert time.perf_counter() - started < 2.0
    # Every character is kept (long runs only gain a space); plain bools, so a
    # failure does not print 200,000 characters.
    kept = line.replace(" ", "") in cleaned.replace(" ", "")
    assert cleaned.startswith("Kherson is quiet.\n\n") and kept


def test_furniture_longer_than_the_cap_is_kept_as_prose() -> None:
    prose = "Kherson " * (MAX_FURNITURE_CHARS // 8) + "(Getty Images)"

    assert is_furniture("A destroyed bridge over the Dnipro (Getty Images)")
    assert not is_furniture(prose) and clean_text(prose) == prose


# --- hostile files ------------------------------------------------------------------


def test_utf8_with_stray_latin1_bytes_keeps_both(tmp_path: Path) -> None:
    utf8 = "Café owners said the “new rules” were naïve."
    latin1 = "Señor Müller said the façade was intact."
    path = write(tmp_path / "mixed.txt", utf8.encode() + b"\n" + latin1.encode("latin-1"))

    assert only_article(ingest([path])).text == f"{utf8}\n\n{latin1}"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded_not_called_binary(tmp_path: Path, encoding: str) -> None:
    text = "Kyiv said the Russians were leaving Kherson, “not retreating”, on Monday — Київ."
    path = write(tmp_path / "windows.txt", text.encode(encoding))

    assert only_article(ingest([path])).text == text


def test_nul_bytes_without_the_utf16_pattern_are_binary(tmp_path: Path) -> None:
    path = write(tmp_path / "nul.txt", b"Kherson is quiet.\x00\x00 Budanov said so.\n")

    assert reasons(ingest([path])) == {str(path): "binary file, not text"}


def test_json_in_other_encodings_is_read(tmp_path: Path) -> None:
    record = {"id": "r", "text": "Señor Müller said the façade of the Kherson theatre was intact."}
    latin1 = write(tmp_path / "a.json", json.dumps(record, ensure_ascii=False).encode("latin-1"))
    utf16 = write(tmp_path / "b.jsonl", (json.dumps({**record, "id": "s"}) + "\n").encode("utf-16"))
    bare16 = write(tmp_path / "c.jsonl", (json.dumps({**record, "id": "t"}) + "\n").encode("utf-16-le"))

    result = ingest([latin1, utf16, bare16])

    assert [(a.id, a.source) for a in result.articles] == [("r", str(latin1))]
    assert result.duplicates == ((f"{utf16}:1", "r"), (f"{bare16}:1", "r"))
    assert result.skipped == ()


def test_jsonl_lines_break_only_at_newline(tmp_path: Path) -> None:
    text = "Budanov said:\u2028“They are preparing to defend.”\x85Kyiv agreed."
    path = write(tmp_path / "wire.jsonl", json.dumps({"text": text}, ensure_ascii=False) + "\r\n")

    article = only_article(ingest([path]))

    assert article.source == f"{path}:1"
    assert article.text == "Budanov said:\n\n“They are preparing to defend.”\n\nKyiv agreed."


def test_empty_record_files_are_reported_not_dropped(tmp_path: Path) -> None:
    empty_jsonl = write(tmp_path / "a.jsonl", "\n  \n")
    empty_json = write(tmp_path / "b.json", b"")
    empty_list = write(tmp_path / "c.json", "[]")

    result = ingest([tmp_path])

    assert result.articles == ()
    assert reasons(result) == {
        str(empty_jsonl): "empty file: no JSON records",
        str(empty_json): "empty file",
        str(empty_list): "JSON list has no records",
    }


@pytest.mark.parametrize(
    ("front_matter", "problem"),
    [
        ("date: 2022-13-45", "month must be in 1..12"),
        ("date: 0000-01-01", "year 0 is out of range"),
        ("id: " + "9" * 5_000, "Exceeds the limit"),
        ("a: " + "[" * 5_000 + "]" * 5_000, "nested too deeply"),
    ],
    ids=["month", "year", "huge-int", "nested"],
)
def test_front_matter_that_yaml_cannot_construct_skips_the_file(
    tmp_path: Path, front_matter: str, problem: str
) -> None:
    path = write(tmp_path / "bad.txt", f"---\n{front_matter}\n---\n{BODY}")

    reason = reasons(ingest([path]))[str(path)]

    assert reason.startswith("malformed YAML front matter: ") and problem in reason
    assert "\n" not in reason


def test_metadata_from_records_is_one_clean_line(tmp_path: Path) -> None:
    record = (
        '{"id": "a\\ud800\\u200b-b", "title": "Kherson\\n\\tfalls\\u202e\\u0000 ", '
        '"url": " https://example.org/k\\u2060 ", "outlet": "\\ud83d\\u200b", "text": "Lone \\udfff surrogate."}'
    )
    path = write(tmp_path / "r.json", record)

    article = only_article(ingest([path]))

    assert (article.id, article.title, article.url, article.outlet, article.text) == (
        "a-b", "Kherson falls", "https://example.org/k", None, "Lone  surrogate."
    )
    for value in (article.id, article.title, article.url, article.text):
        value.encode("utf-8")


def test_undecodable_and_control_character_file_names_give_valid_ids(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path / "corpus")
    os.makedirs(folder)
    for name in (b"caf\xe9.txt", b"line\nbreak.txt", b"\xe2\x80\x8b.txt"):
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(b"Kherson story in " + name)

    result = ingest([tmp_path / "corpus"])

    assert sorted(a.id for a in result.articles) == ["article", "caf\\xe9", "line\\x0abreak"]
    for article in result.articles:
        article.source.encode("utf-8")
        assert "\n" not in article.source


def test_named_pipe_and_broken_links_are_skipped_without_blocking(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    good = write(corpus / "good.txt", BODY)
    fifo = corpus / "pipe.txt"
    os.mkfifo(fifo)
    dangling = corpus / "gone.txt"
    dangling.symlink_to(corpus / "missing.txt")
    loop = corpus / "loop.json"
    loop.symlink_to(loop)

    result = ingest([corpus, fifo])

    assert [a.source for a in result.articles] == [str(good)]
    assert reasons(result) == {
        str(fifo): "not a regular file (a pipe, socket or device)",
        str(dangling): "cannot read file: No such file or directory",
        str(loop): "cannot read file: Too many levels of symbolic links",
    }


def test_unreadable_file_and_folder_are_skipped_or_read_as_permissions_allow(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    locked_file = write(corpus / "locked.txt", "Locked file about Kherson.")
    locked_dir = corpus / "sealed"
    inner = write(locked_dir / "inner.txt", "Sealed folder about Kherson.")
    write(corpus / "open.txt", BODY)
    locked_file.chmod(0)
    locked_dir.chmod(0)
    try:
        # root reads through chmod 000; everyone else is refused. Ask the OS which.
        file_readable = os.access(locked_file, os.R_OK)
        dir_listable = os.access(locked_dir, os.R_OK | os.X_OK)
        result = ingest([corpus])
    finally:
        locked_dir.chmod(0o755)
        locked_file.chmod(0o644)

    built = {a.source for a in result.articles}
    assert str(corpus / "open.txt") in built
    expected: dict[str, str] = {}
    if file_readable:
        assert str(locked_file) in built
    else:
        expected[str(locked_file)] = "cannot read file: Permission denied"
    if dir_listable:
        assert str(inner) in built
    else:
        expected[str(locked_dir)] = "cannot read directory: Permission denied"
    assert reasons(result) == expected
    assert len(built) == 1 + file_readable + dir_listable


def test_oversized_html_is_refused_before_trafilatura(tmp_path: Path) -> None:
    page = write(tmp_path / "huge.html", b"<html><body><p>" + b"Kherson " * 2_500_001 + b"</p></body></html>")

    started = time.perf_counter()
    result = ingest([page])

    assert time.perf_counter() - started < 5
    size = page.stat().st_size
    assert size > 20_000_000
    assert reasons(result) == {str(page): f"HTML page is {size:,} bytes, over the limit of 20,000,000"}


def test_runs_without_spaces_are_broken_for_the_tokenizer() -> None:
    url = "https://example.org/" + "a" * 300  # a long URL is still one run
    soup = "«" * 1_200

    cleaned = clean_text(f"{url} said {soup}.")

    assert cleaned == f"{url} said {'«' * MAX_RUN_CHARS} {'«' * MAX_RUN_CHARS} {'«' * 200}."
    assert clean_text(cleaned) == cleaned


# --- outlets from wire datelines -----------------------------------------------------------------


@pytest.mark.parametrize(("body", "outlet"), [
    ("WASHINGTON (Reuters) - The Senate passed the bill on Friday.", "Reuters"),
    ("(CNN) -- A meteorite crashed in Managua.", "CNN"),
    ("MOSCOW, Oct 5 (AFP) - Officials said the talks had ended.", "AFP"),
    ("By Sylvia Westall BEIRUT, Oct 17 (Reuters) - Pilots defected.", "Reuters"),
    ("TEXAS CITY, Texas (AP) — A man was arrested.", "AP"),
])
def test_a_wire_dateline_names_the_outlet_and_the_text_stays(tmp_path: Path, body: str, outlet: str) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": "w1", "text": body}) + "\n")

    (article,) = ingest([path]).articles

    assert article.outlet == outlet
    assert article.text == body  # offsets index the text with its dateline


@pytest.mark.parametrize("body", [
    "Banja Luka (Bosnia and Herzegovina) - The news made headlines worldwide.",
    "(Nov. 26, 2014) – Your Thanksgiving turkey is safe.",
    "The senator (Reuters reported) - said nothing.",
    "Officials met on Monday. WASHINGTON (Reuters) - Not a dateline this far in.",
])
def test_a_place_a_date_or_a_parenthesis_inside_a_sentence_is_no_dateline(tmp_path: Path, body: str) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": "w2", "text": body}) + "\n")

    (article,) = ingest([path]).articles

    assert article.outlet is None


def test_the_metadata_outlet_wins_over_a_dateline(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", json.dumps({"id": "w3", "text": "LONDON (Reuters) - Rain fell.", "outlet": "The Guardian"}) + "\n")

    (article,) = ingest([path]).articles

    assert article.outlet == "The Guardian"
