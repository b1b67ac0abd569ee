"""The argument contract of the public helpers (issue 22, "Why" item 6 and "What to build" item 2).

Every wrong argument of ``per_donor``, ``plan_fulfilment``, ``loss_summary``,
``implied_plan``, ``percent_of_plan`` and the chart functions is refused with
a ``TypeError`` or ``ValueError`` (never an error from inside pandas or NumPy)
whose message names the argument, shows what was given and says what is
expected.  The examples of the issue come first, as they were reported; then
hypothesis tries every kind of wrong argument in every place.
"""

from __future__ import annotations

import datetime
import decimal
import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import aidstats
from aidstats import implied_plan, load, loss_summary, per_donor, percent_of_plan, plan_fulfilment
from aidstats.summaries import LOSS_SUMMARY_BY, PER_DONOR_BY

TABLES = aidstats.list_tables()
# Loading a table per example would be slow; each test gets its own copy to change.
_load = functools.cache(load)


def table(name: str) -> pd.DataFrame:
    return _load(name).copy()


# The table each summary takes, and the name of its argument.
SUMMARIES = {
    "per_donor": (per_donor, "aid", "aid_deliveries"),
    "plan_fulfilment": (plan_fulfilment, "minerals", "mineral_exports"),
    "loss_summary": (loss_summary, "railway", "railway_damage"),
}
# The columns each reads (loss_summary's by default), as their docstrings list them.
READS = {
    "per_donor": ["donor_code", "donor", "quantity_base", "base_unit", "implausible_reason"],
    "plan_fulfilment": ["commodity", "delivered_t", "percent_of_plan", "plan_t", "plan_t_low", "plan_t_high", "sitc_division"],
    "loss_summary": ["asset_group", "unit", "lost", "prewar_total"],
}
NUMBERS = "a number, or an array, list or Series of numbers"
# Hypothesis: pandas work is slower than hypothesis's default deadline on a loaded machine.
contract = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refused(call, name: str, shown: str | None = None) -> Exception:
    """The error of ``call()``: a TypeError or ValueError (not a subclass from pandas or NumPy) naming ``name``."""
    with pytest.raises((TypeError, ValueError)) as caught:
        call()
    error = caught.value
    assert type(error) in (TypeError, ValueError), f"{type(error).__module__}.{type(error).__name__}: {error}"
    message = str(error)
    # "actual must be …; got …", "actual and percent must have … ; actual has …" or "cannot group by=…; expected …".
    assert message.startswith((f"{name} must be", f"{name} and ", f"{name}, ", f"cannot group {name}=")), message
    assert " must " in message or "; expected " in message, f"the message does not say what is expected: {message}"
    assert "; got " in message or f"; {name} has " in message or f"{name}=" in message, (
        f"the message does not say what was given: {message}"
    )
    if shown is not None:
        assert shown in message, message
    return error


# ---------------------------------------------------------------------------------------------
# The examples of issue 22, "Why" item 6, each as reported (each failed inside pandas or NumPy,
# or was accepted silently, before the contract).


def test_per_donor_include_implausible_no_is_refused_not_read_as_true():
    # Was: TypeError "Cannot perform 'or_' with a dtyped [bool] array and scalar of type [bool]".
    error = refused(lambda: per_donor(include_implausible="no"), "include_implausible", "'no' (str)")
    assert type(error) is TypeError and str(error) == "include_implausible must be True or False; got 'no' (str)"


def test_per_donor_of_a_table_name_says_to_load_it():
    # Was: TypeError "string indices must be integers".
    error = refused(lambda: per_donor("aid_deliveries"), "aid", "'aid_deliveries'")
    assert type(error) is TypeError and "aidstats.load('aid_deliveries')" in str(error)


def test_plan_fulfilment_of_a_table_name_says_to_load_it():
    # Was: TypeError "Index(...) must be called with a collection of some kind".
    error = refused(lambda: plan_fulfilment("mineral_exports"), "minerals", "'mineral_exports'")
    assert type(error) is TypeError and "aidstats.load('mineral_exports')" in str(error)


