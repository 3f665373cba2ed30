"""Both writers escape every value and never let a raw email through."""

from html.parser import HTMLParser

from stames_sf.discovery.document import Document, table_of
from stames_sf.discovery.render import escape_markdown, render_html, render_markdown

HOSTILE = '<script>alert("x")</script> | *bold* [link](http://evil) ana.perez@example.com'


def _document() -> Document:
    document = Document("Scope <report>", intro=["Generated for ACME & Co"])
    section = document.add("1. Records")
    section.paragraph(HOSTILE)
    section.bullets([HOSTILE, "plain item"])
    section.table(
        ["Subject", "Count"], [[HOSTILE, "1,234"], ["ok", "5"]], caption="Tickets", numeric_columns={1}
    )
    section.add("1.1 Detail").paragraph("nested")
    document.add("2. Tags & topics").paragraph("none found")
    return document


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_values_so_no_script_element_exists():
    page = render_html(_document())
    collector = _Collector()
    collector.feed(page)
    assert "script" not in collector.tags
    assert "<script>" not in page
    assert "&lt;script&gt;" in page
    assert '<script>alert("x")</script>' in "".join(collector.text)


def test_html_is_self_contained_with_contents_and_anchors():
    page = render_html(_document())
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page
    assert "http://" not in page.replace("http://evil", "")  # no external assets
    assert '<a href="#1-records">' in page
    assert 'id="1-records"' in page
    assert 'id="1-1-detail"' in page
    assert '<td class="num">1,234</td>' in page


def test_markdown_escapes_html_and_table_pipes():
    text = render_markdown(_document())
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    table_rows = [line for line in text.splitlines() if line.startswith("| &lt;script")]
    assert len(table_rows) == 1
    assert table_rows[0].count(" | ") == 1  # the pipe inside the value is escaped, two cells remain
    assert "| --- | ---: |" in text
    assert "- [1. Records](#1-records)" in text


def test_no_raw_email_in_either_format():
    for output in (render_html(_document()), render_markdown(_document())):
        assert "ana.perez@example.com" not in output
        assert "example.com" not in output
        assert "a\\*\\*\\*@e\\*\\*\\*.com" in output or "a***@e***.com" in output


def test_escape_markdown_flattens_newlines():
    assert escape_markdown("a\nb") == "a b"


def _chart_document() -> Document:
    document = Document("Charts")
    table = table_of(["Status", "Tickets"], [["open", "3"], ["solved", "1"]], numeric_columns={1})
    document.add("1. Status").chart("Status", ["open", "solved"], ["Tickets"], [[3], [1]], table)
    return document


def test_a_chart_is_svg_beside_its_table_in_html_and_only_its_table_in_markdown():
    page = render_html(_chart_document())
    assert page.count("<svg") == 1
    assert '<figure class="chart"><svg' in page
    assert '<td>open</td><td class="num">3</td>' in page
    text = render_markdown(_chart_document())
    assert "<svg" not in text
    assert "| open | 3 |" in text
    assert "| solved | 1 |" in text
