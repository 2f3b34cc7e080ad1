"""The manifest read by orjson first (exports.package.verify._read_manifest): what it returns is what json.loads
returns, and it says the checksum holds only when manifest_checksum says so."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exports.package.manifest import manifest_checksum
from exports.package.verify import _read_manifest

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # past 64 bits too: orjson reads those as floats
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)
_bodies = st.dictionaries(st.text(max_size=8).filter(lambda k: k != "checksum"), _values, max_size=6)


def _raw(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 and 1.0 are equal, but not the same reading)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


@settings(max_examples=120, deadline=None)
@given(_bodies)
def test_a_manifest_with_its_checksum_reads_as_json_reads_it(body: dict[str, Any]) -> None:
    doc = {**body, "checksum": manifest_checksum(body)}
    raw = _raw(doc)
    got, checked = _read_manifest(raw)
    assert _same(got, json.loads(raw.decode("utf-8")))
    assert manifest_checksum(got) == got["checksum"], "the checksum holds"
    assert isinstance(checked, bool)


_plain = st.recursive(  # what a package's manifest holds: no floats, integers within 64 bits
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=80, deadline=None)
@given(st.dictionaries(st.text(max_size=8).filter(lambda k: k != "checksum"), _plain, max_size=6))
def test_what_a_manifest_holds_is_checked_on_the_fast_path(body: dict[str, Any]) -> None:
    doc = {**body, "checksum": manifest_checksum(body)}
    got, checked = _read_manifest(_raw(doc))
    assert checked and _same(got, doc)


@settings(max_examples=80, deadline=None)
@given(_bodies, st.text(min_size=1, max_size=8))
def test_a_changed_manifest_is_never_taken_as_checked(body: dict[str, Any], extra: str) -> None:
    doc = {**body, "checksum": manifest_checksum(body), "zz-added": extra}
    got, checked = _read_manifest(_raw(doc))
    assert not checked
    assert _same(got, json.loads(_raw(doc).decode("utf-8")))
    assert manifest_checksum(got) != got["checksum"]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"\xef\xbb\xbf{}",
        b"\xff\xfe",
        b'{"checksum": NaN}',
        b'{"a": "\\ud800", "checksum": "x"}',
        b"[1, 2]",
        b'{"checksum": 5}',
    ],
)
def test_what_orjson_refuses_is_read_or_refused_as_json_would(raw: bytes) -> None:
    try:
        want: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        with pytest.raises(type(e) if isinstance(e, UnicodeDecodeError) else ValueError):
            _read_manifest(raw)
        return
    got, checked = _read_manifest(raw)
    assert not checked
    assert _same(got, want)
