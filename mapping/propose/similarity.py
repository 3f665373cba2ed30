"""Name and label similarity across languages: fold accents, translate helpdesk words, compare.

Stames labels are what an account's admins typed, often in Spanish or German ("Fecha de compra",
"Stückzahl"); Salesforce names are English ("Purchase Date", "MobilePhone"). Both sides are
reduced to folded English words first, then compared with rapidfuzz, so "Teléfono móvil" and
"MobilePhone" meet at "mobile phone".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

# One entry per folded word (or words run together): its English words and the languages that use it.
GLOSSARY: dict[str, tuple[str, str]] = {
    # es / pt / it share many words; the language tag says where the word comes from.
    "modelo": ("model", "es/pt"),
    "modell": ("model", "de"),
    "modele": ("model", "fr"),
    "modello": ("model", "it"),
    "fecha": ("date", "es"),
    "datum": ("date", "de"),
    "data": ("date", "pt/it"),
    "motivo": ("reason", "es/pt/it"),
    "razon": ("reason", "es"),
    "grund": ("reason", "de"),
    "motif": ("reason", "fr"),
    "raison": ("reason", "fr"),
    "importe": ("amount", "es"),
    "monto": ("amount", "es"),
    "betrag": ("amount", "de"),
    "montant": ("amount", "fr"),
    "valor": ("amount", "pt"),
    "importo": ("amount", "it"),
    "garantia": ("warranty", "es/pt"),
    "garantie": ("warranty", "de/fr"),
    "garanzia": ("warranty", "it"),
    "unidades": ("units", "es/pt"),
    "stuckzahl": ("units", "de"),
    "unites": ("units", "fr"),
    "unita": ("units", "it"),
    "cantidad": ("quantity", "es"),
    "anzahl": ("quantity", "de"),
    "menge": ("quantity", "de"),
    "quantite": ("quantity", "fr"),
    "quantidade": ("quantity", "pt"),
    "quantita": ("quantity", "it"),
    "pasos": ("steps", "es"),
    "schritte": ("steps", "de"),
    "etapes": ("steps", "fr"),
    "passos": ("steps", "pt"),
    "passi": ("steps", "it"),
    "nivel": ("level", "es/pt"),
    "stufe": ("level", "de"),
    "niveau": ("level", "fr"),
    "livello": ("level", "it"),
    "boletin": ("newsletter", "es"),
    "bulletin": ("newsletter", "fr"),
    "nif": ("vat number", "es"),
    "cif": ("vat number", "es"),
    "ustidnr": ("vat number", "de"),
    "tva": ("vat", "fr"),
    "iva": ("vat", "es/it"),
    "alta": ("signup", "es"),
    "anmeldung": ("signup", "de"),
    "inscription": ("signup", "fr"),
    "telefono": ("phone", "es/it"),
    "telefon": ("phone", "de"),
    "telefonnummer": ("phone", "de"),
    "telephone": ("phone", "fr"),
    "telefone": ("phone", "pt"),
    "movil": ("mobile", "es"),
    "celular": ("mobile", "es/pt"),
    "mobil": ("mobile", "de"),
    "mobiltelefon": ("mobile phone", "de"),
    "handy": ("mobile phone", "de"),
    "handynummer": ("mobile phone", "de"),
    "portable": ("mobile", "fr"),
    "cellulare": ("mobile", "it"),
    "empresa": ("company", "es/pt"),
    "firma": ("company", "de"),
    "unternehmen": ("company", "de"),
    "societe": ("company", "fr"),
    "entreprise": ("company", "fr"),
    "azienda": ("company", "it"),
    "asunto": ("subject", "es"),
    "betreff": ("subject", "de"),
    "objet": ("subject", "fr"),
    "sujet": ("subject", "fr"),
    "assunto": ("subject", "pt"),
    "oggetto": ("subject", "it"),
    "prioridad": ("priority", "es"),
    "prioritat": ("priority", "de"),
    "priorite": ("priority", "fr"),
    "prioridade": ("priority", "pt"),
    "priorita": ("priority", "it"),
    "estado": ("status", "es/pt"),
    "statut": ("status", "fr"),
    "etat": ("status", "fr"),
    "stato": ("status", "it"),
    "compra": ("purchase", "es/pt"),
    "kauf": ("purchase", "de"),
    "kaufdatum": ("purchase date", "de"),
    "achat": ("purchase", "fr"),
    "acquisto": ("purchase", "it"),
    "cliente": ("customer", "es/pt/it"),
    "kunde": ("customer", "de"),
    "client": ("customer", "fr"),
    "funciones": ("features", "es"),
    "funktionen": ("features", "de"),
    "afectadas": ("affected", "es"),
    "betroffene": ("affected", "de"),
    "agente": ("agent", "es/pt/it"),
    "correo": ("email", "es"),
    "courriel": ("email", "fr"),
    "nombre": ("name", "es"),
    "nom": ("name", "fr"),
    "nome": ("name", "pt/it"),
    "apellido": ("last name", "es"),
    "nachname": ("last name", "de"),
    "vorname": ("first name", "de"),
    "prenom": ("first name", "fr"),
    "descripcion": ("description", "es"),
    "beschreibung": ("description", "de"),
    "numero": ("number", "es/fr/pt/it"),
    "nummer": ("number", "de"),
    "serie": ("serial", "es/fr"),
    "seriennummer": ("serial number", "de"),
    "vencimiento": ("expiry", "es"),
    "ablauf": ("expiry", "de"),
    "ablaufdatum": ("expiry date", "de"),
    "cargo": ("title", "es"),
    "departamento": ("department", "es/pt"),
    "abteilung": ("department", "de"),
    "nacimiento": ("birth", "es"),
    "geburtstag": ("birthdate", "de"),
    "geburtsdatum": ("birthdate", "de"),
    "direccion": ("address", "es"),
    "adresse": ("address", "de/fr"),
    "ciudad": ("city", "es"),
    "stadt": ("city", "de"),
    "ville": ("city", "fr"),
    "pais": ("country", "es/pt"),
    "land": ("country", "de"),
    "pays": ("country", "fr"),
    "idioma": ("language", "es/pt"),
    "sprache": ("language", "de"),
    "langue": ("language", "fr"),
    "producto": ("product", "es"),
    "produkt": ("product", "de"),
    "produit": ("product", "fr"),
    "pedido": ("order", "es/pt"),
    "bestellung": ("order", "de"),
    "bestellnummer": ("order number", "de"),
    "commande": ("order", "fr"),
    "factura": ("invoice", "es"),
    "rechnung": ("invoice", "de"),
    "facture": ("invoice", "fr"),
    "envio": ("shipping", "es"),
    "lieferung": ("shipping", "de"),
    "devolucion": ("return", "es"),
    "ruckgabe": ("return", "de"),
    "tipo": ("type", "es/pt/it"),
    "typ": ("type", "de"),
    "categoria": ("category", "es/pt/it"),
    "kategorie": ("category", "de"),
    "notas": ("notes", "es/pt"),
    "notiz": ("notes", "de"),
    "kommentar": ("comment", "de"),
    "comentario": ("comment", "es"),
    "origen": ("origin", "es"),
    "herkunft": ("origin", "de"),
    "vertrag": ("contract", "de"),
    "contrato": ("contract", "es/pt"),
    "zubehor": ("accessories", "de"),
    "accesorios": ("accessories", "es"),
    "geschaftskunde": ("business customer", "de"),
    "rueckruf": ("callback", "de"),
    "ruckruf": ("callback", "de"),
    "bewertung": ("rating", "de"),
    "zufriedenheit": ("satisfaction", "de"),
    "satisfaction": ("satisfaction", "fr"),
}

STOPWORDS = frozenset(
    {"de", "del", "la", "el", "los", "las", "der", "die", "das", "des", "du", "le", "les", "da", "do",
     "di", "von", "fur", "en", "im", "of", "the", "a"}
)  # fmt: skip

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str, *, split_camel: bool = True) -> str:
    """Lower case without accents or punctuation: "Stückzahl" → "stuckzahl", "MobilePhone" →
    "mobile phone" ("mobilephone" with `split_camel=False`)."""
    decomposed = unicodedata.normalize("NFKD", _CAMEL.sub(" ", text) if split_camel else text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).replace("ß", "ss")
    return _NON_WORD.sub(" ", plain.lower()).strip()


@dataclass(frozen=True)
class English:
    """A name or label as English words, and what the glossary translated to get there."""

    words: tuple[str, ...]
    translations: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.words)


def to_english(text: str) -> English:
    """`text` folded and translated word by word (two words run together are tried first)."""
    whole = fold(text, split_camel=False).replace(" ", "")
    if whole in GLOSSARY:  # "USt-IdNr", whose capitals are not word breaks
        english, language = GLOSSARY[whole]
        return English(tuple(english.split()), (f"'{whole}' means '{english}' ({language})",))
    folded = fold(text).split()
    words: list[str] = []
    notes: list[str] = []
    index = 0
    while index < len(folded):
        pair = "".join(folded[index : index + 2]) if index + 1 < len(folded) else None
        if pair is not None and pair in GLOSSARY:
            word, step = pair, 2
        else:
            word, step = folded[index], 1
        index += step
        if word in GLOSSARY:
            english, language = GLOSSARY[word]
            words.extend(english.split())
            notes.append(f"'{word}' means '{english}' ({language})")
        elif word not in STOPWORDS:
            words.append(word)
    return English(tuple(words), tuple(dict.fromkeys(notes)))


def similarity(left: English, right: English) -> float:
    """0..1, order-insensitive ("date purchase" = "purchase date"), strict on extra words
    ("contact reason" is not "reason")."""
    if not left.words or not right.words:
        return 0.0
    return fuzz.token_sort_ratio(left.text, right.text) / 100.0


def salesforce_label_words(label: str, sobject: str) -> English:
    """A standard field's label without its object's name: "Case Reason" → "reason"."""
    english = to_english(label)
    owner = fold(sobject)
    return English(tuple(word for word in english.words if word != owner) or english.words)
