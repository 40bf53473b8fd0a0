"""What a message asks: its language, the output language, intent, topic, kind and format.

Deterministic and explainable, in this order:

1. **Language**: the naive Bayes model of ``language.py``; when it is not sure, the
   function words of one language, if the message has some ("Le Standard a gagné hier
   soir ?"), else (a bare "Mali?") the conversation's language. The output language
   is the message's unless it asks for another ("in het Frans", "French briefing",
   "en anglais"; not "the French summary").
2. **Typos**: a word found neither in the dossier nor in the chat's vocabulary is mended
   to the closest one ("poitns" → "points", "Mallí" → "mali").
3. **Request words**: small talk (greetings, thanks, goodbyes), the longest
   document-kind phrase ("éléments de langage"), "PDF", Word ("in Word", "docx"),
   language names, help phrases, "more about", "the same topic", "the whole mandate".
4. **What is asked**: the kind of value wanted ("how many" a number and what it counts,
   "when" a time, "exact date" a day, "which resolution", "what is it called" and a
   person's name, "which countries"), the numbers, months and countries named,
   "before"/"after", and the salient words an answer must hold (acronyms, bodies, the
   noun of "what is the X of …"); a clause set aside (", not the 2019 one") is dropped.
5. **Retrieval** on what is left: BM25 over the topics' titles and aliases, and over the
   facts in the three languages (lemmas, stems, the glossary, synonym groups; words
   of any subject the dossier lacks weigh little). A fact answers only when
   it holds every salient part of step 4 and enough of the question's rarity-weighted
   words (its *coverage*, the answer's ``confidence``; cut-off ``MIN_FACT_COVERAGE``);
   otherwise the answer is a refusal that says what is missing. Nothing is answered
   from a fact that matches a word or two by chance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from diplobrief.chat import lexicon, rarity
from diplobrief.chat.index import Gazetteer, Index, QueryWord, agent_nouns, agents_in, terms
from diplobrief.chat.language import LanguageModel
from diplobrief.chat.text import clean, code_name, fold, words

Intent = Literal["document", "fact", "help", "smalltalk", "unknown"]

# A fact answers a question only when it contains this share of the question's weight.
MIN_FACT_COVERAGE = 0.42
# A follow-up read inside the conversation's topic ("and what did that mission do?"):
# the topic's title and aliases count as said, and this share of the rest must match.
MIN_FOLLOW_UP_COVERAGE = 0.3
# A topic is named when its title and aliases contain this share of the question's weight.
MIN_TOPIC_COVERAGE = 0.5
# In a document request, a topic that clearly leads (TOPIC_LEAD times the runner-up's
# score) is named at this lower coverage.
MIN_DOCUMENT_TOPIC_COVERAGE = 0.2
# A question is about a topic as a whole when the topic's title and aliases hold this
# share of it ("what about the ICC?").
TOPIC_ONLY_COVERAGE = 0.9
TOPIC_LEAD = 1.5
# Coverages this close are the same: two topics named as fully.
TIE = 1e-9
# Ranking the closest topics for "no sourced information": title and aliases first, then
# half the score of the topic's best fact.
FACT_WEIGHT_IN_TOPIC = 0.5
# Facts of the topic the user named rank this much higher: the same sentence stands in
# several topics, and the one the user named should win.
NAMED_TOPIC_BONUS = 0.05
# Further facts join the answer (up to MAX_FACTS) when they rank this close to the best,
# or when they belong to its topic and cover the question within SAME_COVERAGE as fully.
RUNNER_UP_RATIO = 0.8
SAME_COVERAGE = 0.15
MAX_FACTS = 3
MAX_MESSAGE_CHARACTERS = 2000
# An acronym has this many capitals at least ("EU", "A3", "CAAC").
MIN_ACRONYM = 2
# "How many member states": the words after the cue that say what is counted.
COUNTED_WORDS = 2
# Function words of one language only that settle a message's language the letters leave
# open.
MIN_FUNCTION_WORDS = 1
# Function words of one language that tell a document request's language even when its
# content words are English loans ("peacekeeping", "stake-outs").
MIN_TELLING_FUNCTION_WORDS = 2
# Words a document request must have besides the kind's name for them to tell its language.
MIN_WORDS_WITHOUT_KIND = 2
# Clauses of a message, for the Dutch verb particles that close them.
_CLAUSE = re.compile(r"[,;:.?!()]")
# A clause of this many words at least may end with a separated particle.
MIN_SEPARATED = 3
# A question word of this weight at least, left unanswered, is something asked.
MIN_ASKED_WEIGHT = 0.5
# "Which permanent member": words between "which" and the noun they qualify.
MAX_QUALIFIERS = 2
# "The complete list of the ten members": words between "list" and its noun.
MAX_LIST_GAP = 5
# A bare help word ("hulp", "aide") asks for help beside at most this many other words.
MAX_HELP_CONTEXT = 2
# "Compared with (the) earlier years": a relation word this close after a comparison word
# is what is compared against, not a time the fact must state.
COMPARISON_REACH = 3
# A bare "when" at most this many words into a question asks for a time ("and so when
# …", "c'était quand"); further in, it opens a clause.
WHEN_OPENING = 2
# A question about the source names little else: "who is the author of the article?".
MAX_SOURCE_QUESTION_WORDS = 2
# A clause setting something aside: ", not the 2019 one", "- niet die van 2019", ", et
# non …", "rather than …": from the negation to the clause's end.
_NEGATED = re.compile(
    r"[,;(–—-]\s*(?:(?:and|but|en|maar|et|mais)\s+)?"
    r"(?:not|niet|non|pas|geen|rather than|instead of|in plaats van|plutôt que)\b"
    r"[^,;.?!)]*",
    re.IGNORECASE,
)
# A negation inside a clause: "was not adopted", "werd niet aangenomen", "n'a pas été
# adopté"; not a word's prefix ("non-permanent", "niet-permanente").
_NEGATION = re.compile(
    r"(?<![-\w])(?:not|never|niet|nooit|geen|pas|jamais|aucune?)(?![-\w])|n't\b",
    re.IGNORECASE,
)
_STRESSED_BEFORE = re.compile(r"(?<!\w)vóór(?!\w)", re.IGNORECASE)
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|\"[^\"]*\"")
ALL_TOPICS = "all"
# Formats that are files to write: asking for one asks for a document ("on COVID, as a
# Word file"); Markdown is also how a fact is shown, so "md" alone asks for nothing.
FILE_FORMATS = frozenset({"pdf", "docx", "html"})
# Among the agents a question names: a marker for "it names a role or body".
ROLE_ASKED = "@role"
# Values that identify a thing asked with "which" as well as a name: "which term" (years),
# "which text" (a resolution number).
IDENTIFYING_VALUES = frozenset({"time", "date", "resolution"})
YEAR_DIGITS = 4
# How far from "the author" its verb of saying may stand ("the author of the source says").
REPORTING_WINDOW = 3
LAST_YEAR = 2100
# Two words sharing their first letters are one word for "who": "minister", "ministry".
AGENT_ROOT = 6


@dataclass(frozen=True)
class Understanding:
    """Everything the chat read in one message, before the conversation fills the gaps."""

    text: str
    language: str
    language_certain: bool
    requested_language: str | None = None
    kind: str | None = None
    format: str | None = None
    topic: str | None = None
    topic_confidence: float = 0.0
    facts: tuple[str, ...] = ()
    fact_confidence: float = 0.0
    closest_topics: tuple[str, ...] = ()
    wants_document: bool = False
    wants_help: bool = False
    wants_more: bool = False
    is_question: bool = False
    is_follow_up: bool = False
    # "In how many countries?", "et depuis quand ?": a question that only completes the
    # last one, read in the conversation's topic before the whole dossier.
    elliptical: bool = False
    other_country: str | None = None
    content: tuple[str, ...] = field(default=())
    smalltalk: str | None = None
    same_topic: bool = False
    answer_types: frozenset[str] = frozenset()
    missing_terms: tuple[str, ...] = ()
    missing_type: str | None = None
    asks_source: bool = False
    names_source: bool = False
    # Help asked outright: the message opens with a help word or asks what the chat
    # can do; a topic its words happen to match ("languages") does not make it a question.
    help_certain: bool = False
    # "Can I ask you for notes too?", "je peux vous demander des notes ?": what the user
    # may ask of the chat, the kinds named as examples; "can you write talking points?"
    # asks for them.
    asks_what_to_ask: bool = False
    # Whether the message names a thing: a word of the dossier that is not common in
    # general language ("Iran", "peacekeeping"; not "helpt", "great").
    specific: bool = False
    # Asks for creative writing ("maak een liedje over de campagne", "a sonnet on the
    # veto"): neither a document nor a fact of the dossier.
    creative: bool = False

    @property
    def output_language(self) -> str:
        return self.requested_language or self.language

    @property
    def only_modifiers(self) -> bool:
        """Says how, not what: "and in French?", "as PDF", "now the talking points"."""
        return (
            self.topic is None
            and not self.facts
            and not self.wants_help
            and not self.asks_source
            and self.smalltalk is None
        )

    @property
    def intent(self) -> Intent:
        """The intent of the message on its own, without the conversation around it."""
        if (
            self.smalltalk in {"thanks", "goodbye"}
            and not self.is_question
            and self.kind is None
            and self.format is None
            and self.requested_language is None
            and (self.topic is None or not self.specific)
            and not self.wants_more
        ):
            # "Thanks, that's all I needed", "bedankt voor de hulp": a thanks or goodbye
            # that asks nothing closes the exchange, whatever else it says.
            return "smalltalk"
        if self.smalltalk == "identity" and self.kind is None and not self.facts:
            # "Who are you, actually?" asks about the chat, not the dossier.
            return "smalltalk"
        if self.wants_help and (
            (self.kind is None and (self.topic is None or self.help_certain))
            # "Can I ask you for notes too?": the kinds the chat makes, asked about.
            or (self.asks_what_to_ask and self.topic is None)
        ):
            return "help"
        if (
            self.smalltalk is not None
            and self.kind is None
            and self.format is None
            and (not self.content or (not self.facts and not self.is_question))
        ):
            # "Thanks, perfect" is small talk; "hello, on which day was the debate?" is a
            # question even when the dossier cannot answer it.
            return "smalltalk"
        if self.other_country is not None or (self.creative and self.kind is None):
            return "unknown"
        if self.kind is not None or self.format in FILE_FORMATS or self.wants_document:
            return "document"
        if self.facts:
            return "fact"
        return "unknown"


class Reader:
    """Reads messages against one dossier's index and language model."""

    def __init__(self, index: Index, language_model: LanguageModel, countries: Gazetteer) -> None:
        self.index = index
        self.language_model = language_model
        self.countries = countries
        self._subject_cache: dict[str, frozenset[str]] = {}

    def read(
        self,
        message: str,
        fallback_language: str,
        within: str | None = None,
        recent: tuple[str, ...] = (),
    ) -> Understanding:
        """Understand one message; ``fallback_language`` is used when its language is unclear.

        ``within`` reads a follow-up question inside the conversation's topic ("and what
        did that mission achieve?"): only that topic's facts answer, and the topic's own
        title and aliases count as said. ``recent``: the facts just given, which a bare
        "and when was that?" asks about first.
        """
        text = clean(message)[:MAX_MESSAGE_CHARACTERS]
        # "The previous term, not the 2019 one": what the question sets aside is not asked.
        asked = _NEGATED.sub(" ", text) if words(_NEGATED.sub(" ", text)) else text
        asked = _without_interjection(asked)
        # A quoted phrase ("comment dit-on « memorandum of understanding » ?") is cited,
        # not the language the user writes in.
        unquoted = _QUOTED.sub(" ", text)
        identified = self.language_model.identify(unquoted if words(unquoted) else text)
        certain = identified is not None and identified.certain
        language = identified.language if identified is not None and certain else fallback_language
        if not certain:
            # Too close to call on letters: the function words may still tell ("Le
            # Standard a gagné hier soir ?" has four French ones and no other).
            voted = _function_word_vote(
                words(unquoted) or words(text),
                identified.language if identified is not None else None,
            )
            if voted is not None:
                language, certain = voted, True
        typed = self._rejoin_particles(asked) if language == "nl" else words(asked)
        mended = [self.index.mend(word) or word for word in typed]

        consumed: set[int] = set()
        smalltalk, smalltalk_languages = _find_smalltalk(typed, consumed)
        if (
            smalltalk_languages
            and language not in smalltalk_languages
            and (not certain or len(smalltalk_languages) == 1)
        ):
            language, certain = sorted(smalltalk_languages)[0], True
        if fallback_language in smalltalk_languages and all(
            at in consumed or word in lexicon.SMALLTALK_FILLERS | lexicon.INTERJECTIONS
            for at, word in enumerate(typed)
        ):
            # "merci zeg", "thanks" in a Dutch conversation: a thanks or greeting the
            # conversation's language also uses says nothing of a change of language.
            language, certain = fallback_language, False
        before_kind = set(consumed)
        # A document kind is named, or misspelt ("brefing"), not inflected: "who briefed
        # the Council?" asks for no brief.
        abbreviated = {
            fold(token): lexicon.KIND_ABBREVIATIONS[token]
            for token in _RAW_WORD.findall(asked)
            if token in lexicon.KIND_ABBREVIATIONS
        }
        kind = _find_kind(
            [word if word in abbreviated else self.index.typo(word) or word for word in typed],
            consumed,
            any(word in lexicon.ALL_QUESTION_WORDS for word in typed),
            abbreviated,
        )
        if kind is not None:
            # Kind names travel between languages ("talking points", "briefing" in Dutch
            # and French): the rest of the message tells its language better.
            kind_words = consumed - before_kind
            rest = " ".join(word for at, word in enumerate(typed) if at not in kind_words)
            again = (
                self.language_model.identify(rest)
                if len(rest.split()) >= MIN_WORDS_WITHOUT_KIND
                else None
            )
            told = _function_word_vote(rest.split(), again.language if again else None)
            if told is not None and (
                sum(word in lexicon.OWN_STOP_WORDS[told] for word in rest.split())
                >= MIN_TELLING_FUNCTION_WORDS
                or again is None
                or not again.certain
            ):
                # "Lessons learned mbt peacekeeping, als Worddocument aub": English names
                # (the kind, "peacekeeping") make the letters say English; the function
                # words of the request say Dutch.
                language, certain = told, True
            elif again is not None and again.certain:
                language, certain = again.language, True
            elif not certain and rest:
                # "Talking points Iraans programma", "lessons learned conflictpreventie":
                # the English kind name says nothing; words only one language's texts
                # use tell the rest, even a single one.
                voted = self.language_model.vocabulary_vote(rest.split(), minimum=1)
                if voted is not None:
                    language, certain = voted, True
        requested = _find_language_request(mended, consumed)
        output_format = _find_format(typed, consumed)
        same_topic = _find_phrases(mended, lexicon.SAME_TOPIC_PHRASES, consumed)
        capability = _asks_capability(typed, consumed)
        wants_help = _asks_help(mended, consumed) or capability
        asks_what_to_ask = capability and any(word in lexicon.ASKING_VERBS for word in typed)
        help_certain = capability or (
            wants_help and bool(mended) and mended[0] in lexicon.HELP_WORDS
        )
        asks_duration = _find_phrases(mended, lexicon.QUESTION_PHRASES, consumed)
        wants_more = _starts_with(mended, lexicon.MORE_PREFIXES, consumed)
        # "Write a note", not "when was the committee created?": a question asks, a verb
        # in it does not order a document.
        wants_document = not any(word in lexicon.ALL_QUESTION_WORDS for word in typed) and any(
            word in lexicon.DOCUMENT_VERBS for word in mended
        )
        consumed.update(
            position for position, word in enumerate(mended) if word in lexicon.DOCUMENT_VERBS
        )
        whole = kind == "lessons-learned" and any(
            word in lexicon.WHOLE_MANDATE_WORDS for word in mended
        )
        is_question = any(word in lexicon.ALL_QUESTION_WORDS for word in typed)
        opening = [word for word in typed if word not in lexicon.FOLLOW_UP_OPENERS][:2]
        elliptical = (
            len(opening) == 2
            and opening[0] in lexicon.ELLIPSIS_PREPOSITIONS
            and opening[1] in lexicon.ALL_QUESTION_WORDS
        )
        is_follow_up = bool(typed) and (
            typed[0] in lexicon.FOLLOW_UP_OPENERS
            or any(word in lexicon.DEMONSTRATIVES for word in typed)
        )
        # The cue says what kind of answer is wanted ("which countries", "welk jaar"); its
        # words are not a subject the answer must contain. "how many" counts a subject.
        wanted: set[str] = set()
        for kind_of_value, cues in lexicon.ANSWER_TYPES.items():
            if asks_duration:
                break
            if kind_of_value == "count":
                found = _asks_count(typed)
            elif kind_of_value == "time":
                found = _asks_when(typed, consumed)
            else:
                found = _find_phrases(typed, cues, consumed)
            if found:
                wanted.add(kind_of_value)
        if not asks_duration and _asks_who(typed):
            wanted.add("agent")
        # "What did the King say?": what was said, unless the source is who says it
        # ("what does the article say about …" asks about the subject).
        opening_words = [word for word in typed if word not in lexicon.FOLLOW_UP_OPENERS][:1]
        if (
            any(word in lexicon.SAY_VERBS for word in typed)
            and any(word in lexicon.SAY_OPENERS for word in opening_words)
            and not any(
                word in lexicon.ARTICLE_WORDS | lexicon.SOURCE_WORDS | lexicon.AUTHOR_WORDS
                for word in typed
            )
        ):
            wanted.add("speech")
        # "How often", "combien de fois": a number of times (the term's "6th time").
        if any(_index_of(mended, cue) is not None for cue in lexicon.FREQUENCY_PHRASES):
            wanted.add("count")
        # "How long did the Council take?": a span of time ("three months").
        if any(_index_of(typed, cue) is not None for cue in lexicon.DURATION_PHRASES):
            wanted.add("duration")
        # "Welk nummer had de covid-resolutie?", "the symbol of that resolution"; not "the
        # number of resolutions" (plural: how many there were).
        if any(word in lexicon.NUMBER_CUES for word in typed) and any(
            word.startswith(lexicon.NUMBERED_DOCUMENTS) and not word.endswith("s") for word in typed
        ):
            wanted.add("resolution")
            # "The number of the resolution" is its symbol, not how many there were.
            wanted.discard("count")
        # "Quelles sont les dates du mandat ?", "op welke datum": a full date is the
        # answer, not a word the fact must hold.
        dates = [at for at, word in enumerate(typed) if word in lexicon.DATE_NOUNS]
        if is_question and dates and not asks_duration:
            wanted.add("date")
            consumed.update(dates)
            # "The exact date", "op welke precieze datum": a month or year does not answer.
            if any(word in lexicon.PRECISION_WORDS for word in typed):
                wanted.discard("time")
        # "Which permanent member …?", "welk inkomend lid …?", "quel pays …?": a country.
        if _asks_which_country(typed):
            wanted.add("country")
        # "Which committee …?", "welke werkgroep …?", "quelles évacuations …?": one thing
        # identified by its name, when no other kind of value is asked for.
        # "When will Belgium next sit?", "wanneer begint de volgende vergadering?": a time
        # after the term, not any year a fact holds.
        if "time" in wanted and _future(typed):
            wanted.add("future")
        # "Quel temps fera-t-il demain ?": after the source's date, whatever is asked.
        if any(word in lexicon.TOMORROW_WORDS for word in typed):
            wanted.add("future")
        which_noun = None if wanted or asks_duration else _which_thing(typed)
        if which_noun is not None:
            wanted.add("identity")
        # "How did Belgium vote?", "the vote count", "hoe stemde Rusland?": a vote, unless
        # the vote word only says what a count is of ("hoeveel resoluties werden gestemd").
        vote_words = [word for word in typed if word in lexicon.VOTE_WORDS]
        # What is counted is the noun right after "how many" ("countries voted": countries).
        counted_words = _counted_words(mended, typed)[:1] if "count" in wanted else ()
        if (
            is_question
            and vote_words
            and not (counted_words and not set(counted_words) & set(vote_words))
        ):
            wanted.discard("count")
            wanted.add("vote")
        # "How much did the campaign cost?", "wat was het budget?": money, not a count.
        if is_question and any(word in lexicon.COST_WORDS for word in typed):
            wanted.discard("count")
            wanted.add("amount")
        # "Qui est la Haute-Commissaire ? Son nom ?": the noun "name" in a question asks
        # for one, as "what is the name" does; not "au nom de", "in naam van".
        if is_question and _names_asked(typed):
            wanted.add("name")
        # "What was the name of the president?": a person's name, not the role's.
        if "name" in wanted and any(_person_noun(word) for word in mended):
            wanted.add("person")
        # "Which ambassadors spoke?", "welke ministers waren er?": people, by their names;
        # a fact saying that some took part without naming them does not answer.
        if which_noun is not None and _person_noun(which_noun):
            wanted.add("person")
        answer_types = frozenset(wanted)
        asked_agents = frozenset(agents_in(text, self.countries, self.index.own_country)) | {
            word[:AGENT_ROOT] for word in mended if word not in lexicon.ALL_STOP_WORDS
        }
        # "Belgian" in the question names the dossier's own country as much as "Belgium".
        own_roots = {word[:4] for word in self.index.own_country}
        # So does "we", "our", "onze", "nos": "who were our co-penholders?" is not Belgium.
        if any(len(word) >= 5 and word[:4] in own_roots for word in mended) or any(
            word in lexicon.SELF_WORDS for word in typed
        ):
            asked_agents |= {"@self"}
        if agent_nouns(mended):
            asked_agents |= {ROLE_ASKED}
        # "According to the article", "l'article le compare à quoi ?": the source the
        # question was written from, not the dossier's "article 24" of the Charter.
        articles = [
            at
            for at, word in enumerate(typed)
            if word in lexicon.ARTICLE_WORDS
            and not (at + 1 < len(typed) and typed[at + 1].isdigit())
        ]
        consumed.update(articles)
        # "According to the article", "selon l'article": who reports, not a subject.
        consumed.update(
            at
            for article in articles
            for at in range(max(0, article - REPORTING_WINDOW), article)
            if typed[at] in lexicon.REPORTING_VERBS
        )
        _consume_term_setting(typed, consumed)
        _consume_reporting_author(typed, consumed)
        # Beside small talk, "perfect" and "great" are politeness, not a subject.
        fillers = lexicon.SMALLTALK_FILLERS if smalltalk is not None else frozenset()
        content = tuple(
            word
            for position, word in enumerate(typed)
            if position not in consumed and word not in fillers
        )
        query = self.index.analyse(content)
        topic, topic_confidence = self._topic(query, document=kind is not None)
        occasion = (
            self._occasion(asked, language, len(typed))
            if kind is not None or wants_document or output_format in FILE_FORMATS
            else set()
        )
        if occasion:
            # "TPs on peacekeeping for the PermRep", "voor een toespraak voor studenten",
            # "pour un discours": whom or what a document is for is not its subject. Read
            # without it when the rest still names a topic.
            without_occasion = tuple(
                word
                for position, word in enumerate(typed)
                if position not in consumed and position not in occasion and word not in fillers
            )
            subject_query = self.index.analyse(without_occasion)
            subject_topic = self._topic(subject_query, document=kind is not None)
            if subject_topic[0] is not None:
                content, query = without_occasion, subject_query
                topic, topic_confidence = subject_topic
        named_countries = self.countries.find(mended)
        numbers = _salient_numbers(content, self.index.term_years)
        counted = (
            tuple(
                self._counted_terms(word, query)
                for word in _counted_words(mended, content)
                if not self.index.is_frame(word)
            )
            if "count" in answer_types
            else ()
        )
        # A country that is a topic's subject ("Syria") names that topic for ranking.
        subject = [
            topic_id
            for topic_id, codes in self.index.topic_subject_countries.items()
            if named_countries and named_countries <= codes
        ]
        preferred = within or topic or (subject[0] if len(subject) == 1 else None)
        setting = self._setting_topic(typed)
        # "Before Belgium", "après 2019": the fact must say before or after too.
        # Not within a phrase meaning something else: "d'après" is "according to".
        # Nor what a comparison measures against ("compared with earlier years",
        # "vergeleken met vroeger", "par rapport aux années précédentes").
        timed = [
            word
            for position, word in enumerate(typed)
            if (typed[position - 1] if position else "", word) not in lexicon.NOT_RELATIONS
            and not lexicon.COMPARISON_WORDS
            & set(typed[max(0, position - COMPARISON_REACH) : position])
        ]
        relations = tuple(
            group
            for group in lexicon.RELATION_GROUPS
            if any(word in group for word in timed)
            # Dutch "vóór" (before) folds to "voor" (for): the accent tells.
            or (group is lexicon.BEFORE_GROUP and _STRESSED_BEFORE.search(asked) is not None)
        )
        # A name the dossier does not know ("Guterres", "Vlaanderen", "VPN") is what the
        # question is about: no fact answers it, however well the rest is covered.
        names = _unknown_names(query, asked)
        focus = _focus(query, typed)
        # "How many were killed or injured?": the losses are what is asked.
        losses = [word for word in query if word.typed in lexicon.CASUALTY_WORDS]
        salient = _salient_words(query, text, self.countries) + focus + names + losses
        # Where and when a question is set: names, countries, numbers, months, years;
        # not an acronym ("ICC", "MINUSMA"): that names what it asks about.
        context = frozenset(
            (_capitalised(asked) - {fold(token) for token in _acronyms(asked)})
            | {word for word in typed if word in self.countries.names}
            | (set(typed) & (lexicon.MONTH_WORDS | lexicon.TIME_NOUNS))
            | {word for word in typed if word.isdigit()}
        )
        months = tuple(group for group in lexicon.MONTH_GROUPS if group & set(typed))
        if all(word.typed in lexicon.ALL_GENERIC_WORDS for word in query):
            # "En anglais finalement": how it is said, not a subject to answer.
            query = []
        facts, fact_confidence, missing_type = self._facts(
            query,
            preferred,
            answer_types,
            named_countries,
            numbers,
            counted,
            within,
            relations,
            asked_agents,
            salient,
            # "Somalia or Libya?": the answer names one of them.
            len(named_countries) > 1 and any(word in lexicon.OR_WORDS for word in typed),
            months,
            context,
            focus,
            _listed(typed) if "country" in answer_types else 0,
            next((word for word in query if which_noun in word.typed.split()), None),
            _asks_reason(typed),
            _negates(asked),
            recent=recent,
            setting=setting,
            # "How many … in total?": the whole term's count, not one month's.
            whole_term="count" in answer_types
            and any(word in lexicon.TOTAL_WORDS for word in typed)
            and not months,
        )
        missing_terms = tuple(
            dict.fromkeys(
                [
                    word.typed
                    for word in query
                    if word in names
                    or (
                        not word.known
                        and len(word.typed) > 3
                        and word.weight >= 1.0
                        and word.typed not in lexicon.ALL_GENERIC_WORDS
                    )
                ]
                + [number for number in numbers if not self._number_known(number)]
            )
        )
        closest = tuple(topic_id for topic_id, _ in self._topic_ranking(query)[:3])
        if (
            topic is not None
            and not facts
            and not answer_types
            and all(
                self._holds_numbers(fact_id, numbers) for fact_id in self.index.summary_facts[topic]
            )
            and not relations
            and not focus
            and named_countries <= self.index.topic_countries[topic]
            and (not is_question or topic_confidence >= TOPIC_ONLY_COVERAGE)
        ):
            # A topic named without a specific question ("Iran?", "what about the ICC?"):
            # its summary's facts answer it. A question asking more than the topic's name
            # ("who chaired it before Belgium?") is not answered by the summary.
            facts, fact_confidence = self.index.summary_facts[topic], topic_confidence
        elif (
            topic is not None
            and facts
            and self.index.fact_topic[facts[0]] != topic
            and not answer_types
            and not relations
            and not focus
            and topic_confidence >= TOPIC_ONLY_COVERAGE
            and self._names_topic_only(query, topic)
        ):
            # "La présidence belge ?", "what happened during the presidency?": a topic's
            # name alone asks about that topic, not about another topic's fact that holds
            # a synonym of it ("did not lead to").
            facts, fact_confidence = self.index.summary_facts[topic], topic_confidence
        if kind == "lessons-learned" and (whole or _names_only_the_mandate(topic, query)):
            topic = ALL_TOPICS
        # Only a question that says little else: "with whom did Belgium lead the Syria
        # file?" opens the same way and asks afresh.
        elliptical = elliptical and len(query) <= 1
        return Understanding(
            text=text,
            language=language,
            language_certain=certain,
            requested_language=requested,
            kind=kind,
            format=output_format,
            topic=topic,
            topic_confidence=topic_confidence,
            facts=facts,
            fact_confidence=fact_confidence,
            closest_topics=closest,
            wants_document=wants_document and topic is not None,
            wants_help=wants_help,
            wants_more=wants_more,
            is_question=is_question,
            is_follow_up=is_follow_up or (wants_more and not content) or elliptical,
            elliptical=elliptical,
            other_country=self._other_country(mended, named_countries),
            content=tuple(word.typed for word in query if word.known),
            smalltalk=smalltalk,
            same_topic=same_topic,
            answer_types=answer_types,
            missing_terms=missing_terms,
            missing_type=missing_type,
            specific=any(
                word.known and self.index.rarity.zipf(word.typed) < rarity.COMMON_ZIPF
                for word in query
            ),
            help_certain=help_certain,
            asks_what_to_ask=asks_what_to_ask,
            # Ordered ("write a story about …") or named alone; not "what's the story
            # on Syria?", where the noun stands for an account.
            creative=any(word in lexicon.CREATIVE_WORKS for word in mended)
            and (not is_question or any(word in lexicon.DOCUMENT_VERBS for word in mended)),
            names_source=any(word in lexicon.SOURCE_WORDS for word in (*typed, *mended)),
            # "Who wrote the source?", not a question that mentions "the author" in passing.
            asks_source=is_question
            and kind is None
            and any(word in lexicon.SOURCE_WORDS for word in (*typed, *mended))
            and (
                # "Who wrote the article (and what is his function)?"
                "agent" in answer_types
                or sum(word.known and word.typed not in lexicon.SOURCE_WORDS for word in query)
                <= MAX_SOURCE_QUESTION_WORDS
            ),
        )

    def _names_topic_only(self, query: Sequence[QueryWord], topic: str) -> bool:
        """Whether every word of a message is in a topic's title or aliases by its own
        terms (not a synonym's): the message is the topic's name, nothing more."""
        named = self.index.topics.documents[self.index.topic_number[topic]]
        return all(word.frame or any(term in named for term in word.own) for word in query)

    def _number_known(self, number: str) -> bool:
        return any(number in found for found in self.index.fact_numbers.values())

    def _topic_ranking(self, query: Sequence[QueryWord]) -> list[tuple[str, float]]:
        """Topics by their title and aliases, plus the best fact they hold."""
        if not query:
            return []
        best_fact: dict[str, float] = {}
        for fact_id, score in self.index.rank_facts(query):
            topic_id = self.index.fact_topic[fact_id]
            best_fact[topic_id] = max(best_fact.get(topic_id, 0.0), score)
        combined = {
            topic_id: score + FACT_WEIGHT_IN_TOPIC * best_fact.get(topic_id, 0.0)
            for topic_id, score in self.index.rank_topics(query)
        }
        ranked = sorted(combined.items(), key=lambda item: -item[1])
        return [(topic_id, score) for topic_id, score in ranked if score > 0]

    def _setting_topic(self, typed: list[str]) -> str | None:
        """The topic a "during …" phrase names ("tijdens ons voorzitterschap"): when the
        question is set, not what it asks about."""
        for position, word in enumerate(typed):
            if word not in lexicon.DURING_WORDS:
                continue
            phrase_words = [
                following
                for following in typed[position + 1 : position + 1 + MAX_QUALIFIERS + 2]
                if following not in lexicon.ALL_STOP_WORDS and following not in lexicon.SELF_WORDS
            ][:2]
            setting, confidence = self._topic(self.index.analyse(phrase_words))
            if setting is not None and confidence >= TOPIC_ONLY_COVERAGE:
                return setting
        return None

    def _topic(
        self, query: Sequence[QueryWord], document: bool = False
    ) -> tuple[str | None, float]:
        """The topic a message names by its title or aliases, if it names one.

        A document request ("a briefing note on how the Council handled COVID, as PDF")
        wraps its topic in more words than a fact question: there the best topic is taken
        at a lower coverage, when it clearly leads the runner-up.
        """
        ranking = self.index.rank_topics(query)
        if not ranking or ranking[0][1] <= 0:
            return None, 0.0
        topic_id, best = ranking[0]
        coverage = self.index.topic_coverage(query, topic_id)
        if coverage >= MIN_TOPIC_COVERAGE:
            return self._first_named(query, ranking, coverage), coverage
        runner_up = ranking[1][1] if len(ranking) > 1 else 0.0
        if document and coverage >= MIN_DOCUMENT_TOPIC_COVERAGE and best >= TOPIC_LEAD * runner_up:
            return topic_id, coverage
        return None, coverage

    def _first_named(
        self, query: Sequence[QueryWord], ranking: list[tuple[str, float]], coverage: float
    ) -> str:
        """Of the topics a message names as fully as the best one ("la prévention des
        conflits et la justice transitionnelle"), the one it names first."""
        tied = [
            topic_id
            for topic_id, score in ranking
            if score > 0 and abs(self.index.topic_coverage(query, topic_id) - coverage) < TIE
        ]

        def first(topic_id: str) -> int:
            return next(
                (
                    at
                    for at, word in enumerate(query)
                    if not word.frame and self.index.topic_coverage([word], topic_id) > 0
                ),
                len(query),
            )

        return min(tied, key=lambda topic_id: (first(topic_id), tied.index(topic_id)))

    def _facts(
        self,
        query: Sequence[QueryWord],
        topic: str | None,
        answer_types: frozenset[str],
        named_countries: set[str],
        numbers: tuple[str, ...] = (),
        counted: tuple[tuple[str, ...], ...] = (),
        within: str | None = None,
        relations: tuple[frozenset[str], ...] = (),
        asked_agents: frozenset[str] = frozenset(),
        salient: Sequence[QueryWord] = (),
        alternatives: bool = False,
        months: tuple[frozenset[str], ...] = (),
        context: frozenset[str] = frozenset(),
        focus: Sequence[QueryWord] = (),
        listed: int = 0,
        identified: QueryWord | None = None,
        reason: bool = False,
        negated: bool = False,
        recent: tuple[str, ...] = (),
        setting: str | None = None,
        whole_term: bool = False,
    ) -> tuple[tuple[str, ...], float, str | None]:
        """The facts that answer the question, best first, the share of it they cover, and
        the kind of value asked for that no covering fact holds (then nothing answers).

        Only a fact that holds every salient part of the question may answer it: each
        country and each number the question names, and a value of the kind it asks for
        ("how many": a number, "when": a time, "which resolution": a resolution, "what is
        it called": a name). A fact ranks by its coverage of the question times its BM25
        score relative to the best: a fact holding every rare word of the question beats
        one repeating a single word, and of two facts covering the same words the more
        focused one wins. A topic the user named, then the mandate record, win ties
        between the same sentence filed under several topics. Facts that add to the best
        one (they cover the question about as fully and say something else) join it.
        """
        # A country the question names is a subject, not a detail: a fact about something
        # else ("the King" in "the King of the Netherlands") does not answer it.
        scored = [
            (fact_id, score)
            for fact_id, score in self.index.rank_facts(query)
            if score > 0
            and (
                self.index.names_any(fact_id, named_countries)
                if alternatives
                else self.index.names_every(fact_id, named_countries)
            )
            and self._holds_numbers(fact_id, numbers)
            and (not counted or any(self._counts(fact_id, found) for found in counted))
            and (within is None or self.index.fact_topic[fact_id] == within)
            and all(self._states_any(fact_id, group) for group in (*relations, *months))
            and all(self.index.holds(word, fact_id) for word in salient)
            # "What is the population of …": the fact itself states a population.
            and all(self.index.states(word, fact_id) for word in focus)
            # "Which text was not adopted?": the fact says that something was not.
            and (not negated or bool(self.index.fact_words[fact_id] & lexicon.NEGATION_WORDS))
            # A count set in one month ("in February 2020, 6 stake-outs") is no total.
            and not (
                whole_term
                and any(self._states_any(fact_id, group) for group in lexicon.MONTH_GROUPS)
            )
        ]
        threshold = MIN_FOLLOW_UP_COVERAGE if within is not None else MIN_FACT_COVERAGE
        # A fact that holds none of the question's typed words, only guesses at its typos
        # and the frame ("Schrijf een gedicht over de VN": "gedicht" is no "gewicht"),
        # does not answer it.
        scored = [
            (fact_id, score)
            for fact_id, score in scored
            if not any(word.mended for word in query)
            or any(
                not word.mended
                and word.weight >= 1.0
                and self.index.fact_coverage([word], fact_id) > 0
                for word in query
            )
        ]
        if not query and within is not None and answer_types:
            # "And which resolution was that again?": nothing but the kind of value, asked
            # of the conversation's topic; the fact just given, then the topic's first
            # fact holding one answers.
            own = [fact_id for fact_id in recent if self.index.fact_topic.get(fact_id) == within]
            for fact_id in dict.fromkeys([*own, *self.index.topic_facts[within]]):
                if self._holds_type(
                    fact_id, answer_types, named_countries, asked_agents, listed, identified
                ):
                    return (fact_id,), MIN_FOLLOW_UP_COVERAGE, None
            return (), 0.0, sorted(answer_types)[0]
        if not scored:
            return (), 0.0, None
        top_score = scored[0][1]
        ranked = []
        for fact_id, score in scored:
            coverage = self.index.fact_coverage(query, fact_id)
            named = topic is not None and self.index.fact_topic[fact_id] == topic
            bonus = NAMED_TOPIC_BONUS if named else 0.0
            ranked.append((coverage * score / top_score + bonus, coverage, fact_id))
        ranked.sort(key=lambda item: -item[0])
        if within is None and not self._beyond_context(query, ranked[0][2], context):
            # The best fact shares only the question's setting with it: the question asks
            # about something the dossier does not hold.
            return (), 0.0, None
        if "agent" in answer_types:
            # "Who was the prime minister?": the role or body asked about is salient; a
            # fact that does not state it (in any language, or by a glossary term) does
            # not answer, however well it covers the other words.
            roles = [
                word
                for position, word in enumerate(query)
                if word.terms
                and (
                    agent_nouns(word.typed.split())
                    or _qualifies_role(query, position, self.index.own_country)
                )
            ]
            document = self.index.facts.documents
            ranked = [
                item
                for item in ranked
                if all(word.found_in(document[self.index.fact_number[item[2]]]) for word in roles)
            ]
            if not ranked:
                return (), 0.0, "agent"
        if answer_types:
            typed = [
                item
                for item in ranked
                if self._holds_type(
                    item[2], answer_types, named_countries, asked_agents, listed, identified
                )
                and ("person" not in answer_types or self._names_the_asked(query, item[2]))
            ]
            if ranked[0][1] >= threshold and (not typed or typed[0][1] < threshold):
                # Another sentence naming something does not identify what this one
                # mentions ("which border crossing?": not the resolution beside it), nor
                # does a person named beside it name the people it mentions.
                neighbour = (
                    None
                    if answer_types == {"identity"} or "person" in answer_types
                    else self._neighbour(query, ranked[0][2], typed, threshold)
                )
                if neighbour is not None:
                    pair = (neighbour, ranked[0][2])
                    return pair, self.index.union_coverage(query, pair), None
                return (), ranked[0][1], sorted(answer_types)[0]
            if (
                answer_types == {"identity"}
                and typed
                and typed[0][1] < ranked[0][1] - SAME_COVERAGE
            ):
                # The fact that best covers "which border crossing …?" mentions one without
                # naming it: a fact naming something less asked about does not answer.
                return (), ranked[0][1], "identity"
            ranked = typed
        if not ranked:
            return (), 0.0, None
        if ranked[0][1] < threshold:
            return (), ranked[0][1], None
        # The mandate record states the term's dates, its campaign, its composition: asked
        # for such a value, a record fact covering the question as fully as the best
        # gives it ("when was Belgium elected?": the campaign, not the elected members).
        record = [
            item
            for item in ranked
            if answer_types and item[2] in self.index.record_facts and item[1] >= ranked[0][1]
        ]
        if record and (topic is None or self.index.fact_topic[ranked[0][2]] != topic):
            ranked.remove(record[0])
            ranked.insert(0, record[0])
        # "Why …?": a fact covering the question that gives a reason ("because …", "om
        # … te") answers it; the best covering one often only restates what is asked.
        reasons = [
            item
            for item in ranked
            if reason and item[1] >= threshold and "reason" in self.index.value_types[item[2]]
        ]
        if reasons and reasons[0] is not ranked[0]:
            ranked.remove(reasons[0])
            ranked.insert(0, reasons[0])
        # The same sentence filed under several topics: the one of the topic the user
        # named, else the one the mandate record points to, else the best ranked.
        twins = [
            item
            for item in ranked
            if item[1] >= threshold and self.index.same_statement(item[2], ranked[0][2])
        ]
        preferred = min(
            twins,
            key=lambda item: (
                # "EU stake-outs during our presidency": the presidency is when, the
                # stake-outs what; the sentence is filed under both.
                self.index.fact_topic[item[2]] == setting,
                self.index.fact_topic[item[2]] != topic,
                item[2] not in self.index.record_facts,
                -self.index.topic_coverage(query, self.index.fact_topic[item[2]]),
                -item[0],
            ),
        )
        ranked.remove(preferred)
        ranked.insert(0, preferred)
        best_key, coverage, best_id = ranked[0]
        best_topic = self.index.fact_topic[best_id]
        chosen = [best_id]
        for key, runner_coverage, fact_id in ranked[1:]:
            if len(chosen) == MAX_FACTS:
                break
            # A fact of another topic adds only if it answers the question as fully.
            close = key >= RUNNER_UP_RATIO * best_key and runner_coverage >= max(
                threshold, coverage if self.index.fact_topic[fact_id] != best_topic else 0.0
            )
            as_full = (
                self.index.fact_topic[fact_id] == best_topic
                and runner_coverage >= coverage - SAME_COVERAGE
            )
            if (close or as_full) and not any(
                self.index.same_statement(fact_id, other) for other in chosen
            ):
                chosen.append(fact_id)
        return tuple(chosen), coverage, None

    def _neighbour(
        self,
        query: Sequence[QueryWord],
        best: str,
        typed: list[tuple[float, float, str]],
        threshold: float,
    ) -> str | None:
        """A fact of the best fact's topic holding the asked value, when the best covers
        the question but states no such value ("with which countries did we lead the
        Syria file?": the countries are in the next sentence of the same topic).

        Both must cover the question: the neighbour by words of its own statement that
        its topic's title and aliases do not hold, and at least MIN_FOLLOW_UP_COVERAGE of
        it; the two together at least ``threshold``.
        """
        topic = self.index.fact_topic[best]
        for _, coverage, fact_id in typed:
            if self.index.fact_topic[fact_id] != topic or coverage < MIN_FOLLOW_UP_COVERAGE:
                continue
            # Words the topic's title and aliases already hold ("Syria") show nothing.
            named = self.index.topics.documents[self.index.topic_number[topic]]
            own = [
                word
                for word in query
                if word.weight >= 1.0 and not any(term in named for term in word.terms)
            ]
            if self.index.statement_coverage(own, fact_id) > 0 and self.index.union_coverage(
                query, (fact_id, best)
            ) >= max(threshold, coverage):
                return fact_id
            return None
        return None

    def _names_the_asked(self, query: Sequence[QueryWord], fact_id: str) -> bool:
        """Whether a fact naming a person says, in its own words, more of the question than
        the role: "which ministers took part in the debate?" is not answered by a photo
        caption naming a minister under the debate's topic."""
        beyond_role = [
            word
            for word in query
            if not word.frame and not any(_person_noun(part) for part in word.typed.split())
        ]
        return not beyond_role or self.index.statement_coverage(beyond_role, fact_id) > 0

    def _states_any(self, fact_id: str, group: frozenset[str]) -> bool:
        """Whether a fact's own text has one of a group's words ("before", "previous" …)."""
        return bool(group & self.index.fact_words[fact_id]) or any(
            self._states(fact_id, word) for word in group
        )

    def _counted_terms(self, word: str, query: Sequence[QueryWord]) -> tuple[str, ...]:
        """The index terms of what "how many" counts: those of the query word it is part
        of (a glossary term: "blue helmets" is "peacekeepers"), else its own and its
        synonyms'."""
        for item in query:
            if word in item.typed.split() and item.terms:
                return item.terms
        return terms(word, self.index.lemmas) + self.index.synonym_terms(word)

    def _beyond_context(
        self, query: Sequence[QueryWord], fact_id: str, context: frozenset[str]
    ) -> bool:
        """Whether a fact shares more with the question than where and when it is set.

        "What's the weather forecast for New York tomorrow?" is not answered by a fact
        about New York: when every word a fact holds is a name, a country, a number or a
        time of the question, the dossier's frame, an aspect ("standpunt", "role") or a
        word of every text ("bon", "plus"), and the question asks something else the
        dossier lacks ("weather", "klimaatverandering"), the fact is about something else.
        """
        matched = [word for word in query if self.index.fact_coverage([word], fact_id) > 0]
        if any(
            not set(word.typed.split()) <= context
            and word.typed not in lexicon.ASPECT_NOUNS
            and not self.index.is_frame(word.typed)
            and self.index.rarity.zipf(word.typed) < rarity.COMMONEST_ZIPF
            for word in matched
        ):
            return True
        return not any(
            word not in matched
            and word.weight >= MIN_ASKED_WEIGHT
            and word.typed not in lexicon.ALL_GENERIC_WORDS
            for word in query
        )

    def _occasion(self, asked: str, language: str, size: int) -> set[int]:
        """The positions of the words that say whom or what a document is for: from "for",
        "voor" or "pour" to the end of its clause ("for the incoming DG, md is fine")."""
        found: set[int] = set()
        start = 0
        for clause in _CLAUSE.split(asked):
            spoken = self._rejoin_particles(clause) if language == "nl" else words(clause)
            opening = next(
                (at for at, word in enumerate(spoken) if word in lexicon.PURPOSE_WORDS), None
            )
            if opening is not None:
                found.update(range(start + opening, start + len(spoken)))
            start += len(spoken)
        # The words of the clauses are the message's words, or the count is off (digit
        # groups read across a comma): then nothing is set aside.
        return found if start == size else set()

    def _rejoin_particles(self, text: str) -> list[str]:
        """The words of a Dutch message with its separable verbs joined again: "zat … voor"
        is "voorzat" (chaired), "goed te keuren" is "goedkeuren" (approve).

        A particle closing a clause is joined to the first content word before it that
        makes a word the dossier or its synonym groups know; otherwise nothing changes.
        """
        joined: list[str] = []
        for clause in _CLAUSE.split(text):
            spoken = words(clause)
            at = 0
            while at + 2 < len(spoken):
                if spoken[at] in lexicon.SEPARABLE_PARTICLES and spoken[at + 1] == "te":
                    compound = spoken[at] + spoken[at + 2]
                    if self._knows(compound):
                        spoken[at : at + 3] = [compound]
                at += 1
            if len(spoken) >= MIN_SEPARATED and spoken[-1] in lexicon.SEPARABLE_PARTICLES:
                for at, word in enumerate(spoken[:-1]):
                    if word in lexicon.ALL_STOP_WORDS or word.isdigit():
                        continue
                    if self._knows(spoken[-1] + word):
                        spoken = [*spoken[:at], spoken[-1] + word, *spoken[at + 1 : -1]]
                        break
            joined.extend(spoken)
        return joined

    def _knows(self, word: str) -> bool:
        """Whether a word is the dossier's, or a synonym of one of its words."""
        return self.index.is_known(word) or bool(self.index.synonym_terms(word))

    def _counts(self, fact_id: str, found: tuple[str, ...]) -> bool:
        """Whether a fact gives a number of what "how many" asks about (a number right
        before it), not a number of something else beside it."""
        return any(term in self.index.fact_counted[fact_id] for term in found)

    def _states(self, fact_id: str, word: str) -> bool:
        """Whether a fact's own text has a word (what "how many" counts: "violations")."""
        document = self.index.facts.documents[self.index.fact_number[fact_id]]
        found = terms(word, self.index.lemmas) + self.index.synonym_terms(word)
        return any(term in document for term in found)

    def _holds_numbers(self, fact_id: str, numbers: tuple[str, ...]) -> bool:
        """Whether a fact, or its topic, states every number the question names."""
        found = (
            self.index.fact_numbers[fact_id]
            | self.index.topic_numbers[self.index.fact_topic[fact_id]]
        )
        return all(number in found for number in numbers)

    def _holds_type(
        self,
        fact_id: str,
        answer_types: frozenset[str],
        named: set[str],
        asked_agents: frozenset[str] = frozenset(),
        listed: int = 0,
        identified: QueryWord | None = None,
    ) -> bool:
        """Whether a fact holds a value of a kind the question asks for (``listed``: the
        number of countries a "which N countries" question asks for)."""
        kinds = set(self.index.value_types[fact_id])
        if "person" in answer_types:
            # The name of the person asked about: one the question does not give itself.
            given = {word[:AGENT_ROOT] for word in asked_agents}
            people = [
                person
                for person in self.index.fact_people[fact_id]
                if not any(part[:AGENT_ROOT] in given for part in person.split())
            ]
            return bool(people)
        # "Who …?" is answered by an agent the question does not name itself: "Who chaired
        # the sanctions committee?" by Belgium, not by the committee it asks about.
        # A bare role noun is no answer to "who" when the question asks about a role:
        # "penhouder" (the Dutch form of the "penholders" asked about) names no one.
        asked_roles = ROLE_ASKED in asked_agents
        # Nor is the country a topic is about ("Iran" for "who was our representative?").
        subjects = self._subjects(self.index.fact_topic[fact_id])
        if "agent" in answer_types and any(
            agent not in asked_agents
            and agent not in subjects
            and agent[:4] not in subjects
            and not any(part[:AGENT_ROOT] in asked_agents for part in agent.split())
            and not (asked_roles and agent in lexicon.AGENT_NOUNS)
            for agent in self.index.fact_agents[fact_id]
        ):
            kinds.add("agent")
        # "Which committee did Belgium chair?" identifies one: by a name or a country the
        # question does not give ("Somalia"), by a number or years ("which future term":
        # 2037-2038), not by a fact that only mentions a committee. A fact that does not
        # say the noun asked about answers in its own words ("which instrument": the veto).
        if "identity" in answer_types and (
            identified is None
            or not self.index.fact_coverage([identified], fact_id)
            or kinds & IDENTIFYING_VALUES
            or self.index.fact_countries[fact_id] - named
            or any(name[:AGENT_ROOT] not in asked_agents for name in self.index.fact_names[fact_id])
            # "Somalia or Libya?": naming one of the alternatives identifies it.
            or (
                bool(self.index.fact_countries[fact_id] & named)
                and not named <= self.index.fact_countries[fact_id]
            )
        ):
            kinds.add("identity")
        if "speech" in answer_types and self.index.fact_words[fact_id] & lexicon.SPEECH_VERBS:
            kinds.add("speech")
        if "future" in answer_types:
            last = max(int(year) for year in self.index.term_years)
            if not any(
                len(number) == YEAR_DIGITS and last < int(number) < LAST_YEAR
                for number in self.index.fact_numbers[fact_id]
            ):
                return False
        # "With which countries?" is not answered by the countries the question or the
        # topic itself is about (Syria, in "with whom did we lead the Syria file?").
        own = self.index.topic_subject_countries[self.index.fact_topic[fact_id]]
        others = self.index.fact_countries[fact_id] - named - own
        # "The ten members": a list of ten is not answered by a fact naming two.
        if "country" in answer_types and (not others or len(others) < listed):
            kinds.discard("country")
        return bool(kinds & answer_types)

    def _subjects(self, topic_id: str) -> frozenset[str]:
        """The countries a topic is about, as agents ("@IR") and as the first four letters
        of their names' words ("iran", for "Iraanse"); computed once per topic."""
        found = self._subject_cache.get(topic_id)
        if found is None:
            codes = self.index.topic_subject_countries[topic_id]
            found = frozenset({f"@{code}" for code in codes}) | frozenset(
                word[:4]
                for name, code in self.countries.names.items()
                if code in codes
                for word in name.split()
                if len(word) >= 4
            )
            self._subject_cache[topic_id] = found
        return found

    def _other_country(self, spoken: list[str], named: set[str]) -> str | None:
        """A country other than Belgium whose own term on the Council is asked about: the
        mandate word and the country's name stand together ("Kuwait's term", "le mandat
        du Koweït"), not "the presidency of the Somalia sanctions committee"."""
        if not named or any(word in lexicon.SELF_WORDS for word in spoken):
            return None
        mandates = [at for at, word in enumerate(spoken) if word in lexicon.MANDATE_WORDS]
        for start, end, code in self.countries.spans(spoken):
            for mandate in mandates:
                between = spoken[end:mandate] if mandate >= end else spoken[mandate + 1 : start]
                if all(word in lexicon.ALL_STOP_WORDS or word == "s" for word in between):
                    return code
        return None


