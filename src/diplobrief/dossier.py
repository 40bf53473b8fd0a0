"""The dossier: typed, validated models loaded from a folder of YAML files.

Validation happens here, at the edge, and collects every problem before it
reports; the rest of the program works with these frozen models only. The models
are plain frozen dataclasses that pydantic validates: pydantic builds its
validators only when the edge needs them, so a command that reads a verified
snapshot (``snapshot.py``) never pays for them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar

from diplobrief.errors import DossierError
from diplobrief.output import is_folder
from diplobrief.yamlfile import KeyPath, YamlDocument, load_yaml

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter, ValidationError
    from pydantic_core import CoreSchema

LANGUAGES = ("nl", "fr", "en")
MAX_QUOTE_WORDS = 25
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Limits, with room to spare over the real dossier (longest text 345 characters,
# longest title 101, largest number 25,000); see SECURITY.md.
MAX_TEXT_CHARS = 2_000
MAX_TITLE_CHARS = 500
MAX_NUMBER = 10**15
MAX_YEAR = 9999
RESERVED_IDS = ("all",)
# C0 controls but tab and line ends, DEL, C1 controls, and the Unicode line separators.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _plain_text(text: str) -> str:
    """Text a reader can see: not blank, and no control characters (terminal escapes)."""
    if not text.strip():
        raise ValueError("must not be empty or blank")
    control = _CONTROL.search(text)
    if control:
        raise ValueError(
            f"control character U+{ord(control.group()):04X} at position {control.start() + 1}"
        )
    return text


def _finite(number: float) -> float:
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("must be a finite number")
    if abs(number) > MAX_NUMBER:
        raise ValueError(f"must be between -{MAX_NUMBER:.0e} and {MAX_NUMBER:.0e}")
    return number


def _month(value: str) -> str:
    if value.startswith("0000"):
        raise ValueError("the year must be 1 or later")
    return value


@dataclass(frozen=True)
class Rules:
    """What pydantic checks beyond a field's type. pydantic's own constraint objects
    are made from it only when pydantic builds a validator: importing them imports
    pydantic's model machinery, which a warm start (``snapshot.py``) never needs."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None
    discriminator: str | None = None
    after: Callable[[Any], Any] | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        import pydantic

        bounds = {name: getattr(self, name) for name in ("min_length", "max_length", "ge", "le")}
        metadata: list[Any] = []
        if self.pattern is not None:
            metadata.append(pydantic.StringConstraints(pattern=self.pattern))
        if any(value is not None for value in bounds.values()):
            metadata.append(pydantic.Field(**bounds))
        if self.discriminator is not None:
            metadata.append(pydantic.Discriminator(self.discriminator))
        if self.after is not None:
            metadata.append(pydantic.AfterValidator(self.after))
        annotated = Annotated.__class_getitem__((source, *metadata))  # type: ignore[attr-defined]
        return handler.generate_schema(annotated)