def test_per_donor_of_another_table_names_it_and_the_columns_it_lacks():
    # Was: KeyError 'implausible_reason'.
    error = refused(lambda: per_donor(load("mineral_exports")), "aid", "the 'mineral_exports' table")
    assert type(error) is ValueError
    assert str(error).startswith("aid must be the aid_deliveries table; got the 'mineral_exports' table, without its columns")
    for column in ["donor_code", "donor", "quantity_base", "base_unit", "implausible_reason"]:
        assert repr(column) in str(error)


@pytest.mark.parametrize(("actual", "shown"), [("100", "'100' (str)"), (None, "got None")])
def test_implied_plan_of_a_string_or_none_names_actual(actual, shown):
    # Was: numpy's "ufunc 'divide' not supported for the input types" and "unsupported operand type(s) for *".
    error = refused(lambda: implied_plan(actual, 50), "actual", shown)
    assert type(error) is TypeError and f"actual must be {NUMBERS}" in str(error)


def test_implied_plan_of_none_says_how_to_give_a_missing_value():
    with pytest.raises(TypeError, match=r"a missing value is float\('nan'\)$"):
        implied_plan(None, 50)


def test_implied_plan_of_two_series_with_different_indexes():
    # Was: IndexError "Boolean index has wrong length: 2 instead of 4".
    actual, percent = pd.Series([0.84, 1.29]), pd.Series([2.8, 32.0], index=[5, 6])
    error = refused(lambda: implied_plan(actual, percent), "actual")
    assert type(error) is ValueError
    assert str(error) == (
        "actual and percent must be Series with the same index, in the same order; actual has index [0, 1], percent [5, 6]"
    )


def test_percent_of_plan_of_two_series_with_different_indexes():
    # Was: a Series of four NaNs, indexed 0, 1, 5, 6 (pandas aligned the two indexes).
    error = refused(lambda: percent_of_plan(pd.Series([1.0, 2.0]), pd.Series([3.0, 4.0], index=[5, 6])), "actual")
    assert type(error) is ValueError and "actual has index [0, 1], plan [5, 6]" in str(error)


def test_implied_plan_decimals_as_a_string_is_refused():
    # Was accepted silently: the "1" was read as one decimal.
    error = refused(lambda: implied_plan(1, 50, decimals="1"), "decimals", "'1' (str)")
    assert type(error) is TypeError and "a whole number of 0 or more" in str(error)


def test_implied_plan_of_a_boolean_amount_is_refused():
    # Was accepted silently: True counted as 1 t.
    error = refused(lambda: implied_plan(True, 50), "actual", "True (bool)")
    assert type(error) is TypeError


# ---------------------------------------------------------------------------------------------
# Every kind of wrong argument, in every place (hypothesis).

# Scalars that are not numbers; inside a list, None and pandas' NA are missing values, the rest are wrong.
not_numbers_in_a_list = st.one_of(
    st.booleans(),
    st.text(max_size=8),
    st.complex_numbers(allow_nan=False, allow_infinity=False).filter(lambda z: z.imag != 0),
    st.dates(),
    st.binary(max_size=4),
    st.just(np.True_),
)
not_numbers = st.one_of(
    not_numbers_in_a_list,
    st.none(),
    st.just(pd.NA),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sets(st.integers(), max_size=2),
    st.lists(st.floats(0, 10), min_size=1, max_size=4)
    .flatmap(lambda values: st.tuples(st.just(values), not_numbers_in_a_list, st.integers(0, len(values))))
    .map(lambda t: [*t[0][: t[2]], t[1], *t[0][t[2] :]]),  # a list of numbers with one wrong element
    hnp.arrays(bool, st.integers(1, 4)),
    hnp.arrays("U3", st.integers(1, 4)),
    hnp.arrays(complex, st.integers(1, 4)),
    st.lists(st.booleans(), min_size=1, max_size=4).map(pd.Series),
    st.lists(st.text(max_size=3), min_size=1, max_size=4).map(lambda values: pd.Series(values, dtype="string")),
    st.lists(st.sampled_from(["a", "b"]), min_size=1, max_size=4).map(lambda values: pd.Series(values, dtype="category")),
    st.sampled_from(TABLES).map(table),
    st.builds(lambda: datetime.datetime(1951, 8, 31)),
)
good_amounts = st.one_of(st.integers(0, 10**6), st.floats(0, 1e6))
good_percents = st.one_of(st.integers(1, 200), st.floats(0.1, 200))