def _without_interjection(text: str) -> str:
    """The message without an opening clause of approval ("Great, now the talking
    points"): it reacts to the last answer and names no subject."""
    clause = _CLAUSE.search(text)
    if clause is None or clause.group() not in ",!.":
        return text
    opening, rest = words(text[: clause.start()]), text[clause.end() :]
    if opening and words(rest) and all(word in lexicon.INTERJECTIONS for word in opening):
        return rest.strip()
    return text


def _find_kind(
    mended: list[str],
    consumed: set[int],
    question: bool = False,
    abbreviated: dict[str, str] | None = None,
) -> str | None:
    """The document kind a message names; in a question, a kind name that is a verb
    before its object ("did the envoy brief the members?") names none.

    ``abbreviated``: the kinds the message abbreviates in capitals ("TPs", "BN"), by the
    folded abbreviation. Of two names as long, the first wins: "TPs for a press
    briefing" asks for talking points, the briefing is the occasion.
    """
    best: tuple[int, str, int] | None = None
    candidates = [
        (kind, item) for kind, phrases in lexicon.KIND_PHRASES.items() for item in phrases
    ] + [(kind, short) for short, kind in (abbreviated or {}).items()]
    for kind, item in candidates:
        size = len(item.split())
        start = _index_of(mended, item)
        if start is not None and (
            best is None or size > best[2] or (size == best[2] and start < best[0])
        ):
            best = (start, kind, size)
    if best is None:
        return None
    start, kind, size = best
    if (
        question
        and size == 1
        and mended[start] in lexicon.KIND_VERBS
        and start + 1 < len(mended)
        and mended[start + 1] in lexicon.DETERMINERS
    ):
        return None
    consumed.update(range(start, start + size))
    return kind


