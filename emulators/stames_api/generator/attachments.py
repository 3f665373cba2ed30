"""Attachment metadata and bytes: small files on disk, everything else a generate spec.

The sha256 written is always the sha256 of the bytes the server will serve: hashed from the file
written, or from `emulators.stames_api.content` for generate specs. Big files (25-35 MB) come from
a small pool of specs, hashed once each, which also models one file attached to many tickets.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulators.stames_api.content import generated_sha256
from emulators.stames_api.generator import profile
from emulators.stames_api.generator.catalog import MESSAGING_CHANNELS, Record
from emulators.stames_api.generator.seeding import rng_for

# (extension, content type, magic prefix for small files written to disk)
_FILE_KINDS: tuple[tuple[str, str, bytes], ...] = (
    (".jpg", "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    (".png", "image/png", b"\x89PNG\r\n\x1a\n"),
    (".pdf", "application/pdf", b"%PDF-1.4\n"),
    (".txt", "text/plain", b""),
    (".csv", "text/csv", b""),
    (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK\x03\x04"),
    (".mp4", "video/mp4", b"\x00\x00\x00\x18ftypmp42"),
    (".ogg", "audio/ogg", b"OggS"),
)
_EMAIL_WEIGHTS = (20, 25, 30, 8, 5, 10, 1, 1)
_MESSAGING_WEIGHTS = (55, 15, 5, 1, 0, 1, 13, 10)
_BASE_NAMES: tuple[str, ...] = (
    "IMG_2024-05-01",
    "factura",
    "invoice",
    "screenshot",
    "foto",
    "ticket_compra",
    "log",
    "Scan 0042",
    "albarán",
    "Rechnung",
    "recibo",
    "WhatsApp Image 2024-03-02 at 10.15.22",
    "captura de pantalla",
)
HOSTILE_NAMES: tuple[str, ...] = (
    "../../x",
    "..\\..\\windows\\system32\\x.dll",
    "CON",
    "NUL.txt",
    "invoice\u202efdp.exe",
    "a" * 260 + ".pdf",
    "report:2024.pdf",
    "no_extension",
    "   .pdf",
    "Factura*Marzo?.pdf",
)


@dataclass
class _Content:
    file_name: str
    content_type: str
    size: int
    sha256: str
    content: dict[str, Any]


@dataclass
class AttachmentFactory:
    """Makes attachments one by one; remembers only a short window of recent ones for reuse."""

    seed: int
    dataset_dir: Path
    next_id: int = profile.FIRST_ATTACHMENT_ID
    _big_pool: dict[int, _Content] = field(default_factory=dict)
    _recent: deque[_Content] = field(default_factory=lambda: deque(maxlen=64))
    _hostile_used: int = 0

    def make(
        self, rng: random.Random, *, ticket_id: int, message_id: int, channel_type: str, inline: bool = False
    ) -> Record:
        """One attachment record, with the server-side `content` spec unless its bytes were purged."""
        attachment_id = self.next_id
        self.next_id += 1
        draw = 1.0 if inline else rng.random()  # inline images are always fresh, small pictures
        if draw < profile.ATTACHMENT_BIG:
            content = self._big(rng.randrange(profile.BIG_FILE_POOL))
        elif draw < profile.ATTACHMENT_BIG + profile.ATTACHMENT_ZERO_BYTE:
            content = self._small(rng, attachment_id, channel_type, size=0)
        elif (
            draw < profile.ATTACHMENT_BIG + profile.ATTACHMENT_ZERO_BYTE + profile.ATTACHMENT_REUSED
            and self._recent
        ):
            content = rng.choice(self._recent)
        else:
            content = self._fresh(rng, attachment_id, channel_type, inline)
        self._recent.append(content)
        file_name, content_type = content.file_name, content.content_type
        if rng.random() < profile.ATTACHMENT_HOSTILE_NAME:
            file_name = HOSTILE_NAMES[self._hostile_used % len(HOSTILE_NAMES)]  # in turn: each one shows up
            self._hostile_used += 1
        elif content_type == "application/pdf" and rng.random() < 0.05:
            content_type = "application/octet-stream"
        status = "available"
        status_draw = rng.random()
        if status_draw < profile.ATTACHMENT_PURGED:
            status = "purged"
        elif status_draw < profile.ATTACHMENT_PURGED + profile.ATTACHMENT_QUARANTINED:
            status = "quarantined"
        record: Record = {
            "id": attachment_id,
            "message_id": message_id,
            "ticket_id": ticket_id,
            "file_name": file_name,
            "content_type": content_type,
            "size": content.size,
            "inline": inline,
            "content_id": f"img{attachment_id}@acme.example" if inline else None,
            "sha256": content.sha256,
            "status": status,
        }
        if status != "purged":  # purged bytes are gone; the metadata keeps the original size and hash
            record["content"] = content.content
        return record

    def _fresh(self, rng: random.Random, attachment_id: int, channel_type: str, inline: bool) -> _Content:
        size = int(math.exp(rng.uniform(math.log(256), math.log(1 << 20))))
        if inline:
            size = min(size, 200_000)
        if size <= profile.SMALL_FILE_MAX_BYTES:
            return self._small(rng, attachment_id, channel_type, size)
        extension, content_type, _magic = self._kind(rng, channel_type, inline)
        spec_seed = self.seed * 10_000_000 + attachment_id
        return _Content(
            file_name=self._name(rng, extension),
            content_type=content_type,
            size=size,
            sha256=generated_sha256(size, spec_seed),
            content={"generate": {"size": size, "seed": spec_seed}},
        )

    def _small(self, rng: random.Random, attachment_id: int, channel_type: str, size: int) -> _Content:
        extension, content_type, magic = self._kind(rng, channel_type, inline=False)
        if size == 0:
            data = b""
        elif content_type.startswith("text/"):
            line = f"{attachment_id};serial;SN-{rng.randrange(16**6):06X};ok\n".encode()
            data = (line * (size // len(line) + 1))[:size]
        else:
            data = (magic + rng.randbytes(size))[:size]
        relative = f"files/att_{attachment_id}{extension}"
        (self.dataset_dir / relative).write_bytes(data)
        return _Content(
            file_name=self._name(rng, extension),
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content={"file": relative},
        )

    def _big(self, slot: int) -> _Content:
        """Pool slot -> a 25-35 MB generate spec, hashed the first time it is used."""
        if slot not in self._big_pool:
            rng = rng_for(self.seed, "big-file", slot)
            size = rng.randrange(25 * 1024 * 1024, 35 * 1024 * 1024)
            spec_seed = self.seed * 1000 + slot
            extension, content_type = rng.choice(((".mp4", "video/mp4"), (".pdf", "application/pdf")))
            self._big_pool[slot] = _Content(
                file_name=f"{rng.choice(('VID', 'manual', 'backup'))}_{slot:02d}{extension}",
                content_type=content_type,
                size=size,
                sha256=generated_sha256(size, spec_seed),
                content={"generate": {"size": size, "seed": spec_seed}},
            )
        return self._big_pool[slot]

    @staticmethod
    def _kind(rng: random.Random, channel_type: str, inline: bool) -> tuple[str, str, bytes]:
        if inline:
            return _FILE_KINDS[rng.choice((0, 1))]
        weights = _MESSAGING_WEIGHTS if channel_type in MESSAGING_CHANNELS else _EMAIL_WEIGHTS
        return rng.choices(_FILE_KINDS, weights=weights)[0]

    @staticmethod
    def _name(rng: random.Random, extension: str) -> str:
        return f"{rng.choice(_BASE_NAMES)}{extension}"


def public_metadata(record: Record) -> Record:
    """The attachment as embedded in a message: the dataset's `content` spec is server-side only."""
    return {key: value for key, value in record.items() if key != "content"}