@contract
@given(st.sampled_from(["actual", "percent", "decimals"]), not_numbers)
def test_implied_plan_refuses_anything_but_numbers_naming_the_argument(place, wrong):
    if place == "decimals" and wrong is None:
        return  # decimals=None is the default: read them from the percentage
    arguments = {"actual": 8443, "percent": 120.4, "decimals": 1, place: wrong}
    error = refused(lambda: implied_plan(**arguments), place)
    assert type(error) is TypeError


@contract
@given(st.sampled_from(["actual", "plan"]), not_numbers)
def test_percent_of_plan_refuses_anything_but_numbers_naming_the_argument(place, wrong):
    arguments = {"actual": 8443, "plan": 7012.458, place: wrong}
    error = refused(lambda: percent_of_plan(**arguments), place)
    assert type(error) is TypeError


@contract
@given(st.integers(1, 6), st.integers(1, 6), st.integers(-3, 3), st.booleans())
def test_series_and_arrays_that_do_not_line_up_are_refused_naming_both(n, m, shift, as_series):
    # n values against m values, indexed 0..n-1 and shift..shift+m-1: refused unless they are the same.
    if (n, shift) == (m, 0):
        shift = 1
    if as_series:
        actual = pd.Series(np.ones(n))
        percent = pd.Series(np.full(m, 50.0), index=range(shift, shift + m))
    else:
        actual, percent = np.ones(n), np.full(m if m != n else n + 1, 50.0)
    for call, second in [(lambda: implied_plan(actual, percent), "percent"), (lambda: percent_of_plan(actual, percent), "plan")]:
        error = refused(call, "actual")
        assert type(error) is ValueError and f"actual and {second} must" in str(error)


def test_decimals_must_line_up_too():
    actual = pd.Series([0.84, 1.29], index=[7, 8])
    with pytest.raises(ValueError, match=r"^actual, percent and decimals must have the same shape"):
        implied_plan(actual, actual * 10, decimals=[1, 1, 1])
    with pytest.raises(ValueError, match=r"^actual and decimals must be Series with the same index"):
        implied_plan(actual, 32.0, decimals=pd.Series([1, 1]))


def test_numbers_too_large_for_a_float_and_ragged_lists():
    with pytest.raises(ValueError, match=r"^actual must be .*; got 1000000\d*… \(int\), too large for a float$"):
        implied_plan(10**400, 50)
    with pytest.raises(ValueError, match=r"^decimals must be .*too large for a float$"):
        implied_plan(1, 50, decimals=[10**400])
    with pytest.raises(ValueError, match=r"^plan must be .*; got \[\[1, 2\], \[3\]\] \(list\), whose lists differ in length$"):
        percent_of_plan([[1, 2], [3, 4]], [[1, 2], [3]])


@contract
@given(
    st.one_of(
        st.integers(0, 10**6),
        st.floats(0, 1e6),
        st.lists(st.one_of(st.floats(0, 1e6), st.none()), min_size=1, max_size=4),
        hnp.arrays(st.sampled_from([np.int64, np.uint8, np.float32, np.float64]), st.just(3), elements=st.integers(0, 100)),
        hnp.arrays(float, st.just(3), elements=st.floats(0, 1e6)).map(lambda a: pd.Series(a, index=[4, 5, 6])),
        hnp.arrays(float, st.just(3), elements=st.floats(0, 1e6)).map(pd.Index),
        st.lists(st.one_of(st.floats(0, 1e6), st.none()), min_size=3, max_size=3).map(lambda values: pd.array(values, dtype="Float64")),
        st.lists(st.one_of(st.integers(0, 100), st.none()), min_size=3, max_size=3).map(
            lambda values: pd.Series(values, index=[4, 5, 6], dtype="Int64")
        ),
        st.lists(st.integers(0, 100), min_size=3, max_size=3).map(lambda values: pd.Series(values, index=[4, 5, 6], dtype=object)),
    )
)
def test_every_kind_of_number_is_accepted(actual):
    # The other argument is a single number, so any shape of actual lines up with it.
    result = implied_plan(actual, 50)
    assert np.shape(result.plan) == np.shape(actual)
    percent = percent_of_plan(actual, 50)
    if isinstance(actual, pd.Series):
        assert percent.index.equals(actual.index) and result.plan.index.equals(actual.index)


