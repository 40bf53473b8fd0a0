"""A briefing note's Summary: a bottom line, then three to five numbered key points,
each on facts of its own, that the later sections do not restate
(DOCUMENT-FORMS: "bottom line and three to five key points on page 1; each fact once")."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from conftest import LANGS, TOPIC_IDS
from rapidfuzz import fuzz

from diplobrief import i18n
from diplobrief.dossier import Dossier
from diplobrief.i18n import after_label, gettext, names_in, typeset
from diplobrief.render import dossier_names, render_document

_PARAGRAPH = re.compile(r"^\*\*(\d+)\.\*\* (.*)$", re.MULTILINE)
_NOTE = re.compile(r"\[\^([a-z0-9-]+)\]")
_BODY_SECTIONS = ("Background", "Belgium's role and results", "State of play and challenges")
_KEPT_SECTIONS = ("Belgium's role and results", "State of play and challenges")


def sections(markdown: str, lang: str) -> dict[str, str]:
    """The note's sections by their English heading, up to the Sources."""
    names = ("Summary", *_BODY_SECTIONS, "Lines to take", "If raised")
    headings = {typeset(gettext(lang, name), lang): name for name in names}
    body = markdown.split(f"\n## {gettext(lang, 'Sources')}", 1)[0]
    found = {}
    for part in body.split("\n## ")[1:]:
        heading, _, text = part.partition("\n")
        found[headings[heading]] = text
    return found


def paragraphs(text: str) -> list[tuple[int, str]]:
    return [(int(number), line) for number, line in _PARAGRAPH.findall(text)]


def notes(text: str) -> set[str]:
    return set(_NOTE.findall(text))


def plain(text: str) -> str:
    return _NOTE.sub("", text).replace("*", "")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_the_summary_is_a_bottom_line_and_key_points_stated_once(
    dossier: Dossier, topic: str, lang: str
) -> None:
    markdown = render_document(dossier, topic, "briefing-note", lang).markdown
    parts = sections(markdown, lang)
    summary = paragraphs(parts["Summary"])
    label = gettext(lang, "Bottom line")
    assert summary[0][0] == 1 and summary[0][1].startswith(f"**{label}")
    bottom, key_points = summary[0], summary[1:]
    assert len(notes(bottom[1])) == 1  # one or two sentences, on one fact
    assert len(key_points) <= 5
    # Three key points whenever the note has the paragraphs for them: fewer only when no
    # section holds a paragraph to spare (the main paragraph of Belgium's role and of the
    # challenges stays in its section).
    if len(key_points) < 3:
        assert not paragraphs(parts.get("Background", "")), topic
        for name in _KEPT_SECTIONS:
            assert len(paragraphs(parts.get(name, ""))) <= 1, (topic, name)
    # Each key point on facts of its own: no fact twice in the summary.
    cited = [note for _, line in summary for note in _NOTE.findall(line)]
    assert len(cited) == len(set(cited))
    # Numbered through the note.
    every = [number for text in parts.values() for number, _ in paragraphs(text)]
    assert every == list(range(1, len(every) + 1))
    # The later factual sections restate neither a key point's facts nor its words.
    for name in _BODY_SECTIONS:
        for _, line in paragraphs(parts.get(name, "")):
            assert not notes(line) & set(cited), (topic, name, line)
            for _, point in summary:
                assert fuzz.token_set_ratio(plain(line), plain(point)) < 90, (line, point)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("topic", "role"),
    [
        ("syria-humanitarian-access", [["syria-co-lead", "syria-joint-lead"]]),
        ("children-armed-conflict", [["caac-divided-members"], ["caac-signature-event"]]),
        ("peacekeeping", [["peacekeeping-integrated-planning", "peacekeeping-integration-aim"]]),
        (
            "eu-coordination",
            [["eu-stake-outs-presidency"], ["e10-brussels-meeting", "e10-meeting-participants"]],
        ),
    ],
)
def test_a_note_about_belgiums_role_keeps_its_role_section(
    dossier: Dossier, topic: str, role: list[list[str]], lang: str
) -> None:
    """The summary summarises; the role section keeps its main paragraph, even when the
    summary names the same facts (REVIEW r5 B4)."""
    markdown = render_document(dossier, topic, "briefing-note", lang).markdown
    parts = sections(markdown, lang)
    found = [sorted(notes(line)) for _, line in paragraphs(parts["Belgium's role and results"])]
    assert found == [sorted(facts) for facts in role]
    assert not notes(parts["Summary"]) & {fact for facts in role for fact in facts}


