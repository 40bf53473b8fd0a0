"""Retrieval over the dossier: BM25 on stemmed words in all three languages, with typos mended.

Every text is indexed in its own language, each word as ``lang:stem`` (Snowball stemmers
for Dutch, French and English), numbers as ``#:digits``. A word of a question is looked up
under all three stems and counts once, with its best match, so a French word in an English
question still finds the French statement and no word is counted three times. A word found
nowhere is mended to the closest word of the dossier (RapidFuzz), when one is close enough.

Two indexes share that analysis: one whose documents are the facts (what a fact answer is
built from) and one whose documents are the topics' titles and aliases (what a document
request names).
"""

from __future__ import annotations

import bisect
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import snowballstemmer
from pydantic_core import to_jsonable_python
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from diplobrief import i18n
from diplobrief.chat import glossary, lexicon, rarity
from diplobrief.chat.text import code_name, fold, phrase, raw_words, words
from diplobrief.dossier import LANGUAGES, Dossier, Fact, NameValue, Topic

_STEMMER_NAMES = {"nl": "dutch", "fr": "french", "en": "english"}
# Weight of a word the chat had to mend: a guess counts for less than a word typed right.
MENDED_WEIGHT = 0.8
# An unknown word of more letters than this may be an inflection of a dossier word that
# starts with the same SAME_START letters and differs in length by INFLECTION at most.
SAME_START = 7
# … and at least this share of the unknown word ("terreuraanslagen" is no "terreurdreiging").
SAME_SHARE = 0.7
INFLECTION = 3
# The known last part of a compound has this many letters at least ("aanslagen").
COMPOUND_HEAD = 5
# A synonym's stem shorter than this finds too much ("mener" and "mène" are "men").
MIN_SYNONYM_STEM = 4
# Words shorter than this are not mended: one slip away from a four-letter word is
# another word ("film" is not "file", "soir" not "soit").
MIN_MENDED = 5
# Two facts whose English texts are this similar (RapidFuzz ratio) say the same thing.
SAME_STATEMENT = 80.0
# Mended words remembered per process (a long chat must not grow without bound).
MENDED_CACHE = 50_000
# What a number counts: this many content words after it ("181 member states").
COUNT_WINDOW = 3
# Weight of a word naming the dossier's own frame (its country, body, title).
FRAME_WEIGHT = 0.3
# Weight of a word of any subject ("exactly", "klopt", "concrètement") that the dossier
# does not hold: how a question is put, not what it asks.
GENERIC_WEIGHT = 0.15
# The same kind of word where a fact happens to hold it ("last", "exact", "main").
KNOWN_GENERIC_WEIGHT = 0.35
# Weight of a word the dossier does not hold that is common in general language
# (``rarity``): "shapes", "gained", "veld" say how a question is put more than what it
# asks; a rare one keeps the full weight of an unseen word.
COMMON_WEIGHT = 0.7


@lru_cache(maxsize=3)
def _stemmer(lang: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAMES[lang])


@lru_cache(maxsize=65536)
def stem(word: str, lang: str) -> str:
    """The Snowball stem of a folded word in one language (cached: stemming is pure Python)."""
    return str(_stemmer(lang).stemWord(word))


Lemmas = dict[str, dict[str, str]]


def terms(word: str, lemmas: Lemmas | None = None) -> tuple[str, ...]:
    """The index terms a folded word may stand for: the stem of its lemma in each language
    (and of the word itself, for a form the lemma table does not know), or a number."""
    if word.isdigit():
        return (f"#:{word.lstrip('0') or '0'}",)
    found = [f"#:{lexicon.NUMBER_VALUES[word]}"] if word in lexicon.NUMBER_VALUES else []
    for lang in LANGUAGES:
        if lemmas is not None:
            found.append(f"{lang}:{stem(_lemma(lemmas[lang], word, lang), lang)}")
        found.append(f"{lang}:{stem(word, lang)}")
    return tuple(dict.fromkeys(found))


def _auxiliary(spoken: list[str], position: int, lang: str) -> bool:
    """Whether a word is a participle of "avoir" or "être" after an auxiliary ("il y a
    eu", "a été"): a function word there, not the EU nor the summer."""
    forms = lexicon.AUXILIARY_PARTICIPLES.get(lang, {})
    word = spoken[position]
    return position > 0 and word in forms and spoken[position - 1] in forms[word]


def _lemma(table: dict[str, str], word: str, lang: str) -> str:
    """A word's lemma, unless that is a function word: "eu" (had) is "avoir" in French, and
    would make "EU" match every French sentence with "il y a eu"."""
    lemma = table.get(word, word)
    return word if lemma in lexicon.STOP_WORDS[lang] else lemma


def text_terms(text: str, lang: str, lemmas: Lemmas | None = None) -> list[str]:
    """The index terms of a text written in ``lang``, without that language's stop words:
    each word's lemma (simplemma's dictionary), stemmed (Snowball)."""
    stop = lexicon.STOP_WORDS[lang]
    table = lemmas[lang] if lemmas is not None else {}
    found = []
    spoken = words(text)
    for position, word in enumerate(spoken):
        if word.isdigit():
            found.append(terms(word)[0])
        elif word not in stop and len(word) > 1 and not _auxiliary(spoken, position, lang):
            mark = lexicon.SENSE_MARK if other_sense(spoken, position) else ""
            found.append(f"{lang}:{stem(_lemma(table, word, lang), lang)}{mark}")
            # "vier bouwstenen" holds the 4 of "the 4 building blocks".
            if word in lexicon.NUMBER_VALUES:
                found.append(f"#:{lexicon.NUMBER_VALUES[word]}")
    return found


def other_sense(spoken: Sequence[str], position: int) -> bool:
    """Whether a word takes another sense from its neighbour ("led" in "led to")."""
    word = spoken[position]
    before = spoken[position - 1] if position else ""
    after = spoken[position + 1] if position + 1 < len(spoken) else ""
    return (word, after) in lexicon.OTHER_SENSES or (before, word) in lexicon.OTHER_SENSES


