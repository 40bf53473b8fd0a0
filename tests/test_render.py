"""Documents for every topic, kind and language: complete, in one language, sourced."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import markdown
import pytest
import yaml
from conftest import GOLDEN, KINDS, LANGS, PINNED_DATE, TOPIC_IDS

from diplobrief.dossier import Dossier, load_dossier
from diplobrief.errors import UsageProblem
from diplobrief.i18n import after_label, names_in, translations, typeset
from diplobrief.i18n import gettext as catalog_text
from diplobrief.render import (
    _says_again,
    _sentences,
    build_context,
    dossier_names,
    escape_markdown,
    follow_up,
    lesson_label,
    render_document,
    stated_before,
)


def gettext(lang: str, message: str) -> str:
    """A label as the documents print it: translated, then typeset."""
    return typeset(catalog_text(lang, message), lang)


HEADINGS = {
    "briefing-note": ["Summary", "Sources"],
    "talking-points": ["Key messages", "Background — not for use", "Sources"],
    "lessons-learned": ["Follow-up (owner, moment)", "Sources"],
}
HEADER_FIELDS = ["To", "From", "Date", "Reference", "Purpose", "Classification"]
# Words that only appear in one language's fixed labels: none may leak into another.
FOREIGN_MARKERS = {
    "nl": ["Objet", "Contexte", "Sources\n", "Purpose", "Background"],
    "fr": ["Aanleiding", "Achtergrond", "Bronnen", "Purpose", "Background\n"],
    "en": ["Aanleiding", "Achtergrond", "Bronnen", "Objet", "Contexte"],
}
_MARKER = re.compile(r"\[\^[a-z0-9-]+\](?!:)")


def _front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end])


def _section(text: str, heading: str) -> str:
    """The text under one ``## heading``, up to the next heading."""
    start = text.index(f"\n## {heading}\n")
    rest = text[start + len(heading) + 5 :]
    return rest.split("\n## ", 1)[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_every_document_is_complete(dossier: Dossier, topic: str, kind: str, lang: str) -> None:
    text = render_document(dossier, topic, kind, lang).markdown
    meta = _front_matter(text)
    assert meta["lang"] == lang and meta["kind"] == kind and meta["topic"] == topic
    assert meta["dossier"] == "be-unsc-2019-2020"
    assert meta["date"] == PINNED_DATE
    assert meta["as_of"] == "2021-01"
    assert re.fullmatch(r"[0-9a-f]{16}", str(meta["facts_hash"]))
    assert meta["classification"] == gettext(lang, "UNCLASSIFIED")
    for field in HEADER_FIELDS:
        assert f"| **{gettext(lang, field)}** |" in text, field
    assert gettext(lang, "Information as of %(date)s.") % {"date": ""} in text.replace(
        {"nl": "januari 2021", "fr": "janvier 2021", "en": "January 2021"}[lang], ""
    )
    for heading in HEADINGS[kind]:
        assert f"## {gettext(lang, heading)}\n" in text, heading
    if kind == "briefing-note":
        # Only where the article states a position: no lines to take are invented.
        lines = f"## {gettext(lang, 'Lines to take')}\n"
        assert (lines in text) == bool(dossier.topics[topic].lines_to_take)
    if kind == "briefing-note" and not dossier.topics[topic].role:
        # Left out where the source gives no Belgian role: context goes to Background.
        role = gettext(lang, "Belgium's role and results")
        assert f"## {role}\n" not in text
    for marker in FOREIGN_MARKERS[lang]:
        assert f"## {marker}" not in text and f"**{marker}**" not in text
    cited = set(_MARKER.findall(text))
    defined = {f"[^{name}]" for name in re.findall(r"^\[\^([a-z0-9-]+)\]:", text, flags=re.M)}
    assert cited and cited == defined
    assert text.count(gettext(lang, "UNCLASSIFIED")) >= 3
    html = markdown.markdown(text, extensions=["footnotes", "tables", "meta"])
    assert "<script" not in html


# The briefing-note sections of DOCUMENT-FORMS.md, in its order (Purpose is a header field).
NOTE_SECTIONS = [
    "Summary",
    "Background",
    "Belgium's role and results",
    "State of play and challenges",
    "Lines to take",
    "If raised",
    "Sources",
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_briefing_note_sections_follow_the_form(dossier: Dossier, topic: str, lang: str) -> None:
    text = render_document(dossier, topic, "briefing-note", lang).markdown
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    expected = [gettext(lang, name) for name in NOTE_SECTIONS]
    assert headings == [name for name in expected if name in headings], headings
    # Left out where the source gives Belgium no role on the subject (context only), or
    # where every paragraph of it became a key point of the summary.
    role = gettext(lang, "Belgium's role and results") in headings
    statements = dossier.topics[topic].role
    if role:
        assert statements
    elif statements:
        summary = _section(text, gettext(lang, "Summary"))
        assert all(f"[^{fact}]" in summary for item in statements for fact in item.facts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_briefing_note_numbers_every_paragraph_and_sources_each(
    dossier: Dossier, topic: str, lang: str
) -> None:
    text = render_document(dossier, topic, "briefing-note", lang).markdown
    numbers = [int(n) for n in re.findall(r"^\*\*(\d+)\.\*\* ", text, flags=re.M)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3
    for line in text.splitlines():
        if re.match(r"^\*\*\d+\.\*\* ", line):
            assert _MARKER.search(line), line
    # Page 1: the bottom line and the key points come first, then any line to take.
    if dossier.topics[topic].lines_to_take:
        summary = text.index(gettext(lang, "Summary"))
        assert summary < text.index(gettext(lang, "Lines to take"))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_talking_points_are_clean_speech(dossier: Dossier, topic: str, lang: str) -> None:
    """No footnote marker in a spoken sentence; every anchor once, in the background block."""
    text = render_document(dossier, topic, "talking-points", lang).markdown
    background = gettext(lang, "Background — not for use")
    spoken, _, rest = text.partition(f"\n## {background}\n")
    assert rest, "background block missing"
    assert not _MARKER.search(spoken.split("\n## ", 1)[1])
    anchors = _MARKER.findall(rest.split("\n## ", 1)[0])
    assert anchors and len(anchors) == len(set(anchors))
    assert gettext(lang, "Supporting fact") not in text


@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_talking_points_background_is_the_same_in_every_language(
    dossier: Dossier, topic: str
) -> None:
    """Speakers briefed in different languages get the same anchors, in the same order."""
    blocks = {}
    for lang in LANGS:
        text = render_document(dossier, topic, "talking-points", lang).markdown
        block = _section(text, gettext(lang, "Background — not for use"))
        bullets = [line for line in block.splitlines() if line.startswith("- ")]
        blocks[lang] = (len(bullets), tuple(_MARKER.findall(block)))
    assert len(set(blocks.values())) == 1, blocks


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_lesson_parts_carry_their_own_sources(dossier: Dossier, topic: str, lang: str) -> None:
    text = render_document(dossier, topic, "lessons-learned", lang).markdown
    lesson = dossier.topics[topic].lessons[0]
    for name, part in lesson.parts().items():
        if name == "lesson":
            continue
        label = gettext(lang, lesson_label(name, part))
        line = next(line for line in text.splitlines() if line.startswith(f"**{label}.**"))
        drafters = name == "recommendation" and not getattr(part, "sourced", False)
        wanted = [] if drafters else [f"[^{fact_id}]" for fact_id in part.facts]
        assert _MARKER.findall(line) == wanted, line


@pytest.mark.parametrize("lang", LANGS)
def test_only_unsourced_recommendations_carry_the_drafting_team_label(
    dossier_copy: Path, lang: str
) -> None:
    # The bundled dossier's recommendations are all the drafting team's; marking one as
    # the article's own (in a copy) shows both labels at work.
    path = dossier_copy / "topics" / "human-rights.yaml"
    anchor = "      facts: [hr-agreed-language, hr-status-quo]\n"
    text = path.read_text(encoding="utf-8")
    assert text.endswith(anchor)
    path.write_text(text + "      sourced: true\n", encoding="utf-8")
    dossier = load_dossier(dossier_copy)
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    drafters = gettext(lang, "Recommendation (drafting team, not in the source)")
    article = gettext(lang, "Belgium's stated view (from the source)")
    # A theme the earlier parts state is not repeated, nor its recommendation.
    recommendations = [
        lesson.recommendation
        for topic in dossier.topics.values()
        for lesson in topic.lessons
        if lesson.recommendation is not None
        and f". {typeset(lesson.theme.get(lang), lang)}\n" in text
    ]
    sourced = sum(item.sourced for item in recommendations)
    assert 0 < sourced < len(recommendations)
    assert text.count(f"**{article}.**") == sourced
    assert text.count(f"**{drafters}.**") == len(recommendations) - sourced


@pytest.mark.parametrize("lang", LANGS)
def test_lessons_learned_for_the_whole_mandate(dossier: Dossier, lang: str) -> None:
    """Every topic's lessons, or (a lesson with nothing of its own) the parts they refer to."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    for topic in dossier.topics.values():
        if (
            topic.lessons
            and f"## {typeset(escape_markdown(topic.title.get(lang)), lang)}" not in text
        ):
            quotes = [
                fact.source.quote for fact in dossier.facts.values() if f"[^{fact.id}]" in text
            ]
            for lesson in topic.lessons:
                for part in lesson.parts().values():
                    for fact_id in part.facts:
                        assert stated_before(dossier.facts[fact_id].source.quote, quotes), fact_id


@pytest.mark.parametrize(
    ("lang", "number", "date", "month"),
    [
        ("nl", "25.000", "1 januari 2019", "februari 2020"),
        ("fr", "25\u202f000", "1er janvier 2019", "février 2020"),
        ("en", "25,000", "1 January 2019", "February 2020"),
    ],
)
def test_numbers_and_dates_follow_the_language(
    dossier: Dossier, lang: str, number: str, date: str, month: str
) -> None:
    text = render_document(dossier, "children-armed-conflict", "briefing-note", lang).markdown
    assert number in text
    assert date in text
    assert month in text


def test_french_typography(dossier: Dossier) -> None:
    text = render_document(dossier, "children-armed-conflict", "talking-points", "fr").markdown
    assert " ;" not in text and " :" not in text
    assert "\u202f;" in text or "\u00a0:" in text


def test_date_option_and_determinism(dossier: Dossier) -> None:
    first = render_document(dossier, "covid-19", "briefing-note", "nl", dt.date(2021, 3, 5))
    second = render_document(dossier, "covid-19", "briefing-note", "nl", dt.date(2021, 3, 5))
    assert first.markdown == second.markdown
    assert "5 maart 2021" in first.markdown
    assert "date: '2021-03-05'" in first.markdown


def test_unknown_topic_suggests(dossier: Dossier) -> None:
    with pytest.raises(UsageProblem) as info:
        render_document(dossier, "syria", "briefing-note", "en")
    assert str(info.value) == "Unknown topic 'syria'."
    assert info.value.suggestion == "Did you mean 'syria-humanitarian-access'?"


def test_all_is_only_for_lessons_learned(dossier: Dossier) -> None:
    with pytest.raises(UsageProblem):
        render_document(dossier, "all", "briefing-note", "en")


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="http://127.0.0.1:9/x">',
        "[click](javascript:alert(1))",
        "{{ config }} {% include 'x' %}",
        "# heading\n---\n| a | b |",
        "text {: onclick=evil }",
    ],
)
def test_markdown_escaping_keeps_data_literal(hostile: str) -> None:
    escaped = escape_markdown(hostile)
    html = markdown.markdown(f"- {escaped}", extensions=["footnotes", "tables", "attr_list"])
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "<h1" not in html and "<table" not in html and "onclick" not in html.split(">")[0]
    assert "\n" not in escaped


GOLDEN_CASES = [
    ("children-armed-conflict", "briefing-note", "en"),
    ("syria-humanitarian-access", "talking-points", "fr"),
    ("peacekeeping", "lessons-learned", "nl"),
    ("all", "lessons-learned", "en"),
]


@pytest.mark.parametrize(("topic", "kind", "lang"), GOLDEN_CASES)
def test_golden_documents(
    dossier: Dossier, topic: str, kind: str, lang: str, update_golden: bool
) -> None:
    """Reviewed outputs; regenerate with ``pytest tests/test_render.py --update-golden``."""
    path: Path = GOLDEN / f"{topic}.{kind}.{lang}.md"
    text = render_document(dossier, topic, kind, lang).markdown
    if update_golden:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_documents_are_dated_the_day_they_are_made(
    dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--date wins, then SOURCE_DATE_EPOCH (rebuilds), then today; as_of stays separate."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pinned = render_document(dossier, "covid-19", "briefing-note", "en")
    assert pinned.date == dt.date(2023, 11, 14) and "14 November 2023" in pinned.markdown
    assert "*Information as of January 2021.*" in pinned.markdown
    assert render_document(dossier, "covid-19", "briefing-note", "en").markdown == pinned.markdown
    chosen = render_document(dossier, "covid-19", "briefing-note", "en", dt.date(2022, 5, 2))
    assert chosen.date == dt.date(2022, 5, 2)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    today = render_document(dossier, "covid-19", "briefing-note", "en")
    assert today.date == dt.datetime.now(dt.UTC).date()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(UsageProblem):
        render_document(dossier, "covid-19", "briefing-note", "en")


def test_the_to_line_names_the_reader(dossier: Dossier) -> None:
    default = render_document(dossier, "covid-19", "briefing-note", "fr").markdown
    reader = "Représentation permanente de la Belgique auprès des Nations Unies à New York"
    assert f"| **À** | {reader} |" in default
    # To and From never name the same office.
    sender = default.split("| **De** | ", 1)[1].split(" |", 1)[0]
    assert reader not in sender and "Direction Nations Unies" not in reader
    chosen = render_document(dossier, "covid-19", "briefing-note", "fr", audience="RP New York")
    assert "| **À** | RP New York |" in chosen.markdown
    assert "BE-UNSC-2019-2020/COVID-19/BN/FR" in chosen.markdown


def test_unsayable_lines_are_background_only(dossier: Dossier) -> None:
    """A line not to be said stays in the background, labelled so that it points to no
    reactive line; a sayable one (Syria's sovereignty) is a reactive line, once."""
    text = render_document(dossier, "geopolitical-context", "talking-points", "en").markdown
    spoken, _, background = text.partition("## Background — not for use")
    assert "openly questioned the multilateral approach" not in spoken
    assert "*On the United States and multilateralism (not to be said):*" in background
    assert "If pressed on the United States" not in text
    syria = render_document(dossier, "syria-humanitarian-access", "talking-points", "en")
    spoken, _, background = syria.markdown.partition("## Background — not for use")
    assert spoken.count("exception to sovereignty") == 1
    assert "**If pressed on Syria’s sovereignty:** Cross-border aid is an exception" in spoken


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_reactive_lines_add_to_what_is_spoken(dossier: Dossier, topic: str, lang: str) -> None:
    """A reactive line says something the opening, messages and closing have not said,
    and every background entry labelled 'If pressed on …' has its reactive line."""
    text = render_document(dossier, topic, "talking-points", lang).markdown
    spoken = text.partition(f"\n## {gettext(lang, 'Background — not for use')}\n")[0]
    reactive_heading = f"\n## {gettext(lang, 'Reactive lines')}\n"
    said, _, reactive = spoken.partition(reactive_heading)
    said_sentences = _sentences(said.split("\n## ", 1)[1])
    for line in reactive.strip().splitlines():
        answer = line.split(":** ", 1)[1] if ":** " in line else line.split("** ", 1)[1]
        assert not _says_again(answer, said_sentences), line
    triggers = re.findall(r"^- \*\*(.+?)\s?:\*\*", reactive, flags=re.M)
    labelled = re.findall(r"^- \*(.+?)\s?:\*", text.partition(reactive_heading)[2], flags=re.M)
    prefix = gettext(lang, "If pressed on %(trigger)s") % {"trigger": ""}
    for label in labelled:
        if label.startswith(prefix.strip()):
            assert label in triggers, label


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", KINDS)
def test_markdown_is_typeset_like_the_pdf(dossier: Dossier, kind: str, lang: str) -> None:
    """One apostrophe style and en-dash ranges in the text, quotations aside; the front
    matter as written."""
    for topic in TOPIC_IDS:
        text = render_document(dossier, topic, kind, lang).markdown
        _, front, body = text.split("---\n", 2)
        assert yaml.safe_load(front)["topic"] == topic
        # A quotation keeps the source's own hyphens and apostrophes (test_fidelity).
        unquoted = re.sub(r"“[^“”]*”|«[^«»]*»", "", body)
        assert "'" not in unquoted
        assert not re.search(r"(?<![\w/-])\d{4}-\d{4}(?![\w/-])", unquoted)
        assert typeset(body, lang) == body
        if lang == "fr":  # the footnotes quote the Dutch source in its own punctuation
            french = [line for line in body.splitlines() if not line.startswith("[^")]
            assert not re.search(r"« | »|\w[;:!?»]", "\n".join(french).replace("[^", ""))


def test_french_labels_take_no_capital_after_their_colon(dossier: Dossier) -> None:
    """« *Message clé 1 :* la résolution… », « **Lire un mandat… :** le contexte… »: in
    every French document, text after a label's colon starts lower case, names apart."""
    after_colon = re.compile(r"\u00a0:\*{1,2} (\w+(?:[ ’']\w+)?)")
    names = dossier_names(dossier, "fr")
    # A list of labels after a label ("Sources des éléments tels que prononcés :
    # Introduction ; Message clé 1") keeps the labels' own capitals.
    labels = {str(text).split()[0] for text in translations("fr")._catalog.values() if text}
    checked = 0
    for topic in [*TOPIC_IDS, "all"]:
        for kind in KINDS if topic != "all" else ["lessons-learned"]:
            text = render_document(dossier, topic, kind, "fr").markdown
            for word in after_colon.findall(text):
                checked += 1
                kept = after_label(word, "fr", names) == word or word.split()[0] in labels
                assert not (word[0].isupper() and not kept), (topic, word)
    assert checked > 50
    assert after_label("La résolution 2231", "fr") == "la résolution 2231"
    assert after_label("L’ONU a vérifié", "fr") == "l’ONU a vérifié"
    assert after_label("Sa Majesté le Roi", "fr", names) == "Sa Majesté le Roi"
    assert after_label("Kuwait", "fr", names_in(["au Kuwait et au Qatar"])) == "Kuwait"
    assert after_label("La Belgique", "en") == "La Belgique"


@pytest.mark.parametrize("lang", LANGS)
def test_drafters_words_are_labelled_and_not_footnoted(dossier: Dossier, lang: str) -> None:
    """An inferred key lesson and an unsourced recommendation are the drafting team's:
    labelled so, with no source footnote that would make them look like the article's;
    a lesson or recommendation the article itself draws keeps its footnotes."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    inference = "*(" + gettext(lang, "drafting team's inference") + ")*"
    drafters = gettext(lang, "Recommendation (drafting team, not in the source)")
    inferred = [line for line in text.splitlines() if line.endswith(inference)]
    unsourced = [line for line in text.splitlines() if line.startswith(f"**{drafters}.**")]
    assert len(inferred) >= 10 and unsourced
    for line in inferred + unsourced:
        assert not _MARKER.search(line), line
    key_lessons = [line for line in text.splitlines() if re.match(r"^\d+\. \*\*", line)]
    see = gettext(lang, "See key lesson %(number)s.").split("%")[0].lower()
    sourced = [
        line for line in key_lessons if not line.endswith(inference) and see not in line.lower()
    ]
    assert sourced and all(_MARKER.search(line) for line in sourced)


def test_same_passage_counts_as_stated() -> None:
    """A quote is stated when earlier quotes hold most of it, in one piece or several."""
    first = "Wij hebben ook het thema overgangsjustitie op tafel gelegd."
    second = "Dit was het thema van een debat op hoog niveau tijdens het Belgische voorzitterschap."
    both = "overgangsjustitie op tafel gelegd. Dit was het thema van een debat op hoog niveau"
    assert stated_before(both, [first, second])
    assert not stated_before(both, [first])
    assert not stated_before("De Raad is een barometer.", [first, second])


@pytest.mark.parametrize("lang", LANGS)
def test_whole_mandate_lessons_state_each_fact_once(dossier: Dossier, lang: str) -> None:
    """Each part states its facts where they first appear; a later part whose facts were
    all stated refers to those parts; a lesson with nothing of its own is left out, and no
    key lesson is a bare reference to another."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    body = text.split(f"\n## {gettext(lang, 'Key lessons')}\n", 1)[1].split("\n### ", 1)[1]
    stated: list[str] = []
    see = gettext(lang, "See part %(parts)s.").split("%")[0]
    see_many = gettext(lang, "See parts %(parts)s.").split("%")[0]
    see_also = gettext(lang, "See also part %(parts)s.").split("%")[0]
    see_also_many = gettext(lang, "See also parts %(parts)s.").split("%")[0]
    standing = tuple(
        f"**{gettext(lang, name)}.**" for name in ("Context and objectives", "What worked")
    )
    pointed = 0  # pointers after a part's own text
    for number, block in enumerate(body.split("\n### "), 1):
        assert block.startswith(f"{number}. ")
        quotes = []
        for line in block.splitlines():
            facts = re.findall(r"\[\^([a-z0-9-]+)\]", line)
            if not line.startswith("**") or not facts:
                for target in re.findall(r"\b(\d+)\b", line.split(".**", 1)[-1]):
                    if see in line or see_many in line:
                        assert int(target) < number, line
                continue
            mine = [dossier.facts[fact_id].source.quote for fact_id in facts]
            if all(stated_before(quote, stated) for quote in mine):
                # Context and what worked keep their own text, and point on.
                assert line.startswith(standing), line
                assert see_also in line or see_also_many in line, line
                for target in re.findall(r"\b(\d+)\b", line.rsplit("]", 1)[-1]):
                    assert int(target) < number, line
                pointed += 1
            quotes += mine
        stated += quotes
        # A part that is nothing but references to earlier parts is left out.
        own = [
            line
            for line in block.splitlines()[1:]
            if line.startswith("**")
            and see not in line
            and see_many not in line
            and gettext(lang, "Not documented in the source.") not in line
        ]
        assert own, block
    # Each theme now draws on facts of its own (REVIEW r13 B9): nothing to point back to.
    assert pointed == 0
    see_key = gettext(lang, "See key lesson %(number)s.").split("%")[0]
    assert see_key not in text


def test_a_context_restating_an_earlier_part_keeps_its_text_and_points_on(
    dossier_copy: Path,
) -> None:
    """REVIEW r5 B8: a context whose facts an earlier part stated keeps its own text, so
    that the lesson reads without it, and points to that part."""
    path = dossier_copy / "topics" / "future-candidacy.yaml"
    topic = yaml.safe_load(path.read_text(encoding="utf-8"))
    said = "The term was preceded by an intensive campaign."
    topic["lessons"][0]["context"] = {
        "text": {"nl": said, "fr": said, "en": said},
        "facts": ["mandate-campaign"],
    }
    path.write_text(yaml.safe_dump(topic, allow_unicode=True), encoding="utf-8")
    rendered = render_document(load_dossier(dossier_copy), "all", "lessons-learned", "en")
    context = next(
        line
        for line in rendered.markdown.splitlines()
        if line.startswith(f"**Context and objectives.** {said}")
    )
    assert context.endswith("[^mandate-campaign] See also part 1.")


FORM_ORDER = (
    "Context and objectives",
    "What happened",
    "What worked",
    "What did not work",
    "Lesson",
    "Recommendation",
    "Evidence",
)


def _form_place(lang: str, label: str) -> int:
    """Where a rendered part label sits in the form's order of parts."""
    labels = {
        gettext(lang, "Lesson (drafting team's inference)"): "Lesson",
        gettext(lang, "Recommendation (drafting team, not in the source)"): "Recommendation",
        gettext(lang, "Belgium's stated view (from the source)"): "Recommendation",
        **{gettext(lang, name): name for name in FORM_ORDER},
    }
    return FORM_ORDER.index(labels[label])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("topic", [*TOPIC_IDS, "all"])
def test_every_lesson_shows_its_parts_in_the_forms_order(
    dossier: Dossier, topic: str, lang: str
) -> None:
    """REVIEW r7 B4: each theme runs context, what happened, what worked, what did not,
    the lesson (the drafters' inference labelled so), the recommendation and the
    evidence; a part the article gives nothing for is left out, not "not documented"
    (REVIEW r14 B2), and where what worked or what did not is left out the document says
    so once (REVIEW r12 B5, r13 B1); the follow-up, the same for every theme, is stated
    once after the themes."""
    text = render_document(dossier, topic, "lessons-learned", lang).markdown
    body = text.split("\n## " + gettext(lang, "Sources"))[0]
    themes, _, closing = body.partition("\n## " + gettext(lang, "Follow-up (owner, moment)"))
    blocks = re.split(r"\n#{2,3} \d+\. ", themes)[1:]
    assert blocks
    for block in blocks:
        labels = re.findall(r"^\*\*(.+?)\.\*\* (.*)$", block, flags=re.M)
        places = [_form_place(lang, label) for label, _ in labels]
        assert places == sorted(set(places)), labels
        assert FORM_ORDER.index("Lesson") in places and places[-1] == len(FORM_ORDER) - 1
        assert all(said for _, said in labels)
    assert "Not documented" not in text and "Non documenté" not in text
    silent = gettext(
        lang,
        "Where the source says nothing of what worked or of what did not work on a theme,"
        " that part is left out.",
    )
    asked = {gettext(lang, "What worked"), gettext(lang, "What did not work")}
    missing = any(
        not asked <= {label for label, _ in re.findall(r"^\*\*(.+?)\.\*\* (.*)$", b, re.M)}
        for b in blocks
    )
    assert (typeset(silent, lang) in text) == missing
    assert closing.strip() == follow_up(dossier, lang)
    assert text.count(follow_up(dossier, lang)) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_the_lesson_stands_in_its_theme(dossier: Dossier, lang: str) -> None:
    """REVIEW r7 B4: the lesson is in the theme, after what did not work; one theme has
    no "Key lessons" list that would only repeat it, several have one."""
    single = render_document(dossier, "children-armed-conflict", "lessons-learned", lang)
    view = build_context(dossier, "children-armed-conflict", "lessons-learned", lang)
    lesson = view.topics[0].lessons[0]
    label = gettext(lang, "Lesson (drafting team's inference)")
    assert lesson.inferred
    expected = f"**{label}.** {typeset(escape_markdown(lesson.lesson.text), lang)}"
    assert expected in single.markdown.splitlines()
    assert f"## {gettext(lang, 'Key lessons')}\n" not in single.markdown
    whole = render_document(dossier, "all", "lessons-learned", lang).markdown
    assert f"## {gettext(lang, 'Key lessons')}\n" in whole


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_names_the_sections_the_footnotes_quote(dossier: Dossier, lang: str) -> None:
    """REVIEW r7 B4: the evidence line names the source's sections that the theme's
    footnotes come from, and no other; the passages themselves stay in the footnotes."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    label = f"**{gettext(lang, 'Evidence')}.** "
    themes = re.split(
        r"\n### \d+\. ", text.split("\n## " + gettext(lang, "Follow-up (owner, moment)"))[0]
    )[1:]
    assert themes
    for block in themes:
        evidence = next(line for line in block.splitlines() if line.startswith(label))
        cited = dict.fromkeys(re.findall(r"\[\^([a-z0-9-]+)\]", block))
        untitled = gettext(lang, "introduction (untitled)")
        sections = {dossier.facts[fact_id].source.section or untitled for fact_id in cited}
        named = set(re.findall(r"[“«]\u202f?(.+?)\u202f?[”»]", evidence))
        assert sections <= named, (sections, evidence)
        assert not _MARKER.search(evidence)


@pytest.mark.parametrize("lang", LANGS)
def test_whole_mandate_lessons_say_where_a_folded_theme_went(dossier: Dossier, lang: str) -> None:
    """REVIEW r7 C13: the COVID theme states only facts "Dynamics within the Council"
    already states; the document says so under the COVID heading instead of dropping it."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown

    def shown(value: str) -> str:
        return typeset(escape_markdown(value), lang)

    covid, dynamics = dossier.topics["covid-19"], dossier.topics["council-dynamics"]
    section = text.split(f"\n## {shown(covid.title.get(lang))}\n", 1)[1].split("\n## ", 1)[0]
    theme = shown(covid.lessons[0].theme.get(lang))
    assert theme in section
    if "\n### " not in section:
        heading = rf"\n### (\d+)\. {re.escape(shown(dynamics.lessons[0].theme.get(lang)))}\n"
        number = re.search(heading, text)
        assert number and f" {number.group(1)} " in section


@pytest.mark.parametrize(
    ("lang", "context"),
    [
        ("en", "Belgium held the Council presidency in February 2020, the month after Brexit."),
        ("fr", "Brexit"),
        ("nl", "brexit"),
    ],
)
def test_a_whole_mandate_lesson_reads_without_its_context(
    dossier: Dossier, lang: str, context: str
) -> None:
    """REVIEW r5 B8: the presidency's context is its own text, not "See part 9." (EU
    coordination); a pointer to the earlier part may follow it."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    label = f"**{gettext(lang, 'Context and objectives')}.**"
    contexts = [line for line in text.splitlines() if line.startswith(label)]
    assert contexts and all(_MARKER.search(line) for line in contexts)
    presidency = [line for line in contexts if "[^presidency-month]" in line]
    assert len(presidency) == 1 and context in presidency[0]
    see = gettext(lang, "See part %(parts)s.").split("%")[0]
    assert not any(line.removeprefix(label).strip().startswith(see) for line in contexts)


def test_dutch_references_to_several_parts_take_the_article() -> None:
    """ "Zie de delen 12 en 14." (REVIEW C8), as French "Voir les parties"; one part
    stays "Zie deel 1."."""
    assert gettext("nl", "See parts %(parts)s.") == "Zie de delen %(parts)s."
    assert gettext("fr", "See parts %(parts)s.") == "Voir les parties %(parts)s."
    assert gettext("nl", "See part %(parts)s.") == "Zie deel %(parts)s."


@pytest.mark.parametrize(("lang", "label"), [("en", "Purpose"), ("fr", "Objet"), ("nl", "Doel")])
@pytest.mark.parametrize("kind", KINDS)
def test_the_purpose_is_the_forms_header_field_in_every_kind(
    dossier: Dossier, kind: str, lang: str, label: str
) -> None:
    """DOCUMENT-FORMS' header block names it "Purpose / Objet / Doel", a full sentence;
    the form's first section ("Aanleiding") is that field, deliberately not a second
    section restating it (REVIEW r5 C11)."""
    text = render_document(dossier, "covid-19", kind, lang).markdown
    assert gettext(lang, "Purpose") == label
    rows = re.findall(r"^\| \*\*(.+?)\*\* \| (.+) \|$", text, flags=re.M)
    assert [name for name, _ in rows] == [gettext(lang, name) for name in HEADER_FIELDS]
    assert _MARKER.sub("", rows[4][1]).rstrip().endswith(".")
    assert not re.search(r"^## (Aanleiding|Objet|Purpose|Doel)$", text, flags=re.M)


@pytest.mark.parametrize("lang", LANGS)
def test_a_note_without_a_line_to_take_says_it_brings_the_facts(
    dossier: Dossier, lang: str
) -> None:
    """The purpose promises a line to take only where the note has one: the source
    states no position on Belgium's other tasks, so that note brings the facts."""

    def purpose(topic: str) -> str:
        text = render_document(dossier, topic, "briefing-note", lang).markdown
        return dict(re.findall(r"^\| \*\*(.+?)\*\* \| (.+) \|$", text, flags=re.M))[
            gettext(lang, "Purpose")
        ]

    with_line, without = purpose("covid-19"), purpose("other-tasks")
    line = {"en": "line to take", "fr": "lignes à tenir", "nl": "te volgen lijn"}[lang]
    assert line in with_line
    assert line not in without
    assert without.split(":")[0] == with_line.split(":")[0]


@pytest.mark.parametrize(
    ("lang", "topic", "kind", "first", "article"),
    [
        (
            "en",
            "children-armed-conflict",
            "lessons-learned",
            "the United Nations (UN) verified",
            "",
        ),
        (
            "fr",
            "children-armed-conflict",
            "lessons-learned",
            "l’Organisation des Nations Unies (ONU) a vérifié",
            "",
        ),
        (
            "nl",
            "children-armed-conflict",
            "lessons-learned",
            "de Verenigde Naties (VN) meer dan",
            "",
        ),
        (
            "en",
            "peacekeeping",
            "briefing-note",
            "in the United Nations Multidimensional",
            "MINUSMA",
        ),
        (
            "nl",
            "peacekeeping",
            "briefing-note",
            "in de VN-vredesmissie in Mali (MINUSMA) als",
            "MINUSMA",
        ),
    ],
)
def test_acronyms_are_spelled_out_name_first_at_first_use(
    dossier: Dossier, lang: str, topic: str, kind: str, first: str, article: str
) -> None:
    """REVIEW r7 C1: "United Nations (UN)", « Organisation des Nations Unies (ONU) »,
    "Verenigde Naties (VN)": the full name first, at first use only; a bare acronym after
    a preposition ("in MINUSMA") takes the article its full name needs."""
    text = render_document(dossier, topic, kind, lang).markdown
    body = text.split("\n## ", 1)[1].split("\n[^")[0]
    assert first in body
    for acronym in dossier.mandate.acronyms:
        short, long = acronym.short.get(lang), acronym.long.get(lang)
        assert f"{short} ({long})" not in body
        assert body.count(f"{long} ({short})") <= 1
    if article:
        assert f"in {article}" in body.split(f"({article})", 1)[1]  # later: the acronym


@pytest.mark.parametrize("lang", LANGS)
def test_sources_of_the_spoken_lines_are_one_line_each(dossier: Dossier, lang: str) -> None:
    """REVIEW r7 C12: the background lists each spoken line on its own line with its
    footnotes, not one run-on line of footnote calls."""
    text = render_document(dossier, "syria-humanitarian-access", "talking-points", lang).markdown
    heading = f"- *{gettext(lang, 'Sources of the lines as spoken')}"
    lines = text.split(heading, 1)[1].split("\n")[1:]
    items = [line for line in lines[: lines.index("")] if line.startswith("    - ")]
    assert len(items) >= 3
    arrow = f" → {gettext(lang, 'source')}[^"
    assert all(arrow in line and line.endswith("]") for line in items)
    assert items[0].startswith(f"    - {gettext(lang, 'Opening')} → ")
    html = markdown.markdown(text.split("\n---\n", 1)[1], extensions=["footnotes"])
    assert html.count("<li>") >= len(items)


@pytest.mark.parametrize("lang", LANGS)
def test_talking_points_without_reactive_lines_say_so(dossier: Dossier, lang: str) -> None:
    """DOCUMENT-FORMS lists reactive lines; where the source gives no trigger, the
    background says there are none rather than leaving the reader to wonder."""
    none = gettext(lang, "No reactive lines: the source points to no question to prepare for.")
    quiet = render_document(dossier, "eu-coordination", "talking-points", lang).markdown
    pressed = render_document(dossier, "covid-19", "talking-points", lang).markdown
    assert none in quiet and f"## {gettext(lang, 'Reactive lines')}" not in quiet
    assert none not in pressed and f"## {gettext(lang, 'Reactive lines')}" in pressed