def _find_language_request(mended: list[str], consumed: set[int]) -> str | None:
    """The output language a message asks for: "in het Frans", "French briefing", "en
    anglais", "Dutch version". A language name beside another noun describes that noun
    ("the French summary", "de Franse regering") and asks for nothing."""
    found = None
    for position, word in enumerate(mended):
        for lang, names in lexicon.LANGUAGE_NAMES.items():
            if word not in names:
                continue
            before = mended[position - 1] if position else ""
            after = mended[position + 1] if position + 1 < len(mended) else ""
            earlier = mended[position - 2] if position > 1 else ""
            if before in lexicon.LANGUAGE_PREPOSITIONS or (
                before in lexicon.LANGUAGE_ARTICLES and earlier in lexicon.LANGUAGE_PREPOSITIONS
            ):
                found = lang  # "in het Frans", "en anglais (finalement)", "into English"
                consumed.add(position)
                continue
            # English and Dutch put the adjective before its noun, French after it.
            if _describes(after) or (word in lexicon.FRENCH_LANGUAGE_NAMES and _describes(before)):
                continue
            found = lang
            consumed.add(position)
    return found


def _describes(neighbour: str) -> bool:
    """Whether a language name's neighbour is a noun it would describe: a content word that
    is neither a document word ("briefing", "version", "PDF") nor another language."""
    return (
        bool(neighbour)
        and neighbour not in lexicon.ALL_STOP_WORDS
        and neighbour not in lexicon.OUTPUT_WORDS
        and not neighbour.isdigit()
        and not any(neighbour in names for names in lexicon.LANGUAGE_NAMES.values())
    )


