"""The checks no column schema can express: keys, foreign keys, quotes against the source.

Vectorised over the table (one Python step per distinct value or per
failing row, not per row), so a million-row table is checked in seconds.
Every problem names the file, CSV line (the frame's index), column and value.
"""

from __future__ import annotations

import re

import pandas as pd

from aidstats.build.derive import _has_value
from aidstats.build.distinct import per_distinct
from aidstats.build.schemas import Table, raw_columns
from aidstats.errors import InputProblem, show
from aidstats.text.passages import footnote_text  # the one footnote parser, shared with the site


def duplicate_keys(table: Table, frame: pd.DataFrame, shown_as: str) -> list[InputProblem]:
    duplicated = frame[frame.duplicated(table.primary_key, keep=False)]
    by = table.primary_key[0] if len(table.primary_key) == 1 else table.primary_key
    # groupby leaves out rows with an empty key cell: they share no value with
    # another row, and the not-empty check names them.
    lines_by_key = duplicated.groupby(by, sort=False).groups
    problems = []
    for key, lines in lines_by_key.items():
        shown = ", ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        for line in lines:
            others = ", ".join(str(other) for other in lines if other != line)
            problems.append(
                InputProblem(
                    shown_as,
                    int(line),
                    ", ".join(table.primary_key),
                    f"{shown!r}, also on line {others}",
                    "a value no other row has (it is the primary key)",
                )
            )
    return problems


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype("string").fillna("")


def foreign_key_problems(table: Table, frame: pd.DataFrame, frames: dict, shown_as: str, derived_only: bool = False) -> list[InputProblem]:
    """Keys over transcribed columns are checked on the text as typed; keys over
    computed columns (``derived_only``) once they are computed."""
    transcribed = set(raw_columns(table.model))
    problems = []
    for fk in table.foreign_keys:
        if (set(fk.fields) <= transcribed) == derived_only:
            continue
        target = frame if fk.resource == table.name else frames.get(fk.resource)
        if target is None:
            continue  # the code list itself failed; its own problems are reported
        keys = _as_text(frame[fk.fields])
        known = pd.MultiIndex.from_frame(_as_text(target[fk.reference]))
        unknown = ~pd.MultiIndex.from_frame(keys).isin(known) & keys.ne("").all(axis=1).to_numpy()
        for line, row in keys[unknown].iterrows():
            problems.append(
                InputProblem(
                    shown_as,
                    int(line),
                    ", ".join(fk.fields),
                    show(", ".join(row)),
                    f"a value listed in raw/{fk.resource}.csv ({', '.join(fk.reference)})",
                )
            )
    return problems


def quote_problems(table: Table, frame: pd.DataFrame, source_text: str, shown_as: str) -> list[InputProblem]:
    """Every quote occurs verbatim in the source; every printed figure occurs in its quote, whole."""
    if "quote" not in frame.columns:
        return citation_problems(frame, source_text, shown_as) if table.name == "sources" else []
    quotes = frame["quote"]
    found = per_distinct(quotes, lambda quote: quote in source_text).fillna(True).astype(bool)
    problems = [
        InputProblem(shown_as, int(line), "quote", show(quote), "a span of text that occurs verbatim in raw/source/*.txt")
        for line, quote in quotes[~found].items()
    ]
    checked = frame[found & quotes.notna()]
    for name in table.printed_in_quote:
        inside = per_distinct(checked[[name, "quote"]], _occurs_whole).fillna(True).astype(bool)
        problems += [
            InputProblem(
                shown_as,
                int(line),
                name,
                show(checked.at[line, name]),
                f"text that occurs in this row's quote {checked.at[line, 'quote']!r}, not as part of a longer number or word",
            )
            for line in checked.index[~inside]
        ]
    return problems


