"""aidstats.text.passages: the paper's footnote markup read as marks and footnotes, never shown raw."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from aidstats.text.passages import Footnote, Passage, footnotes, has_markup, parse, plain_text, to_html

RAW_MARKUP = re.compile(r"\[footnoteRef:\d+\]|\[\d+:")
PARAGRAPHS = [
    line
    for path in sorted((ROOT / "raw" / "source").glob("*.txt"))
    for line in path.read_text(encoding="utf-8").split("\n")
    if line.strip()
]


def test_a_mark_and_its_footnote_are_split_from_the_sentence():
    text = "from China.[footnoteRef:53] While the author did not.  [53:  “List of Goods,” AVPRF.] "
    assert parse(text) == Passage(("from China.", 53, " While the author did not."), (Footnote(53, "“List of Goods,” AVPRF."),))


def test_brackets_inside_a_footnote_do_not_end_it():
    # Footnote 19 prints "Delo 828[9]": the footnote ends at the bracket that balances its opening one.
    text = "answer.[footnoteRef:19] [19:  APRF, Delo 828[9], Listy 42-43.] Next."
    assert parse(text).notes == (Footnote(19, "APRF, Delo 828[9], Listy 42-43."),)
    assert plain_text(text) == "answer. Next."


def test_an_unclosed_footnote_runs_to_the_end_of_the_passage():
    # Footnote 53 is never closed in the paper; what follows it is part of it, not running text.
    text = "from China.[footnoteRef:53] [53:  “List of Goods,” Opis 7, \n Requests for Aid"
    assert parse(text) == Passage(("from China.", 53), (Footnote(53, "“List of Goods,” Opis 7, \n Requests for Aid"),))


def test_consecutive_footnotes_leave_one_space_in_the_sentence():
    text = "Ibid.[footnoteRef:30] so [30:  Ibid. Translation.]  [31:  Ibid.] it went"
    assert parse(text).body == ("Ibid.", 30, " so it went")
    assert [note.number for note in parse(text).notes] == [30, 31]


def test_text_without_markup_is_one_piece_unchanged():
    text = "\t\tThe fact that the US will be tied down in Asia [for years]: a favourable circumstance."
    assert parse(text) == Passage((text,), ())
    assert plain_text(text) == text


def test_html_shows_a_superscript_mark_and_a_numbered_footnote_and_escapes_the_text():
    html = str(to_html("a <b> & c.[footnoteRef:7] [7:  “Report” <i>.]"))
    assert '<p class="passage-text">a &lt;b&gt; &amp; c.<sup class="footnote-mark">' in html
    assert re.search(r"<sup[^>]*>.*7</sup>", html)
    assert '<ol class="footnotes" aria-label="Footnotes"><li value="7">“Report” &lt;i&gt;.</li></ol>' in html


def test_html_without_footnotes_has_no_empty_list():
    assert "<ol" not in str(to_html("No footnote here."))


@pytest.mark.parametrize("paragraph", PARAGRAPHS, ids=lambda p: p[:40])
def test_no_paragraph_of_the_excerpts_keeps_raw_markup(paragraph):
    passage = parse(paragraph)
    assert not RAW_MARKUP.search(plain_text(paragraph))
    assert not any(RAW_MARKUP.search(note.text) for note in passage.notes)
    # Every mark in the paper's text is kept, as a mark.
    assert [part for part in passage.body if isinstance(part, int)] == [int(n) for n in re.findall(r"\[footnoteRef:(\d+)\]", paragraph)]


def test_every_quote_survives_in_the_running_text_or_a_footnote():
    """The site highlights a row's quote in the rendered passage, so parsing must keep it whole."""
    import pandas as pd

    pieces = []
    for paragraph in PARAGRAPHS:
        passage = parse(paragraph)
        pieces += [part for part in passage.body if isinstance(part, str)] + [note.text for note in passage.notes]
    for path in sorted(Path(ROOT / "raw").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "quote" not in frame.columns or path.stem == "caveats":
            continue
        for quote in frame["quote"]:
            assert any(quote in piece for piece in pieces), (path.name, quote)


def test_a_marks_footnote_printed_on_another_line_is_shown_under_the_sentence():
    # The published excerpts hold "…from China.[footnoteRef:53]" and "[53:  …]" as separate lines.
    lines = ["from China.[footnoteRef:53] and more.[footnoteRef:54]", "[53:  “List of Goods,” AVPRF.", "[54:  Ibid.]"]
    notes = footnotes(lines)
    assert notes == {53: "“List of Goods,” AVPRF.", 54: "Ibid."}
    mark = '<sup class="footnote-mark"><span class="visually-hidden">footnote </span>{}</sup>'
    assert str(to_html(lines[0], notes)) == (
        '<p class="passage-text">from China.' + mark.format(53) + " and more." + mark.format(54) + "</p>"
        '<ol class="footnotes" aria-label="Footnotes"><li value="53">“List of Goods,” AVPRF.</li><li value="54">Ibid.</li></ol>'
    )


def test_a_footnote_in_the_passage_itself_is_not_repeated_and_an_unknown_mark_stays_bare():
    text = "a.[footnoteRef:7] b.[footnoteRef:8] [7:  Report.]"
    html = str(to_html(text, {7: "Another text of 7.", 9: "Not marked here."}))
    assert html.count("<li") == 1 and '<li value="7">Report.</li>' in html
    assert "Another text" not in html and "Not marked" not in html
    assert str(to_html("a.[footnoteRef:8]", {7: "Seven."})).endswith("</sup></p>")  # no list: 8 has no text anywhere


def test_a_footnote_alone_is_a_list_without_an_empty_paragraph():
    assert str(to_html("[30:  Ibid. Translation by the author.]")) == (
        '<ol class="footnotes" aria-label="Footnotes"><li value="30">Ibid. Translation by the author.</li></ol>'
    )


def test_the_first_text_of_a_footnote_number_wins():
    # Footnote 53 never closes, so what follows it on its line is its text; a later line with "[53:" does not replace it.
    assert footnotes(["[53:  First.]", "[53:  Second.]"]) == {53: "First."}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("from China.[footnoteRef:53]", True), ("[53:  List]", True), ("Delo 828[9]", False), ("[January 1951: Stalin]", False), ("", False)],
)
def test_markup_is_recognised_only_as_the_converter_writes_it(text, expected):
    assert has_markup(text) is expected


