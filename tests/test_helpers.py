"""Helpers against numbers computed by hand from the printed figures."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest

import aidstats
from aidstats import implied_plan, loss_summary, per_donor, percent_of_plan, plan_fulfilment


def test_percent_of_plan_scalar_array_series():
    assert percent_of_plan(1036, 1249) == pytest.approx(82.946357, abs=1e-6)
    assert percent_of_plan(np.array([50.0, 3.0]), np.array([100.0, 4.0])).tolist() == [50.0, 75.0]
    series = percent_of_plan(pd.Series([8443.0, np.nan]), pd.Series([7012.458471760797, 10.0]))
    assert series.iloc[0] == pytest.approx(120.4) and np.isnan(series.iloc[1])


@pytest.mark.parametrize(("plan", "bad"), [(0, "0"), (-5, "-5")])
def test_zero_or_negative_plan_is_refused_naming_the_value(plan, bad):
    with pytest.raises(ValueError, match=f"plan must be greater than zero; found {bad}"):
        percent_of_plan(10, plan)
    with pytest.raises(ValueError, match=f"percent must be greater than zero; found {bad}"):
        implied_plan(10, pd.Series([50.0, plan]))


def test_implied_plan_for_lead_and_the_bounds_of_beryllium():
    lead = implied_plan(8443, 120.4, decimals=1)
    assert lead.plan == pytest.approx(8443 / 1.204)  # 7012.46 t
    assert lead.low == pytest.approx(8443 / 1.2045) and lead.high == pytest.approx(8443 / 1.2035)
    # "2.8%" stands for 2.75 <= p < 2.85: the plan for 0.84 t lies in (29.47, 30.55].
    beryllium = implied_plan(0.84, 2.8)
    assert (beryllium.low, beryllium.high) == (pytest.approx(84 / 2.85), pytest.approx(84 / 2.75))
    # Without decimals, 32.0 counts as printed "32": 31.5 <= p < 32.5.
    assert implied_plan(1.29, 32.0).high == pytest.approx(129 / 31.5)


def test_implied_plan_is_vectorised_and_propagates_missing_values():
    result = implied_plan(pd.Series([0.84, np.nan]), pd.Series([2.8, 32.0]), decimals=np.array([1, 0]))
    assert result.plan.iloc[0] == pytest.approx(30.0) and np.isnan(result.plan.iloc[1])
    assert result.low.iloc[0] == pytest.approx(84 / 2.85)


def test_implied_plan_is_the_one_the_table_uses():
    minerals = aidstats.load("mineral_exports")
    places = minerals.percent_of_plan_as_printed.str.partition(".")[2].str.len()
    again = implied_plan(minerals.delivered_t, minerals.percent_of_plan, places.to_numpy())
    assert again.low.tolist() == pytest.approx(minerals.plan_t_low.tolist())
    assert again.high.tolist() == pytest.approx(minerals.plan_t_high.tolist())


def test_plan_fulfilment():
    table = plan_fulfilment().set_index("commodity")
    lead = table.loc["lead"]
    assert lead.status == "over plan" and lead.excess_t == pytest.approx(8443 - 8443 / 1.204)  # +1430.5 t
    copper = table.loc["copper ore"]
    assert copper.status == "under plan" and copper.excess_t == pytest.approx(37840 - 37840 / 0.326)
    assert sorted(table.index[table.status == "over plan"]) == ["ferrosilite", "instrumental steel", "lead", "zinc", "zinc cake"]
    assert {"plan_t_low", "plan_t_high"} <= set(table.columns)


def test_per_donor_totals_by_hand():
    donors = per_donor()
    # Romania: 27 + 10 t of ink, 500 + 20 + 500 + 2,000 t of paper, 150 t of bindings, 1,000 t of cotton.
    assert donors.loc["ROU", "tonnes"] == pytest.approx(4207)
    # Romania: 32,500 m of belts + 10,000 m of imitation leather + 100,000 m of woolen fabric.
    assert donors.loc["ROU", "metres"] == pytest.approx(142_500)
    # Poland: 22 locomotives, 15 cargo engines, 3 passenger locomotives, 80 switchboards, 5,500 telephones.
    assert donors.loc["POL", ["lines", "tonnes", "items"]].tolist() == [8, 2100, 5620]
    # China without the implausible 1,250,000 t: 240,000+300+300+12,000+200+300+27,000+1,000+40,000+20.
    assert donors.loc["CHN", "tonnes"] == pytest.approx(321_120)
    assert per_donor(include_implausible=True).loc["CHN", "tonnes"] == pytest.approx(1_571_120)
    assert donors.share_of_bloc_tonnage.sum() == pytest.approx(1.0)
    # Czechoslovakia's 2,000,000 dozen pencils count as 24,000,000 items; its penicillin, boots and dental sets are never added.
    # 25 + 25 locomotives, 20 + 500 trolleys, 380 air brakes, 1,000 + 100 + 100 + 45 machines, 5,000 bicycles,
    # 6 offset machines, 6 x-ray units, 5 mobile clinics, 100 microscopes, 50 sterilizers, 237,000 toothbrushes.
    listed = 25 + 25 + 20 + 500 + 380 + 1000 + 100 + 100 + 45 + 5000 + 6 + 6 + 5 + 100 + 50 + 237_000
    assert donors.loc["CSK", "items"] == pytest.approx(2_000_000 * 12 + listed)
    assert donors.loc["CSK", "lines"] == 20


def test_per_donor_by_section_never_mixes_units():
    by_section = per_donor(by="sitc_section")
    assert by_section.loc[("CHN", "3"), "tonnes"] == pytest.approx(240_300)  # coal and coking coal
    assert by_section.lines.sum() == 84
    assert by_section.tonnes.sum() == pytest.approx(per_donor().tonnes.sum())


def test_loss_summary_adds_only_like_units():
    summary = loss_summary()
    rolling = summary.loc[("rolling_stock", "count")]
    assert (rolling.lost, rolling.prewar_total) == (1036 + 830 + 13_114, 1249 + 945 + 16_986)
    lines = summary.loc[("communications_and_power", "km")]
    assert (lines.lost, lines.prewar_total) == (73_500 + 2320, 99_000 + 2760)
    assert ("track_and_structures", "km") in summary.index and ("track_and_structures", "count") in summary.index
    locomotives = aidstats.load("railway_damage").set_index("asset").loc["locomotives"]
    assert locomotives.share_lost == pytest.approx(1036 / 1249)


# Tonnes per donor from footnote 53, implausible 1,250,000 t of handicraft equipment left out:
TONNES = {
    "CHN": 321_120,  # as in test_per_donor_totals_by_hand
    "POL": 2_100,  # fittings
    "HUN": 260 + 80 + 330 + 430 + 840 + 0.5 + 2 + 50,  # pipes, smoke stacks, 500 kg ether, 2,000 kg permanganate, cotton wool
    "ROU": 4_207,  # as in test_per_donor_totals_by_hand
    "CSK": 0,  # everything from Czechoslovakia is counted in items, pairs, sets or units
    "BGR": 150 + 100,  # cardboard bindings, cotton yarn
}


def test_share_of_bloc_tonnage_by_hand():
    donors = per_donor()
    bloc = sum(TONNES.values())  # 329,669.5 t
    for code, tonnes in TONNES.items():
        assert donors.at[code, "share_of_bloc_tonnage"] == pytest.approx(tonnes / bloc), code
    # With the 1,250,000 t of handicraft equipment, China's share grows and every other share shrinks.
    everything = per_donor(include_implausible=True)
    assert everything.at["CHN", "share_of_bloc_tonnage"] == pytest.approx((321_120 + 1_250_000) / (bloc + 1_250_000))
    assert everything.at["POL", "share_of_bloc_tonnage"] == pytest.approx(2_100 / (bloc + 1_250_000))


def test_share_of_bloc_tonnage_of_a_group_is_of_the_whole_bloc():
    by_section = per_donor(by="sitc_section")
    # China's coal and coking coal (section 3): 240,000 + 300 t of the bloc's 329,669.5 t.
    assert by_section.at[("CHN", "3"), "share_of_bloc_tonnage"] == pytest.approx(240_300 / sum(TONNES.values()))


@pytest.mark.parametrize("by", ["donor", "donor_code"])
def test_per_donor_by_donor_is_the_donor_rows_themselves(by):
    pd.testing.assert_frame_equal(per_donor(by=by), per_donor())


@pytest.mark.parametrize("by", ["commodity", "unit", "base_unit", "sitc_section", "sitc_division"])
def test_per_donor_by_any_accepted_column_counts_every_line_once(by):
    grouped = per_donor(by=by)
    assert grouped.index.names == ["donor_code", by]
    assert grouped.lines.sum() == 84  # the 84 lines of footnote 53's list
    assert grouped.tonnes.sum() == pytest.approx(sum(TONNES.values()))
    assert grouped.groupby(level="donor_code").lines.sum().to_dict() == {
        "CHN": 13,
        "POL": 8,
        "HUN": 16,
        "ROU": 20,
        "CSK": 20,
        "BGR": 7,
    }


def test_per_donor_by_unit_keeps_each_unit_apart():
    by_unit = per_donor(by="unit")
    # Hungary's 500 kg of ether and 2,000 kg of permanganate: 2.5 t in the kg group, 1,990 t in the t group.
    assert by_unit.at[("HUN", "kg"), "tonnes"] == pytest.approx(0.5 + 2)
    assert by_unit.at[("HUN", "t"), "tonnes"] == pytest.approx(260 + 80 + 330 + 430 + 840 + 50)


@pytest.mark.parametrize("by", ["nonsense", "quantity", "quote"])
def test_per_donor_unknown_by_names_it_and_lists_the_accepted_columns(by):
    with pytest.raises(ValueError, match=f"by={by!r}") as err:
        per_donor(by=by)
    for accepted in ["donor", "donor_code", "commodity", "unit", "base_unit", "sitc_section", "sitc_division"]:
        assert repr(accepted) in str(err.value)


def test_loss_summary_by_asset():
    summary = loss_summary(by="asset")
    locomotives = summary.loc[("locomotives", "count")]
    assert (locomotives.lost, locomotives.prewar_total, locomotives.assets) == (1036, 1249, 1)
    assert locomotives.share_lost == pytest.approx(1036 / 1249)
    assert len(summary) == 16  # one row per asset of footnote 45


def test_loss_summary_counts_assets_and_shares_per_group():
    rolling = loss_summary().loc[("rolling_stock", "count")]
    assert rolling.assets == 3  # locomotives, first-class rail cars, cargo rail cars
    assert rolling.share_lost == pytest.approx((1036 + 830 + 13_114) / (1249 + 945 + 16_986))


def test_loss_summary_unknown_by_names_it_and_lists_the_accepted_columns():
    with pytest.raises(ValueError, match="by='nonsense'") as err:
        loss_summary(by="nonsense")
    assert "'asset_group'" in str(err.value) and "'asset'" in str(err.value)


def test_implied_plan_upper_bound_is_infinite_once_the_lower_percent_reaches_zero():
    # "0.5%" printed with no decimals means 0 <= p < 1: the plan is at least 100 and has no upper bound.
    at_zero = implied_plan(1, 0.5, decimals=0)
    assert (at_zero.plan, at_zero.low, at_zero.high) == (pytest.approx(100 / 0.5), pytest.approx(100 / 1), np.inf)
    below_zero = implied_plan(1, 0.4, decimals=0)
    assert (below_zero.low, below_zero.high) == (pytest.approx(100 / 0.9), np.inf)
    series = implied_plan(pd.Series([1.0, 1.29, np.nan], index=[7, 8, 9]), pd.Series([0.4, 32.0, 0.4], index=[7, 8, 9]), decimals=0)
    assert series.high.index.tolist() == [7, 8, 9]
    assert series.high.iloc[0] == np.inf and series.high.iloc[1] == pytest.approx(129 / 31.5) and np.isnan(series.high.iloc[2])


@pytest.mark.parametrize(("decimals", "shown"), [(-1, "-1"), (1.5, "1.5"), (np.array([0, -2]), "-2"), (np.nan, "nan")])
def test_implied_plan_refuses_decimals_that_are_not_whole_numbers_of_zero_or_more(decimals, shown):
    with pytest.raises(ValueError, match=re.escape(f"decimals must be a whole number of 0 or more; found {shown}")):
        implied_plan(np.array([1.0, 2.0]), np.array([32.0, 32.0]), decimals=decimals)


def test_negative_amounts_are_refused_naming_the_value():
    with pytest.raises(ValueError, match="actual must be 0 or more; found -1"):
        implied_plan(-1, 32, decimals=0)
    with pytest.raises(ValueError, match=re.escape("actual must be 0 or more; found -2.5")):
        percent_of_plan(pd.Series([1.0, -2.5]), 10)


def test_decimals_read_from_a_value_python_writes_with_an_exponent():
    # repr(0.000015) is '1.5e-05': six decimals, so the percentage lies in [0.0000145, 0.0000155).
    tiny = implied_plan(1, 0.000015)
    assert (tiny.low, tiny.high) == (pytest.approx(100 / 0.0000155), pytest.approx(100 / 0.0000145))
    # repr(1.5e16) is '1.5e+16': a whole number, so no decimals: 1.5e16 - 0.5 <= p < 1.5e16 + 0.5.
    assert implied_plan(1.5e16, 1.5e16).high == pytest.approx(100 * 1.5e16 / (1.5e16 - 0.5))


def test_implied_plan_of_nothing_delivered_is_zero_and_unbounded_once_the_percent_may_be_zero():
    # 0 t at "0.5%" (0 <= p < 1): a plan of 0 t, or any plan at all if the true percentage was 0.
    assert tuple(implied_plan(0, 0.5, decimals=0)) == (0, 0, np.inf)
    assert tuple(implied_plan(0, 32, decimals=0)) == (0, 0, 0)


def test_lists_are_taken_as_arrays_with_missing_values():
    # A list times 100 would repeat the list; it must be multiplied instead.
    result = implied_plan([0.84, None], [2.8, 2.8], decimals=[1, 1])
    assert result.plan[0] == pytest.approx(84 / 2.8) and np.isnan(result.plan[1])
    assert percent_of_plan([50, 3], [100, 4]).tolist() == [50.0, 75.0]


def test_decimals_of_an_unsigned_integer_type():
    # -np.uint8(1) would wrap around to 255 if the decimals were negated as they come.
    result = implied_plan(np.array([0.84]), np.array([2.8]), decimals=np.array([1], dtype=np.uint8))
    assert result.low[0] == pytest.approx(84 / 2.85) and result.high[0] == pytest.approx(84 / 2.75)


def test_decimals_read_from_each_value_of_an_array():
    # "2.8" has one decimal (2.75 <= p < 2.85), "32" none (31.5 <= p < 32.5).
    result = implied_plan(np.array([0.84, 1.29]), np.array([2.8, 32.0]))
    assert result.low.tolist() == pytest.approx([84 / 2.85, 129 / 32.5])
    assert result.high.tolist() == pytest.approx([84 / 2.75, 129 / 31.5])


def test_percent_of_plan_on_the_nullable_integer_columns_of_a_table():
    railway = aidstats.load("railway_damage").set_index("asset")
    percent = percent_of_plan(railway.lost, railway.prewar_total)
    assert percent["locomotives"] == pytest.approx(1036 / 1249 * 100)
    with_missing = percent_of_plan(pd.Series([1036, None], dtype="Int64"), pd.Series([1249, 945], dtype="Int64"))
    assert with_missing.iloc[0] == pytest.approx(1036 / 1249 * 100) and pd.isna(with_missing.iloc[1])


def test_plan_fulfilment_of_a_table_you_give_it_with_a_plan_met_exactly():
    minerals = aidstats.load("mineral_exports").set_index("commodity").loc[["lead", "zinc", "copper ore"]].reset_index()
    minerals.loc[1, ["percent_of_plan", "plan_t"]] = [100.0, minerals.loc[1, "delivered_t"]]  # zinc exactly at plan
    minerals.loc[2, "percent_of_plan"] = 99.9  # just under
    minerals.loc[0, "percent_of_plan"] = 100.1  # just over
    table = plan_fulfilment(minerals)
    assert table.commodity.tolist() == ["lead", "zinc", "copper ore"]
    assert table.status.tolist() == ["over plan", "at plan", "under plan"]
    assert table.excess_t.iloc[1] == 0
    # The statuses sort from worst to best, so a sorted table starts with what was still to deliver.
    assert list(table.status.cat.categories) == ["under plan", "at plan", "over plan"]
    assert table.sort_values("status").commodity.tolist() == ["copper ore", "zinc", "lead"]


def test_per_donor_of_a_table_you_give_it():
    aid = aidstats.load("aid_deliveries")
    poland = per_donor(aid[aid.donor_code == "POL"])
    assert poland.index.tolist() == ["POL"] and poland.at["POL", "tonnes"] == 2_100
    assert poland.at["POL", "share_of_bloc_tonnage"] == 1.0  # the only donor left


def test_per_donor_keeps_the_order_of_footnote_53_and_works_on_categories():
    # Footnote 53 first names China, then Poland, Hungary, Romania, Czechoslovakia and Bulgaria.
    donors = per_donor()
    assert donors.index.tolist() == ["CHN", "POL", "HUN", "ROU", "CSK", "BGR"]
    assert per_donor(by="sitc_section").loc["CHN"].index[0] == "3"  # coal comes first in China's list
    aid = aidstats.load("aid_deliveries")
    as_categories = aid.astype({"donor_code": "category", "donor": "category", "sitc_section": "category"})
    pd.testing.assert_frame_equal(per_donor(as_categories).reset_index().astype(str), donors.reset_index().astype(str))
    assert len(per_donor(as_categories, by="sitc_section")) == len(per_donor(by="sitc_section"))


def test_loss_summary_of_a_table_you_give_it_has_only_the_groups_in_it():
    railway = aidstats.load("railway_damage")
    # Seven kinds of buildings (count); rail lines (km), tunnels, bridges and pumping stations (count);
    # telephone/telegraph and electrical lines (km); three kinds of rolling stock (count).
    # In the table's order: track and structures starts with the rail lines (km), then tunnels and bridges (count).
    summary = loss_summary(railway)
    assert summary.index.tolist() == [
        ("buildings", "count"),
        ("track_and_structures", "km"),
        ("track_and_structures", "count"),
        ("communications_and_power", "km"),
        ("rolling_stock", "count"),
    ]
    assert summary.assets.tolist() == [7, 1, 3, 2, 3]
    assert summary.share_lost.dtype == railway.share_lost.dtype == np.float64
    only_rolling_stock = loss_summary(railway[railway.asset_group == "rolling_stock"])
    assert only_rolling_stock.index.tolist() == [("rolling_stock", "count")]


def test_unknown_by_message_in_full():
    with pytest.raises(ValueError) as err:
        loss_summary(by="unit")
    assert str(err.value) == "cannot group by='unit'; expected one of 'asset_group', 'asset'"


def test_implied_plan_on_nullable_floats_and_without_warnings():
    actual = pd.Series([0.84, None, 1.0, 1.0], dtype="Float64")
    percent = pd.Series([2.8, 3.0, None, 0.4], dtype="Float64")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # dividing by a lowest percentage of 0 must not warn either
        result = implied_plan(actual, percent)
        assert implied_plan(1, 0.5, decimals=0).high == np.inf and implied_plan(0, 0.5, decimals=0).high == np.inf
    assert result.high.iloc[0] == pytest.approx(84 / 2.75)
    assert pd.isna(result.high.iloc[1]) and pd.isna(result.high.iloc[2])
    # "0.4" has one decimal: 0.35 <= p < 0.45, so the plan of 1 t lies in (222.2, 285.7].
    assert (result.low.iloc[3], result.high.iloc[3]) == (pytest.approx(100 / 0.45), pytest.approx(100 / 0.35))


def test_per_donor_columns_in_the_documented_order():
    assert per_donor().columns.tolist() == ["donor", "lines", "tonnes", "metres", "items", "share_of_bloc_tonnage"]
    # Czechoslovakia sent only items, pairs, sets and units of penicillin: 0 tonnes and 0 metres, not missing values.
    assert per_donor().at["CSK", "tonnes"] == 0.0 and per_donor().at["CSK", "metres"] == 0.0


# ---------------------------------------------------------------------------------------------
# The small things of issue 22 ("Why" item 10): each of these failed before.


def test_implied_plan_is_the_exact_quotient_rounded_once():
    # 0.84 t at "2.8%": the plan is 84 / 2.8 = 30 t exactly (0.84 * 100 / 2.8 in floats gave 30.000000000000004).
    beryllium = implied_plan(0.84, 2.8)
    assert repr(beryllium.plan) == "30.0"
    # "2.8" stands for 2.75 <= p < 2.85: 84 / 2.85 = 8400 / 285 = 560 / 19, and 84 / 2.75 = 8400 / 275 = 336 / 11.
    # Python divides two integers with a single rounding, so these are the nearest floats to the true quotients.
    assert (beryllium.low, beryllium.high) == (560 / 19, 336 / 11)
    # Lead: 8,443 t at "120.4%": 844,300 / 120.4 = 8,443,000 / 1,204.
    assert implied_plan(8443, 120.4).plan == 8_443_000 / 1_204
    # 0.84 t of a plan of 30 t: 84 / 30 = 2.8 % (0.84 / 30 * 100 in floats is 2.8000000000000003).
    assert repr(percent_of_plan(0.84, 30)) == "2.8"
    assert percent_of_plan(np.array([0.84, 1.29]), np.array([30.0, 4.03125])).tolist() == [2.8, 32.0]  # 129 / 4.03125 = 32


def test_the_table_holds_the_exact_implied_plans():
    minerals = aidstats.load("mineral_exports").set_index("commodity")
    # The build uses implied_plan: beryllium's plan is 30 t, not 30.000000000000004.
    assert repr(float(minerals.at["beryllium concentrate", "plan_t"])) == "30.0"
    # Gold/silver ore, 5,346 t at "52.7%": the highest plan is 534,600 / 52.65 = 53,460,000 / 5,265.
    assert minerals.at["gold/silver ore", "plan_t_high"] == 53_460_000 / 5_265


def test_per_donor_keeps_each_donors_groups_together_in_the_tables_order():
    by_unit = per_donor(by="unit")
    donors = by_unit.index.get_level_values("donor_code").tolist()
    # Each donor's rows together (they were interleaved: CHN t, POL t, HUN t, ROU item, …), in footnote 53's order.
    assert list(dict.fromkeys(donors)) == ["CHN", "POL", "HUN", "ROU", "CSK", "BGR"]
    assert donors == sorted(donors, key=["CHN", "POL", "HUN", "ROU", "CSK", "BGR"].index)
    # Within a donor, its units in the order its lines first use them.  Romania's lines (seq): 13-17 and 30 items,
    # 31-32 tonnes, 33 metres, …, 70 a roll, 77 a pair.  Hungary's: 8-12 tonnes, 40 items, 50 a dozen, 52 kilograms,
    # 54 a dose, 56 metres.
    assert by_unit.loc["ROU"].index.tolist() == ["item", "t", "m", "roll", "pair"]
    assert by_unit.loc["HUN"].index.tolist() == ["t", "item", "dozen", "kg", "dose", "m"]
    # China's lines: 1-6 tonnes (coal is 1), 34-35 tonnes, 39 items (section 7), 60 (section 6), 82-84.
    assert per_donor(by="sitc_section").loc["CHN"].index.tolist()[:1] == ["3"]


def test_sums_of_whole_numbers_are_integers():
    donors = per_donor()
    # Every item count and every length is whole (2,000,000 dozen pencils are 24,000,000 items): integers.
    assert donors["items"].dtype == np.int64 and donors["metres"].dtype == np.int64
    # Poland: 22 locomotives, 15 cargo engines, 3 passenger locomotives, 80 switchboards, 5,500 telephones.
    assert repr(donors.at["POL", "items"]) in ("5620", "np.int64(5620)") and donors.at["POL", "items"] == 22 + 15 + 3 + 80 + 5_500
    # Hungary's 500 kg of ether are 0.5 t, so the tonnes of the whole table stay floats: 1,990 + 0.5 + 2 t.
    assert donors["tonnes"].dtype == np.float64 and donors.at["HUN", "tonnes"] == 1_990 + 0.5 + 2
    # Without Hungary every tonnage is whole: China 321,120, Poland 2,100, Romania 4,207, Czechoslovakia 0, Bulgaria 250.
    aid = aidstats.load("aid_deliveries")
    others = per_donor(aid[aid.donor_code != "HUN"])
    assert others["tonnes"].dtype == np.int64
    assert others["tonnes"].to_dict() == {"CHN": 321_120, "POL": 2_100, "ROU": 4_207, "CSK": 0, "BGR": 250}
    assert pd.api.types.is_integer_dtype(loss_summary()["lost"]) and pd.api.types.is_integer_dtype(loss_summary()["prewar_total"])


def test_loss_summary_by_asset_keeps_the_order_of_footnote_45():
    # It was alphabetical (bridges, cargo rail cars, …); footnote 45 lists the buildings first, then the track.
    by_asset = loss_summary(by="asset")
    assets = by_asset.index.get_level_values("asset").tolist()
    assert assets[:4] == ["factory buildings", "station buildings", "service premises", "warehouses"]
    assert assets[-3:] == ["locomotives", "first-class rail cars", "cargo rail cars"]
    assert assets == aidstats.load("railway_damage").asset.tolist()


def test_stata_value_labels_of_sitc_sections_carry_their_titles(tmp_path):
    from aidstats.loader import data_root
    from aidstats.publish.export import export

    export("stata", tmp_path, data_root())
    with pd.io.stata.StataReader(tmp_path / "aid_deliveries.dta") as reader:
        codes = reader.read(convert_categoricals=False)["sitc_section"]
        labels = reader.value_labels()["sitc_section"]
    # The titles of sitc_divisions (they were "0".."9"), each after its section, and the value is the section.
    assert labels[3] == "3 Mineral fuels, lubricants and related materials"
    assert labels[7] == "7 Machinery and transport equipment"
    assert len(labels) == 10
    aid = aidstats.load("aid_deliveries")
    assert codes.tolist() == aid["sitc_section"].astype(int).tolist()  # China's coal (seq 1) is 3
    with pd.io.stata.StataReader(tmp_path / "mineral_exports.dta") as reader:
        assert reader.value_labels()["sitc_section"][2] == "2 Crude materials, inedible, except fuels"
