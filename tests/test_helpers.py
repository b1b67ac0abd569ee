"""Helpers against numbers computed by hand from the printed figures."""

from __future__ import annotations

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
    assert donors.loc["CSK", "items"] == pytest.approx(24_244_362)
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