def lemma_tables(texts: Iterable[tuple[str, str]]) -> Lemmas:
    """Folded word form → folded lemma, per language, for the lemmas the texts use.

    simplemma's dictionaries (shipped in its wheel) cover every inflection; only the forms
    whose lemma is a lemma of the dossier are kept, so a user's "steunden", "pilotées" or
    "reduced" finds the dossier's "steun", "piloter", "reduce", and the table is small
    enough to cache with the index (loading the dictionaries costs ~0.6 s per process).
    """
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    factory = DefaultDictionaryFactory()
    raw: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for text, lang in texts:
        raw[lang].update(raw_words(text))
    tables: Lemmas = {}
    for lang in LANGUAGES:
        dictionary = factory.get_dictionary(lang)
        table: dict[str, str] = {}
        for word in sorted(raw[lang]):  # sorted: a folded form seen twice gets one lemma
            table[fold(word)] = fold(dictionary.get(word) or word)
        # Kept: forms whose lemma stems like a dossier lemma (the verb "steunen" of the
        # dossier's noun "steun"); the four-letter prefix spares stemming most lemmas.
        wanted = {stem(lemma, lang) for lemma in table.values()}
        prefixes = {item[:4] for item in wanted}
        for form, lemma in dictionary.items():
            folded = fold(lemma)
            if folded[:4] in prefixes and stem(folded, lang) in wanted:
                table.setdefault(fold(form), folded)
        tables[lang] = {form: lemma for form, lemma in table.items() if form != lemma}
    return tables


@dataclass(frozen=True)
class QueryWord:
    """One word of a question as retrieval sees it."""

    typed: str
    terms: tuple[str, ...]
    weight: float
    # The terms that say how rare the word is: its own, not its synonyms' (a common word
    # does not become rare because a rare synonym of it exists). Empty: all its terms.
    own: tuple[str, ...] = ()
    # A glossary term's forms, each as the terms of its content words: a text holds the
    # term when it holds every word of one form ("permanent representative", not the
    # "permanent" of "permanent members"). Empty: any of ``terms`` will do.
    forms: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # A typo mended to a dossier word: a guess, which alone does not make a fact answer.
    mended: bool = False
    # A word of the dossier's frame (its country, the Council): every fact is about it,
    # said or not, so it counts as covered by every fact.
    frame: bool = False

    def found_in(self, *bags: Counter[str]) -> bool:
        """Whether texts (bags of terms, taken together) hold this word."""
        if self.forms:
            return any(
                all(any(term in bag for bag in bags for term in part) for part in form)
                for form in self.forms
            )
        return any(term in bag for bag in bags for term in self.terms)

    @property
    def known(self) -> bool:
        return bool(self.terms)


@dataclass
class Bm25:
    """Okapi BM25 over bags of terms (k1 = 1.2, b = 0.75, the usual defaults).

    Written out rather than imported: the well-known packages either pull in NumPy and
    SciPy (bm25s) or are no longer maintained (rank-bm25); this is the formula and a
    postings table, for a corpus of a few hundred short documents.
    """

    documents: Sequence[Counter[str]]
    k1: float = 1.2
    b: float = 0.75
    postings: dict[str, list[tuple[int, int]]] = field(init=False)
    idf: dict[str, float] = field(init=False)
    norms: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.postings = defaultdict(list)
        for number, document in enumerate(self.documents):
            for term, count in document.items():
                self.postings[term].append((number, count))
        total = len(self.documents)
        self.idf = {
            term: math.log(1 + (total - len(rows) + 0.5) / (len(rows) + 0.5))
            for term, rows in self.postings.items()
        }
        lengths = [sum(document.values()) for document in self.documents]
        average = (sum(lengths) / total) if total else 1.0
        self.norms = [self.k1 * (1 - self.b + self.b * length / average) for length in lengths]

    @property
    def unseen_idf(self) -> float:
        """The weight of a word found nowhere: that of a word found in a single document."""
        total = len(self.documents)
        return math.log(1 + (total - 0.5) / 1.5)

    def word_idf(self, word: QueryWord) -> float:
        """A query word's rarity: its rarest known term, or the weight of an unseen word."""
        known = [self.idf[term] for term in word.own or word.terms if term in self.idf]
        if not known and word.own:
            # A word the dossier lacks, found by its synonyms: as rare as the commonest.
            synonyms = [self.idf[term] for term in word.terms if term in self.idf]
            return min(synonyms) if synonyms else self.unseen_idf
        return max(known) if known else self.unseen_idf

    def scores(self, query: Sequence[QueryWord]) -> list[float]:
        """The BM25 score of every document; each query word counts with its best term."""
        totals = [0.0] * len(self.documents)
        for word in query:
            best: dict[int, float] = {}
            for term in word.terms:
                idf = self.idf.get(term)
                if idf is None:
                    continue
                for number, count in self.postings[term]:
                    value = idf * count * (self.k1 + 1) / (count + self.norms[number])
                    if value > best.get(number, 0.0):
                        best[number] = value
            for number, value in best.items():
                totals[number] += value * word.weight
        return totals

    def coverage(
        self, query: Sequence[QueryWord], number: int, also: Counter[str] | None = None
    ) -> float:
        """The share of the question's weight (rarity x weight) that one document contains.

        ``also`` is a second bag of terms that counts as part of the document: a fact's
        topic title and aliases, so "the ICC" is covered by a fact of the ICC topic.
        """
        document = self.documents[number]
        extra = also or Counter()
        total = matched = 0.0
        for word in query:
            weight = self.word_idf(word) * word.weight
            total += weight
            if word.frame or word.found_in(document, extra):
                matched += weight
        return matched / total if total else 0.0


def _fact_texts(fact: Fact) -> Iterable[tuple[str, str]]:
    for lang in LANGUAGES:
        yield i18n.fill(fact.text.get(lang), fact.values, lang), lang
    yield fact.source.quote, "nl"
    # What the typed values are (a term's "start" and "end", a campaign's "countries"):
    # "when did the term begin?" finds the fact whose value is the start.
    yield " ".join(name.replace("_", " ").replace("-", " ") for name in fact.values), "en"
    for value in fact.values.values():
        if isinstance(value, NameValue):
            for lang in LANGUAGES:
                yield getattr(value, lang), lang
        else:
            raw = to_jsonable_python(value, exclude={"type"})
            yield " ".join(str(part) for part in raw.values()), "en"


