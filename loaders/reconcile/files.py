"""File digests as the org computes them: ContentVersion.Checksum is the MD5 hex of the bytes
[CONTRACT], so the bytes in the work folder are hashed the same way."""

from __future__ import annotations

import hashlib
from pathlib import Path

READ_CHUNK = 1 << 20


def file_md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
