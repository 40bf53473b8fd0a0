"""The bundled dossier is complete and faithful; broken copies are reported precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TOPIC_IDS

from diplobrief.dossier import LANGUAGES, Dossier, load_dossier, normalize_space
from diplobrief.errors import DossierError


def test_bundled_dossier_has_exactly_the_required_topics(dossier: Dossier) -> None:
    assert set(TOPIC_IDS) <= set(dossier.topics)


def test_mandate_record(dossier: Dossier) -> None:
    mandate = dossier.mandate
    assert (mandate.term.start.isoformat(), mandate.term.end.isoformat()) == (
        "2019-01-01",
        "2020-12-31",
    )
    assert mandate.term.ordinal == 6
    assert (mandate.previous_term.start_year, mandate.previous_term.end_year) == (2007, 2008)
    assert (mandate.campaign.month, mandate.campaign.supporting_countries) == ("2018-06", 181)
    assert (mandate.next_candidacy.start_year, mandate.next_candidacy.end_year) == (2037, 2038)
    assert mandate.composition.elected_members == 10
    assert len(mandate.composition.permanent_members) == 5
    assert mandate.classification == "unclassified"
    assert mandate.sources[0].author == "Bert Versmessen"


def test_every_topic_has_all_parts(dossier: Dossier) -> None:
    for topic in dossier.topics.values():
        assert topic.facts and (topic.role or topic.background), topic.id
        assert topic.key_messages, topic.id  # lines to take only where the article has one
        assert topic.lessons, topic.id
        for lang in LANGUAGES:
            assert getattr(topic.aliases, lang), (topic.id, lang)


def test_every_quote_is_verbatim_and_short(dossier: Dossier, source_path: Path) -> None:
    article = normalize_space(source_path.read_text(encoding="utf-8"))
    for fact in dossier.facts.values():
        quote = normalize_space(fact.source.quote)
        assert quote in article, fact.id
        assert len(quote.split()) <= 25, fact.id


def test_figures_in_statements_come_from_values(dossier: Dossier) -> None:
    """Digits in a statement must come from its structured values, never typed in."""
    for fact in dossier.facts.values():
        for lang in LANGUAGES:
            text = re.sub(r"\{[A-Za-z_]+\}", "", fact.text.get(lang))
            assert not re.search(r"\d", text), (fact.id, lang, text)


def test_check_is_clean_with_source(dossier: Dossier, source_path: Path) -> None:
    load_dossier(dossier.path, source_path.read_text(encoding="utf-8"))


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _problems(path: Path, source: str | None = None) -> list[str]:
    with pytest.raises(DossierError) as info:
        load_dossier(path, source)
    return info.value.problems


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_every_seeded_mistake_is_reported(dossier_copy: Path, source_path: Path) -> None:
    """Schema mistakes in one file and reference mistakes in another, all in one run."""
    covid = dossier_copy / "topics" / "covid-19.yaml"
    _edit(covid, "order: 15", "colour: red\norder: fifteen")
    _edit(covid, "title:\n  nl:", "title:\n  de: Titel\n  nl:")
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    _edit(topic, "      adopted: {type: number, value: 13}\n", "")
    _edit(topic, "    facts: [caac-divided-members]\n", "    facts: [caac-no-such-fact]\n")
    _edit(
        topic,
        "het voorzitterschap van de Werkgroep Kinderen",
        "het voorzitterschap van de Groep Kinderen",
    )
    _edit(topic, "  - id: caac-signature-event", "  - id: caac-violations-2019")
    problems = _problems(dossier_copy, source_path.read_text(encoding="utf-8"))
    text = "\n".join(problems)
    assert f"{covid}: colour (line {_line_of(covid, 'colour: red')}): unknown key" in text
    assert f"{covid}: order (line {_line_of(covid, 'order: fifteen')}): Input should be" in text
    assert f"{covid}: title.de (line {_line_of(covid, 'de: Titel')}): unknown key" in text
    assert f"{topic}: facts[3].text.nl (line" in text
    assert "placeholder '{adopted}' has no value in 'values'" in text
    assert f"{topic}: role[0].facts[0] (line" in text
    assert "unknown fact id 'caac-no-such-fact'" in text
    assert f"{topic}: facts[0].source.quote (line" in text
    assert "quote not found verbatim in the source text" in text
    assert "duplicate fact id 'caac-violations-2019'" in text
    assert len(problems) >= 7


def test_missing_language_is_reported(dossier_copy: Path) -> None:
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    _edit(topic, "  en: Children and armed conflict\n", "")
    problems = _problems(dossier_copy)
    assert f"{topic}: title.en (line 3): missing" in problems


def test_yaml_syntax_error_names_file_and_line(dossier_copy: Path) -> None:
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    _edit(topic, "order: 4", "order: [4")
    problems = _problems(dossier_copy)
    assert any(p.startswith(f"{topic}: line ") and "invalid YAML" in p for p in problems)


def test_duplicate_yaml_key_is_refused(dossier_copy: Path) -> None:
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    _edit(topic, "order: 4\n", "order: 4\norder: 5\n")
    problems = _problems(dossier_copy)
    assert f"{topic}: line 3: duplicate key 'order'" in problems


def test_dangling_mandate_reference(dossier_copy: Path) -> None:
    _edit(dossier_copy / "dossier.yaml", "facts: [mandate-campaign]", "facts: [mandate-nothing]")
    problems = _problems(dossier_copy)
    assert any(
        "campaign.facts[0] (line" in p and "unknown fact id 'mandate-nothing'" in p
        for p in problems
    )


def test_topic_id_must_match_file_name(dossier_copy: Path) -> None:
    _edit(
        dossier_copy / "topics" / "children-armed-conflict.yaml",
        "id: children-armed-conflict",
        "id: kids",
    )
    problems = _problems(dossier_copy)
    assert any(
        "id (line 1): must match the file name 'children-armed-conflict'" in p for p in problems
    )


def test_yaml_boolean_trap_in_text_is_reported(dossier_copy: Path) -> None:
    _edit(
        dossier_copy / "topics" / "children-armed-conflict.yaml",
        "  en: Children and armed conflict\n",
        "  en: no\n",
    )
    problems = _problems(dossier_copy)
    assert any("title.en (line" in p and "valid string" in p for p in problems)


def test_alias_bomb_is_refused_quickly(tmp_path: Path, dossier_copy: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 9):
        previous = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        references = ", ".join([f"*{previous}"] * 10)
        bomb.append(f"{name}: &{name} [{references}]")
    (dossier_copy / "topics" / "bomb.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    problems = _problems(dossier_copy)
    assert any("bomb.yaml" in p and "refused" in p for p in problems)


FIRST_PERSON = {
    "nl": r"\b([Ww]ij|[Ww]e|[Oo]ns|[Oo]nze)\b",
    "fr": r"\b([Nn]ous|[Nn]otre|[Nn]os)\b",
    "en": r"\b([Ww]e|[Oo]ur|us)\b",  # "us", not "US"
}


def test_facts_name_the_country_rather_than_we(dossier: Dossier) -> None:
    """Only spoken talking points say "we"; facts stand on their own."""
    for fact in dossier.facts.values():
        for lang, pattern in FIRST_PERSON.items():
            assert not re.search(pattern, fact.text.get(lang)), (fact.id, lang)


def test_each_lesson_part_lists_its_own_facts(dossier: Dossier) -> None:
    for topic in dossier.topics.values():
        for lesson in topic.lessons:
            for name, part in lesson.parts().items():
                assert part.facts, (topic.id, name)
                for fact_id in part.facts:
                    owner = dossier.fact_topic[fact_id]
                    assert owner == topic.id or fact_id in dossier.mandate_facts, (topic.id, name)


@pytest.mark.parametrize(
    ("new_facts", "fact_id"),
    [
        ("[mandate-campaign]", "mandate-campaign"),
        ("[hr-new-york-geneva, dyn-barometer]", "dyn-barometer"),
    ],
)
def test_check_enforces_sourced_recommendations(
    dossier_copy: Path, new_facts: str, fact_id: str
) -> None:
    """A recommendation marked as the article's own must rest on this topic's facts."""
    path = dossier_copy / "topics" / "human-rights.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      facts: [hr-agreed-language, hr-status-quo]\n"
    assert text.endswith(old)
    marked = f"      facts: {new_facts}\n      sourced: true\n"
    path.write_text(text.removesuffix(old) + marked, "utf-8")
    with pytest.raises(DossierError) as info:
        load_dossier(dossier_copy)
    assert any(
        "lessons[0].recommendation" in problem
        and f"fact '{fact_id}' is not a fact of topic 'human-rights'" in problem
        for problem in info.value.problems
    ), info.value.problems


def test_check_enforces_sourced_lessons(dossier_copy: Path) -> None:
    """A lesson marked as the article's own (not the drafters' inference) must rest on
    what the article says of this topic, like a sourced recommendation."""
    path = dossier_copy / "topics" / "council-dynamics.yaml"
    text = path.read_text(encoding="utf-8")
    old = "      facts: [dyn-unanimity-importance]\n      sourced: true\n"
    assert text.count(old) == 1
    new = old.replace("dyn-unanimity-importance", "dyn-unanimity-importance, mandate-author-team")
    path.write_text(text.replace(old, new), "utf-8")
    with pytest.raises(DossierError) as info:
        load_dossier(dossier_copy)
    assert any(
        "lessons[0].lesson" in problem
        and "a sourced lesson rests on what the article says of this topic" in problem
        and "fact 'mandate-author-team'" in problem
        for problem in info.value.problems
    ), info.value.problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      facts: [covid-divisions]\n    lesson:",
            "      facts: [dyn-barometer]\n    lesson:",
            "fact 'dyn-barometer' belongs to topic 'council-dynamics'; a lesson part cites "
            "facts of its own topic or of the mandate",
        ),
        (
            "      facts: [covid-divisions]\n    lesson:",
            "      facts: []\n    lesson:",
            "List should have at least 1 item",
        ),
        (
            "      facts: [covid-divisions]\n    lesson:",
            "      facts: [no-such-fact]\n    lesson:",
            "unknown fact id 'no-such-fact'",
        ),
    ],
)
def test_check_enforces_lesson_part_sourcing(
    dossier_copy: Path, old: str, new: str, message: str
) -> None:
    path = dossier_copy / "topics" / "covid-19.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DossierError) as info:
        load_dossier(dossier_copy)
    assert any(
        "lessons[0].did_not_work" in problem and message in problem
        for problem in info.value.problems
    ), info.value.problems