def _find_format(typed: list[str], consumed: set[int]) -> str | None:
    """ "PDF", "Markdown", "HTML", or Word: "docx", "in Word", "als Word-bestand", "Word
    format"."""
    found = None
    for position, word in enumerate(typed):
        before = typed[position - 1] if position else ""
        after = typed[position + 1] if position + 1 < len(typed) else ""
        if word in lexicon.PDF_WORDS:
            found = "pdf"
        elif word in lexicon.MARKDOWN_WORDS:
            found = "md"
        elif word in lexicon.HTML_WORDS:
            found = "html"
        elif word in lexicon.DOCX_WORDS or (
            word == "word" and (before in lexicon.WORD_BEFORE or after in lexicon.WORD_AFTER)
        ):
            found = "docx"
            if after in lexicon.WORD_AFTER:
                consumed.add(position + 1)
        else:
            continue
        consumed.add(position)
    return found


def _find_smalltalk(typed: list[str], consumed: set[int]) -> tuple[str | None, set[str]]:
    """A greeting, thanks or goodbye in the message, and the languages its phrases are in.

    The longest phrase wins ("dank je wel" over "dank"); the last act found names the
    message ("hello, and thanks" thanks).
    """
    found: list[tuple[int, int, str, str]] = []
    for act, by_language in lexicon.SMALLTALK.items():
        for lang, phrases in by_language.items():
            for item in phrases:
                start = _index_of(typed, item)
                if start is not None:
                    found.append((start, len(item.split()), act, lang))
    if not found:
        return None, set()
    longest = max(size for _, size, _, _ in found)
    languages = {lang for _, size, _, lang in found if size == longest}
    for start, size, _, _ in found:
        consumed.update(range(start, start + size))
    act = max(found, key=lambda item: (item[0], item[1]))[2]
    return act, languages