def _occurs_whole(value: str, quote: str) -> bool:
    """Whether ``value`` occurs in ``quote`` other than as part of a longer number or word.

    A plain substring test would accept a figure with a dropped digit ("52" in
    "452 of the prewar total"), so the characters either side must not continue it.

    >>> _occurs_whole("452", "452 of the prewar total"), _occurs_whole("52", "452 of the prewar total")
    (True, False)
    >>> _occurs_whole("346", "5,346 tons"), _occurs_whole("52", "52.7%")
    (False, False)
    """
    return re.search(rf"(?<!\w)(?<!\d[.,]){re.escape(value)}(?!\w)(?![.,]\d)", quote) is not None


def citation_problems(frame: pd.DataFrame, source_text: str, shown_as: str) -> list[InputProblem]:
    """A citation must be copied verbatim from the footnote its row names, and its title must be in it."""
    problems = []
    # A footnote number below 1 is reported by its column check; naming "footnote 0" here would repeat it.
    numbered = pd.to_numeric(frame["footnote"], errors="coerce").ge(1)
    for line, row in frame[numbered & frame["citation"].notna()].iterrows():
        footnote = footnote_text(source_text, int(row["footnote"])) or ""
        if row["citation"] not in footnote:
            problems.append(
                InputProblem(
                    shown_as,
                    int(line),
                    "citation",
                    show(row["citation"]),
                    f"text that occurs verbatim in footnote {row['footnote']} of raw/source/*.txt",
                )
            )
        elif pd.notna(row["title"]) and row["title"] not in row["citation"]:
            problems.append(InputProblem(shown_as, int(line), "title", show(row["title"]), "text that occurs in this row's citation"))
    return problems


def unused_classes(frames: dict[str, pd.DataFrame]) -> list[InputProblem]:
    """A class for a commodity no table has is a misspelling or a leftover."""
    classes = frames["commodity_classes"]
    present = {name: set(frames[name]["commodity"].unique()) for name in classes["table"].unique()}
    return [
        InputProblem(
            "raw/commodity_classes.csv",
            int(line),
            "commodity",
            show(row["commodity"]),
            f"a commodity that occurs in raw/{row['table']}.csv",
        )
        for line, row in classes.iterrows()
        if row["commodity"] not in present[row["table"]]
    ]


def _document(register: pd.DataFrame, source_id: str) -> str:
    """The register row where the document of ``source_id`` is cited in full (an 'Ibid.' chain followed to its end)."""
    full = register["full_citation_id"]
    seen = {source_id}
    while source_id in full.index and pd.notna(full[source_id]) and full[source_id] not in seen:
        source_id = full[source_id]
        seen.add(source_id)
    return source_id


def publication_problems(frames: dict[str, pd.DataFrame]) -> list[InputProblem]:
    """Every register row has a publications row; a URL is given once per register row and belongs to one document.

    Register rows that cite the same document (an 'Ibid.' or a repeat, through full_citation_id) may share a URL.
    """
    register = frames["sources"].set_index("source_id")
    publications = frames["publications"]
    shown_as = "raw/publications.csv"
    problems = [
        InputProblem(
            "raw/sources.csv",
            int(line),
            "source_id",
            show(source_id),
            "a register row with at least one row in raw/publications.csv (a published version, or status not_found with where we looked)",
        )
        for line, source_id in frames["sources"]["source_id"].items()
        if source_id not in set(publications["source_id"])
    ]
    first: dict[str, tuple[int, str]] = {}
    for line, row in publications[publications["url"].notna()].iterrows():
        url, source_id = row["url"], row["source_id"]
        if url not in first:
            first[url] = (int(line), source_id)
            continue
        other_line, other = first[url]
        if other == source_id:
            expected = f"a URL not already given for {source_id} on line {other_line}"
        elif _document(register, other) != _document(register, source_id):
            expected = f"a URL of {source_id}'s own document; line {other_line} gives it for {other}, a different document"
        else:
            continue
        problems.append(InputProblem(shown_as, int(line), "url", show(url), expected))
    return problems


