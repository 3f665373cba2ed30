import hashlib

from emulators.stames_api.content import BLOCK_SIZE, generated_bytes, generated_sha256


def test_ranges_concatenate_to_the_whole_file():
    size = BLOCK_SIZE * 2 + 12345
    whole = b"".join(generated_bytes(size, seed=7))
    assert len(whole) == size
    start, end = BLOCK_SIZE - 10, BLOCK_SIZE * 2 + 5
    assert b"".join(generated_bytes(size, 7, start, end)) == whole[start:end]
    assert generated_sha256(size, 7) == hashlib.sha256(whole).hexdigest()


def test_seed_changes_the_bytes():
    assert b"".join(generated_bytes(100, 1)) != b"".join(generated_bytes(100, 2))