Id = Annotated[str, Rules(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
NonEmpty = Annotated[str, Rules(min_length=1, max_length=MAX_TEXT_CHARS, after=_plain_text)]
ShortText = Annotated[str, Rules(min_length=1, max_length=MAX_TITLE_CHARS, after=_plain_text)]
Placeholder = Annotated[str, Rules(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=80)]
Number = Annotated[int | float, Rules(after=_finite)]
Year = Annotated[int, Rules(ge=1, le=MAX_YEAR)]
Count = Annotated[int, Rules(ge=0, le=MAX_NUMBER)]
Positive = Annotated[int, Rules(ge=1, le=MAX_NUMBER)]
Month = Annotated[str, Rules(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", after=_month)]
FactIds = Annotated[list[Id], Rules(min_length=1)]


@dataclass(frozen=True)
class Model:
    """A frozen record; pydantic validates it strictly, and no unknown key passes."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid", "strict": True}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        schema = handler(source)
        # Strict fields, but a YAML mapping is how a record arrives (strict alone
        # would accept only an instance of the dataclass).
        if schema["type"] == "dataclass":
            return {**schema, "strict": False}
        return schema  # a reference to the model's schema, made (and loosened) once


@dataclass(frozen=True, kw_only=True)
class Text(Model):
    """One text in the three languages."""

    nl: NonEmpty
    fr: NonEmpty
    en: NonEmpty

    def get(self, lang: str) -> str:
        return str(getattr(self, lang))


@dataclass(frozen=True, kw_only=True)
class Title(Text):
    """A title in the three languages: short, for headings, covers and running heads."""

    nl: ShortText
    fr: ShortText
    en: ShortText


@dataclass(frozen=True, kw_only=True)
class Aliases(Model):
    """Other names a user may call the topic by, per language."""

    nl: list[NonEmpty]
    fr: list[NonEmpty]
    en: list[NonEmpty]


@dataclass(frozen=True, kw_only=True)
class NumberValue(Model):
    """A quantity, formatted the language's way (25.000, 25 000, 25,000)."""

    type: Literal["number"]
    value: Number


@dataclass(frozen=True, kw_only=True)
class YearValue(Model):
    """A year, written as is."""

    type: Literal["year"]
    value: Year


@dataclass(frozen=True, kw_only=True)
class ResolutionValue(Model):
    """A Security Council resolution number, written as is."""

    type: Literal["resolution"]
    value: Positive


@dataclass(frozen=True, kw_only=True)
class OrdinalValue(Model):
    """A rank, with the language's ordinal suffix (6de, 6e, 6th)."""

    type: Literal["ordinal"]
    value: Positive


@dataclass(frozen=True, kw_only=True)
class DateValue(Model):
    """A day, written out in the language."""

    type: Literal["date"]
    value: dt.date


@dataclass(frozen=True, kw_only=True)
class MonthValue(Model):
    """A month of a year (YYYY-MM), written out in the language."""

    type: Literal["month"]
    value: Month

    @property
    def first_day(self) -> dt.date:
        year, month = self.value.split("-")
        return dt.date(int(year), int(month), 1)


@dataclass(frozen=True, kw_only=True)
class YearsValue(Model):
    """A span of years."""

    type: Literal["years"]
    start: Year
    end: Year


@dataclass(frozen=True, kw_only=True)
class NameValue(Model):
    """A name that differs by language."""

    type: Literal["name"]
    nl: NonEmpty
    fr: NonEmpty
    en: NonEmpty


Value = Annotated[
    NumberValue
    | YearValue
    | ResolutionValue
    | OrdinalValue
    | DateValue
    | MonthValue
    | YearsValue
    | NameValue,
    Rules(discriminator="type"),
]


@dataclass(frozen=True, kw_only=True)
class SourceRef(Model):
    """Where a fact comes from: the source, its section and a short quote."""

    ref: Id
    # Left out for a passage in an untitled introduction: no heading is invented.
    section: ShortText | None = None
    quote: NonEmpty


@dataclass(frozen=True, kw_only=True)
class Fact(Model):
    """One sourced fact; ``{name}`` placeholders in its text take its values."""

    id: Id
    text: Text
    values: dict[Placeholder, Value] = field(default_factory=dict)
    source: SourceRef
    # About the source itself (a photo caption, the author's career): sourced and
    # answerable, but never stated in a briefing note as a fact about its subject.
    about_source: bool = False


@dataclass(frozen=True, kw_only=True)
class Statement(Model):
    """A sentence of a document and the facts that support it."""

    text: Text
    facts: FactIds


@dataclass(frozen=True, kw_only=True)
class IfRaised(Model):
    """A defensive line: what to answer if the subject is raised."""

    trigger: Text
    response: Text
    facts: FactIds
    # Faithful but not to be said aloud: shown as background, never as a line to speak.
    background: bool = False


@dataclass(frozen=True, kw_only=True)
class Recommendation(Statement):
    """A lesson's recommendation. ``sourced`` says the article itself makes it (its facts
    carry the article's own words); otherwise it is the drafting team's and is labelled so."""

    sourced: bool = False


@dataclass(frozen=True, kw_only=True)
class LessonStatement(Statement):
    """A lesson drawn from the facts. ``sourced`` says the article itself draws it; otherwise
    it is the drafting team's inference, labelled so and not footnoted (its observation,
    in the other parts, is)."""

    sourced: bool = False


LESSON_PARTS = ("context", "what_happened", "worked", "did_not_work", "lesson", "recommendation")


@dataclass(frozen=True, kw_only=True)
class Lesson(Model):
    """One theme; every part carries the facts that support that part alone."""

    theme: Text
    context: Statement | None = None
    what_happened: Statement
    worked: Statement | None = None
    did_not_work: Statement | None = None
    lesson: LessonStatement
    recommendation: Recommendation | None = None

    def parts(self) -> dict[str, Statement]:
        """The parts that are present, in reading order."""
        found = {name: getattr(self, name) for name in LESSON_PARTS}
        return {name: part for name, part in found.items() if part is not None}

    @property
    def facts(self) -> list[str]:
        """Every fact of every part, once, in reading order."""
        ids = (fact_id for part in self.parts().values() for fact_id in part.facts)
        return list(dict.fromkeys(ids))


@dataclass(frozen=True, kw_only=True)
class Topic(Model):
    """One subject of the mandate: its facts and the lines drawn from them."""

    id: Id
    order: Annotated[int, Rules(ge=-MAX_NUMBER, le=MAX_NUMBER)]
    title: Title
    # A shorter title for the PDF running head, where the full one would be cut.
    running_title: Title | None = None
    summary: Statement
    aliases: Aliases
    # Ids of topics this one took over (merged into it): they still name it everywhere
    # a topic id is read, so commands, packs and evaluation sets written with them work.
    replaces: list[Id] = field(default_factory=list)
    facts: Annotated[list[Fact], Rules(min_length=1)]
    # Briefing note: background statements of facts shared with other topics (the
    # topic's own unstated facts follow them there).
    background: list[Statement] = field(default_factory=list)
    role: list[Statement]
    challenges: list[Statement]
    opening: Statement | None = None
    closing: Statement | None = None
    key_messages: Annotated[list[Statement], Rules(min_length=1)]
    lines_to_take: list[Statement]
    if_raised: list[IfRaised]
    lessons: list[Lesson]


@dataclass(frozen=True, kw_only=True)
class Term(Model):
    """The term on the body, from its first day to its last."""

    start: dt.date
    end: dt.date
    ordinal: Positive
    facts: FactIds


@dataclass(frozen=True, kw_only=True)
class YearSpan(Model):
    """A span of years (a previous term, the next candidacy)."""

    start_year: Year
    end_year: Year
    facts: FactIds


@dataclass(frozen=True, kw_only=True)
class Campaign(Model):
    """The campaign for the seat."""

    month: Month
    supporting_countries: Count
    facts: FactIds


@dataclass(frozen=True, kw_only=True)
class Composition(Model):
    """Who sits on the body."""

    permanent_members: list[Text]
    elected_members: Count
    elected_term_years: Positive
    facts: FactIds


@dataclass(frozen=True, kw_only=True)
class Acronym(Model):
    """Spelled out at its first use in a document: ``SHORT (long)``."""

    short: Text
    long: Text


@dataclass(frozen=True, kw_only=True)
class Source(Model):
    """A source the facts are drawn from."""

    id: Id
    author: ShortText
    title: ShortText
    author_function: Text
    language: Literal["nl", "fr", "en"]


Classification = Literal["unclassified", "restricted", "confidential", "secret", "top-secret"]


@dataclass(frozen=True, kw_only=True)
class Mandate(Model):
    """The mandate record: what every document of the dossier shares."""

    id: Id
    title: Title
    running_title: Title | None = None
    issuer: Title
    country: Text
    body: Text
    term: Term
    previous_term: YearSpan
    campaign: Campaign
    next_candidacy: YearSpan
    composition: Composition
    classification: Classification = "unclassified"
    as_of: dt.date | Annotated[str, Rules(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    audience: Text | None = None
    acronyms: list[Acronym] = field(default_factory=list)
    sources: Annotated[list[Source], Rules(min_length=1)]


@dataclass(frozen=True)
class Dossier:
    """A loaded, cross-checked dossier."""

    path: Path
    mandate: Mandate
    topics: dict[str, Topic]
    facts: dict[str, Fact]
    fact_topic: dict[str, str]

    @property
    def id(self) -> str:
        return self.mandate.id

    @property
    def mandate_facts(self) -> set[str]:
        """The facts behind the mandate record (term, campaign, composition…)."""
        return _mandate_facts(self.mandate)

    def source(self, ref: str) -> Source:
        return next(source for source in self.mandate.sources if source.id == ref)

    def topic_id(self, name: str) -> str | None:
        """The topic an id names: its own, or the one that replaced it; None if neither."""
        if name in self.topics:
            return name
        return next((topic.id for topic in self.topics.values() if name in topic.replaces), None)


def _mandate_facts(mandate: Mandate) -> set[str]:
    keys = ("term", "previous_term", "campaign", "next_candidacy", "composition")
    return {fact_id for key in keys for fact_id in getattr(mandate, key).facts}


def pydantic_problems(doc: YamlDocument, error: ValidationError) -> list[str]:
    """One ``file: key.path (line N): message`` per pydantic error."""
    problems = []
    for item in error.errors():
        loc: KeyPath = tuple(
            part
            for index, part in enumerate(item["loc"])
            if not _is_union_tag(part, item["loc"][index - 2] if index >= 2 else None)
        )
        message = item["msg"]
        if item["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
            message = "unknown key"
        elif item["type"] == "missing":
            message = "missing"
        elif item["type"] == "union_tag_invalid":
            message = "unknown value type; expected one of " + item["ctx"]["expected_tags"]
        elif item["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        problems.append(f"{doc.where(loc)}: {message}")
    return problems


def _is_union_tag(part: str | int, grandparent: str | int | None) -> bool:
    # pydantic adds the discriminator tag after a value's name (values.year.<tag>), and
    # model names to other union locations; a key named like a tag stays.
    if not isinstance(part, str):
        return False
    return part.endswith("Value") or (part in _TAGS and grandparent == "values")


_TAGS = {"number", "year", "resolution", "ordinal", "date", "month", "years", "name"}


M = TypeVar("M", bound=Model)


_ADAPTERS: dict[type[Model], TypeAdapter[Any]] = {}


def validate(model: type[M], data: object) -> M:
    """``data`` (from YAML) as ``model``; raises pydantic's ValidationError.

    pydantic builds the model's validator on first use, so only commands that
    validate pay for it."""
    if model not in _ADAPTERS:
        from pydantic import TypeAdapter

        _ADAPTERS[model] = TypeAdapter(model)
    result: M = _ADAPTERS[model].validate_python(data)
    return result


def _validate(doc: YamlDocument, model: type[M]) -> M | list[str]:
    from pydantic import ValidationError

    if not isinstance(doc.data, dict):
        return [f"{doc.path}: line 1: the top level must be a mapping of keys"]
    try:
        return validate(model, doc.data)
    except ValidationError as exc:
        return pydantic_problems(doc, exc)


def normalize_space(text: str) -> str:
    """Collapse all runs of white space, so quotes match across line breaks."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def load_dossier(path: Path, source_text: str | None = None) -> Dossier:
    """Load and cross-check a dossier folder; raise DossierError listing every problem."""
    if not is_folder(path):
        raise DossierError([f"{path}: not a dossier folder"])
    problems: list[str] = []
    mandate_doc: YamlDocument | None = None
    mandate: Mandate | None = None
    try:
        mandate_doc = load_yaml(path / "dossier.yaml", root=path)
        result = _validate(mandate_doc, Mandate)
        if isinstance(result, list):
            problems.extend(result)
        else:
            mandate = result
    except DossierError as exc:
        problems.extend(exc.problems)

    topic_files = sorted((path / "topics").glob("*.yaml")) if is_folder(path / "topics") else []
    if not topic_files:
        problems.append(f"{path / 'topics'}: no topic files (*.yaml)")
    topic_docs: list[tuple[YamlDocument, Topic]] = []
    for topic_file in topic_files:
        try:
            doc = load_yaml(topic_file, root=path)
        except DossierError as exc:
            problems.extend(exc.problems)
            continue
        checked = _validate(doc, Topic)
        if isinstance(checked, list):
            problems.extend(checked)
            continue
        topic = checked
        if topic.id != topic_file.stem:
            problems.append(f"{doc.where(('id',))}: must match the file name '{topic_file.stem}'")
        elif topic.id in RESERVED_IDS:
            problems.append(f"{doc.where(('id',))}: '{topic.id}' is reserved (the whole mandate)")
        topic_docs.append((doc, topic))

    facts: dict[str, Fact] = {}
    fact_topic: dict[str, str] = {}
    fact_where: dict[str, str] = {}
    for doc, topic in topic_docs:
        for index, fact in enumerate(topic.facts):
            where = doc.where(("facts", index, "id"))
            if fact.id in facts:
                problems.append(
                    f"{where}: duplicate fact id '{fact.id}' (also {fact_where[fact.id]})"
                )
                continue
            facts[fact.id] = fact
            fact_topic[fact.id] = topic.id
            fact_where[fact.id] = doc.where(("facts", index))

    source_ids = {source.id for source in mandate.sources} if mandate else set()
    normalized_source = normalize_space(source_text) if source_text is not None else None
    # Unknown while dossier.yaml itself is broken: then this check waits for the fix.
    shared = _mandate_facts(mandate) if mandate else None
    for doc, topic in topic_docs:
        problems.extend(
            _check_topic(doc, topic, facts, fact_topic, shared, source_ids, normalized_source)
        )

    if mandate is not None and mandate_doc is not None:
        problems.extend(_check_mandate(mandate_doc, mandate, path))
        for key in ("term", "previous_term", "campaign", "next_candidacy", "composition"):
            for index, ref in enumerate(getattr(mandate, key).facts):
                if ref not in facts:
                    where = mandate_doc.where((key, "facts", index))
                    problems.append(f"{where}: unknown fact id '{ref}'")

    seen_topics: dict[str, str] = {}
    for doc, topic in topic_docs:
        if topic.id in seen_topics:
            problems.append(f"{doc.where(('id',))}: duplicate topic id '{topic.id}'")
        seen_topics[topic.id] = str(doc.path)
    problems.extend(_check_replaces(topic_docs))

    if problems or mandate is None:
        raise DossierError(problems)
    topics = {
        topic.id: topic for _, topic in sorted(topic_docs, key=lambda t: (t[1].order, t[1].id))
    }
    return Dossier(path=path, mandate=mandate, topics=topics, facts=facts, fact_topic=fact_topic)


def topic_spellings(topic: Topic) -> list[str]:
    """A topic's titles and aliases in every language: the names a user may give it."""
    titles = [topic.title.get(lang) for lang in LANGUAGES]
    return titles + [alias for lang in LANGUAGES for alias in getattr(topic.aliases, lang)]


def _check_replaces(topic_docs: list[tuple[YamlDocument, Topic]]) -> list[str]:
    """A replaced id names one topic only: not a topic's id, not reserved, not replaced
    twice, and not (folded) another topic's title or alias."""
    from diplobrief.resolve import fold

    ids = {topic.id for _, topic in topic_docs}
    names: dict[str, set[str]] = {}
    for _, topic in topic_docs:
        for spelling in topic_spellings(topic):
            names.setdefault(fold(spelling), set()).add(topic.id)
    problems: list[str] = []
    seen: dict[str, str] = {}
    for doc, topic in topic_docs:
        for index, old in enumerate(topic.replaces):
            where = doc.where(("replaces", index))
            others = sorted(names.get(fold(old), set()) - {topic.id})
            if old in ids:
                problems.append(f"{where}: '{old}' is a topic id; a topic cannot replace it")
            elif old in RESERVED_IDS:
                problems.append(f"{where}: '{old}' is reserved (the whole mandate)")
            elif old in seen:
                problems.append(f"{where}: '{old}' is already replaced (also {seen[old]})")
            elif others:
                problems.append(f"{where}: '{old}' is a title or alias of topic '{others[0]}'")
            seen.setdefault(old, where)
    return problems


def _check_mandate(doc: YamlDocument, mandate: Mandate, path: Path) -> list[str]:
    """What one field alone cannot say: order of dates, and the folder's name."""
    problems = []
    folder = Path(os.path.realpath(path)).name
    if mandate.id != folder:
        problems.append(f"{doc.where(('id',))}: must match the folder name '{folder}'")
    if mandate.term.end < mandate.term.start:
        problems.append(f"{doc.where(('term', 'end'))}: the term ends before it starts")
    for key in ("previous_term", "next_candidacy"):
        span = getattr(mandate, key)
        if span.end_year < span.start_year:
            problems.append(f"{doc.where((key, 'end_year'))}: ends before it starts")
    return problems


def _check_topic(
    doc: YamlDocument,
    topic: Topic,
    facts: dict[str, Fact],
    fact_topic: dict[str, str],
    mandate_facts: set[str] | None,
    source_ids: set[str],
    source_text: str | None,
) -> list[str]:
    problems: list[str] = []
    for index, fact in enumerate(topic.facts):
        for name, value in fact.values.items():
            if isinstance(value, YearsValue) and value.end < value.start:
                where = doc.where(("facts", index, "values", name, "end"))
                problems.append(f"{where}: ends before it starts")
        for lang in LANGUAGES:
            for name in sorted(placeholders(fact.text.get(lang)) - set(fact.values)):
                problems.append(
                    f"{doc.where(('facts', index, 'text', lang))}: placeholder "
                    f"'{{{name}}}' has no value in 'values'"
                )
        if source_ids and fact.source.ref not in source_ids:
            where = doc.where(("facts", index, "source", "ref"))
            problems.append(f"{where}: unknown source '{fact.source.ref}'")
        quote = normalize_space(fact.source.quote)
        if len(quote.split()) > MAX_QUOTE_WORDS:
            problems.append(
                f"{doc.where(('facts', index, 'source', 'quote'))}: quote is longer than "
                f"{MAX_QUOTE_WORDS} words"
            )
        if source_text is not None and quote not in source_text:
            problems.append(
                f"{doc.where(('facts', index, 'source', 'quote'))}: quote not found verbatim "
                "in the source text"
            )

    def check_statement(
        key_path: KeyPath, texts: dict[str, Text | None], fact_ids: list[str]
    ) -> None:
        values: set[str] = set()
        for position, fact_id in enumerate(fact_ids):
            if fact_id not in facts:
                problems.append(
                    f"{doc.where((*key_path, 'facts', position))}: unknown fact id '{fact_id}'"
                )
            else:
                values |= set(facts[fact_id].values)
        for field_name, text in texts.items():
            if text is None:
                continue
            for lang in LANGUAGES:
                for name in sorted(placeholders(text.get(lang)) - values):
                    problems.append(
                        f"{doc.where((*key_path, field_name, lang))}: placeholder "
                        f"'{{{name}}}' is not a value of the facts listed"
                    )

    for key in ("background", "role", "challenges", "key_messages", "lines_to_take"):
        for index, statement in enumerate(getattr(topic, key)):
            check_statement((key, index), {"text": statement.text}, statement.facts)
    for key in ("summary", "opening", "closing"):
        statement = getattr(topic, key)
        if statement is not None:
            check_statement((key,), {"text": statement.text}, statement.facts)
    for index, item in enumerate(topic.if_raised):
        check_statement(
            ("if_raised", index), {"trigger": item.trigger, "response": item.response}, item.facts
        )
    for index, lesson in enumerate(topic.lessons):
        check_statement(("lessons", index), {"theme": lesson.theme}, lesson.facts)
        for name, part in lesson.parts().items():
            key_path: KeyPath = ("lessons", index, name)
            check_statement(key_path, {"text": part.text}, part.facts)
            for position, fact_id in enumerate(part.facts):
                owner = fact_topic.get(fact_id, topic.id)
                if owner != topic.id and mandate_facts is not None and fact_id not in mandate_facts:
                    problems.append(
                        f"{doc.where((*key_path, 'facts', position))}: fact '{fact_id}' "
                        f"belongs to topic '{owner}'; a lesson part cites facts of its own "
                        "topic or of the mandate"
                    )
        for name in ("lesson", "recommendation"):
            claimed = getattr(lesson, name)
            if claimed is None or not claimed.sourced:
                continue
            key_path = ("lessons", index, name)
            for position, fact_id in enumerate(claimed.facts):
                cited = facts.get(fact_id)
                if cited is not None and (cited.about_source or fact_topic[fact_id] != topic.id):
                    problems.append(
                        f"{doc.where((*key_path, 'facts', position))}: a sourced {name} "
                        f"rests on what the article says of this topic; fact "
                        f"'{fact_id}' is not a fact of topic '{topic.id}' about its subject"
                    )
    return problems