# -- footnote edges (the survivors of the mutation run after footnote_text joined this module) --


def test_markup_inside_a_footnote_does_not_stop_the_marks_after_it():
    # The mark [footnoteRef:3] stands inside footnote 7's text; the mark 8 after the footnote is still read.
    passage = parse("a.[footnoteRef:7] [7:  See [footnoteRef:3] there.] b.[footnoteRef:8]")
    assert passage.body == ("a.", 7, " b.", 8)
    assert passage.notes == (Footnote(7, "See [footnoteRef:3] there."),)


def test_a_closed_footnote_keeps_the_text_right_after_its_bracket():
    # "]b": nothing but the bracket is dropped; the gap the note leaves becomes one space.
    assert parse("a.[footnoteRef:7] [7:  A.]b").body == ("a.", 7, " b")


def test_an_unclosed_footnote_ends_where_the_next_one_opens():
    # Footnote 53 is never closed: footnote 54's opening ends it and is read as a footnote of its own.
    passage = parse("x.[footnoteRef:53] [53:  List, Opis 7, [54:  Letter.] y")
    assert passage.notes == (Footnote(53, "List, Opis 7,"), Footnote(54, "Letter.")), passage
    assert passage.body == ("x.", 53, " y")


def test_the_space_after_a_note_is_kept_when_the_passage_opens_with_a_mark():
    # The passage starts with markup; what follows the note is text, so the gap becomes one space.
    assert parse("[footnoteRef:7] [7:  A.] b").body == (7, " b")
