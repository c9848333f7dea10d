"""Small differential fuzzing in the suite (the large run: python -m tests.fuzz.differential)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.differential import check, check_formula, configs, formula_text, garbage


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(configs())
def test_engine_equals_numpy_on_random_configurations(config):
    check(config)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(formula_text(), garbage))
def test_random_formulas_never_crash_the_engine(text):
    check_formula(text)