def _record_names(fact_id: str, records: dict[str, tuple[str, ...]]) -> list[tuple[str, str]]:
    """The names of the mandate record a fact belongs to, in nl, fr and en ("term",
    "campaign", "election"): what the fact is, though its statement does not say it."""
    return [
        (lexicon.RECORD_NAMES[name], lang)
        for name, found in records.items()
        if fact_id in found
        for lang in LANGUAGES
    ]


def _topic_texts(topic: Topic) -> Iterable[tuple[str, str]]:
    yield topic.id.replace("-", " "), "en"
    for old in topic.replaces:  # the ids it replaced still name it
        yield old.replace("-", " "), "en"
    for lang in LANGUAGES:
        yield topic.title.get(lang), lang
        for alias in getattr(topic.aliases, lang):
            yield str(alias), lang


def _bag(texts: Iterable[tuple[str, str]], lemmas: Lemmas) -> Counter[str]:
    bag: Counter[str] = Counter()
    for text, lang in texts:
        bag.update(text_terms(text, lang, lemmas))
    return bag


class Gazetteer:
    """Country names (folded, in nl, fr and en) and their region codes."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.longest = max((len(name.split()) for name in names), default=1)
        self.words = frozenset(word for name in names for word in name.split())
        # Words of five letters or more: their first four letters start a demonym too.
        self.long_words = frozenset(word for word in self.words if len(word) >= 5)

    def find(self, spoken: Sequence[str]) -> set[str]:
        """The region codes of the countries named in folded words ("verenigde staten": US)."""
        return {code for _, _, code in self.spans(spoken)}

    def spans(self, spoken: Sequence[str]) -> list[tuple[int, int, str]]:
        """Where folded words name a country: (start, end, region code), longest first."""
        found = []
        for size in range(self.longest, 0, -1):
            for start in range(len(spoken) - size + 1):
                code = self.names.get(" ".join(spoken[start : start + size]))
                if code is not None:
                    found.append((start, start + size, code))
        return found


_MANDATE_RECORDS = ("term", "previous_term", "campaign", "next_candidacy", "composition")
_YEAR = range(1900, 2100)
_VALUE_KINDS = {
    "number": ("count",),
    "ordinal": ("count", "ordinal"),
    "date": ("time", "date"),
    "month": ("time",),
    "year": ("time",),
    "years": ("time",),
    "resolution": ("resolution",),
    "name": ("name",),
}
# Capitalised words that name the dossier's own frame, not an answer to "what is it called".
_FRAME_NAMES = frozenset(
    phrase(
        """belgium belgian belgie belgique belge council security united nations un vn onu
        eu ue veiligheidsraad conseil securite unies verenigde naties raad the de la le les
        het source"""
    ).split()
)


def value_kinds(fact: Fact, countries: Gazetteer) -> set[str]:
    """The kinds of value a fact holds, from its typed values and its statement.

    "count" (a number that is not a year, or a number word), "time" (a year, month or
    date), "date" (a full date), "resolution", "name" (a proper name other than the
    dossier's own frame: Belgium, the Council, the UN) and "country".
    """
    kinds: set[str] = set()
    for value in fact.values.values():
        kinds.update(_VALUE_KINDS.get(value.type, ()))
    texts = [i18n.fill(fact.text.get(lang), fact.values, lang) for lang in LANGUAGES]
    for text in texts:
        spoken = words(text)
        for position, word in enumerate(spoken):
            if word.isdigit():
                year = int(word) in _YEAR and len(word) == 4
                after_resolution = position > 0 and spoken[position - 1].startswith("resol")
                kinds.add("resolution" if after_resolution else "time" if year else "count")
            elif word in lexicon.NUMBER_WORDS:
                kinds.add("count")
            elif word in lexicon.MONTH_WORDS:
                kinds.add("time")
            elif word in lexicon.CURRENCY_WORDS:
                kinds.add("amount")
            elif word in lexicon.VOTE_WORDS:
                kinds.add("vote")
        padded = f" {' '.join(spoken)} "
        if any(f" {cue} " in padded for cue in lexicon.RELATIVE_TIME):
            kinds.add("time")
        if "€" in text or "$" in text:
            kinds.add("amount")
        if any(
            word in lexicon.DURATION_UNITS
            and any(
                before.isdigit() or before in lexicon.NUMBER_WORDS or before in lexicon.ONE_WORDS
                for before in spoken[max(0, position - 2) : position]
            )
            for position, word in enumerate(spoken)
        ):
            kinds.add("duration")  # "three months", "two years", "een heel jaar"
        if countries.find(spoken):
            kinds.add("country")
    if any(gives_reason(text, lang) for text, lang in zip(texts, LANGUAGES, strict=True)):
        kinds.add("reason")
        if proper_names(text, countries):
            kinds.add("name")
    return kinds


def gives_reason(text: str, lang: str) -> bool:
    """Whether a text gives a reason: a causal or purpose connective of its language
    ("because", "omdat", "parce que", "in order to")."""
    padded = f" {' '.join(words(text))} "
    return any(f" {marker} " in padded for marker in lexicon.REASON_MARKERS[lang])


_OF = frozenset({"of", "van", "de", "d"})


def counted_terms(fact: Fact, lemmas: Lemmas) -> set[str]:
    """The index terms of what a fact counts: the content words right after each of its
    numbers ("181 countries", "6 EU stake-outs", "twee hernieuwingsprocessen"), so "how
    many crossings?" is not answered by a fact that counts renewal processes."""
    found: set[str] = set()
    for text, lang in _fact_texts(fact):
        spoken = words(text)
        stop = lexicon.STOP_WORDS[lang]
        for position, word in enumerate(spoken):
            if not (word[:1].isdigit() or word in lexicon.NUMBER_WORDS):
                continue
            following = [
                item
                for item in spoken[position + 1 : position + 1 + 2 * COUNT_WINDOW]
                if item not in stop and not item[:1].isdigit()
            ][:COUNT_WINDOW]
            # "a theoretical total of 14", "een totaal van 14", "un total théorique de 14".
            if position > 1 and spoken[position - 1] in _OF:
                following += [
                    item for item in spoken[position - 3 : position - 1] if item not in stop
                ]
            for item in following:
                found.update(terms(item, lemmas))
    # A typed value's name says what it counts: "countries", "possible", "members".
    for name, value in fact.values.items():
        if value.type in ("number", "ordinal"):
            for item in name.replace("_", " ").replace("-", " ").split():
                found.update(terms(item, lemmas))
    return found


def proper_names(text: str, countries: Gazetteer) -> set[str]:
    """The folded proper names of a text: capitalised words after its first that are not
    the frame, a country, a month or an adjective made from them ("Syrische")."""
    roots = {word[:4] for word in _FRAME_NAMES | countries.long_words}
    found = set()
    for position, raw in enumerate(text.split()):
        bare = raw.strip("“”\"'«»()[],.;:!?")
        folded = phrase(bare)
        if (
            position > 0
            and bare[:1].isupper()
            and folded not in _FRAME_NAMES
            and folded not in countries.words
            and folded not in lexicon.MONTH_WORDS
            and folded[:4] not in roots
        ):
            found.add(folded)
    return found


def agent_nouns(spoken: Iterable[str]) -> set[str]:
    """The agent nouns among folded words (a body or a role: "committee", "voorzitter"),
    a Dutch compound standing for its last part ("sanctiecomite": "comite")."""
    found = set()
    for word in spoken:
        if word in lexicon.AGENT_NOUNS:
            found.add(word)
            continue
        for size in range(len(word) - 3, 4, -1):
            if word[-size:] in lexicon.AGENT_NOUNS:
                found.add(word[-size:])
                break
    return found


def agents_in(text: str, countries: Gazetteer, own: frozenset[str] = frozenset()) -> set[str]:
    """Who a text names, each agent one phrase: countries ("@BE"; the dossier's own country,
    whose folded names are ``own``, is "@self"), named bodies and people with the agent
    noun before them ("ministère de la Défense", "Hoge Commissaris"), acronyms ("A3"),
    and bare agent nouns ("committee"); never the frame alone (the Council, the UN)."""
    spoken = words(text)
    found = {f"@{code}" for code in countries.find(spoken)}
    if own & set(spoken):
        found.add("@self")
    tokens = [raw.strip("“”\"'«»()[],.;:!?") for raw in text.split()]
    folded = [phrase(token) for token in tokens]
    in_span: set[int] = set()
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if not (token[:1].isupper() and (position > 0 or token.isupper())):
            position += 1
            continue
        first = position
        while first > 0 and (
            folded[first - 1] in lexicon.NAME_CONNECTORS
            or bool(agent_nouns(folded[first - 1].split()))
        ):
            first -= 1
        while first < position and folded[first] in lexicon.NAME_CONNECTORS:
            first += 1
        last = position
        while last + 1 < len(tokens) and (
            tokens[last + 1][:1].isupper()
            or (
                folded[last + 1] in lexicon.NAME_CONNECTORS
                and last + 2 < len(tokens)
                and tokens[last + 2][:1].isupper()
            )
        ):
            last += 1
        name = " ".join(folded[first : last + 1]).strip()
        parts = name.split()
        # Adjectives made from a country or the frame ("Belgische", "Syrische") name no one.
        roots = {word[:4] for word in _FRAME_NAMES | countries.long_words | own}
        if parts and not all(
            part[:4] in roots
            or part in _FRAME_NAMES
            or part in lexicon.FRAME_AGENTS
            or part in countries.words
            or part in lexicon.MONTH_WORDS
            or part in lexicon.NAME_CONNECTORS
            or part in own
            for part in parts
        ):
            found.add(name)
        in_span.update(range(first, last + 1))
        position = last + 1
    for position, word in enumerate(folded):
        if position not in in_span:
            found.update(agent_nouns(word.split()))
    return {agent for agent in found if agent and agent not in lexicon.FRAME_AGENTS}


def fact_agents(fact: Fact, countries: Gazetteer, own: frozenset[str] = frozenset()) -> set[str]:
    """Who a fact names, in any of its three languages: what can answer "who …?"."""
    found: set[str] = set()
    for lang in LANGUAGES:
        text = i18n.fill(fact.text.get(lang), fact.values, lang)
        found.update(agents_in(text, countries, own))
    return found


def fact_people(fact: Fact, countries: Gazetteer, lower_case: set[str]) -> set[str]:
    """The people a fact names: two or more capitalised words in a row, or one right after
    a person's role ("Minister Wilmès"), none of them a word the dossier also writes in
    lower case ("Second World War", "New York"), a country, the frame, a month or a role
    ("Haute-Commissaire"): "Bert Versmessen".

    A capitalised particle inside a name counts ("minister De Croo"), and a name is
    written alike in two of the three languages: a title or a body is translated
    ("His Majesty", "Zijne Majesteit"; "Internationaal Strafhof", "Deputy Commander").
    """
    seen: dict[str, set[str]] = {}
    named: set[str] = set()
    for lang in LANGUAGES:
        run: list[str] = []
        before = ""
        text = i18n.fill(fact.text.get(lang), fact.values, lang)
        for raw in [*text.split(), ""]:
            bare = raw.strip("“”\"'«»()[],.;:!?")
            folded = phrase(bare)
            if (
                bare[:1].isupper()
                and not bare.isupper()
                and folded
                and " " not in folded
                and (
                    folded in lexicon.NAME_CONNECTORS
                    or (
                        folded not in lower_case
                        and folded not in _FRAME_NAMES
                        and folded not in countries.words
                        and folded not in lexicon.MONTH_WORDS
                        and not agent_nouns([folded])
                    )
                )
            ):
                run.append(folded)
                if not raw.endswith((",", ".", ";", ":", "!", "?")):
                    continue
                folded = ""
            if run and run[-1] not in lexicon.NAME_CONNECTORS:
                name = " ".join(run)
                seen.setdefault(name, set()).add(lang)
                if len(run) >= 2 or before in lexicon.PERSON_NOUNS:
                    named.add(name)
            run = []
            before = folded
    return {name for name in named if len(seen[name]) >= 2}


def own_country_words(dossier: Dossier) -> frozenset[str]:
    """The folded words naming the dossier's own country, in its three languages."""
    return frozenset(
        word for lang in LANGUAGES for word in words(dossier.mandate.country.get(lang))
    )


def build_state(dossier: Dossier, countries: Gazetteer) -> dict[str, Any]:
    """Everything the index derives from a dossier, as plain JSON-able data (cached on disk).

    Entities are extracted here, once: the countries each fact and topic names, the kinds
    of value each fact holds and the numbers it states.
    """
    facts = dossier.facts
    surface: set[str] = set()
    for fact in facts.values():
        for text, _ in _fact_texts(fact):
            surface.update(words(text))
    for topic in dossier.topics.values():
        for text, _ in _topic_texts(topic):
            surface.update(words(text))
    surface.update(lexicon_words())
    # Mending aims at content words only: "weather" must not become "whether".
    vocabulary = sorted(
        word
        for word in surface
        if len(word) > 3 and not word.isdigit() and word not in lexicon.ALL_STOP_WORDS
    )
    lemmas = lemma_tables(
        [
            *(item for fact in facts.values() for item in _fact_texts(fact)),
            *(item for topic in dossier.topics.values() for item in _topic_texts(topic)),
            *((word, lang) for lang in LANGUAGES for word in lexicon_words()),
        ]
    )
    lower_case = {
        phrase(word)
        for fact in facts.values()
        for lang in LANGUAGES
        for word in fact.text.get(lang).split()
        if word.islower()
    }
    records = {name: tuple(getattr(dossier.mandate, name).facts) for name in _MANDATE_RECORDS}
    record = [fact_id for found in records.values() for fact_id in found]
    return {
        "fact_ids": list(facts),
        "fact_topic": dict(dossier.fact_topic),
        "topic_ids": list(dossier.topics),
        "lemmas": lemmas,
        "fact_bags": [
            dict(_bag([*_fact_texts(fact), *_record_names(fact_id, records)], lemmas))
            for fact_id, fact in facts.items()
        ],
        "topic_bags": [
            dict(_bag(_topic_texts(topic), lemmas)) for topic in dossier.topics.values()
        ],
        "fact_texts": {fact_id: " ".join(words(fact.text.en)) for fact_id, fact in facts.items()},
        "fact_words": {
            fact_id: sorted({word for text, _ in _fact_texts(fact) for word in words(text)})
            for fact_id, fact in facts.items()
        },
        "value_kinds": {
            fact_id: sorted(value_kinds(fact, countries)) for fact_id, fact in facts.items()
        },
        "fact_counted": {
            fact_id: sorted(counted_terms(fact, lemmas)) for fact_id, fact in facts.items()
        },
        "fact_numbers": {
            fact_id: sorted(
                {
                    str(lexicon.NUMBER_VALUES.get(word, word))
                    for text, lang in _fact_texts(fact)
                    for word in words(text)
                    if word.isdigit()
                    or (word in lexicon.NUMBER_VALUES and word not in lexicon.STOP_WORDS[lang])
                }
            )
            for fact_id, fact in facts.items()
        },
        "topic_numbers": {
            topic.id: sorted(
                {word for text, _ in _topic_texts(topic) for word in words(text) if word.isdigit()}
            )
            for topic in dossier.topics.values()
        },
        "fact_agents": {
            fact_id: sorted(fact_agents(fact, countries, own_country_words(dossier)))
            for fact_id, fact in facts.items()
        },
        "own_country": sorted(own_country_words(dossier)),
        "fact_people": {
            fact_id: sorted(fact_people(fact, countries, lower_case))
            for fact_id, fact in facts.items()
        },
        "fact_names": {
            fact_id: sorted(
                {
                    name
                    for lang in LANGUAGES
                    for name in proper_names(
                        i18n.fill(fact.text.get(lang), fact.values, lang), countries
                    )
                }
            )
            for fact_id, fact in facts.items()
        },
        "fact_countries": {
            fact_id: sorted(
                {code for text, _ in _fact_texts(fact) for code in countries.find(words(text))}
            )
            for fact_id, fact in facts.items()
        },
        "topic_countries": {
            topic.id: sorted(
                {code for text, _ in _topic_texts(topic) for code in countries.find(words(text))}
            )
            for topic in dossier.topics.values()
        },
        "topic_subject_countries": {
            topic.id: sorted(
                {
                    code
                    for lang in LANGUAGES
                    for code in countries.find(words(topic.title.get(lang)))
                }
            )
            for topic in dossier.topics.values()
        },
        "rarity": rarity.table(),
        "synonym_keys": synonym_keys(),
        "summary_facts": {topic.id: list(topic.summary.facts) for topic in dossier.topics.values()},
        "record_facts": record,
        "source_facts": [fact_id for fact_id, fact in facts.items() if fact.about_source],
        "vocabulary": vocabulary,
        "surface": sorted(surface),
        "term_years": [str(dossier.mandate.term.start.year), str(dossier.mandate.term.end.year)],
        "frame_words": sorted(
            {
                word
                for text in (dossier.mandate.title, dossier.mandate.country, dossier.mandate.body)
                for lang in LANGUAGES
                for word in words(text.get(lang))
                if word not in lexicon.ALL_STOP_WORDS and not word.isdigit()
            }
        ),
    }


class Index:
    """The dossier's facts and topics, ready to be searched.

    Built from ``build_state`` (or its copy in the on-disk cache). ``countries`` knows the
    country names, to tell which facts name a country: they answer "which countries …?",
    and a country a question names must be in its answer.
    """

    def __init__(self, state: dict[str, Any], countries: Gazetteer) -> None:
        self.fact_ids: list[str] = list(state["fact_ids"])
        self.fact_number = {fact_id: number for number, fact_id in enumerate(self.fact_ids)}
        self.fact_topic: dict[str, str] = dict(state["fact_topic"])
        self.topic_ids: list[str] = list(state["topic_ids"])
        self.topic_number = {topic_id: number for number, topic_id in enumerate(self.topic_ids)}
        self.facts = Bm25([Counter(bag) for bag in state["fact_bags"]])
        self.topics = Bm25([Counter(bag) for bag in state["topic_bags"]])
        if len(self.facts.documents) != len(self.fact_ids) or len(self.topics.documents) != len(
            self.topic_ids
        ):
            raise ValueError("index state: documents and ids differ in number")
        self.fact_texts: dict[str, str] = dict(state["fact_texts"])
        self.fact_words = {key: frozenset(found) for key, found in state["fact_words"].items()}
        self.value_types = {key: frozenset(kinds) for key, kinds in state["value_kinds"].items()}
        self.fact_numbers = {key: frozenset(found) for key, found in state["fact_numbers"].items()}
        self.fact_counted = {key: frozenset(found) for key, found in state["fact_counted"].items()}
        self.topic_numbers = {
            key: frozenset(found) for key, found in state["topic_numbers"].items()
        }
        self.fact_countries = {
            key: frozenset(codes) for key, codes in state["fact_countries"].items()
        }
        self.fact_agents = {key: frozenset(found) for key, found in state["fact_agents"].items()}
        self.own_country = frozenset(state["own_country"])
        self.fact_people = {key: tuple(found) for key, found in state["fact_people"].items()}
        self.fact_names = {key: frozenset(found) for key, found in state["fact_names"].items()}
        self.topic_countries = {
            key: frozenset(codes) for key, codes in state["topic_countries"].items()
        }
        self.topic_subject_countries = {
            key: frozenset(codes) for key, codes in state["topic_subject_countries"].items()
        }
        self.summary_facts = {key: tuple(ids) for key, ids in state["summary_facts"].items()}
        # Each topic's facts in the dossier's order.
        self.topic_facts: dict[str, tuple[str, ...]] = {
            topic_id: tuple(
                fact_id for fact_id in self.fact_ids if self.fact_topic[fact_id] == topic_id
            )
            for topic_id in self.topic_ids
        }
        self.record_facts = frozenset(state["record_facts"])
        # Facts about the source itself (its author's career, its photographs).
        self.source_facts = frozenset(state["source_facts"])
        self.rarity = rarity.Rarity(state["rarity"])
        self.synonym_keys = {
            str(key): tuple(int(number) for number in numbers)
            for key, numbers in state["synonym_keys"].items()
        }
        if any(
            number >= len(lexicon.SYNONYM_GROUPS)
            for numbers in self.synonym_keys.values()
            for number in numbers
        ):
            raise ValueError("index state: a synonym group that the lexicon lacks")
        self.term_years = tuple(state["term_years"])
        self.vocabulary = tuple(state["vocabulary"])
        self.frame_words = frozenset(state["frame_words"])
        self.lemmas: Lemmas = {lang: dict(state["lemmas"][lang]) for lang in LANGUAGES}
        # Country names are words too: "Nederland" must stay itself, not become "nederlands".
        self.known_words = frozenset(state["surface"]) | lexicon.ALL_STOP_WORDS | countries.words
        tables = (
            self.value_types,
            self.fact_numbers,
            self.fact_counted,
            self.fact_countries,
            self.fact_texts,
            self.fact_words,
        )
        if any(fact_id not in table for table in tables for fact_id in self.fact_ids):
            raise ValueError("index state: a fact is missing from a table")
        self._mended: dict[str, str | None] = {}
        self._typos: dict[str, str | None] = {}
        self._frame_terms: frozenset[str] | None = None
        self._synonyms: dict[str, tuple[str, ...]] = {}

    def is_known(self, word: str) -> bool:
        """Whether a folded word is in the dossier or the chat's vocabulary, or stems like one."""
        if word in self.known_words or word.isdigit():
            return True
        return any(
            term in self.facts.idf or term in self.topics.idf for term in terms(word, self.lemmas)
        )

    def mend(self, word: str) -> str | None:
        """The dossier word closest to an unknown word, if it is close enough to be a typo."""
        if len(word) < MIN_MENDED or word.isdigit() or self.is_known(word):
            return None
        if word not in self._mended:
            if len(self._mended) >= MENDED_CACHE:
                self._mended.clear()
            self._mended[word] = self._inflected(word) or self.typo(word)
        return self._mended[word]

    def typo(self, word: str) -> str | None:
        """The dossier word one slip away from a word that is no word of general Dutch,
        French or English: "poitns" is "points", but "Paris" is not "pris" nor
        "gedicht" "gewicht"."""
        if len(word) < MIN_MENDED or word.isdigit() or self.is_known(word):
            return None
        if word not in self._typos:
            if len(self._typos) >= MENDED_CACHE:
                self._typos.clear()
            real = self.rarity.zipf(word) > 0
            self._typos[word] = None if real else _closest(word, self.vocabulary)
        return self._typos[word]

    def _inflected(self, word: str) -> str | None:
        """A dossier word that this one extends by an ending the stemmer missed.

        Snowball leaves "steunden" (supported) and "steun" (support) apart; a known word
        of five letters or more that the unknown one starts with, two or three letters
        shorter, is the same word.
        """
        for cut in range(2, 4):
            stem_like = word[:-cut]
            if len(stem_like) >= 5 and stem_like in self.known_words:
                return stem_like
        return self._same_start(word)

    def _same_start(self, word: str) -> str | None:
        """A dossier word sharing the long word's first SAME_START letters and as long
        within INFLECTION letters: another inflection ("Amerikanen", "Amerikaanse")."""
        if len(word) < SAME_START + 1:
            return None
        shared = max(SAME_START, math.ceil(SAME_SHARE * len(word)))
        start = word[:shared]
        at = bisect.bisect_left(self.vocabulary, start)
        while at < len(self.vocabulary) and self.vocabulary[at].startswith(start):
            found = self.vocabulary[at]
            if abs(len(found) - len(word)) <= INFLECTION:
                return found
            at += 1
        return None

    def compound_head(self, word: str) -> str | None:
        """The known last part of an unknown compound ("terreuraanslagen": "aanslagen"),
        the longest of at least COMPOUND_HEAD letters, after at least three letters."""
        if len(word) < COMPOUND_HEAD + 3:
            return None
        for cut in range(3, len(word) - COMPOUND_HEAD + 1):
            head = word[cut:]
            if head in self.known_words and head not in lexicon.ALL_STOP_WORDS:
                return head
        return None

    def glossary_terms(self, forms: tuple[str, ...]) -> tuple[str, ...]:
        """The index terms of every content word of every form of a glossary term."""
        found: list[str] = []
        for form in forms:
            for word in form.split():
                if word not in lexicon.ALL_STOP_WORDS:
                    found.extend(terms(word, self.lemmas))
        return tuple(dict.fromkeys(found))

    def glossary_forms(self, forms: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], ...], ...]:
        """Each form of a glossary term as the terms of each of its content words."""
        return tuple(
            tuple(
                terms(word, self.lemmas)
                for word in form.split()
                if word not in lexicon.ALL_STOP_WORDS
            )
            for form in forms
        )

    def analyse(self, typed_words: Iterable[str]) -> list[QueryWord]:
        """Question words as index terms: stop words dropped, typos mended, synonyms added.

        A glossary term ("porte-plume", "points de presse", "PRST") counts as one query
        word standing for every form of that term in the three languages.
        """
        spoken = list(typed_words)
        query: list[QueryWord] = []
        position = 0
        while position < len(spoken):
            for size in range(min(glossary.LONGEST, len(spoken) - position), 0, -1):
                forms = glossary.GLOSSARY.get(" ".join(spoken[position : position + size]))
                if forms is not None:
                    typed = " ".join(spoken[position : position + size])
                    query.append(
                        QueryWord(
                            typed,
                            self.glossary_terms(forms),
                            1.0,
                            forms=self.glossary_forms(forms),
                        )
                    )
                    position += size
                    break
            else:
                if other_sense(spoken, position):
                    # "What did it lead to?" asks about a cause: only "led to" matches.
                    own = tuple(
                        term + lexicon.SENSE_MARK for term in terms(spoken[position], self.lemmas)
                    )
                    query.append(QueryWord(spoken[position], own, 1.0, own))
                else:
                    query.extend(self._analyse_word(spoken[position]))
                position += 1
        return query

    def _analyse_word(self, word: str) -> list[QueryWord]:
        if word in lexicon.ALL_STOP_WORDS:
            return []
        # Very short unknown words are noise ("co" of "co-penholders", "l" of "l'ONU");
        # short known ones ("EU", "VN") are kept.
        if (
            len(word) <= 2
            and not word.isdigit()
            and not code_name(word)
            and not self.is_known(word)
        ):
            return []
        mended = self.mend(word)
        # The dossier's frame (its country, the Council, the UN) is in every question
        # and answers none: "Belgium" must not make a fact look relevant; nor does its
        # adjective ("Belgian", "belge", "Belgische").
        frame = FRAME_WEIGHT if self.is_frame(mended or word) else 1.0
        # A word and its synonyms are one query word: it counts once, and is covered by
        # a fact holding any of them ("backed" by "supported").
        synonyms = self.synonym_terms(mended or word)
        if mended is not None or self.is_known(word):
            own = terms(mended or word, self.lemmas)
            weight = (MENDED_WEIGHT if mended is not None else 1.0) * frame
            # How the question is put ("last", "exact", "concrete") weighs little even
            # where a fact happens to use the word; more than where none does, since
            # "the main crossing" may still tell one fact from another.
            if word in lexicon.ALL_GENERIC_WORDS:
                weight = min(weight, KNOWN_GENERIC_WEIGHT)
            return [
                QueryWord(
                    word,
                    tuple(dict.fromkeys(own + synonyms)),
                    weight,
                    own,
                    mended=mended is not None,
                    frame=frame < 1.0,
                )
            ]
        if synonyms:
            return [QueryWord(word, synonyms, 1.0, terms(word, self.lemmas))]
        head = self.compound_head(word)
        if head is not None:
            own = terms(head, self.lemmas)
            return [QueryWord(word, tuple(dict.fromkeys(own + self.synonym_terms(head))), 1.0, own)]
        # How the question is put ("shapes", "gained", "veld") weighs little; a rare word
        # ("vetoes", "Guterres") names a thing the dossier lacks and keeps its weight.
        generic = word in lexicon.ALL_GENERIC_WORDS
        weight = GENERIC_WEIGHT if generic else self.rarity.specificity(word, COMMON_WEIGHT)
        return [QueryWord(word, (), weight)]

    def is_frame(self, word: str) -> bool:
        """Whether a word names the dossier's frame, or stems like a word that does
        ("conseille" finds the "conseil" of every fact: it is no subject)."""
        if word in self.frame_words or word in lexicon.FRAME_WORDS:
            return True
        if len(word) >= 5 and word[:4] in {own[:4] for own in self.own_country}:
            return True
        return len(word) >= MIN_MENDED and any(term in self.frame_terms for term in terms(word))

    @property
    def frame_terms(self) -> frozenset[str]:
        """The index terms of the frame's words (computed on first use)."""
        if self._frame_terms is None:
            self._frame_terms = frozenset(
                term
                for word in self.frame_words | lexicon.FRAME_WORDS
                if len(word) >= MIN_MENDED
                for term in terms(word)
            )
        return self._frame_terms

    def synonym_terms(self, word: str) -> tuple[str, ...]:
        """The index terms of a word's synonyms (``lexicon.SYNONYM_GROUPS``) that the
        dossier holds; a group is found by the word itself or by one of its stems."""
        cached = self._synonyms.get(word)
        if cached is not None:
            return cached
        found: list[str] = []
        for group in self.synonym_groups(word):
            for member in sorted(group):
                found.extend(
                    term
                    for term in terms(member, self.lemmas)
                    if (term in self.facts.idf or term in self.topics.idf)
                    and len(term) >= MIN_SYNONYM_STEM + 3
                )
        if len(self._synonyms) >= MENDED_CACHE:
            self._synonyms.clear()
        self._synonyms[word] = tuple(dict.fromkeys(found))
        return self._synonyms[word]

    def synonym_groups(self, word: str) -> tuple[frozenset[str], ...]:
        """The synonym groups a folded word belongs to, by its form or one of its stems."""
        keys = self.synonym_keys
        numbers = keys.get(word) or tuple(
            number
            for lang in LANGUAGES
            for number in keys.get(f"{lang}:{stem(word, lang)}", ())
            if len(word) > 3
        )
        return tuple(lexicon.SYNONYM_GROUPS[number] for number in dict.fromkeys(numbers))

    def rank_facts(self, query: Sequence[QueryWord]) -> list[tuple[str, float]]:
        """Facts by BM25 score, best first; ties keep the dossier's order."""
        scores = self.facts.scores(query)
        ranked = sorted(range(len(scores)), key=lambda number: -scores[number])
        return [(self.fact_ids[number], scores[number]) for number in ranked]

    def rank_topics(self, query: Sequence[QueryWord]) -> list[tuple[str, float]]:
        """Topics by BM25 score over their titles and aliases, best first."""
        scores = self.topics.scores(query)
        ranked = sorted(range(len(scores)), key=lambda number: -scores[number])
        return [(self.topic_ids[number], scores[number]) for number in ranked]

    def names_every(self, fact_id: str, countries: set[str]) -> bool:
        """Whether a fact, or its topic, names every one of these countries."""
        named = self.fact_countries[fact_id] | self.topic_countries[self.fact_topic[fact_id]]
        return countries <= named

    def names_any(self, fact_id: str, countries: set[str]) -> bool:
        """Whether a fact, or its topic, names one of these countries."""
        named = self.fact_countries[fact_id] | self.topic_countries[self.fact_topic[fact_id]]
        return not countries or bool(countries & named)

    def same_statement(self, first: str, second: str) -> bool:
        """Whether two facts say the same thing (the dossier files some under two topics)."""
        return fuzz.ratio(self.fact_texts[first], self.fact_texts[second]) >= SAME_STATEMENT

    def fact_coverage(self, query: Sequence[QueryWord], fact_id: str) -> float:
        """How much of the question one fact answers, counting its topic's title and aliases."""
        topic_number = self.topic_number[self.fact_topic[fact_id]]
        return self.facts.coverage(
            query, self.fact_number[fact_id], also=self.topics.documents[topic_number]
        )

    def holds(self, word: QueryWord, fact_id: str) -> bool:
        """Whether a fact, with its topic's title and aliases, states a question word
        (the frame too: here it is not taken as said)."""
        topic = self.topics.documents[self.topic_number[self.fact_topic[fact_id]]]
        return word.found_in(self.facts.documents[self.fact_number[fact_id]], topic)

    def states(self, word: QueryWord, fact_id: str) -> bool:
        """Whether a fact's own statement (not its topic's aliases) holds a word."""
        return word.found_in(self.facts.documents[self.fact_number[fact_id]])

    def union_coverage(self, query: Sequence[QueryWord], fact_ids: Sequence[str]) -> float:
        """The share of the question's weight that these facts (with their topics) hold
        between them: a fact with the asked value and its neighbour with the subject."""
        total = matched = 0.0
        for word in query:
            weight = self.facts.word_idf(word) * word.weight
            total += weight
            if any(self.fact_coverage([word], fact_id) > 0 for fact_id in fact_ids):
                matched += weight
        return matched / total if total else 0.0

    def statement_coverage(self, query: Sequence[QueryWord], fact_id: str) -> float:
        """How much of the question a fact's own statement holds, without its topic."""
        return self.facts.coverage(query, self.fact_number[fact_id])

    def topic_coverage(self, query: Sequence[QueryWord], topic_id: str) -> float:
        return self.topics.coverage(query, self.topic_number[topic_id])