@contract
@given(st.sampled_from(sorted(SUMMARIES)), st.data())
def test_summaries_refuse_anything_but_their_table_naming_the_argument(function, data):
    call, name, own = SUMMARIES[function]
    wrong = data.draw(
        st.one_of(
            st.integers(),
            st.floats(),
            st.booleans(),
            st.text(max_size=20),
            st.sampled_from(TABLES),  # a table's name where the table goes
            st.lists(st.integers(), max_size=3),
            st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            hnp.arrays(float, st.integers(0, 3)),
            st.lists(st.floats(), max_size=3).map(pd.Series),
            st.sampled_from([t for t in TABLES if t != own]).map(table),  # a frame of another table
            st.sampled_from(READS[function]).map(lambda column: table(own).drop(columns=column)),  # its own table, less a column it reads
        ),
        label=name,
    )
    error = refused(lambda: call(wrong), name)
    assert f"the {own} table" in str(error)


@pytest.mark.parametrize(
    ("function", "column"), [("per_donor", "quantity_base"), ("plan_fulfilment", "percent_of_plan"), ("loss_summary", "lost")]
)
def test_a_column_of_numbers_given_as_text_is_refused(function, column):
    call, name, own = SUMMARIES[function]
    frame = table(own).astype({column: "string"})
    error = refused(lambda: call(frame), name, f"column {column!r} holds string, not numbers")
    assert type(error) is TypeError


def test_a_table_missing_the_column_to_group_by_names_it():
    aid = table("aid_deliveries").drop(columns="sitc_division")
    with pytest.raises(
        ValueError, match=r"^aid must be the aid_deliveries table; got the 'aid_deliveries' table, without its columns 'sitc_division'$"
    ):
        per_donor(aid, by="sitc_division")
    assert len(per_donor(aid, by="unit")) == len(per_donor(by="unit"))  # other groupings do not need it


@contract
@given(st.sampled_from(["per_donor", "loss_summary"]), st.data())
def test_by_must_be_one_of_the_columns_named(function, data):
    call, accepted = {"per_donor": (per_donor, PER_DONOR_BY), "loss_summary": (loss_summary, LOSS_SUMMARY_BY)}[function]
    wrong = data.draw(
        st.one_of(
            st.text(max_size=12).filter(lambda text: text not in accepted),
            st.integers(),
            st.floats(),
            st.booleans(),
            st.lists(st.sampled_from(accepted), max_size=2),
            st.sampled_from(TABLES).map(table),
            hnp.arrays("U3", st.integers(1, 3)),
            st.none() if function == "loss_summary" else st.nothing(),
        ),
        label="by",
    )
    error = refused(lambda: call(by=wrong), "by")
    assert type(error) is (ValueError if isinstance(wrong, str) else TypeError)
    for column in accepted:
        assert repr(column) in str(error)


not_booleans = st.one_of(
    st.text(max_size=5),
    st.integers(),
    st.floats(),
    st.none(),
    st.lists(st.booleans(), max_size=2),
    hnp.arrays(bool, st.integers(0, 3)),
    st.lists(st.booleans(), max_size=3).map(lambda values: pd.Series(values, dtype=bool)),
    st.just(pd.NA),
)


@contract
@given(not_booleans)
def test_include_implausible_must_be_true_or_false(wrong):
    error = refused(lambda: per_donor(include_implausible=wrong), "include_implausible")
    assert type(error) is TypeError and str(error).startswith("include_implausible must be True or False; got ")


@pytest.mark.parametrize("flag", [True, False, np.True_, np.False_])
def test_include_implausible_of_numpy_booleans(flag):
    # China's 1,250,000 t of handicraft equipment is added only when the flag is true: 321,120 t without it.
    assert per_donor(include_implausible=flag).at["CHN", "tonnes"] == 321_120 + 1_250_000 * bool(flag)


