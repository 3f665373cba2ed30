"""Salesforce record Ids: 15-char case-sensitive bodies plus a 3-char case checksum (contract §3)."""

from __future__ import annotations

import re
import string
from functools import lru_cache

_CHECKSUM_ALPHABET = string.ascii_uppercase + "012345"
_BASE62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
_ID_SHAPE = re.compile(r"^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$")

POD = "8d"
"""Two instance/pod characters after the key prefix, as real Ids carry (`0018c00002FInboAAD`)."""

KEY_PREFIXES: dict[str, str] = {
    "Account": "001",
    "Contact": "003",
    "Case": "500",
    "User": "005",
    "Organization": "00D",
    "EmailMessage": "02s",
    "Task": "00T",
    "Topic": "0TO",
    "ContentDocument": "069",
    "ContentVersion": "068",  # [recall]
    "ContentDocumentLink": "06A",  # [recall]
    "TopicAssignment": "0FT",  # [recall]
    "CaseComment": "00a",
    "Group": "00G",
    "RecordType": "012",
    "Profile": "00e",
    "CaseHistory": "017",  # [recall]
    # setup objects read for the automation check (org/setup_objects.py)
    "ApexTrigger": "01q",  # [code: key prefix tables of several Salesforce tools]
    "AssignmentRule": "01Q",  # [doc: Apex DmlOptions.AssignmentRuleHeader example '01QD0000000EqAn']
    "CustomPermission": "0CP",  # [recall]
    "PermissionSet": "0PS",  # [code: key prefix tables; '0PS...' in permission SOQL references]
    "SetupEntityAccess": "0J0",  # [recall]
    "PermissionSetAssignment": "0Pa",  # [code: a permission clean-up script's ID_PREFIXES]
}
"""Key prefixes of the standard objects in this org; `[recall]` ones are unverified (contract §3)."""


def checksum(body15: str) -> str:
    """The 3-char suffix: per 5-char chunk, a bit per upper-case letter, LSB first."""
    suffix = []
    for start in (0, 5, 10):
        bits = 0
        for position, char in enumerate(body15[start : start + 5]):
            if "A" <= char <= "Z":
                bits |= 1 << position
        suffix.append(_CHECKSUM_ALPHABET[bits])
    return "".join(suffix)


def to18(record_id: str) -> str:
    """The 18-char form of a 15- or 18-char Id; an 18-char Id is re-cased from its checksum."""
    if len(record_id) == 15:
        return record_id + checksum(record_id)
    if checksum(record_id[:15]) == record_id[15:]:
        return record_id
    return _recase(record_id)


def _recase(id18: str) -> str:
    """Restore the body's case from the checksum, so any casing of an 18-char Id compares equal."""
    body = list(id18[:15])
    for chunk, code in enumerate(id18[15:18].upper()):
        bits = _CHECKSUM_ALPHABET.index(code) if code in _CHECKSUM_ALPHABET else 0
        for position in range(5):
            index = chunk * 5 + position
            upper = bool(bits & (1 << position))
            body[index] = body[index].upper() if upper else body[index].lower()
    return "".join(body) + id18[15:18].upper()


def looks_like_id(value: str) -> bool:
    """True for 15 or 18 alphanumerics (the shape check Salesforce does before any lookup)."""
    return bool(_ID_SHAPE.match(value))


@lru_cache(maxsize=65536)
def normalise(value: str) -> str | None:
    """The canonical 18-char Id for a well-formed 15/18-char input, else None (cached: loads repeat
    the same parent and owner Ids on every row)."""
    if not looks_like_id(value):
        return None
    if len(value) == 18 and not all(code in _CHECKSUM_ALPHABET for code in value[15:].upper()):
        return None
    return to18(value)


def mint(prefix: str, sequence: int) -> str:
    """A new 18-char Id: prefix, pod, a zero-padded base-62 counter, checksum."""
    digits = []
    remaining = sequence
    while remaining:
        remaining, digit = divmod(remaining, 62)
        digits.append(_BASE62[digit])
    counter = "".join(reversed(digits)).rjust(15 - len(prefix) - len(POD), "0")
    return to18(prefix + POD + counter)


def custom_prefix(index: int) -> str:
    """Key prefix of the index-th deployed custom object: a00…a0z, then a10…"""
    return "a" + _BASE62[(index // 62) % 62] + _BASE62[index % 62]