def synonym_keys() -> dict[str, list[int]]:
    """Each synonym's folded form and its stems in the three languages, to its groups.

    Stemming every synonym costs ~100 ms: done when the index is built, and stored."""
    keys: dict[str, list[int]] = defaultdict(list)
    for number, group in enumerate(lexicon.SYNONYM_GROUPS):
        for member in group:
            if member in lexicon.ALL_STOP_WORDS:
                continue
            stems = [f"{lang}:{stem(member, lang)}" for lang in LANGUAGES]
            for key in {member, *(item for item in stems if len(item) >= MIN_SYNONYM_STEM + 3)}:
                if number not in keys[key]:
                    keys[key].append(number)
    return dict(keys)


def lexicon_words() -> set[str]:
    """Every word of the chat's request vocabulary, so typos in "talking poitns" mend too."""
    found: set[str] = set()
    for table in (lexicon.KIND_PHRASES,):
        for phrases in table.values():
            for item in phrases:
                found.update(item.split())
    for names in lexicon.LANGUAGE_NAMES.values():
        found.update(names)
    for item in lexicon.HELP_PHRASES:
        found.update(item.split())
    found.update(lexicon.DOCUMENT_VERBS, lexicon.PDF_WORDS, lexicon.WHOLE_MANDATE_WORDS)
    return found


def _closest(word: str, vocabulary: Sequence[str]) -> str | None:
    """The vocabulary word one slip away (two in long words), with the same first letter.

    Damerau-Levenshtein counts a swap of two letters as one slip ("poitns"); typists rarely
    get the first letter wrong, and requiring it keeps "steunden" from becoming "tenden".
    """
    slips = 1 if len(word) < 8 else 2
    candidates = process.extract(
        word, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=slips, limit=10
    )
    same_start = [(found, distance) for found, distance, _ in candidates if found[0] == word[0]]
    if not same_start:
        return None
    return str(min(same_start, key=lambda item: (item[1], item[0]))[0])
