"""Ingest: real files in, cleaned articles (or a reason why not) out."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kgraph.article import Article
from kgraph.furniture import clean_text
from kgraph.ingest import IngestResult, ingest

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
    assert {s.source for s in result.skipped} == {str(garbage), str(nested), f"{nested_line}:1"}
    assert all(s.reason.startswith("invalid JSON") for s in result.skipped)


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
    short = write(tmp_path / "short.txt", "Kherson is quiet.")
    long = write(tmp_path / "long.txt", "Kherson is quiet. " * 20)

    result = ingest([tmp_path], max_article_chars=100)

    assert [a.id for a in result.articles] == ["short"]
    reason = reasons(result)[str(long)]
    assert "100" in reason and "max_article_chars" in reason
    assert short.exists()


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
