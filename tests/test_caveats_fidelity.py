"""Issue 13: caveats that name several rows, the reader's doubts, and the classifications revisited.

The arithmetic a caveat states is worked out here by hand from the printed
figures, so a caveat whose text drifts from the data fails.
"""

from __future__ import annotations

import pandas as pd
import pytest

import aidstats
from aidstats.build import derive

# aid_deliveries as the build has typed it, cut down to what a caveat can name.
DELIVERIES = pd.DataFrame(
    {
        "seq": pd.array([18, 19, 20], dtype="Int64"),
        "commodity": pd.array(["locomotives", "locomotives", "cargo engines"], dtype="string"),
    }
)


def caveat_problems(row_key):
    raw = pd.DataFrame(
        {
            "table": pd.Series(["aid_deliveries"], index=[7], dtype="string"),
            "row_key": pd.Series([row_key], index=[7], dtype="string"),
            "column_name": pd.Series([None], index=[7], dtype="string"),
        }
    )
    _, problems = derive.caveats(raw, {"aid_deliveries": DELIVERIES}, "raw/caveats.csv")
    return [(p.line, p.column, p.found) for p in problems]


@pytest.mark.parametrize("row_key", ["seq=18;seq=19;seq=20", "seq=20;commodity=locomotives"])
def test_a_caveat_may_name_several_rows_separated_by_semicolons(row_key):
    assert caveat_problems(row_key) == []


@pytest.mark.parametrize(
    ("row_key", "wrong"),
    [
        ("seq=18;seq=99", ["'seq=99'"]),  # the second row does not exist
        ("seq=98;seq=19;sequence=20", ["'seq=98'", "'sequence=20'"]),  # each wrong key is named
        ("seq=18;", ["'seq=18;'"]),  # a trailing separator: the whole cell is shown
    ],
)
def test_each_row_a_caveat_names_must_exist(row_key, wrong):
    assert caveat_problems(row_key) == [(7, "row_key", found) for found in wrong]


# ---- the published caveats (read from the package, as a user does) ----


@pytest.fixture(scope="module")
def caveats() -> pd.DataFrame:
    return aidstats.load("caveats").set_index("caveat_id")


def named_rows(caveats, caveat_id) -> set[str]:
    return set(caveats.at[caveat_id, "row_key"].split(";"))


def test_the_locomotive_double_count_caveat_names_every_locomotive_line(caveats):
    aid = aidstats.load("aid_deliveries")
    engines = aid[aid["commodity"].isin(["locomotives", "cargo engines", "passenger locomotives"])]
    assert named_rows(caveats, "locomotives_double_count") == {f"seq={s}" for s in engines["seq"]}
    # Every line counted apart: 25 + 22 + 15 + 25 + 3; the first pair as the totals of the rest: 25 + 22.
    assert engines["quantity"].sum() == 25 + 22 + 15 + 25 + 3
    issue = caveats.at["locomotives_double_count", "issue"]
    assert f"come to {25 + 22 + 15 + 25 + 3} locomotives" in issue and f"to {25 + 22} (25 + 22)" in issue


def test_quantities_printed_without_their_noun_are_named(caveats):
    """'and 22 from Poland': the quantity is followed straight by its donor."""
    aid = aidstats.load("aid_deliveries")
    bare = aid[[f" {q} from {d}" in quote for q, d, quote in zip(aid["quantity_as_printed"], aid["donor"], aid["quote"], strict=True)]]
    assert named_rows(caveats, "carried_over_noun") == {f"seq={s}" for s in bare["seq"]}
    assert set(bare["quantity_as_printed"]) >= {"22", "700,000"}


def test_the_lead_caveat_states_the_sum_of_the_implied_plans(caveats):
    minerals = aidstats.load("mineral_exports").set_index("commodity")
    lead = ["lead concentrate", "lead ore", "lead"]
    total = minerals.loc[lead, "plan_t"].sum()
    assert total == pytest.approx(13_322 / 0.86 + 1_062 / 0.44 + 8_443 / 1.204)  # 15,490.7 + 2,413.6 + 7,012.5
    issue = caveats.at["lead_minimum_and_plans", "issue"]
    # The sum, and the plan for lead itself, rounded to the hundred as the caveat states them.
    assert f"about {round(total, -2):,.0f} t" in issue and f"about {round(8_443 / 1.204, -2):,.0f} t" in issue
    assert named_rows(caveats, "lead_minimum_and_plans") == {f"commodity={c}" for c in lead}


def test_the_railway_caveats_state_their_ratios(caveats):
    rail = aidstats.load("railway_damage").set_index("asset")
    assert rail.at["locomotives", "share_lost"] == pytest.approx(1036 / 1249)  # 0.829...
    assert f"1,036 of 1,249 locomotives ({1036 / 1249:.0%})" in caveats.at["railway_loss_period", "issue"]
    # 99,000 km of telephone/telegraph lines against 5,644 km of rail lines: 17.5 times.
    assert rail.at["telephone/telegraph lines", "prewar_total"] / rail.at["rail lines", "prewar_total"] == pytest.approx(99_000 / 5_644)
    assert f"{99_000 / 5_644:.1f} times" in caveats.at["telephone_lines_wire_km", "issue"]


def test_the_three_year_plan_caveats_name_all_three_shares(caveats):
    shares = {"figure_id=capital_investment_from_grants", "figure_id=state_budget_from_aid", "figure_id=imports_financed_by_aid"}
    assert named_rows(caveats, "three_year_plan_shares_secondary") == shares
    assert named_rows(caveats, "grants_or_credits") == {"figure_id=capital_investment_from_grants", "figure_id=state_budget_from_aid"}


# Issue 21: each good is classed by what the paper names (a material by its material, an article made for
# medical use with medical goods), the alternative is named, and each reclassification has its caveat.
@pytest.mark.parametrize(
    ("commodity", "division", "alternative"),
    [
        ("sterilizers", "86", "71"),  # medical apparatus listed with dental equipment; HS-style heat machinery is later
        ("ether", "51", "54"),  # a defined compound, like the permanganate beside it; dosed as an anaesthetic, 54
        ("cotton wool", "65", "54"),  # wadding, a material; medicated or put up as a dressing, 54
        ("gauze", "65", "54"),  # a cotton fabric; cut and packed as dressings, 54
        ("bandages", "54", "65"),  # an article made for medical use; as bandage cloth by the piece, 65
        ("smoke stacks", "68", "69"),  # closes Hungary's run of pipes, by weight: tubes; as chimney structures, 69
    ],
)
def test_goods_are_classed_by_what_the_paper_names_with_the_alternative_and_a_caveat(commodity, division, alternative, caveats):
    classes = aidstats.load("commodity_classes").set_index(["table", "commodity"])
    row = classes.loc[("aid_deliveries", commodity)]
    assert row["sitc_division"] == division
    assert alternative in row["rationale"]
    caveat_id = "class_" + commodity.replace(" ", "_")
    assert named_rows(caveats, caveat_id) == {f"commodity={commodity}"}


def test_the_soviet_share_of_reconstruction_is_an_intended_request():
    resource = aidstats.loader.resource("reconstruction_enterprises")
    assert "intended to ask" in resource["description"]
    arrangement = next(f for f in resource["schema"]["fields"] if f["name"] == "arrangement")
    assert "not a Soviet commitment" in arrangement["description"]
