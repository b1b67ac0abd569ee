"""Double entry: the published tables against an independent second transcription."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import aidstats

SECOND = Path(__file__).resolve().parent / "second_entry"


def second(name: str) -> pd.DataFrame:
    return pd.read_csv(SECOND / f"{name}.csv", dtype=str, keep_default_na=False)


def test_railway_damage_matches_the_second_transcription():
    ours = aidstats.load("railway_damage")
    theirs = second("railway_damage")
    assert ours.asset.tolist() == theirs.asset.tolist()
    assert ours.lost_as_printed.tolist() == theirs.lost_as_printed.tolist()
    assert ours.prewar_total_as_printed.tolist() == theirs.prewar_as_printed.tolist()
    assert ours.unit.astype(str).tolist() == theirs.unit.tolist()


def test_mineral_exports_match_the_second_transcription():
    ours = aidstats.load("mineral_exports")
    theirs = second("mineral_exports")
    assert ours.commodity.tolist() == theirs.commodity.tolist()
    assert ours.delivered_as_printed.tolist() == theirs.delivered_as_printed.tolist()
    assert ours.percent_of_plan_as_printed.tolist() == theirs.percent_as_printed.tolist()


@pytest.mark.parametrize("column", ["seq", "donor", "commodity", "quantity_as_printed", "quantity", "unit"])
def test_aid_deliveries_match_the_second_transcription(column):
    ours = aidstats.load("aid_deliveries").astype({"seq": str, "quantity": str})
    theirs = second("aid_deliveries").replace({"unit": {"unit_penicillin": "penicillin_unit"}})
    assert ours[column].tolist() == theirs[column].tolist()
