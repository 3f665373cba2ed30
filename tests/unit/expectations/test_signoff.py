"""The sign-off report: plain words, the reconciliation as inline SVG with its numbers, every
value escaped, nothing fetched and no script."""

from __future__ import annotations

import re

from expectations.checkpoint import Outcome
from expectations.signoff import QuarantineReason, Reconciliation, SignoffData, render_signoff
from expectations.suites import Check
from mapping.model import ExclusionRule
from tests.fixtures.expectations import VALIDATED_AT

HOSTILE = '<script>alert("x")</script>'


def signoff_data() -> SignoffData:
    subject = Check("length", "ExpectColumnValuesToBeBetween", "Subject__length", "Subject fits 255")
    status = Check("picklist", "ExpectColumnValuesToBeInSet", "Status", "every Status is an org value")
    return SignoffData(
        validated_at=VALIDATED_AT,
        passed=False,
        data_hash="sha256:data",
        mapping_hash="sha256:mapping",
        outcomes=[
            Outcome("cases", "sync_salesforce__cases", subject, True, 0, 3),
            Outcome("cases", "sync_salesforce__cases", status, False, 2, 3, [HOSTILE, "Pending"]),
        ],
        reconciliation=[
            Reconciliation("ticket", 1234, 1000, 200, 34),
            Reconciliation("message", 10, 9, 0, 0),
        ],
        quarantine=[QuarantineReason("ticket", "no requester <b>", 200, ("104", "105"), "detail & more")],
        exclusions=[ExclusionRule(name="spam", source="ticket", condition="is_spam is true")],
        data_docs_index="reports/data-docs/index.html",
    )


def test_the_html_escapes_values_draws_svg_and_fetches_nothing(tmp_path) -> None:
    html_path, markdown_path = tmp_path / "signoff.html", tmp_path / "signoff.md"
    render_signoff(signoff_data(), html_path, markdown_path)
    html = html_path.read_text(encoding="utf-8")
    assert "<script" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "no requester &lt;b&gt;" in html and "detail &amp; more" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert html.count("<svg") == 2
    # the numbers stand beside the picture
    for number in ("1,234", "1,000", "200", "34"):
        assert f">{number}<" in html
    assert "2 row(s) fail" in html and "1 of 2 expectations failed" in html
    # ticket adds up (1234 = 1000 + 200 + 34), message does not (10 != 9); the spam rule is applied
    assert html.count(">yes<") == 2 and html.count(">no<") == 1


def test_the_markdown_twin_has_the_same_numbers(tmp_path) -> None:
    html_path, markdown_path = tmp_path / "signoff.html", tmp_path / "signoff.md"
    render_signoff(signoff_data(), html_path, markdown_path)
    markdown = markdown_path.read_text(encoding="utf-8")
    assert "| ticket | 1234 | 1000 | 200 | 34 | yes |" in markdown
    assert "| message | 10 | 9 | 0 | 0 | **no** |" in markdown
    assert "| spam | ticket | is_spam is true |" in markdown
    assert "<script" not in markdown and "&lt;script&gt;" in markdown
