"""Folding, translation and similarity on names and labels written by hand."""

from __future__ import annotations

import pytest

from mapping.propose.similarity import English, fold, salesforce_label_words, similarity, to_english


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Stückzahl", "stuckzahl"),
        ("Teléfono móvil", "telefono movil"),
        ("MobilePhone", "mobile phone"),
        ("USt-IdNr.", "u st id nr"),
        ("Größe", "grosse"),
        ("steps_to_reproduce", "steps to reproduce"),
    ],
)
def test_fold_drops_accents_case_and_signs(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("label", "english"),
    [
        ("Modelo", "model"),
        ("Modell", "model"),
        ("Fecha de compra", "date purchase"),
        ("Kaufdatum", "purchase date"),
        ("Motivo", "reason"),
        ("Grund der Anfrage", "reason anfrage"),
        ("Importe", "amount"),
        ("Betrag", "amount"),
        ("Garantía", "warranty"),
        ("Unidades", "units"),
        ("Stückzahl", "units"),
        ("Pasos", "steps"),
        ("Schritte", "steps"),
        ("Nivel", "level"),
        ("Boletín", "newsletter"),
        ("NIF", "vat number"),
        ("USt-IdNr.", "vat number"),
        ("Alta", "signup"),
        ("Anmeldung", "signup"),
        ("Teléfono", "phone"),
        ("Empresa", "company"),
        ("Firma", "company"),
        ("Asunto", "subject"),
        ("Betreff", "subject"),
        ("Prioridad", "priority"),
        ("Priorität", "priority"),
        ("Estado", "status"),
        ("Mobiltelefon", "mobile phone"),
        ("Objet", "subject"),
    ],
)
def test_helpdesk_words_translate_to_english(label: str, english: str) -> None:
    assert to_english(label).text == english


def test_a_translation_says_which_word_and_language() -> None:
    assert to_english("Fecha de compra").translations == (
        "'fecha' means 'date' (es)",
        "'compra' means 'purchase' (es/pt)",
    )


def test_english_words_pass_through_untranslated() -> None:
    assert to_english("serial_number") == English(("serial", "number"))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Teléfono móvil", "MobilePhone"),
        ("Mobiltelefon", "Mobile Phone"),
        ("Fecha de compra", "Purchase Date"),
    ],
)
def test_the_same_meaning_in_two_languages_is_similar(left: str, right: str) -> None:
    assert similarity(to_english(left), to_english(right)) == 1.0


def test_a_longer_name_is_not_its_last_word() -> None:
    # "contact reason" must not land on Case.Reason just because it ends in "reason".
    assert similarity(to_english("contact_reason"), to_english("Reason")) < 0.85


def test_nothing_to_compare_is_not_similar() -> None:
    assert similarity(to_english("de la"), to_english("Subject")) == 0.0


def test_a_standard_label_loses_its_object_name() -> None:
    assert salesforce_label_words("Case Reason", "Case").words == ("reason",)
    assert salesforce_label_words("Contact Description", "Contact").words == ("description",)
    assert salesforce_label_words("Mobile Phone", "Contact").words == ("mobile", "phone")
