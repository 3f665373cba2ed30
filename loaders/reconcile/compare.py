"""Field-by-field comparison of one sampled Case: what the warehouse says it should be (`ExpectedCase`)
against what the org holds (`OrgCase`). Pure: both sides are plain rows, every difference is a
`Mismatch` with both values.

Expected values come from the sync tables (they carry the confirmed mapping, parents resolved to
the org's Ids through the ledger) and, for the subject, the message count and the file sizes,
straight from raw_stames. Messages are compared in thread order, bodies after `normalise_body`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from loaders.reconcile.normalise import as_instant, normalise_body, same_value, shown


@dataclass(frozen=True)
class Mismatch:
    case: str
    """The Case's Stames id."""
    field: str
    """What differs: `Subject`, `EmailMessage 900187 TextBody`, `message count (Stames)`."""
    expected: str
    actual: str


@dataclass(frozen=True)
class ExpectedMessage:
    stames_id: str
    incoming: bool | None
    message_at: object
    text_body: str | None


@dataclass(frozen=True)
class OrgMessage:
    stames_id: str | None
    incoming: object
    message_at: object
    text_body: str | None


@dataclass(frozen=True)
class ExpectedFile:
    stames_id: str
    size: int | None
    """`stames__size_bytes` of the sync row."""
    md5: str | None
    """MD5 of the bytes in the work folder; None when the file is not there."""
    stames_size: int | None = None
    """The size raw_stames declares for an attachment (None for generated files)."""


@dataclass(frozen=True)
class OrgFile:
    content_size: int | None
    checksum: str | None


@dataclass(frozen=True)
class ExpectedCase:
    stames_id: str
    fields: Mapping[str, object]
    """API name → value the org must hold (lookups already org Ids)."""
    multi_select: frozenset[str] = frozenset()
    messages: tuple[ExpectedMessage, ...] = ()
    """Sync EmailMessages in thread order."""
    notes: frozenset[str] = frozenset()
    """Stames ids of the Tasks (internal notes) of the Case."""
    files: tuple[ExpectedFile, ...] = ()
    topics: frozenset[str] | None = None
    """Topic names, when tags are Topics."""
    stames_subject: str | None = None
    stames_messages: int | None = None
    """Messages raw_stames has for the ticket, minus those quarantined or excluded by a rule."""


@dataclass(frozen=True)
class OrgCase:
    salesforce_id: str
    fields: Mapping[str, object]
    messages: tuple[OrgMessage, ...] = ()
    """Every EmailMessage whose ParentId is the Case, in the org's order (MessageDate)."""
    notes: frozenset[str] = frozenset()
    files: tuple[OrgFile, ...] = ()
    """The latest version of every file linked to the Case."""
    topics: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CaseResult:
    stames_id: str
    salesforce_id: str | None
    checks: int
    mismatches: tuple[Mismatch, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return not self.mismatches


class _Checks:
    """Collects mismatches and counts what was compared."""

    def __init__(self, case: str) -> None:
        self.case = case
        self.count = 0
        self.found: list[Mismatch] = []

    def value(self, name: str, expected: object, actual: object, *, multi_select: bool = False) -> None:
        self.count += 1
        if not same_value(expected, actual, multi_select=multi_select):
            self.found.append(Mismatch(self.case, name, shown(expected), shown(actual)))

    def equal(self, name: str, expected: object, actual: object) -> None:
        self.count += 1
        if expected != actual:
            self.found.append(Mismatch(self.case, name, shown(expected), shown(actual)))


def compare_case(expected: ExpectedCase, org: OrgCase | None) -> CaseResult:
    """Every field, message, note, file and topic of one Case."""
    if org is None:
        missing = Mismatch(expected.stames_id, "Case", "loaded in this run", "not in the org")
        return CaseResult(expected.stames_id, None, 1, (missing,))
    checks = _Checks(expected.stames_id)
    for name, value in expected.fields.items():
        checks.value(name, value, org.fields.get(name), multi_select=name in expected.multi_select)
    if expected.stames_subject is not None:
        checks.value("Subject (Stames)", expected.stames_subject, org.fields.get("Subject"))
    _compare_messages(checks, expected.messages, org.messages)
    if expected.stames_messages is not None:
        in_org = len(org.messages) + len(org.notes)
        checks.equal("message count (Stames)", expected.stames_messages, in_org)
    checks.equal("notes (Task Stames ids)", _listed(expected.notes), _listed(org.notes))
    _compare_files(checks, expected.files, org.files)
    if expected.topics is not None:
        checks.equal("topics", _listed(expected.topics), _listed(org.topics))
    return CaseResult(expected.stames_id, org.salesforce_id, checks.count, tuple(checks.found))


def _compare_messages(
    checks: _Checks, expected: tuple[ExpectedMessage, ...], org: tuple[OrgMessage, ...]
) -> None:
    checks.equal("EmailMessage count", len(expected), len(org))
    by_key = {message.stames_id: message for message in org if message.stames_id}
    checks.equal(
        "EmailMessage order (thread order of Stames ids)",
        " → ".join(message.stames_id for message in expected),
        " → ".join(message.stames_id or "?" for message in org),
    )
    for message in expected:
        loaded = by_key.get(message.stames_id)
        label = f"EmailMessage {message.stames_id}"
        if loaded is None:
            checks.equal(label, "in the org", "missing")
            continue
        checks.value(f"{label} Incoming", message.incoming, loaded.incoming)
        checks.value(f"{label} MessageDate", message.message_at, loaded.message_at)
        checks.equal(f"{label} TextBody", normalise_body(message.text_body), normalise_body(loaded.text_body))


def _compare_files(checks: _Checks, expected: tuple[ExpectedFile, ...], org: tuple[OrgFile, ...]) -> None:
    """A file uploaded once serves every Case that has the same bytes, so each expected file must
    find a linked version with its size and checksum; the count is of distinct contents."""
    linked = {(file.content_size, (file.checksum or "").lower()) for file in org}
    distinct = {(file.size, file.md5) for file in expected}
    checks.equal("file count (distinct contents)", len(distinct), len(linked))
    for file in expected:
        label = f"file {file.stames_id}"
        if file.md5 is None:
            checks.equal(f"{label} bytes", "in the work folder", "missing from the work folder")
            continue
        sizes = {size for size, checksum in linked if checksum == file.md5}
        checks.equal(f"{label} Checksum (MD5)", file.md5, file.md5 if sizes else _checksums(org))
        if sizes:
            checks.equal(f"{label} ContentSize", file.size, next(iter(sizes)))
        if file.stames_size is not None:
            checks.equal(f"{label} size (Stames)", file.stames_size, file.size)


def _checksums(org: Iterable[OrgFile]) -> str:
    found = sorted((file.checksum or "").lower() for file in org)
    return ", ".join(found) if found else "no file linked"


def _listed(keys: Iterable[str]) -> str:
    return ", ".join(sorted(keys))


def order_problem(messages: tuple[ExpectedMessage, ...]) -> str | None:
    """Where thread order and MessageDate disagree in the expectation itself (for the report)."""
    instants = [as_instant(message.message_at) for message in messages]
    for index in range(1, len(instants)):
        before, after = instants[index - 1], instants[index]
        if before and after and after < before:
            return messages[index].stames_id
    return None
