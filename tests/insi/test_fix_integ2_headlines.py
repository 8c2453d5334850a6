"""Every outcome an INSi action can end with has a headline for the screen (the INS_REFUSED 500 of issue 8/14)."""

import pytest

from insi.matching.outcome import Outcome
from insi.services.common import HEADLINES


@pytest.mark.parametrize("outcome", list(Outcome))
def test_fix14_every_comparison_outcome_has_a_french_headline(outcome):
    assert HEADLINES[str(outcome)]