@pytest.mark.parametrize("lang", LANGS)
def test_a_section_that_gave_key_points_keeps_only_its_other_paragraphs(
    dossier: Dossier, lang: str
) -> None:
    """No pointer back to the summary: the section simply holds what it has of its own."""
    markdown = render_document(dossier, "mandate-overview", "briefing-note", lang).markdown
    parts = sections(markdown, lang)
    # One background paragraph moved up to the key points; the other stays.
    assert [number for number, _ in paragraphs(parts["Background"])] == [5]
    # Every line of every section is a numbered paragraph: no italic pointer line.
    for name, text in parts.items():
        assert all(_PARAGRAPH.match(line) for line in text.splitlines() if line), name


def test_the_three_languages_make_the_same_key_points(dossier: Dossier) -> None:
    for topic in TOPIC_IDS:
        found = [
            [
                sorted(notes(line))
                for _, line in paragraphs(
                    sections(render_document(dossier, topic, "briefing-note", lang).markdown, lang)[
                        "Summary"
                    ]
                )
            ]
            for lang in LANGS
        ]
        assert found[0] == found[1] == found[2], topic


def _topic_with(dossier: Dossier, summary: list[str], few: bool) -> Dossier:
    """The CAAC topic with another summary's facts; with ``few``, only those facts and
    its line to take."""
    topic = dossier.topics["children-armed-conflict"]
    changed = replace(
        topic,
        summary=replace(topic.summary, text=dossier.facts[summary[0]].text, facts=summary),
    )
    if few:
        kept = {*summary, *(fact_id for item in topic.lines_to_take for fact_id in item.facts)}
        changed = replace(
            changed,
            facts=[fact for fact in topic.facts if fact.id in kept],
            role=[],
            background=[],
            if_raised=[],
        )
    facts = {fact.id for fact in topic.facts}
    assert set(summary) <= facts
    topics = {**dossier.topics, topic.id: changed}
    return Dossier(dossier.path, dossier.mandate, topics, dossier.facts, dossier.fact_topic)


def test_a_topic_with_few_facts_gets_fewer_key_points_never_repeats(dossier: Dossier) -> None:
    for summary in (
        ["caac-working-group-chair"],
        ["caac-working-group-chair", "caac-signature-event"],
    ):
        few = _topic_with(dossier, summary, few=True)
        markdown = render_document(few, "children-armed-conflict", "briefing-note", "en").markdown
        parts = sections(markdown, "en")
        found = paragraphs(parts["Summary"])
        cited = [note for _, line in found for note in _NOTE.findall(line)]
        assert found[0][1].startswith("**Bottom line:**")
        assert cited == summary  # one paragraph a fact, none padded with a repeat
        assert list(parts) == ["Summary", "Lines to take"]


def test_a_summary_of_many_facts_makes_five_key_points_at_most(dossier: Dossier) -> None:
    topic = dossier.topics["children-armed-conflict"]
    many = _topic_with(dossier, [fact.id for fact in topic.facts], few=False)
    markdown = render_document(many, "children-armed-conflict", "briefing-note", "en").markdown
    parts = sections(markdown, "en")
    summary = paragraphs(parts["Summary"])
    assert len(summary) == 1 + 5
    assert len(notes(parts["Summary"])) == 6
    # The role section keeps its main paragraph; the other one moved up.
    role = paragraphs(parts["Belgium's role and results"])
    assert [sorted(notes(line)) for _, line in role] == [["caac-divided-members"]]
    assert "caac-signature-event" in notes(parts["Summary"])
    assert "caac-crucial" in notes(parts["Lines to take"])


