"""Record Ids: the contract's checksum vectors, canonical forms, minting."""

from __future__ import annotations

import pytest

from emulators.salesforce.org.ids import KEY_PREFIXES, checksum, custom_prefix, mint, normalise, to18

VECTORS = [
    ("a01M00000062mPg", "a01M00000062mPgIAI"),
    ("001M000000qfPyS", "001M000000qfPySIAU"),
    ("a0FE000000D6r3F", "a0FE000000D6r3FMAR"),
    ("0F9E000000092w2", "0F9E000000092w2KAA"),
    ("aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaAAA"),
    ("AbCdEfGhIjKlMnO", "AbCdEfGhIjKlMnOVKV"),
    ("aBcDEfgHIJKLMNO", "aBcDEfgHIJKLMNO025"),
    ("a0RE000000IJmcN", "a0RE000000IJmcNMAT"),
    ("a0D30000001n7Pi", "a0D30000001n7PiEAI"),
]
REAL_IDS = ["0018c00002FInboAAD", "0038c00002hMS4kAAG", "001D000000Kv3g5IAB", "0018a00001rBqb8AAC"]


@pytest.mark.parametrize(("short", "full"), VECTORS)
def test_contract_vectors(short: str, full: str) -> None:
    assert to18(short) == full


@pytest.mark.parametrize("real", REAL_IDS)
def test_real_ids_carry_their_own_checksum(real: str) -> None:
    assert checksum(real[:15]) == real[15:]


@pytest.mark.parametrize(("short", "full"), VECTORS)
def test_eighteen_char_ids_compare_case_insensitively(short: str, full: str) -> None:
    assert normalise(full.lower()) == full
    assert normalise(full.upper()) == full
    assert normalise(short) == full


MALFORMED = ["", "001", "001M000000qfPy", "001M000000qfPyS!", "001M000000qfPySIA", "x" * 19]


@pytest.mark.parametrize("bad", MALFORMED)
def test_malformed_ids_are_refused(bad: str) -> None:
    assert normalise(bad) is None


def test_minted_ids_have_prefix_valid_checksum_and_differ() -> None:
    minted = [mint(KEY_PREFIXES["Case"], sequence) for sequence in (1, 61, 62, 3844, 10**9)]
    assert len(set(minted)) == len(minted)
    for record_id in minted:
        assert len(record_id) == 18
        assert record_id.startswith("500")
        assert checksum(record_id[:15]) == record_id[15:]


def test_custom_prefixes_start_with_a_and_are_distinct() -> None:
    prefixes = [custom_prefix(index) for index in range(200)]
    assert all(prefix.startswith("a") and len(prefix) == 3 for prefix in prefixes)
    assert len(set(prefixes)) == 200
    assert not set(prefixes) & set(KEY_PREFIXES.values())
