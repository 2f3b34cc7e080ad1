"""The scrubber of the masked profile: each personal value replaced everywhere in a text, longest first, exactly as
the plain loop over the values did (held equal to it on generated texts, overlapping values included), once per
distinct text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exports.package.mask import Scrubber, scrub_text


def _plain(text: str, values: dict[str, str]) -> str:
    """The loop the scrubber replaced: sort the values, search the text for each, longest first."""
    for raw in sorted(values, key=len, reverse=True):
        if raw in text:
            text = text.replace(raw, values[raw])
    return text


ALPHABET = "AB12路号*（）"  # few letters: values overlap and sit inside one another and inside texts


@settings(max_examples=400, deadline=None)
@given(
    values=st.dictionaries(
        st.text(ALPHABET, min_size=1, max_size=6), st.text(ALPHABET, max_size=6), max_size=6
    ),
    texts=st.lists(st.text(ALPHABET, max_size=24), max_size=8),
)
def test_the_same_text_as_the_plain_loop(values: dict[str, str], texts: list[str]) -> None:
    scrub = Scrubber(values)
    for text in texts + texts:  # the second time from what it remembered
        assert scrub(text) == _plain(text, values)
        assert scrub_text(text, values) == _plain(text, values)


def test_a_longer_value_is_hidden_whole_before_a_shorter_one_inside_it() -> None:
    values = {
        "上海市浦东新区张江路1号": "（已隐去）",
        "张江路1号": "（已隐去）",
        "13912345678": "139****5678",
    }
    scrub = Scrubber(values)
    assert scrub("住上海市浦东新区张江路1号，电话13912345678") == "住（已隐去），电话139****5678"
    # overlapping values: the longer hidden whole, not the leftmost first (which would leave 'DEF' in view)
    assert Scrubber({"BCDEF": "*", "ABC": "#"})("ABCDEF") == "A*"
    assert scrub("2026-11-20") == "2026-11-20"
    assert Scrubber({})("张江路1号") == "张江路1号"
