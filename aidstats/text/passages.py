"""The paper's footnote markup, read so that a passage can be shown as the paper prints it.

The converted text of the paper (``raw/source/*.txt``) marks each footnote
twice: ``[footnoteRef:N]`` where the footnote mark stands in the sentence,
and ``[N: text]`` where the converter put the footnote's text, inline, after
the sentence.  A reader should see a mark and a footnote, never the markup;
:func:`parse` splits a passage into its body (text and marks) and its
footnotes, and :func:`to_html` renders it for the site and the dashboard.

Two quirks of the text are handled here rather than corrected in it:

- a footnote may itself hold brackets (footnote 19 prints "Delo 828[9]"), so
  a footnote ends at the bracket that balances its opening one;
- footnote 53 is never closed: its text runs on to the next footnote's
  opening, or to the end of the passage.

:func:`footnote_text` reads one footnote by the same rules; the build checks the
register's citations against it, so the site and the checks read a footnote alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Footnote", "Passage", "footnote_text", "footnotes", "has_markup", "parse", "plain_text", "to_html"]

# A footnote mark, or the opening of a footnote's text ("[53:  “List of Goods…").
_MARKUP = re.compile(r"\[footnoteRef:(\d+)\]|\[(\d+):")
# The opening of a footnote's text, which no footnote can hold: where an unclosed footnote ends.
_OPENING = re.compile(r"\[\d+:\s")


@dataclass(frozen=True)
class Footnote:
    """One footnote's number and text (its surrounding spaces removed)."""

    number: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A passage without markup.

    Attributes
    ----------
    body : tuple of str and int
        The running text in order: strings are text, integers are footnote marks.
    notes : tuple of Footnote
        The footnotes whose text stood in the passage, in the order they stood.
    """

    body: tuple[str | int, ...]
    notes: tuple[Footnote, ...]


def _closing(text: str, start: int) -> int:
    """Where the footnote opened just before ``start`` ends: the index of its balancing ``]``; for a
    footnote never closed, the opening of the next footnote, or ``len(text)`` if none follows."""
    depth = 1
    for index in range(start, len(text)):
        if text[index] == "[":
            depth += 1
        elif text[index] == "]":
            depth -= 1
            if depth == 0:
                return index
    following = _OPENING.search(text, start)
    return following.start() if following else len(text)


def _closed(text: str, end: int) -> bool:
    return end < len(text) and text[end] == "]"


def footnote_text(text: str, number: int) -> str | None:
    """The text of footnote ``number`` in ``text`` (without the spaces around it), or None if it is not there.

    Brackets inside a footnote ("[Stalin]", "Delo 828[9]") are balanced before its end is
    taken.  A footnote the paper never closes (53) runs to the next footnote's opening or the
    end of the text, and keeps one space at its end: the text was cut there, not ended.

    >>> footnote_text("x.[footnoteRef:7] y [7:  Ibid. [sic] p. 2.] z [8:  Ibid.]", 7)
    'Ibid. [sic] p. 2.'
    >>> footnote_text("[53:  List, Opis 7, [footnoteRef:54] body [54:  Letter]", 53)
    'List, Opis 7, [footnoteRef:54] body '
    >>> footnote_text("[1:  A]", 2) is None
    True
    """
    opening = re.search(rf"\[{number}:\s", text)
    if opening is None:
        return None
    end = _closing(text, opening.end())
    note = text[opening.end() : end].strip()
    return note if _closed(text, end) else note + " "


def parse(text: str) -> Passage:
    """Split a passage of the converted paper into running text, footnote marks and footnotes.

    Parameters
    ----------
    text : str
        A passage as ``raw/source`` holds it, markup included.

    Returns
    -------
    Passage
        The body keeps every character of the text outside the markup, except
        the spaces that stood on either side of a footnote's text, which
        become one space (or none at the end of the passage); the footnotes
        keep their text without the spaces around it.

    Examples
    --------
    >>> passage = parse("from China.[footnoteRef:53] While  [53:  List, Delo 828[9].] Next")
    >>> passage.body
    ('from China.', 53, ' While Next')
    >>> passage.notes
    (Footnote(number=53, text='List, Delo 828[9].'),)
    """
    body: list[str | int] = []
    notes: list[Footnote] = []
    pending = ""  # running text since the last mark
    position = 0
    for match in _MARKUP.finditer(text):
        if match.start() < position:
            continue  # inside a footnote already read: its own brackets are not markup
        pending += text[position : match.start()]
        if match.group(1) is not None:
            body += [pending, int(match.group(1))]
            pending = ""
            position = match.end()
        else:
            end = _closing(text, match.end())
            notes.append(Footnote(int(match.group(2)), text[match.end() : end].strip()))
            # The note leaves a gap in the sentence: the spaces on its two sides become one, or none at an edge.
            after = end + 1 if _closed(text, end) else end  # an unclosed note ends where the next one opens
            following = text[after:]
            position = after + len(following) - len(following.lstrip())
            pending = pending.rstrip()
            if (pending or body) and position < len(text) and not _MARKUP.match(text, position):
                pending += " "
    body.append(pending + text[position:])
    return Passage(tuple(part for part in body if part != ""), tuple(notes))


def has_markup(text: str) -> bool:
    """Whether ``text`` holds a footnote mark or the opening of a footnote.

    >>> has_markup("from China.[footnoteRef:53]"), has_markup("Delo 828[9]")
    (True, False)
    """
    return _MARKUP.search(text) is not None


def plain_text(text: str) -> str:
    """The running text of a passage, without footnote marks or footnotes.

    >>> plain_text("from China.[footnoteRef:53] While  [53:  List.] Next")
    'from China. While Next'
    """
    return "".join(part for part in parse(text).body if isinstance(part, str))


def footnotes(texts) -> dict[int, str]:
    """Every footnote whose text stands in any of ``texts``, by number (the first text of a number wins).

    The published excerpts hold a sentence and the footnote that documents it
    on separate lines; this is how a sentence's marks find their footnotes.

    >>> footnotes(["a.[footnoteRef:7]", "[7:  Ibid.]", "[8:  Report.]"])
    {7: 'Ibid.', 8: 'Report.'}
    """
    found: dict[int, str] = {}
    for text in texts:
        for note in parse(text).notes:
            found.setdefault(note.number, note.text)
    return found


def to_html(text: str, notes: dict[int, str] | None = None):
    """A passage as escaped HTML: its text, each mark as a superscript number, then its footnotes as a list.

    Parameters
    ----------
    text : str
        A passage as ``raw/source`` and the ``passages`` table hold it.
    notes : dict of int to str, optional
        Footnotes by number (see :func:`footnotes`), for marks whose footnote
        is not in ``text`` itself; a mark found in neither stays a bare mark.

    Returns
    -------
    markupsafe.Markup
        ``<p class="passage-text">`` with ``<sup class="footnote-mark">N</sup>``
        marks, followed (if there is any footnote to show) by
        ``<ol class="footnotes">`` with one ``<li value="N">`` per footnote:
        those in the text, then those of its other marks, in the order of the
        marks.  Every character of the paper is escaped.
    """
    from markupsafe import Markup, escape

    passage = parse(text)
    inline = [(note.number, note.text) for note in passage.notes]
    shown = {number for number, _ in inline}
    cited = [(n, notes[n]) for n in dict.fromkeys(p for p in passage.body if isinstance(p, int)) if n not in shown and notes and n in notes]
    marks = (
        f'<sup class="footnote-mark"><span class="visually-hidden">footnote </span>{part}</sup>'
        if isinstance(part, int)
        else str(escape(part))
        for part in passage.body
    )
    html = '<p class="passage-text">' + "".join(marks) + "</p>" if passage.body else ""
    if inline or cited:
        items = "".join(f'<li value="{number}">{escape(note)}</li>' for number, note in inline + cited)
        html += f'<ol class="footnotes" aria-label="Footnotes">{items}</ol>'
    return Markup(html)