@contract
@given(not_booleans)
def test_the_chart_of_aid_by_donor_checks_its_flag_before_reading_anything(wrong):
    from aidstats.web.figures import aid_by_donor

    # A source that is not a package: had the flag not been checked first, reading it would fail instead.
    error = refused(lambda: aid_by_donor(include_implausible=wrong, source="/nonexistent"), "include_implausible")
    assert type(error) is TypeError


def test_decimal_places_of_the_amount_are_refused_as_a_decimal_type():
    # decimal.Decimal is not a float: refused by name, not converted with a loss the caller did not ask for.
    error = refused(lambda: implied_plan(decimal.Decimal("0.84"), 2.8), "actual", "Decimal('0.84') (Decimal)")
    assert type(error) is TypeError


@contract
@given(
    st.sampled_from(["railway_losses", "plan_fulfilment", "aid_by_donor", "donor_composition"]),
    st.one_of(
        st.integers(),
        st.floats(),
        st.booleans(),
        st.lists(st.text(max_size=3), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
        st.sampled_from(TABLES).map(table),
        hnp.arrays(float, st.integers(0, 3)),
    ),
)
def test_every_chart_refuses_a_source_that_is_no_kind_of_package(chart, wrong):
    # The source is checked by the loader (aidstats.loader.package_root), the one place every reader of a package goes through.
    from aidstats.web.figures import CHARTS

    with pytest.raises((TypeError, ValueError)) as caught:
        CHARTS[chart].make(source=wrong)
    assert type(caught.value) in (TypeError, ValueError) and "source" in str(caught.value), caught.value


def test_lists_of_lists_are_arrays_of_two_dimensions():
    # 84 / 2.8 = 30 and 129 / 32 = 4.03125; "2.8" has one decimal (2.75 <= p < 2.85), "32" none (31.5 <= p < 32.5).
    result = implied_plan([[0.84, 1.29]], [[2.8, 32]])
    assert result.plan.tolist() == [[30.0, 4.03125]]
    assert result.low.tolist() == [[560 / 19, 129 / 32.5]]  # 84 / 2.85 = 560 / 19
    assert result.high.tolist() == [[336 / 11, 129 / 31.5]]  # 84 / 2.75 = 336 / 11


# ---------------------------------------------------------------------------------------------
# The functions that take a package or a path: load, list_tables, download, diff_packages.

# Neither None, a str nor a path: what no source, name, URL or folder can be.
not_paths = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.binary(max_size=4),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.sampled_from(TABLES).map(table),
)
not_booleans_here = st.one_of(st.none(), st.integers(), st.text(max_size=4), st.floats(allow_nan=True))
not_timeouts = st.one_of(
    st.booleans(), st.none(), st.text(max_size=4), st.integers(max_value=0), st.floats(max_value=0), st.just(float("nan"))
)


@contract
@given(not_paths)
def test_load_and_list_tables_refuse_a_source_that_is_no_kind_of_package(wrong):
    refused(lambda: load("aid_deliveries", source=wrong), "source")
    refused(lambda: aidstats.list_tables(wrong), "source")


@contract
@given(st.one_of(not_paths, st.none()))
def test_load_refuses_a_table_name_that_is_not_text(wrong):
    error = refused(lambda: load(wrong), "name")
    assert type(error) is TypeError


@contract
@given(st.sampled_from(["old", "new"]), not_paths)
def test_diff_packages_names_the_side_that_is_no_kind_of_package(side, wrong):
    from aidstats.remote.diff import diff_packages

    arguments = {"old": None, "new": None, side: wrong}
    refused(lambda: diff_packages(**arguments), side)


@contract
@given(st.data())
def test_download_checks_each_argument_before_any_network(data):
    # 127.0.0.1:9 is never asked: a wrong argument is refused first, so the failure names the argument.
    place = data.draw(st.sampled_from(["url", "dest", "force", "timeout"]))
    wrong = data.draw({"url": not_paths, "dest": not_paths, "force": not_booleans_here, "timeout": not_timeouts}[place])
    arguments = {"url": "http://127.0.0.1:9/datapackage.json", place: wrong}
    refused(lambda: aidstats.download(**arguments), place)