def corroboration_problems(frames: dict[str, pd.DataFrame]) -> list[InputProblem]:
    """A corroboration row names a row that exists and cites its source; the paper's value occurs in that row's quote
    (a sources row: its citation) and the published value in the evidence, whole, as printed figures occur in quotes
    (:func:`_occurs_whole`); the publication is of the same document; every ``differs`` has a caveat on the row compared
    (or on the corroboration row) whose issue quotes the evidence, so that both wordings are given."""
    shown_as = "raw/corroboration.csv"
    corroboration = frames["corroboration"]
    register = frames["sources"].set_index("source_id")
    publications = frames["publications"].set_index("publication_id")
    caveats = frames["caveats"]
    problems = []
    for line, row in corroboration.iterrows():
        line = int(line)
        table = frames.get(str(row["table"]))
        key, _, value = str(row["row_key"]).partition("=")
        if table is None or key not in table.columns or not _has_value(table[key], value):
            problems.append(InputProblem(shown_as, line, "row_key", show(row["row_key"]), f"column=value naming a row of {row['table']}"))
            continue
        named = table[table[key].astype("string") == value].iloc[0]
        cited = named.get("source_id")  # a register row's source is itself
        if cited != row["source_id"]:
            problems.append(
                InputProblem(
                    shown_as, line, "source_id", show(row["source_id"]), f"{cited}, the source of {row['row_key']} in {row['table']}"
                )
            )
        printed_in, text = ("citation", named["citation"]) if row["table"] == "sources" else ("quote", named.get("quote"))
        if pd.isna(text) or not _occurs_whole(row["value_in_paper"], text):
            problems.append(
                InputProblem(
                    shown_as,
                    line,
                    "value_in_paper",
                    show(row["value_in_paper"]),
                    f"text that occurs in the {printed_in} of {row['row_key']} in {row['table']}, which is empty"
                    if pd.isna(text)
                    else f"text that occurs in the {printed_in} of {row['row_key']} in {row['table']} {text!r}, not as part of a longer number or word",
                )
            )
        if pd.notna(row["value_as_published"]) and (
            pd.isna(row["evidence"]) or not _occurs_whole(row["value_as_published"], row["evidence"])
        ):
            problems.append(
                InputProblem(
                    shown_as,
                    line,
                    "value_as_published",
                    show(row["value_as_published"]),
                    "text that occurs in this row's evidence, which is empty"
                    if pd.isna(row["evidence"])
                    else f"text that occurs in this row's evidence {row['evidence']!r}, not as part of a longer number or word",
                )
            )
        publication = row["publication_id"]
        if publication in publications.index:
            of = publications.at[publication, "source_id"]
            if _document(register, of) != _document(register, row["source_id"]):
                problems.append(
                    InputProblem(
                        shown_as,
                        line,
                        "publication_id",
                        show(publication),
                        f"a published version of {row['source_id']}'s document; {publication} is one of {of}'s",
                    )
                )
        if row["verdict"] == "differs" and not _differs_caveat(caveats, row):
            problems.append(
                InputProblem(
                    shown_as,
                    line,
                    "verdict",
                    "differs",
                    f"a caveat in raw/caveats.csv on {row['table']} {row['row_key']} (or on corroboration corroboration_id={row['corroboration_id']}) "
                    "whose issue quotes this row's evidence",
                )
            )
    return problems


def _differs_caveat(caveats: pd.DataFrame, row: pd.Series) -> bool:
    names = {(str(row["table"]), str(row["row_key"])), ("corroboration", f"corroboration_id={row['corroboration_id']}")}
    for caveat in caveats.itertuples():
        keys = [] if pd.isna(caveat.row_key) else str(caveat.row_key).split(";")
        if any((str(caveat.table), key) in names for key in keys) and str(row["evidence"]) in str(caveat.issue):
            return True
    return False