_RAW_WORD = re.compile(r"[^\W_]+")


def _salient_words(query: Sequence[QueryWord], text: str, countries: Gazetteer) -> list[QueryWord]:
    """The question's words an answer must hold: the acronyms it names ("COVID",
    "MINUSMA", "CAAC") and the bodies it asks about ("committee", "court",
    "sanctiecomité"), when the dossier knows them. Countries and their adjectives are
    checked on their own (``Index.names_every``); the dossier's frame (its country, the
    Council, the UN) weighs less than a typed word and is not salient.
    """
    acronyms = {
        fold(token)
        for token in _RAW_WORD.findall(text)
        if len(token) >= MIN_ACRONYM and token.isupper() and token.isalpha()
    }
    roots = {word[:4] for word in countries.long_words}
    return [
        word
        for word in query
        if word.known
        and word.weight >= 1.0
        and not word.typed.isdigit()
        and word.typed not in countries.words
        and word.typed[:4] not in roots
        and (word.typed in acronyms or bool(agent_nouns([word.typed]) & lexicon.BODY_NOUNS))
    ]


def _acronyms(text: str) -> list[str]:
    """The acronyms of a text: words of MIN_ACRONYM capitals or more ("ICC", "E10")."""
    return [
        token for token in _RAW_WORD.findall(text) if len(token) >= MIN_ACRONYM and token.isupper()
    ]


