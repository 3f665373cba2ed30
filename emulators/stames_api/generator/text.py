"""Multilingual helpdesk text: subjects, bodies, HTML, huge bodies, data URIs, encoding damage."""

from __future__ import annotations

import base64
import html
import random
import re
import unicodedata

from emulators.stames_api.generator import vocabulary as vocab

DAMAGE_KINDS: tuple[str, ...] = ("mojibake", "replacement_char", "nfd", "zero_width", "lone_surrogate")
LONE_SURROGATE = "\ud83d"
# Sticker, location and contact-card messages: content with no file bytes behind it (§3 #13).
NO_FILE_CONTENT: tuple[str, ...] = (
    "[sticker]",
    "📍 Ubicación compartida: 41.38506, 2.17340",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Taller Centro\nTEL:+34930000000\nEND:VCARD",
)


def pick_language(rng: random.Random) -> str:
    return rng.choices(vocab.LANGUAGES, weights=vocab.LANGUAGE_WEIGHTS)[0]


def with_bidi(rng: random.Random, language: str, text: str) -> str:
    """Right-to-left text often carries explicit bidi marks around numbers and Latin words."""
    if language not in ("ar", "he"):
        return text
    return f"{rng.choice(vocab.BIDI_CONTROLS)}{text}\u200f"


def person_name(rng: random.Random, language: str) -> tuple[str, str]:
    return rng.choice(vocab.FIRST_NAMES[language]), rng.choice(vocab.LAST_NAMES[language])


def ascii_slug(text: str) -> str:
    """Lowercase ASCII for e-mail local parts: `José Núñez` -> `jose.nunez`."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = "".join(char if char.isalnum() else "." for char in folded.lower()).strip(".")
    return cleaned or "user"


def order_number(rng: random.Random) -> str:
    return f"PO-{rng.randrange(100000, 999999)}"


def subject_line(rng: random.Random, language: str, product: str) -> str:
    subject = f"{rng.choice(vocab.SUBJECT_PREFIXES[language])} {product}"
    if rng.random() < 0.1:
        subject += rng.choice((" 📱", " – urgente", " !!!", " (2)"))
    if rng.random() < 0.003:
        subject = "RE: FW: " * 40 + subject  # a forward chain longer than Salesforce's 255 characters
    return with_bidi(rng, language, subject)


def customer_text(rng: random.Random, language: str, product: str) -> str:
    problem = rng.choice(vocab.PROBLEMS[language]).format(p=product)
    details = rng.sample(vocab.DETAILS[language], k=min(2, len(vocab.DETAILS[language])))
    lines = [rng.choice(vocab.GREETINGS[language]), problem[0].upper() + problem[1:] + "."]
    lines.extend(detail.format(n=order_number(rng)) for detail in details)
    return with_bidi(rng, language, "\n".join(lines))


def short_message(rng: random.Random, language: str, product: str) -> str:
    """A chat-style message: no greeting line, often lowercase, sometimes only an emoji."""
    draw = rng.random()
    if draw < 0.08:
        return rng.choice(("👍", "🙏🙏", "ok", "??", "😡"))
    if draw < 0.1:
        return rng.choice(NO_FILE_CONTENT)
    return with_bidi(rng, language, rng.choice(vocab.PROBLEMS[language]).format(p=product))


def agent_text(rng: random.Random, language: str, agent_name: str) -> str:
    greeting, reply = rng.choice(vocab.GREETINGS[language]), rng.choice(vocab.AGENT_REPLIES[language])
    return f"{greeting}\n{reply}\n{rng.choice(vocab.SIGN_OFFS[language])}\n{agent_name}"


def bot_text(language: str) -> str:
    return vocab.BOT_REPLIES[language]


def internal_note(rng: random.Random) -> str:
    return rng.choice(vocab.INTERNAL_NOTES)


def to_html(text: str) -> str:
    """Email HTML the way mail clients write it: one paragraph per line, entities escaped."""
    paragraphs = "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in text.split("\n"))
    return f'<div dir="auto">{paragraphs}</div>'


def padding_text(rng: random.Random, target_bytes: int) -> str:
    """Quoted history or pasted logs, grown until the body reaches `target_bytes` of UTF-8."""
    variants: list[str] = []
    for _ in range(6):
        if rng.random() < 0.5:
            variants.append("\n".join(rng.choice(vocab.LOG_LINES) for _ in range(40)))
        else:
            quoted = customer_text(rng, pick_language(rng), rng.choice(vocab.PRODUCTS)).split("\n")
            variants.append("\n".join("> " + line for line in quoted * 8))
    sizes = [len(variant.encode("utf-8", "surrogatepass")) + 1 for variant in variants]
    blocks: list[str] = []
    size = 0
    while size < target_bytes:
        choice = rng.randrange(len(variants))
        blocks.append(variants[choice])
        size += sizes[choice]
    return "\n".join(blocks)


def data_uri_image(rng: random.Random, raw_bytes: int) -> str:
    """An inline `<img>` whose base64 payload grows the body by ~4/3 of `raw_bytes`."""
    payload = base64.b64encode(b"\x89PNG\r\n\x1a\n" + rng.randbytes(raw_bytes)).decode("ascii")
    return f'<img src="data:image/png;base64,{payload}" alt="image">'


def damage(rng: random.Random, text: str) -> str:
    """One kind of encoding damage seen in legacy bodies and names, each visible to a lenient reader."""
    kind = rng.choice(DAMAGE_KINDS)
    if kind == "mojibake":
        damaged = text.encode("utf-8", "surrogatepass").decode("latin-1")
        if not re.search("[ÂÃ][\x80-\xbf]", damaged):  # Hebrew or Arabic bytes read as Latin-1 look different
            damaged += " InformaciÃ³n"
    elif kind == "replacement_char":
        damaged = text[: len(text) // 2] + "\ufffd" + text[len(text) // 2 :]
    elif kind == "nfd":
        damaged = unicodedata.normalize("NFD", text + " José")
    elif kind == "zero_width":
        damaged = text.replace(" ", " \u200b", 2) + "\u200d"
    else:
        damaged = text + " " + LONE_SURROGATE
    return damaged


def utf8_size(text: str | None) -> int:
    """UTF-8 byte size; a lone surrogate counts as the 3 bytes a lenient encoder would write."""
    return 0 if text is None else len(text.encode("utf-8", "surrogatepass"))
