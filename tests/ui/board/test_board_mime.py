"""Case ids in drag-and-drop data: round trip, and foreign or forged payloads refused."""

from __future__ import annotations

import pytest

from ui.board.board_mime import MAX_CASE_IDS, decode_case_ids, encode_case_ids


def test_case_ids_round_trip_in_order_without_repeats() -> None:
    assert decode_case_ids(encode_case_ids([12, 7, 12, 4711])) == (12, 7, 4711)
    assert encode_case_ids([3, 1]) == b"3,1"


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b",",
        b"1,,2",
        b"1,2,",
        b"0",
        b"-3",
        b"007",
        b" 1",
        b"1;2",
        b"1,1",
        b"12abc",
        "١٢".encode(),  # Arabic-Indic digits pass str.isdigit but are not ours
        b"9" * 20,
        b"text/uri-list file:///etc/passwd",
        b"\xff\xfe",
    ],
)
def test_malformed_payloads_decode_to_nothing(payload: bytes) -> None:
    assert decode_case_ids(payload) == ()


def test_too_many_ids_are_refused() -> None:
    payload = ",".join(str(case_id) for case_id in range(1, MAX_CASE_IDS + 2)).encode()
    assert decode_case_ids(payload) == ()


def test_not_bytes_decodes_to_nothing() -> None:
    assert decode_case_ids("1,2") == ()  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [0, -1, True, "4", 2**63])
def test_encoding_something_that_is_not_a_case_id_is_a_bug(bad: object) -> None:
    with pytest.raises(ValueError, match="not a case id"):
        encode_case_ids([1, bad])  # type: ignore[list-item]