def _capitalised(text: str) -> set[str]:
    """The folded names of a text: acronyms, code names ("5G"), and words capitalised
    inside a sentence."""
    found: set[str] = set()
    opening = True
    for token in text.split():
        for part in _RAW_WORD.findall(token):
            if code_name(part) or (
                part[:1].isupper()
                and (not opening or (len(part) >= MIN_ACRONYM and part.isupper()))
            ):
                found.add(fold(part))
            opening = False
        opening = opening or token.endswith((".", "?", "!", ":"))
    return found


def _unknown_names(query: Sequence[QueryWord], text: str) -> list[QueryWord]:
    """The question's words the dossier does not hold that are names: an acronym, or a
    word capitalised inside a sentence (not its first word)."""
    capitalised = _capitalised(text)
    return [word for word in query if not word.known and word.typed in capitalised]


def _focus(query: Sequence[QueryWord], typed: list[str]) -> list[QueryWord]:
    """The noun a "what is the X of Y" question asks about ("population", "budget",
    "hoofdstad"), unless it is an aspect any fact on the subject speaks to ("role"),
    and the Y it is of."""
    for start in range(len(typed) - 4):
        opener, verb, article, noun, of = typed[start : start + 5]
        if (
            opener in _ALL_FOCUS_OPENERS
            and verb in lexicon.FOCUS_VERBS
            and article in lexicon.FOCUS_ARTICLES
            and of in lexicon.FOCUS_OF
            and noun not in lexicon.ASPECT_NOUNS
            and noun not in lexicon.ALL_GENERIC_WORDS
        ):
            # Unknown to the dossier, it holds nothing on it: no fact can cover the word.
            # What it is of ("of Belgium") must be stated too: Syria's population is
            # not Belgium's.
            rest = [word for word in typed[start + 5 :] if word not in lexicon.ALL_STOP_WORDS]
            wanted = {noun, *rest[:1]}
            return [word for word in query if word.typed in wanted]
        if (
            opener in _ALL_FOCUS_OPENERS
            and verb in lexicon.FOCUS_VERBS
            and article in lexicon.FOCUS_ARTICLES
            and of in lexicon.FOCUS_OF
            and noun in lexicon.SUBJECT_NOUNS
        ):
            # "What was the topic of the E10 joint statement …?": the thing whose subject
            # is asked, up to the next function word, must be the fact's own.
            thing: list[str] = []
            for word in typed[start + 5 :]:
                if word in lexicon.ALL_STOP_WORDS:
                    if thing:
                        break
                    continue
                thing.append(word)
            return [word for word in query if word.typed in thing]
    return []


