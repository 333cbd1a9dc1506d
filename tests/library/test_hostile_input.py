"""Hostile input gets a plain answer: each test is one finding of the probe (issue 9).

Run on SQLite and PostgreSQL where the finding involved the database.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govlab
from govlab.cli import main
from govlab.community.session import Library
from govlab.errors import InvalidInput
from govlab.library.formats import read_practices, write_practices
from govlab.library.formats.csv_format import to_row, unescape
from govlab.models import Practice
from govlab.render import render_markdown


@pytest.fixture
def library(db_url: str) -> Iterator[Library]:
    lib = govlab.open_library(db_url, "tester", show_guidelines=False)
    yield lib
    lib.close()


# 1. a repeated word made an SQLite search run for minutes ---------------------------
@pytest.mark.parametrize("repeat", [2, 37])  # 37 times is 295 characters
def test_a_repeated_word_is_searched_once(library: Library, repeat: int) -> None:
    once = library.search("transit")
    again = library.search(" ".join(["transit"] * repeat))
    assert again.total == once.total > 0
    assert [c.id for c in again.results] == [c.id for c in once.results]


@pytest.mark.parametrize("pasted", ["a " * 10_000, "bus " * 25_000])
def test_a_pasted_flood_is_refused_plainly(library: Library, pasted: str) -> None:
    with pytest.raises(InvalidInput, match=r"300 characters long; this one has [\d,]+\."):
        library.search(pasted)


def test_too_many_different_words_are_refused(library: Library) -> None:
    words = " ".join(f"word{n}" for n in range(17))
    with pytest.raises(InvalidInput, match="16 different words; this one has 17"):
        library.search(words)


def test_stop_words_are_left_out_on_both_engines(library: Library) -> None:
    # PostgreSQL's english configuration drops them; SQLite used to rank the whole library
    mixed = library.search("the transit of the")
    assert mixed.total == library.search("transit").total > 0
    assert mixed.left_out == ["the", "of"] and mixed.left_out_note == ""


@pytest.mark.parametrize("prefix", [False, True])
def test_a_search_of_only_stop_words_finds_nothing_and_says_why(
    library: Library, prefix: bool
) -> None:
    # as to_tsquery and Elasticsearch do: it used to browse (and on PostgreSQL count)
    # the whole library, over a second at 100,000 practices
    found = library.search("The of AND the", prefix=prefix, sort="rating")
    assert (found.total, found.results, found.facets) == (0, [], {})
    assert found.left_out == ["the", "of", "and"]
    assert found.left_out_note == (
        '"the", "of" and "and" are too common to search for: '
        "add a word that says what the practice is about."
    )
    assert library.search("a").left_out_note.startswith('"a" is too common')
    assert library.search("").total > 0 and library.search("").left_out_note == ""


def test_full_text_syntax_is_read_as_words(library: Library) -> None:
    assert library.search('transit" OR NEAR(x) * -').total == library.search("transit x").total


# 5. tracebacks for out-of-range pages and wrong types ---------------------------------
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lib: lib.search(None), "query: give the words to search for as text"),
        (lambda lib: lib.search(5), "query: give the words to search for as text, not 5"),
        (lambda lib: lib.search("bus", limit="5"), "limit: give a whole number from 0 to 500"),
        (lambda lib: lib.search("bus", page=10**20), "page: give a whole number from 1 to"),
        (lambda lib: lib.search("bus", page=0), "page: give a whole number from 1 to"),
        (lambda lib: lib.search("bus", country={"x": 1}), "country: give one value or a list"),
        (lambda lib: lib.search("bus", sort="random"), "Unknown sort 'random'"),
    ],
)
def test_bad_search_arguments_get_a_message(library, call, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match=message):
        call(library)


def test_the_cli_names_the_page_option(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code = main(["search", "bus", "--page", "99999999999999999999", "--db", db_url])
    err = capsys.readouterr().err
    assert code == 2 and "--page" in err and "Traceback" not in err


# 5. NUL and control characters: refused by PostgreSQL, kept by SQLite ----------------
def test_control_characters_are_cleaned_once_in_the_model(library: Library) -> None:
    practice = library.create(
        {"id": "nul-byte", "title": "Nul\x00 byte", "summary": "red\x1b[31m alert\r\nnext"}
    )
    assert (practice.title, practice.summary) == ("Nul byte", "red[31m alert\nnext")
    comment_on = library.get("nul-byte").id
    assert comment_on == "nul-byte"


def test_a_comment_with_a_nul_byte_is_stored_on_both_engines(db_url: str) -> None:
    from govlab.testing.community import Clock, Community

    world = Community(db_url, Clock())
    pid = world.published("author")
    comment = world.as_("bob").comment(pid, "fine\x00 text\x07")
    assert comment.body == "fine text"
    world.close()


def test_an_import_with_nul_bytes_lands_the_same_on_both_engines(
    library: Library,
    tmp_path: Path,
) -> None:
    path = tmp_path / "nul.csv"
    path.write_text('id,title,summary\nnul-import,"Pot\x00holes","A\x00B"\n', encoding="utf-8")
    batch = read_practices(path)
    library.import_practices(batch.practices, why="nul test")
    assert library.get("nul-import").summary == "AB"


def test_show_escapes_stored_terminal_sequences(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    from govlab.library import Store

    store = Store.open(db_url, seed=False)
    # written around the model, as an older govlab could have stored it
    store.save(
        Practice.model_construct(
            **(Practice(id="ansi", title="Plain", status="published").__dict__)
            | {"summary": "\x1b[2J\x1b[31mred"}
        ),
        by="old",
    )
    store.close()
    assert main(["show", "ansi", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "[31mred" in out  # the record is cleaned as it is read


def test_terminal_output_shows_control_characters_as_escapes() -> None:
    from govlab.text import for_terminal

    assert for_terminal("tab\tnew\nline \x1b[2J\x07") == "tab\tnew\nline \\x1b[2J\\x07"


# 4. remote images are tracking pixels ------------------------------------------------
def test_images_load_only_from_allowed_hosts() -> None:
    text = "![pixel](https://tracker.example/p.gif) ![map](https://maps.city.gov/m.png)"
    closed = render_markdown(text)
    assert "src=" not in closed and 'alt="pixel"' in closed
    opened = render_markdown(text, image_hosts=["maps.city.gov"])
    assert 'src="https://maps.city.gov/m.png"' in opened
    assert "tracker.example" not in opened
    raw = render_markdown('<img src="http://tracker.example/p.gif" alt="x">')
    assert "tracker.example" not in raw


def test_the_image_hosts_setting_reaches_comments(db_url: str) -> None:
    from govlab.testing.community import Clock, Community

    world = Community(db_url, Clock())
    pid = world.published("author")
    bob = world.as_("bob")
    posted = bob.comment(pid, "See ![map](https://maps.city.gov/m.png)")
    assert "src=" not in posted.html
    world.admin.change_setting("image_hosts", ["maps.city.gov"])
    assert 'src="https://maps.city.gov/m.png"' in bob.comments(pid)[0].html
    assert 'src="https://maps.city.gov/m.png"' in bob.render("![m](https://maps.city.gov/m.png)")
    with pytest.raises(InvalidInput, match="image_hosts: give a list of web host names"):
        world.admin.change_setting("image_hosts", ["not a host!"])
    world.close()


# 4. an apostrophe at the start of a hand-made CSV cell was lost ----------------------
def test_a_hand_made_apostrophe_survives_import(tmp_path: Path) -> None:
    path = tmp_path / "hand-made.csv"
    path.write_text("id,title,summary\ntis-season,'Tis the season,'=not a formula\n", "utf-8")
    [practice] = read_practices(path).practices
    assert practice.title == "'Tis the season"
    assert practice.summary == "=not a formula"  # the export's own escape is undone


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_every_cell_survives_the_formula_escape(text: str) -> None:
    practice = Practice.model_construct(
        **(Practice(id="cell", title="Cell").__dict__ | {"summary": text})
    )
    summary = to_row(practice)[2]
    assert unescape(summary) == text


def test_a_title_with_an_apostrophe_round_trips_through_csv(tmp_path: Path) -> None:
    items = [
        Practice(id="quoted", title="'Tis the season"),
        Practice(id="equals", title="=SUM(A1)"),
    ]
    path = tmp_path / "out.csv"
    write_practices(items, path, "csv")
    with path.open(encoding="utf-8-sig") as handle:
        cells = [row[1] for row in csv.reader(io.StringIO(handle.read()))][1:]
    assert cells == ["''Tis the season", "'=SUM(A1)"]  # what a spreadsheet shows as text
    assert [p.title for p in read_practices(path).practices] == ["'Tis the season", "=SUM(A1)"]