@pytest.mark.parametrize(
    ("lang", "spelled"),
    [
        ("en", "Federal Public Service (FPS) Foreign Affairs"),
        ("fr", "Service public fédéral (SPF) Affaires étrangères"),
        ("nl", "Federale Overheidsdienst (FOD) Buitenlandse Zaken"),
    ],
)
@pytest.mark.parametrize("kind", ["briefing-note", "talking-points", "lessons-learned"])
def test_the_issuer_spells_out_its_acronym_at_first_use(
    dossier: Dossier, lang: str, spelled: str, kind: str
) -> None:
    topic = "all" if kind == "lessons-learned" else "children-armed-conflict"
    markdown = render_document(dossier, topic, kind, lang).markdown
    body = markdown.split("\n---\n", 1)[1]
    short = spelled.split("(")[1].split(")")[0]
    first = re.search(rf"(?<![\w-]){short}(?![\w-])", body)
    assert first is not None and body[: first.end() + 1].endswith(f"({short})")
    assert f"| {spelled}" in body
    long = spelled.split(" (")[0]
    assert body.count(long) == 1  # spelled out once, plain short form after


def test_after_a_label_only_the_dossiers_own_names_keep_their_capital(dossier: Dossier) -> None:
    """No word list: a word keeps its capital after a label's colon when the dossier's own
    texts capitalise it in mid-sentence and never write it in lower case."""
    names = names_in(
        [
            "Het kabinet van premier De Croo en de Raad.",
            "In België werkt het Internationaal Strafhof; de internationale orde.",
            "Het was: Vredeshandhaving bleef. De vredeshandhaving en de kinderen.",
        ]
    )
    assert (
        after_label("België zat de werkgroep voor", "nl", names) == "België zat de werkgroep voor"
    )
    assert after_label("De Croo sprak", "nl", names) == "De Croo sprak"
    assert after_label("De Raad besliste", "nl", names) == "de Raad besliste"
    assert after_label("Internationaal Strafhof", "nl", names) == "Internationaal Strafhof"
    assert after_label("Vredeshandhaving", "nl", names) == "vredeshandhaving"  # after a colon
    assert after_label("VN-missies", "nl", names) == "VN-missies"  # an acronym
    assert after_label("Kinderen", "nl", names) == "kinderen"
    assert after_label("België", "en", names) == "België"  # English keeps every capital
    real = dossier_names(dossier, "nl")
    assert after_label("Overgangsjustitie", "nl", real) == "overgangsjustitie"
    assert after_label("Syrië", "nl", real) == "Syrië"
    assert after_label("Zijne Majesteit de Koning", "nl", real) == "Zijne Majesteit de Koning"
    assert not any(name.endswith("OPENERS") for name in vars(i18n))


@pytest.mark.parametrize("kind", ["briefing-note", "lessons-learned"])
def test_acronyms_are_spelled_out_at_first_use_alike_in_every_language(
    dossier: Dossier, kind: str
) -> None:
    """ "the UN (United Nations)", "de VN (Verenigde Naties)", "l'ONU (Organisation des
    Nations Unies)": the long form written in the header ("to the United Nations in New
    York") explains no acronym, in any language (REVIEW C14)."""
    spelled: dict[str, set[tuple[str, str]]] = {}
    for topic in [*TOPIC_IDS, "all"] if kind == "lessons-learned" else TOPIC_IDS:
        for lang in LANGS:
            markdown = render_document(dossier, topic, kind, lang).markdown
            body = markdown.split("\n## ", 1)[1].split(f"\n## {gettext(lang, 'Sources')}")[0]
            for number, acronym in enumerate(dossier.mandate.acronyms):
                short, long = acronym.short.get(lang), acronym.long.get(lang)
                first = re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", body)
                if first is None:
                    continue
                explained = body[first.end() :].startswith(f" ({long})") or body[
                    : first.start()
                ].endswith(f"{long} (")
                assert explained, (topic, lang, short)
                assert body.count(f"{short} ({long})") <= 1
                spelled.setdefault(f"{topic}/{number}", set()).add((lang, short))
    un = [found for key, found in spelled.items() if key.endswith("/0")]
    assert un and any(len(found) == 3 for found in un)  # the UN, in all three