_ALL_FOCUS_OPENERS = frozenset().union(*lexicon.FOCUS_OPENERS.values())


def _function_word_vote(spoken: list[str], guess: str | None) -> str | None:
    """The language whose own function words (those of no other language) a message
    uses at least MIN_FUNCTION_WORDS times and more than any other, if one does; of
    languages tied, the letters' best ``guess`` if it is one of them."""
    counts = {
        lang: sum(word in own for word in spoken) for lang, own in lexicon.OWN_STOP_WORDS.items()
    }
    ranked = sorted(counts, key=lambda lang: -counts[lang])
    best, second = ranked[0], ranked[1]
    if counts[best] < MIN_FUNCTION_WORDS:
        return None
    if counts[best] > counts[second]:
        return best
    tied = [lang for lang in ranked if counts[lang] == counts[best]]
    return guess if guess in tied else None


def _asks_capability(typed: list[str], consumed: set[int]) -> bool:
    """Whether the message asks what the chat can do: it speaks to "you", with a verb of
    ability or doing, and every other word is a function word or filler."""
    rest = [word for position, word in enumerate(typed) if position not in consumed]
    if not any(word in lexicon.YOU_WORDS for word in rest):
        return False
    if not any(word in lexicon.CAPABILITY_WORDS for word in rest):
        return False
    allowed = (
        lexicon.YOU_WORDS
        | lexicon.CAPABILITY_WORDS
        | lexicon.CAPABILITY_FILLERS
        | lexicon.ALL_QUESTION_WORDS
        | lexicon.ALL_STOP_WORDS
        | lexicon.OUTPUT_WORDS
        | lexicon.TOOL_WORDS
        | lexicon.ASKING_WORDS
        | frozenset().union(*lexicon.LANGUAGE_NAMES.values())
    )
    if not all(word in allowed for word in rest):
        return False
    consumed.update(position for position in range(len(typed)))
    return True


def _qualifies_role(query: Sequence[QueryWord], position: int, own: frozenset[str]) -> bool:
    """Whether a question word qualifies the role beside it ("prime" minister, "eerste"
    minister, "ministre" … "premier"): part of what a who-question asks about, so the
    answering fact must state it too. The dossier's own country ("Belgian") is not."""
    word = query[position].typed
    if word.isdigit() or agent_nouns([word]) or word[:4] in {name[:4] for name in own}:
        return False
    next_word = query[position + 1].typed if position + 1 < len(query) else ""
    previous = query[position - 1].typed if position else ""
    return bool(agent_nouns([next_word])) or (
        word in lexicon.ROLE_QUALIFIERS and bool(agent_nouns([previous]))
    )


def _asks_who(typed: list[str]) -> bool:
    """Whether "who / wie / qui" asks for an agent: it opens the question (after an "and"),
    follows a preposition ("door wie", "par qui") or closes it ("… qui exactement ?")."""
    for position, word in enumerate(typed):
        if word not in lexicon.WHO_WORDS:
            continue
        before = typed[position - 1] if position else ""
        after = typed[position + 1] if position + 1 < len(typed) else ""
        if (
            position == 0
            or (position == 1 and before in lexicon.FOLLOW_UP_OPENERS)
            or before in lexicon.WHO_PREPOSITIONS
            or not after
            or after in lexicon.WHO_AFTER
        ):
            return True
    return False


def _counted_words(mended: list[str], content: Sequence[str]) -> tuple[str, ...]:
    """What "how many …" counts: the first content words after the cue ("member states"),
    of which the answer must state one."""
    for cue in lexicon.ANSWER_TYPES["count"]:
        start = _index_of(mended, cue)
        if start is None:
            continue
        found: list[str] = []
        for word in mended[start + len(cue.split()) :]:
            if word in content and word not in lexicon.ALL_STOP_WORDS and not word.isdigit():
                found.append(word)
            elif found:
                break
            if len(found) == COUNTED_WORDS:
                break
        return tuple(found)
    return ()


def _salient_numbers(content: Sequence[str], term_years: Sequence[str]) -> tuple[str, ...]:
    """The numbers a question names; the term's own span ("2019-2020") is not a detail,
    nor a year the question measures from ("before 2019", "après 2020"): the relation is
    asked, and checked on its own."""
    relation_words = frozenset().union(*lexicon.RELATION_GROUPS)
    numbers = [
        word.lstrip("0") or "0"
        for position, word in enumerate(content)
        if word.isdigit() and not relation_words & set(content[max(0, position - 2) : position])
    ]
    if all(year in numbers for year in term_years):
        numbers = [number for number in numbers if number not in term_years]
    return tuple(dict.fromkeys(numbers))


