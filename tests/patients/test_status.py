"""Pure status rules: ST-01 table, ST-02 attributes, ST-03 provisional, ST-04 sharing."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patients.status import (
    Attribute,
    Status,
    blocks_qualification,
    conflicting_attribute,
    derive_status,
    ins_shareable,
    parse_attribute,
)

ST01_TABLE = [
    (False, False, Status.PROV),
    (True, False, Status.RECUP),
    (False, True, Status.VALI),
    (True, True, Status.QUAL),
]
ALL_ATTRIBUTE_SETS = [
    set(combo) for n in range(len(Attribute) + 1) for combo in itertools.combinations(list(Attribute), n)
]


@pytest.mark.parametrize(("i", "c", "expected"), ST01_TABLE)
def test_st01_status_follows_i_and_c(i, c, expected):
    assert derive_status(ins_verified=i, document_checked=c, attributes=()) == expected


@pytest.mark.parametrize(("i", "c", "expected"), ST01_TABLE)
@pytest.mark.parametrize("attributes", ALL_ATTRIBUTE_SETS, ids=lambda a: "+".join(sorted(a)) or "none")
def test_st01_status_matches_the_table_for_every_combination(i, c, expected, attributes):
    status = derive_status(ins_verified=i, document_checked=c, attributes=attributes)
    if Attribute.DOUT in attributes or Attribute.FICT in attributes:
        assert status == Status.PROV  # RNIV ST-03
    else:
        assert status == expected


@given(i=st.booleans(), c=st.booleans(), attributes=st.sets(st.sampled_from(list(Attribute))))
def test_st01_derived_status_is_a_function_of_i_c_and_attributes(i, c, attributes):
    first = derive_status(ins_verified=i, document_checked=c, attributes=attributes)
    again = derive_status(ins_verified=i, document_checked=c, attributes=list(attributes))
    assert first == again
    expected = {(row[0], row[1]): row[2] for row in ST01_TABLE}[(i, c)]
    assert first == (Status.PROV if attributes & {Attribute.DOUT, Attribute.FICT} else expected)


def test_st02_dout_and_fict_exclude_each_other():
    assert conflicting_attribute({Attribute.FICT}, Attribute.DOUT) == Attribute.FICT
    assert conflicting_attribute({Attribute.DOUT}, Attribute.FICT) == Attribute.DOUT


def test_st02_dout_and_homonym_attributes_can_coexist():
    assert conflicting_attribute({Attribute.DOUT}, Attribute.HOMD) is None
    assert conflicting_attribute({Attribute.HOMA}, Attribute.DOUT) is None


def test_st02_ficti_from_hl7_v2_is_read_as_fict():
    assert parse_attribute("FICTI") == Attribute.FICT
    assert parse_attribute("fict") == Attribute.FICT
    with pytest.raises(ValueError):
        parse_attribute("XXXX")


@pytest.mark.parametrize("attribute", [Attribute.DOUT, Attribute.FICT])
def test_st03_doubtful_or_fictitious_blocks_qualification(attribute):
    assert blocks_qualification({attribute})
    assert not blocks_qualification({Attribute.HOMD, Attribute.HOMA})


@pytest.mark.parametrize("status", list(Status))
def test_st04_only_a_qualified_ins_is_shareable(status):
    assert ins_shareable(status) is (status == Status.QUAL)
