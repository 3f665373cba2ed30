"""Markdown and HTML writers for a discovery `Document`.

Every string is escaped here and emails are masked once more as a safety net, so a builder
that forgets to mask cannot leak a raw address into either file. The HTML is one
self-contained file (inline CSS and SVG charts, no scripts, no external assets) that opens
anywhere; the Markdown shows each chart's table.
"""

from __future__ import annotations

import html
import re

from stames_sf.discovery.charts import svg_chart
from stames_sf.discovery.document import Block, Bullets, Chart, Document, Paragraph, Section, Table
from stames_sf.discovery.masking import EMAIL_PATTERN, mask_email

# `_` inside a word (`raw_stames`) is literal in CommonMark, so only word-edge underscores are escaped.
MARKDOWN_SPECIALS = re.compile(r"[\\`*\[\]{}#|!~]|(?<![0-9A-Za-z_])_+|_+(?![0-9A-Za-z_])")


def _no_emails(text: str) -> str:
    return EMAIL_PATTERN.sub(lambda match: mask_email(match.group(0)), text)


# ---------------------------------------------------------------- Markdown


def escape_markdown(text: str) -> str:
    """Plain text that Markdown renders literally: specials backslashed, HTML neutralised."""
    one_line = " ".join(_no_emails(text).split())
    neutral_html = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return MARKDOWN_SPECIALS.sub(lambda match: "".join("\\" + char for char in match.group(0)), neutral_html)


def render_markdown(document: Document) -> str:
    """The whole report as GitHub-flavoured Markdown."""
    lines = [f"# {escape_markdown(document.title)}", ""]
    lines += [line for text in document.intro for line in (escape_markdown(text), "")]
    lines += ["## Contents", ""]
    for section in document.sections:
        lines.append(f"- [{escape_markdown(section.title)}](#{section.anchor})")
        lines += [f"  - [{escape_markdown(sub.title)}](#{sub.anchor})" for sub in section.subsections]
    lines.append("")
    for section in document.sections:
        lines += _markdown_section(section, level=2)
    return "\n".join(lines).rstrip() + "\n"


def _markdown_section(section: Section, level: int) -> list[str]:
    lines = [f'<a id="{section.anchor}"></a>', "", f"{'#' * level} {escape_markdown(section.title)}", ""]
    for block in section.blocks:
        lines += _markdown_block(block)
    for subsection in section.subsections:
        lines += _markdown_section(subsection, level + 1)
    return lines


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [escape_markdown(block.text), ""]
    if isinstance(block, Bullets):
        return [*(f"- {escape_markdown(item)}" for item in block.items), ""]
    if isinstance(block, Chart):
        return _markdown_table(block.table)
    return _markdown_table(block)


def _markdown_table(table: Table) -> list[str]:
    lines = [f"*{escape_markdown(table.caption)}*", ""] if table.caption else []
    alignments = ["---:" if index in table.numeric_columns else "---" for index in range(len(table.headers))]
    lines.append("| " + " | ".join(escape_markdown(header) for header in table.headers) + " |")
    lines.append("| " + " | ".join(alignments) + " |")
    lines += ["| " + " | ".join(escape_markdown(cell) for cell in row) + " |" for row in table.rows]
    return [*lines, ""]


# ---------------------------------------------------------------- HTML

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;
margin:0 auto;max-width:1100px;padding:24px 32px;background:#fff}
h1{font-size:28px;margin:0 0 8px}h2{margin-top:40px;border-bottom:2px solid #d8dee6;padding-bottom:4px}
h3{margin-top:28px}h4{margin-top:20px}
nav{background:#f4f6f9;border:1px solid #d8dee6;border-radius:6px;padding:12px 20px;margin:20px 0}
nav ul{margin:4px 0;padding-left:20px}a{color:#0b5cab}
table{border-collapse:collapse;margin:8px 0 20px;font-size:13px;width:auto;max-width:100%}
caption{text-align:left;font-style:italic;padding:4px 0;color:#4a5868}
th,td{border:1px solid #d8dee6;padding:4px 8px;vertical-align:top;text-align:left;word-break:break-word}
th{background:#eef2f6}tr:nth-child(even) td{background:#fafbfc}td.num{text-align:right;white-space:nowrap}
p.intro{color:#4a5868}
figure.chart{display:flex;flex-wrap:wrap;gap:8px 28px;align-items:flex-start;margin:8px 0 20px}
figure.chart svg{flex:none;max-width:100%;height:auto}figure.chart table{margin:0}
""".strip()


def escape_html(text: str) -> str:
    """Text safe inside an HTML element or attribute, emails masked."""
    return html.escape(_no_emails(text), quote=True)


def render_html(document: Document) -> str:
    """The whole report as one self-contained HTML page."""
    title = escape_html(document.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        *(f'<p class="intro">{escape_html(text)}</p>' for text in document.intro),
        _html_contents(document),
        *(_html_section(section, level=2) for section in document.sections),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _html_contents(document: Document) -> str:
    items = []
    for section in document.sections:
        children = "".join(
            f'<li><a href="#{sub.anchor}">{escape_html(sub.title)}</a></li>' for sub in section.subsections
        )
        nested = f"<ul>{children}</ul>" if children else ""
        items.append(f'<li><a href="#{section.anchor}">{escape_html(section.title)}</a>{nested}</li>')
    return f"<nav><strong>Contents</strong><ul>{''.join(items)}</ul></nav>"


def _html_section(section: Section, level: int) -> str:
    heading = f'<h{level} id="{section.anchor}">{escape_html(section.title)}</h{level}>'
    body = [_html_block(block) for block in section.blocks]
    children = [_html_section(subsection, min(level + 1, 6)) for subsection in section.subsections]
    return "\n".join([heading, *body, *children])


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape_html(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{escape_html(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Chart):
        return f'<figure class="chart">{svg_chart(block, escape_html)}{_html_table(block.table)}</figure>'
    return _html_table(block)


def _html_table(table: Table) -> str:
    caption = f"<caption>{escape_html(table.caption)}</caption>" if table.caption else ""
    header = "".join(f"<th>{escape_html(cell)}</th>" for cell in table.headers)
    rows = []
    for row in table.rows:
        cells = "".join(
            f'<td class="num">{escape_html(cell)}</td>'
            if index in table.numeric_columns
            else f"<td>{escape_html(cell)}</td>"
            for index, cell in enumerate(row)
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{caption}<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
