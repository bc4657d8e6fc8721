"""statuslist.py: the bits, their encoding, and the one decoder every reader uses (the verifier,
doctor through it, the tests), bounded by the inflation cap."""

from __future__ import annotations

import base64
import gzip

import pytest

from credpub import rules
from credpub.credentials import statuslist


def _bits(*set_at: int, size: int = statuslist.LIST_SIZE) -> bytearray:
    bits = statuslist.new_bits(size)
    for i in set_at:
        statuslist.set_bit(bits, i)
    return bits


def test_what_is_encoded_decodes_to_the_same_bits():
    bits = _bits(0, 7, 8, statuslist.LIST_SIZE - 1)
    encoded = statuslist.encode(bits)
    assert encoded.startswith("uH4sI")  # multibase base64url of a gzip stream
    assert statuslist.decode(encoded) == bits
    assert [i for i in (0, 1, 7, 8, 9, statuslist.LIST_SIZE - 1) if statuslist.get_bit(bits, i)] == [0, 7, 8, statuslist.LIST_SIZE - 1]


def test_status_list_2021_plain_base64url_decodes_too():
    bits = _bits(5, size=16 * 1024 * 8)
    plain = base64.urlsafe_b64encode(gzip.compress(bytes(bits))).decode().rstrip("=")
    assert statuslist.decode(plain) == bits
    assert statuslist.decode("u" + plain) == bits


@pytest.mark.parametrize(("encoded", "error", "words"), [
    (None, ValueError, "has no encodedList"),
    ("", ValueError, "has no encodedList"),
    (["uH4sI"], ValueError, "has no encodedList"),
    ("x", ValueError, "not base64url-encoded"),
    ("u!!!", ValueError, "not base64url-encoded"),
    ("AAAA", rules.InputRefused, "corrupt"),
    ("u" + base64.urlsafe_b64encode(gzip.compress(b"\0" * 64)[:-6]).decode(), rules.InputRefused, "truncated"),
])
def test_what_cannot_be_read_says_why(encoded, error, words):
    with pytest.raises(error, match=words):
        statuslist.decode(encoded)


def test_the_decoder_stops_at_the_inflation_cap():
    bomb = statuslist.encode(bytes(rules.MAX_INFLATE + 1))
    with pytest.raises(rules.InputRefused, match="more than 4 MB"):
        statuslist.decode(bomb)
    assert len(statuslist.decode(statuslist.encode(bytes(rules.MAX_INFLATE)))) == rules.MAX_INFLATE


def test_an_index_outside_the_list_is_an_error_not_a_guess():
    with pytest.raises(IndexError, match="outside the list of 16 entries"):
        statuslist.get_bit(bytes(2), 16)
    with pytest.raises(IndexError):
        statuslist.get_bit(bytes(2), -1)
