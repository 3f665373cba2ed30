"""Per-chunk checks: which records of one DML chunk repeat an external id, and how many type chunks
a mixed-object call makes."""

from __future__ import annotations

from emulators.salesforce.org.chunks import repeated_keys, type_chunks


def test_repeats_are_found_case_insensitively_by_default() -> None:
    assert repeated_keys(["A-1", "B-1", "a-1", "C-1"], case_sensitive=False) == {0, 2}


def test_case_sensitive_fields_keep_differently_cased_keys_apart() -> None:
    assert repeated_keys(["A-1", "a-1", "A-1"], case_sensitive=True) == {0, 2}


def test_empty_and_missing_keys_are_not_repeats() -> None:
    assert repeated_keys(["", None, "", None, "X"], case_sensitive=False) == set()


def test_type_chunks_follow_the_documented_example() -> None:
    # {account1, account2, contact1, account3} is processed in three chunks
    assert type_chunks(["Account", "Account", "Contact", "Account"]) == 3


def test_type_chunks_compare_object_names_case_insensitively() -> None:
    assert type_chunks(["Account", "account", "ACCOUNT"]) == 1


def test_no_records_make_no_chunk() -> None:
    assert type_chunks([]) == 0
