"""Names NER found once are found again where it missed them (no model needed)."""

from __future__ import annotations

from kgraph.resolve.aliases import AliasGroup
from kgraph.extract.entities import EntityMention
from kgraph.extract.propagate import build_name_index, propagate_names


def tagged(text: str, label: str, times: int = 1) -> list[EntityMention]:
    return [EntityMention(0, len(text), text, label, 0, len(text)) for _ in range(times)]


def test_untagged_occurrences_become_propagated_mentions_with_their_sentence() -> None:
    index = build_name_index({"a": [*tagged("Kyrylo Budanov", "PERSON"), *tagged("Kremlin", "ORG", 2)]})
    text = "Kyrylo Budanov, head of intelligence, spoke. The Kremlin’s line and pro-Kremlin media differ."
    sentences = [(0, 44), (45, len(text))]
    found = propagate_names(text, sentences, (), index)
    assert [(m.text, m.label, m.propagated) for m in found] == [("Kyrylo Budanov", "PERSON", True), ("Kremlin", "ORG", True)]
    kremlin = found[1]
    assert text[kremlin.start : kremlin.end] == "Kremlin"
    assert (kremlin.sent_start, kremlin.sent_end) == (45, len(text))


def test_existing_mentions_are_kept_and_not_doubled() -> None:
    index = build_name_index({"a": tagged("Vladimir Putin", "PERSON")})
    text = "Vladimir Putin spoke."
    own = EntityMention(0, 14, "Vladimir Putin", "PERSON", 0, 21)
    assert propagate_names(text, [(0, 21)], (own,), index) == (own,)


def test_longest_name_wins_and_words_must_be_whole() -> None:
    index = build_name_index({"a": [*tagged("Ukrainska Pravda", "ORG"), *tagged("Ukrainska", "ORG", 2)]})
    text = "He told Ukrainska Pravda and Ukrainskaya media."
    found = propagate_names(text, [(0, len(text))], (), index)
    assert [m.text for m in found] == ["Ukrainska Pravda"]


def test_a_single_word_tagged_only_once_is_not_looked_up() -> None:
    index = build_name_index({"a": tagged("Iskander", "PERSON")})
    assert propagate_names("Iskander missiles are low.", [(0, 26)], (), index) == ()


def test_alias_names_are_looked_up_once_any_name_of_their_line_was_tagged() -> None:
    aliases = [AliasGroup("Dnipro", ("Dnipro", "Dnieper"), 1)]
    index = build_name_index({"a": tagged("Dnipro", "LOC", 2)}, aliases)
    text = "They crossed to the left bank of the Dnieper."
    (found,) = propagate_names(text, [(0, len(text))], (), index)
    assert (found.text, found.label) == ("Dnieper", "LOC")