def _asks_help(mended: list[str], consumed: set[int]) -> bool:
    """Whether a message asks for help: a help phrase ("what can you do", "welke
    onderwerpen"), or a bare help word ("help", "hulp", "aide", "sujets") that opens the
    message ("Aide : quels types …") or stands in one that says little else; "l'aide
    transfrontalière" inside a question is a subject."""
    for item in lexicon.HELP_PHRASES:
        start = _index_of(mended, item)
        if start is None:
            continue
        rest = [
            word
            for position, word in enumerate(mended)
            if not start <= position < start + len(item.split())
            and word not in lexicon.ALL_STOP_WORDS
            and word not in lexicon.ALL_QUESTION_WORDS
        ]
        opens = start == 0 or (start == 1 and mended[0] in lexicon.FOLLOW_UP_OPENERS)
        if len(item.split()) > 1 or opens or len(rest) <= MAX_HELP_CONTEXT:
            consumed.update(range(start, start + len(item.split())))
            return True
    return False


def _asks_which_country(typed: list[str]) -> bool:
    """Whether "which / welk / quel" asks for a country: a country noun right after it,
    or after the words that qualify it ("which permanent member", "welk inkomend lid");
    or a list of them ("the list of the ten members")."""
    for position, word in enumerate(typed):
        if word in lexicon.LIST_WORDS and any(
            following in lexicon.COUNTRY_NOUNS
            for following in typed[position + 1 : position + 1 + MAX_LIST_GAP]
        ):
            return True  # "la liste complète des dix membres", "a list of the members"
        if word not in lexicon.WHICH_WORDS:
            continue
        for following in typed[position + 1 : position + 2 + MAX_QUALIFIERS]:
            if following in lexicon.COUNTRY_NOUNS:
                return True
            if following in lexicon.ALL_STOP_WORDS:
                break
    return False


def _consume_term_setting(typed: list[str], consumed: set[int]) -> None:
    """Consume "during our term", "tijdens het mandaat", "pendant son mandat" when the
    message names something else: it says when, and the whole dossier is set then."""
    for position, word in enumerate(typed):
        if word not in lexicon.DURING_WORDS:
            continue
        end = position + 1
        while (
            end < len(typed)
            and end - position <= MAX_QUALIFIERS
            and (typed[end] in lexicon.ALL_STOP_WORDS or typed[end] in lexicon.SELF_WORDS)
        ):
            end += 1
        if end >= len(typed) or typed[end] not in lexicon.TERM_WORDS:
            continue
        span = set(range(position, end + 1))
        if any(
            at not in consumed and at not in span and other not in lexicon.ALL_STOP_WORDS
            for at, other in enumerate(typed)
        ):
            consumed.update(span)


def _consume_reporting_author(typed: list[str], consumed: set[int]) -> None:
    """Consume "the author" and the verb of saying beside it ("how does the author
    describe …", "waarmee vergelijkt de auteur …") when the message names what is said:
    the author reports it; the question is not about the author."""
    for position, word in enumerate(typed):
        if word not in lexicon.AUTHOR_WORDS:
            continue
        verbs = [
            at
            for at in range(max(0, position - REPORTING_WINDOW), position + REPORTING_WINDOW + 1)
            if at < len(typed)
            and at != position
            and (
                typed[at] in lexicon.REPORTING_VERBS
                or typed[at].startswith(lexicon.REPORTING_STEMS)
            )
        ]
        if not verbs:
            continue
        span = {position, verbs[0]}
        if any(
            at not in consumed
            and at not in span
            and other not in lexicon.ALL_STOP_WORDS
            and other not in lexicon.ALL_QUESTION_WORDS
            for at, other in enumerate(typed)
        ):
            consumed.update(span)


def _future(typed: list[str]) -> bool:
    """Whether a question is set in the future: a future word, or a French inverted
    future ("présidera-t-elle")."""
    return any(word in lexicon.FUTURE_WORDS for word in typed) or any(
        word.endswith("ra")
        and typed[position + 1] == "t"
        and typed[position + 2] in lexicon.INVERTED_PRONOUNS
        for position, word in enumerate(typed[:-2])
    )


def _which_thing(typed: list[str]) -> str | None:
    """The noun right after "which / welk / quel" opening the question, when it asks to
    identify a thing ("which committee", "quelles évacuations"); not an aspect ("which
    role"), a kind ("welk soort"), a time, a country or a numbered text, asked otherwise."""
    for position, word in enumerate(typed[:-1]):
        if word not in lexicon.IDENTIFYING_WORDS:
            continue
        before = typed[position - 1] if position else ""
        if position and before not in lexicon.FOLLOW_UP_OPENERS | lexicon.WHICH_PREPOSITIONS:
            continue
        noun = typed[position + 1]
        other = (
            any(
                following.startswith(lexicon.NUMBERED_DOCUMENTS)
                for following in typed[position + 1 : position + 3]
            )
            or noun in lexicon.NUMBER_VALUES
            or noun in lexicon.ALL_STOP_WORDS
            or noun in lexicon.ASPECT_NOUNS
            or noun in lexicon.KIND_NOUNS
            or noun in lexicon.COUNTRY_NOUNS
            or noun in lexicon.TIME_NOUNS
            or noun in lexicon.DATE_NOUNS
            or noun.isdigit()
        )
        return None if other else noun
    return None


def _person_noun(word: str) -> bool:
    """Whether a word is a role held by a person, in the singular or the plural
    ("ministers", "ministres", "vertegenwoordigers")."""
    forms = {word, word.removesuffix("s"), word.removesuffix("en"), word.removesuffix("es")}
    return any(
        form in lexicon.PERSON_NOUNS or agent_nouns([form]) & lexicon.PERSON_NOUNS for form in forms
    )


def _names_asked(typed: list[str]) -> bool:
    """Whether a question uses the noun "name" for what it asks ("son nom ?", "his name
    please"), not in a phrase meaning "on behalf of" ("au nom de", "in naam van")."""
    return any(
        word in lexicon.NAME_NOUNS
        and (typed[position - 1] if position else "") not in lexicon.ON_BEHALF_WORDS
        for position, word in enumerate(typed)
    )


def _negates(asked: str) -> bool:
    """Whether a question asks about what was not ("which text was not adopted?"): a
    negation followed by a word of its clause; not "not only", "or not", "ou pas ?"."""
    for found in _NEGATION.finditer(asked):
        before = words(asked[: found.start()])
        after = words(_CLAUSE.split(asked[found.end() :], maxsplit=1)[0])
        if (
            after
            and after[0] not in lexicon.NOT_ONLY
            and not (before and before[-1] in lexicon.NOT_ALTERNATIVE)
        ):
            return True
    return False


def _asks_reason(typed: list[str]) -> bool:
    """Whether a message asks why: "why", "waarom", "pour quelle raison"."""
    return any(_index_of(typed, cue) is not None for cue in lexicon.REASON_QUESTIONS)


def _listed(typed: list[str]) -> int:
    """How many countries a question asks for: the number before a country noun ("the
    ten members", "de vijf permanente leden", "les 15 États"), else 0."""
    for position, word in enumerate(typed):
        value = int(word) if word.isdigit() else lexicon.NUMBER_VALUES.get(word, 0)
        if value and any(
            following in lexicon.COUNTRY_NOUNS
            for following in typed[position + 1 : position + 2 + MAX_QUALIFIERS]
        ):
            return value
    return 0


def _asks_count(typed: list[str]) -> bool:
    """Whether a question asks for a number: "how many", "hoeveel", "combien" always; "the
    number of", "het aantal", "le nombre de" only as "what is the number of …", not in
    "what happened to the number of crossings?" (a change, not a count)."""
    for cue in lexicon.ANSWER_TYPES["count"]:
        start = _index_of(typed, cue)
        if start is None:
            continue
        if cue not in lexicon.COUNT_NOUNS or any(
            word in lexicon.FOCUS_VERBS for word in typed[max(0, start - 3) : start]
        ):
            return True
    return False


def _asks_when(typed: list[str], consumed: set[int]) -> bool:
    """Whether a time cue asks for a time. "Which year", "depuis quand" always do; a bare
    "when / wanneer / quand" only as the question's word, near its start, after a
    preposition or at its end ("c'était quand ?"), not as a conjunction inside it
    ("… la mesure du succès quand le langage agréé a été remis en cause ?")."""
    found = False
    for item in lexicon.ANSWER_TYPES["time"]:
        start = _index_of(typed, item)
        if start is None:
            continue
        if item in lexicon.WHEN_WORDS:
            before = typed[start - 1] if start else ""
            if not (
                start <= WHEN_OPENING
                or before in lexicon.WHO_PREPOSITIONS
                or start == len(typed) - 1
            ):
                continue
        consumed.update(range(start, start + len(item.split())))
        found = True
    return found


def _find_phrases(mended: list[str], phrases: Sequence[str], consumed: set[int]) -> bool:
    found = False
    for item in phrases:
        start = _index_of(mended, item)
        if start is not None:
            consumed.update(range(start, start + len(item.split())))
            found = True
    return found


def _starts_with(mended: list[str], prefixes: Sequence[str], consumed: set[int]) -> bool:
    """Whether the message opens with one of ``prefixes``, after an "and" or a "now"."""
    offset = 1 if mended and mended[0] in lexicon.FOLLOW_UP_OPENERS else 0
    opening = " ".join(mended[offset:]) + " "
    for item in sorted(prefixes, key=len, reverse=True):
        if opening.startswith(item + " "):
            consumed.update(range(offset, offset + len(item.split())))
            return True
    return False


def _index_of(mended: list[str], item: str) -> int | None:
    target = item.split()
    size = len(target)
    for start in range(len(mended) - size + 1):
        if mended[start : start + size] == target:
            return start
    return None


def _names_only_the_mandate(topic: str | None, query: Sequence[QueryWord]) -> bool:
    """'Lessons learned on the mandate' means the whole mandate, not its overview topic."""
    return topic == "mandate-overview" and all(
        word.typed in lexicon.MANDATE_WORDS or not word.known for word in query
    )
