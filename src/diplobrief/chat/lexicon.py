"""The chat's fixed vocabulary: how users ask for things, in nl, fr and en.

These lists describe the *language of requests* (question words, "talking points",
"in het Frans", "as PDF"), never the subject matter: what the mandate is about comes
from the dossier alone (titles, aliases, facts). Entries are written naturally and
folded once at import, so the lists stay readable by people who are not programmers.
"""

from __future__ import annotations

from diplobrief.chat.text import phrase


def _fold_all(entries: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {
        key: tuple(dict.fromkeys(phrase(entry) for entry in values))
        for key, values in entries.items()
    }


def _words_of(entries: dict[str, str]) -> dict[str, frozenset[str]]:
    return {key: frozenset(phrase(value).split()) for key, value in entries.items()}


# Function words and the fillers of questions and requests. They carry no topic, so
# retrieval ignores them; language identification learns from them.
STOP_WORDS = _words_of(
    {
        "en": """a about above across after again against all also am an and any anything are
        around as at be because been before being below between both but by can could did do
        does doing
        done down during each either else ever few for from further get gets got had has have
        having he her here hers him his how i if in into is it its itself just know let like
        many me might more most much must my no nor not now of off on once only or other our ours
        out over own please really s same shall she should so some something still such t
        tell than thank thanks that the their them then there these they thing things this
        those through to too under until up us very was we were what whats when where whether
        which while who whom why will with would yet you your d ll m re ve give show send
        need want wanted happen happened happens occur occurred take took taken place
        change changed changes etc pls plz""",
        "nl": """aan al alle allemaal alles als alsjeblieft alstublieft altijd ander andere aub
        ben bij daar daarom dan dat de deze die dit doch doe doen door dus een eens eigenlijk
        en er ge geen geef geweest graag haar had hadden heb hebt hebben heeft hem het hier hij
        hoe hoelang
        sinds tijdens tussen rond volgens via
        hoeveel hun iemand iets ik in is ja je jij jou jouw kan kon kun kunnen kunt maar me meer
        men met mij mijn moet na naar niet niets nog nou nu of om omdat ons onze ook op over
        precies reeds te tegen toch toen tot u uit uw van veel voor waar waarom wanneer want
        waren was wat we wel welk welke werd werden wie wij wil wilt worden wordt zal ze zelf
        zich zij zijn zo zonder zou zouden toon stuur nodig krijgen mag gebeurd gebeurde
        gebeuren plaatsgevonden plaatsvinden vond vinden veranderd veranderde veranderen
        etc enz enzovoort mbt ivm""",
        "fr": """a ai ait alors au aussi autre autres aux avait avaient avec avez avoir c ca ce
        ceci cela celle celles celui ces cet cette chez combien comme comment d dans de des
        donc dont du elle elles en encore es est et etaient etait ete etre eux fait il ils
        j je l la laquelle le lequel les leur leurs lui m ma mais me meme mes moi mon n ne ni
        nos notre nous on ont ou par pas peu peut peux plait pour pourquoi pouvez qu quand que
        quel quelle quelles quels qui quoi s sa sans se sera serait ses si sil son sont stp
        sur svp t ta te tes toi ton tous tout toute toutes tres tu un une vos votre vous y
        pendant durant lors depuis avant apres entre vers contre selon parmi donne donnez
        donner montre montrez envoie envoyez veux voudrais aimerais besoin faut maintenant
        ensuite puis passe passée lieu déroulé déroulée changé changer arrivé arrivée
        etc""",
    }
)
ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())
# French participles that are function words after an auxiliary ("il y a eu", "a été"):
# elsewhere "eu" is the EU and "été" the summer.
AUXILIARY_PARTICIPLES = {
    "fr": {
        participle: frozenset(
            phrase("a ont avait avaient avoir aura auront aurait auraient ayant").split()
        )
        for participle in ("eu", "ete")
    }
}
# Each language's function words that are no other language's: they tell a language.
OWN_STOP_WORDS = {
    lang: stop.difference(*(other for key, other in STOP_WORDS.items() if key != lang))
    for lang, stop in STOP_WORDS.items()
}

# "How long", "hoe lang", "combien de temps": the second word asks, it is not a subject.
QUESTION_PHRASES = tuple(
    phrase(entry)
    for entry in [
        "how long",
        "how often",
        "hoe lang",
        "hoe vaak",
        "combien de temps",
        "combien de fois",
    ]
)
# Questions asking how many times: answered by a number or an ordinal.
FREQUENCY_PHRASES = tuple(
    phrase(entry) for entry in ["how often", "hoe vaak", "combien de fois", "how many times"]
)
# Questions asking for a reason: answered best by a fact that gives one (a cause, a
# purpose), not by one that restates what the question asks about.
REASON_QUESTIONS = tuple(
    phrase(entry)
    for entry in [
        "why",
        "how come",
        "for what reason",
        "what for",
        "waarom",
        "om welke reden",
        "waarvoor",
        "pourquoi",
        "pour quelle raison",
        "pour quelles raisons",
    ]
)
# The causal and purpose connectives of each language (complete general lists, not the
# dossier's): a fact holding one, in any of its languages, gives a reason.
REASON_MARKERS = {
    lang: tuple(phrase(entry) for entry in entries.split(","))
    for lang, entries in {
        "en": """because, because of, as a result, due to, owing to, thanks to,
        so that, in order to, so as to, therefore, hence, for that reason, for this reason,
        the reason, which is why, that is why, this is why, given that, in view of""",
        "nl": """omdat, want, doordat, daardoor, daarom, dankzij, vanwege, wegens, zodat,
        opdat, aangezien, om die reden, om deze reden, de reden, als gevolg van""",
        "fr": """parce que, parce qu, car, puisque, grace a, en raison de, a cause de, du fait
        de, afin de, afin que, pour que, de sorte que, si bien que, c est pourquoi, donc,
        la raison, etant donne, vu que, compte tenu de""",
    }.items()
}
# Questions asking for a span of time, answered by a number of years, months or days.
DURATION_PHRASES = tuple(
    phrase(entry)
    for entry in ["how long", "hoe lang", "hoelang", "combien de temps", "pendant combien"]
)
DURATION_UNITS = frozenset(
    phrase(
        """year years month months week weeks day days decade decades jaar jaren maand
        maanden week weken dag dagen decennium decennia an ans annee annees mois semaine
        semaines jour jours decennie decennies"""
    ).split()
)
# Words counting one of those units: "a full year", "een heel jaar", "un an".
ONE_WORDS = frozenset(phrase("a an one full whole een heel hele volledig un une plein").split())
# What kind of value a question asks for, and the cues that ask for it. Index time tells
# which kinds of value each fact holds (``index.value_kinds``); a fact that holds none of
# the kind asked does not answer the question ("how many" needs a number, "when" a date).
ANSWER_TYPES: dict[str, tuple[str, ...]] = {
    kind: tuple(dict.fromkeys(phrase(entry) for entry in cues))
    for kind, cues in {
        "time": [
            "when",
            "what year",
            "which year",
            "which month",
            "what month",
            "since when",
            "in what year",
            "which years",
            "what years",
            "which period",
            "what period",
            "welke jaren",
            "welke periode",
            "quelles années",
            "quelle période",
            "wanneer",
            "welk jaar",
            "welke maand",
            "sinds wanneer",
            "in welk jaar",
            "quand",
            "quelle année",
            "quel mois",
            "en quelle année",
            "depuis quand",
            "à quelle date",
        ],
        "date": [
            "exact date",
            "precise date",
            "what day",
            "which day",
            "on what date",
            "what date",
            "which date",
            "exacte datum",
            "precieze datum",
            "welke dag",
            "welke datum",
            "op welke datum",
            "date exacte",
            "date précise",
            "quel jour",
            "quelle date",
            "quelle est la date",
        ],
        "count": [
            "how many",
            "how much",
            "number of",
            "hoeveel",
            "aantal",
            "combien",
            "nombre de",
        ],
        # "Hoe laat is het?": the time of day, which no dated source holds.
        "clock": ["what time is it", "hoe laat", "quelle heure"],
        # "Combientième mandat ?", "de hoeveelste keer?": a rank, the term's "6th".
        "ordinal": ["combientième", "hoeveelste", "quantième", "how manieth"],
        "resolution": [
            "which resolution",
            "what resolution",
            "resolution number",
            "number of the resolution",
            "welke resolutie",
            "nummer van de resolutie",
            "resolutienummer",
            "quelle résolution",
            "numéro de la résolution",
            "numéro de résolution",
        ],
        "name": [
            "what is the name",
            "what's the name",
            "whats the name",
            "what was his name",
            "what was her name",
            "what is his name",
            "what is her name",
            "what was the name",
            "what is it called",
            "what was it called",
            "called what",
            "hoe heet",
            "hoe heette",
            "wat is de naam",
            "wat was de naam",
            "comment s'appelle",
            "comment s'appelait",
            "quel est le nom",
            "quel est son nom",
            "quel était son nom",
            "comment il s'appelle",
            "comment elle s'appelle",
            "wat is zijn naam",
            "wat is haar naam",
            "wat was zijn naam",
            "wat was haar naam",
            "hoe noemt",
            "hoe heet hij",
            "hoe heet zij",
            "quel était le nom",
        ],
        # Answered by a country the question does not name itself.
        "country": [
            "which countries",
            "what countries",
            "with whom",
            "which partners",
            "which other countries",
            "welke landen",
            "met wie",
            "welke partners",
            "met welke landen",
            "quels pays",
            "avec qui",
            "quels partenaires",
            "avec quels pays",
        ],
    }.items()
}
# Number words, for facts that write a count in letters ("a hundred", "une dizaine").
NUMBER_WORDS = frozenset(
    phrase(
        """one two three four five six seven eight nine ten eleven twelve thirteen fourteen
        fifteen twenty dozen dozens hundred hundreds thousand thousands both half
        twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien
        vijftien twintig dozijn honderd honderdtal honderden duizend duizenden beide helft
        deux trois quatre cinq sept huit neuf dix onze douze treize quatorze quinze vingt
        dizaine douzaine centaine cent cents mille milliers moitié"""
    ).split()
)
# Number words and their values, from two (one is also "a", "een", "un") to twenty.
NUMBER_VALUES = {
    phrase(word): value
    for names in (
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty",
        "twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien "
        "zestien zeventien achttien negentien twintig",
        "deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze "
        "seize dix-sept dix-huit dix-neuf vingt",
    )
    for value, word in enumerate(names.split(), start=2)
}
# The months in English, Dutch and French: a month the question names must be the
# fact's ("in March 2020" is not answered by February 2020).
MONTH_GROUPS = tuple(
    frozenset(phrase(group).split())
    for group in [
        "january januari janvier",
        "february februari fevrier",
        "march maart mars",
        "april avril",
        "may mei mai",
        "june juni juin",
        "july juli juillet",
        "august augustus aout",
        "september septembre",
        "october oktober octobre",
        "november novembre",
        "december decembre",
    ]
)
# Casualties ("killed or injured", "gewond", "blessés"): what a question about losses
# asks; a fact on the same mission that reports none does not answer it.
CASUALTY_WORDS = frozenset(
    phrase(
        """killed wounded injured casualties casualty dead deaths died fatalities gedood
        gesneuveld omgekomen gewond gewonden doden slachtoffers tues tue blesses blesse
        morts victimes"""
    ).split()
)
# "What was the topic of the joint statement?", "het onderwerp van de verklaring": the
# subject of a thing asked; the fact must state that thing itself, not a neighbour.
SUBJECT_NOUNS = frozenset(phrase("topic subject theme onderwerp thema sujet theme objet").split())
# "How many … in total over the two years", "au total", "in totaal": a count of the whole
# term, which a month's count does not give.
TOTAL_WORDS = frozenset(phrase("total totaal altogether overall tout totalite").split())
# "What is the population of Somalia?": after "what is the", the noun asked about must
# be in the answer, unless it names an aspect any fact on the subject speaks to.
FOCUS_OPENERS = _words_of(
    {
        "en": "what which",
        "nl": "wat welk welke",
        "fr": "quel quelle quels quelles",
    }
)
FOCUS_VERBS = frozenset(phrase("is was are were zijn waren est etait sont etaient fut").split())
FOCUS_ARTICLES = frozenset(phrase("the de het le la les l").split())
FOCUS_OF = frozenset(phrase("of van de du des d").split())
ASPECT_NOUNS = frozenset(
    phrase(
        """role roles part impact effect effects result results outcome outcomes
        significance importance contribution contributions position view stance approach
        aim goal goals objective priority priorities point purpose reason reasons main
        gist essence lesson lessons message idea nature story situation state context
        meaning background history experience work scale size extent number amount
        magnitude level subject subjects topic topics theme themes focus content contents
        rol rollen aandeel impact effect gevolg gevolgen resultaat resultaten uitkomst
        betekenis belang bijdrage standpunt visie aanpak doel doelen doelstelling
        prioriteit prioriteiten punt reden redenen kern les lessen boodschap idee aard
        verhaal situatie toestand context achtergrond geschiedenis ervaring werk omvang
        aantal grootte niveau onderwerp onderwerpen thema themas inhoud
        role part impact effet effets resultat resultats issue importance contribution
        position point vue approche but objectif objectifs priorite priorites raison
        raisons essentiel lecon lecons message idee nature histoire situation etat
        contexte sens travail bilan ampleur nombre taille etendue niveau sujet sujets
        theme themes objet contenu"""
    ).split()
)
# Month names, for facts that give a time in words.
MONTH_WORDS = frozenset(
    phrase(
        """january february march april may june july august september october november
        december januari februari maart mei juni juli augustus oktober
        janvier février mars avril mai juin juillet août septembre octobre novembre
        décembre"""
    ).split()
)
# Phrases that date an event by another ("right after the term"): an answer to "when".
RELATIVE_TIME = tuple(
    phrase(entry)
    for entry in [
        "right after",
        "immediately after",
        "shortly after",
        "soon after",
        "meteen na",
        "onmiddellijk na",
        "kort na",
        "vlak na",
        "juste après",
        "aussitôt après",
        "immédiatement après",
        "peu après",
        "dès la fin",
        "dès après",
    ]
)
# Words that turn a question to another time than the fact's ("who chaired it before
# Belgium?"): a fact answers only if it says so too, with a word of the same group.
RELATION_GROUPS = tuple(
    frozenset(phrase(group).split())
    for group in [
        """before prior earlier previous previously preceded predecessor voordat eerder
        vorige voorheen voordien daarvoor vroeger voorafgegaan voorganger avant auparavant
        précédent précédente
        précédé prédécesseur""",
        """after afterwards later subsequent successor succeeded succeed nadat daarna later
        opvolger opvolgde opgevolgd volgde après ensuite suivant successeur succédé
        succéder""",
    ]
)
# Words of a comparison: what follows is what is compared against ("compared with earlier
# years"), not a before or after asked.
COMPARISON_WORDS = frozenset(
    phrase(
        """compared comparing comparison versus vs than vergeleken vergelijking tegenover
        compare comparé comparée comparaison rapport"""
    ).split()
)
BEFORE_GROUP = RELATION_GROUPS[0]
# Word pairs in which a relation word means something else: "d'après" (according to).
NOT_RELATIONS = frozenset({("d", "apres")})
# Small talk: greetings, thanks and goodbyes, by language (a phrase may be in two).
SMALLTALK: dict[str, dict[str, tuple[str, ...]]] = {
    act: {lang: tuple(phrase(entry) for entry in entries) for lang, entries in by_lang.items()}
    for act, by_lang in {
        "greeting": {
            "en": [
                "hello",
                "hi",
                "hey",
                "good morning",
                "good afternoon",
                "good evening",
                "greetings",
                "howdy",
                "how are you",
                "how are you doing",
                "how is it going",
                "how's it going",
            ],
            "nl": [
                "hallo",
                "hoi",
                "dag",
                "goedemorgen",
                "goedemiddag",
                "goedenavond",
                "goeiemorgen",
                "goeiemiddag",
                "goeienavond",
                "goeiendag",
                "goeiedag",
                "hey",
                "hoe gaat het",
                "hoe gaat het met je",
                "hoe gaat het met u",
                "alles goed",
                "alles oké",
                "hoe is het",
                "hello",
                "hi",
            ],
            "fr": [
                "bonjour",
                "salut",
                "bonsoir",
                "coucou",
                "bon après-midi",
                "ça va",
                "comment ça va",
                "comment allez-vous",
                "comment vas-tu",
                "vous allez bien",
                "hello",
            ],
        },
        "thanks": {
            "en": ["thanks", "thank you", "cheers", "many thanks", "thx", "much appreciated"],
            "nl": [
                "dank je",
                "dank u",
                "dank je wel",
                "dank u wel",
                "dankjewel",
                "dankuwel",
                "bedankt",
                "merci",
                "hartelijk dank",
                "dank",
                # Flemish thanks in English as often as in French ("merci").
                "thanks",
                "thx",
            ],
            "fr": ["merci", "merci beaucoup", "merci bien", "je vous remercie"],
        },
        "goodbye": {
            "en": [
                "bye",
                "goodbye",
                "see you",
                "that's all",
                "that is all",
                "bye bye",
                "see you later",
                "have a nice day",
            ],
            "nl": [
                "tot ziens",
                "tot later",
                "doei",
                "dag",
                "tot straks",
                "dat was het",
                "dat is alles",
                "fijne dag",
                "salut",
            ],
            "fr": [
                "au revoir",
                "à bientôt",
                "à plus",
                "bonne journée",
                "c'est tout",
                "bonne soirée",
                "salut",
                "à tout à l'heure",
            ],
        },
        # "Who are you?": a question about the assistant itself, not about the dossier.
        "identity": {
            "en": [
                "who are you",
                "what are you",
                "who is this",
                "who am i talking to",
                "who am i speaking to",
                "who am i speaking with",
                "who am i talking with",
                "what is your name",
                "what's your name",
                "whats your name",
                "are you a bot",
                "are you a robot",
                "are you human",
                "are you a human",
                "are you a person",
                "introduce yourself",
                "tell me about yourself",
            ],
            "nl": [
                "wie ben jij",
                "wie ben je",
                "wie bent u",
                "wat ben jij",
                "wat ben je",
                "wat bent u",
                "hoe heet jij",
                "hoe heet je",
                "hoe heet u",
                "met wie spreek ik",
                "met wie praat ik",
                "ben jij een bot",
                "ben je een bot",
                "bent u een bot",
                "ben jij een robot",
                "ben je een robot",
                "ben je een mens",
                "stel jezelf voor",
                "stel je voor",
                "stelt u zich voor",
            ],
            "fr": [
                "qui es-tu",
                "qui es tu",
                "qui êtes-vous",
                "qui êtes vous",
                "tu es qui",
                "t'es qui",
                "vous êtes qui",
                "qu'es-tu",
                "qu'êtes-vous",
                "comment tu t'appelles",
                "comment t'appelles-tu",
                "comment vous appelez-vous",
                "à qui je parle",
                "à qui ai-je affaire",
                "es-tu un robot",
                "êtes-vous un robot",
                "tu es un robot",
                "es-tu humain",
                "présente-toi",
                "présentez-vous",
            ],
        },
    }.items()
}
# Words that may stand beside small talk without making it a question: "thanks, perfect".
SMALLTALK_FILLERS = frozenset(
    phrase(
        """great perfect ok okay good nice fine very much lot lots really sir madam all
        that thats is was it this helpful useful needed need wanted enough clear help
        everything excellent brilliant wonderful awesome for your you again so
        prima perfect goed fijn top super heel veel wel echt oke hartelijk dat was het is
        alles nuttig handig behulpzaam hulp geholpen duidelijk genoeg voor de je jullie
        u uw nogmaals mooi geweldig uitstekend
        parfait super top bien beaucoup très génial merci madame monsieur tout cest
        ca utile aide aidé clair suffit votre ton pour l encore formidable excellent
        vraiment c est
        exactly actually then eigenlijk precies nou dan toch eens toi moi exactement
        donc alors au juste hoor zeg hein"""
    ).split()
)
# Approval or assent opening a message ("great, now the talking points", "oké, en in het
# Frans?", "parfait, et en PDF ?"): a reaction to the last answer, not a subject.
INTERJECTIONS = frozenset(
    phrase(
        """great perfect ok okay good nice fine excellent brilliant wonderful awesome super
        cool right alright yes yeah yep sure well so very really top
        prima goed fijn mooi geweldig uitstekend oke oké okay ja jawel top heel echt
        zeker nou goh dus
        parfait génial formidable bien bon très excellent oui ouais d'accord ok top
        super alors donc ben vraiment"""
    ).split()
)
# "the same topic", "dat onderwerp", "ce sujet": the topic of the last answer.
SAME_TOPIC_PHRASES = tuple(
    phrase(entry)
    for entry in [
        "the same topic",
        "same topic",
        "that topic",
        "this topic",
        "the same subject",
        "same subject",
        "that subject",
        "this subject",
        "hetzelfde onderwerp",
        "hetzelfde thema",
        "dat onderwerp",
        "dit onderwerp",
        "dat thema",
        "dit thema",
        "le même sujet",
        "même sujet",
        "ce sujet",
        "ce thème",
        "le même thème",
        "même thème",
        "cette question",
        "ce dossier",
        "dat dossier",
        "that file",
        "the same file",
    ]
)
# Words that make a message a question about the facts.
QUESTION_WORDS = _words_of(
    {
        "en": "how many much when where who whom which what why whose did does was were is are",
        "nl": "hoeveel wanneer waar wie welk welke wat waarom hoe hoelang sinds",
        "fr": "combien quand ou qui quel quelle quels quelles quoi pourquoi comment lequel",
    }
)

ALL_QUESTION_WORDS = frozenset().union(*QUESTION_WORDS.values())

# Document kinds, as users name them. The longest phrase found wins, so "speaking notes"
# is talking points although it contains "notes".
KIND_PHRASES = _fold_all(
    {
        "talking-points": [
            "talking points",
            "talking point",
            "speaking points",
            "speaking notes",
            "key messages",
            "points to make",
            "speech points",
            "spreekpunten",
            "spreekpunt",
            "spreeknota",
            "spreeknotities",
            "kernboodschappen",
            "éléments de langage",
            "élément de langage",
            "points de discussion",
            "points d'intervention",
            "messages clés",
            "points de langage",
            "argumentaire",
        ],
        "lessons-learned": [
            "lessons learned",
            "lessons learnt",
            "lessons",
            "lesson",
            "takeaways",
            "after action review",
            "geleerde lessen",
            "lessen",
            "leerpunten",
            "lessons-learned",
            "enseignements tirés",
            "enseignements",
            "leçons",
            "leçons apprises",
            "leçons à retenir",
            "retour d'expérience",
            "retex",
        ],
        "briefing-note": [
            "briefing note",
            "briefing notes",
            "briefing",
            "brief",
            "note",
            "notes",
            "memo",
            "background note",
            "briefingnota",
            "briefingsnota",
            "nota",
            "achtergrondnota",
            "note de briefing",
            "note d'information",
            "note de synthèse",
            "fiche",
            "mémo",
        ],
    }
)
# Kinds as the house abbreviates them in capitals ("TPs on Mali", "een BN over Iran",
# "LL peacekeeping"). Only the capitalised form is a kind: a lower-case "tp" or "ll" may
# be anything.
KIND_ABBREVIATIONS = {
    "TP": "talking-points",
    "TPs": "talking-points",
    "BN": "briefing-note",
    "BNs": "briefing-note",
    "LL": "lessons-learned",
    "LLs": "lessons-learned",
}
# "TPs for the PermRep", "voor een toespraak", "pour un discours": in a document request,
# what follows says whom or what the document is for, not its subject.
PURPOSE_WORDS = frozenset(phrase("for voor pour").split())
# Verbs that ask for a document to be made; with a topic and no kind they mean a note.
DOCUMENT_VERBS = frozenset(
    phrase(
        """draft write prepare generate produce create document doc pdf schrijf maak stel
        opstellen genereer bezorg document rédige rédiger rédigez prépare préparer préparez
        génère générer établir"""
    ).split()
)

# Output languages users ask for: "in het Frans", "en néerlandais", "English version".
LANGUAGE_NAMES = _words_of(
    {
        "fr": "french francais frans franse franstalig franstalige",
        "nl": """dutch flemish nederlands nederlandse nederlandstalig nederlandstalige vlaams
        neerlandais flamand""",
        "en": "english engels engelse engelstalig engelstalige anglais",
    }
)

# A language name after one of these asks for that language: "in het Frans", "en
# anglais", "into English", "naar het Engels", "vers le néerlandais".
LANGUAGE_PREPOSITIONS = frozenset(phrase("in en into naar vers to au als as").split())
# … also with an article between them ("in het Frans", "vers le néerlandais").
LANGUAGE_ARTICLES = frozenset(phrase("het de le l").split())
# Language names French writes after the noun they describe ("le résumé français").
FRENCH_LANGUAGE_NAMES = frozenset(phrase("francais neerlandais flamand anglais").split())
PDF_WORDS = frozenset({"pdf", "pdfs"})
# Word output: "docx" or "Word" next to a word that makes it the program ("in Word",
# "als Word-bestand", "Word format"); a bare Dutch "word" (I become) is not a format.
DOCX_WORDS = frozenset({"docx", "wordbestand", "worddocument", "wordformaat", "wordversie"})
WORD_BEFORE = frozenset(
    phrase(
        """in en as als a an un une au format op naar vers document fichier bestand
        version versie formaat"""
    ).split()
)
WORD_AFTER = frozenset(
    phrase("file document format formaat bestand versie version fichier doc docx").split()
)
MARKDOWN_WORDS = frozenset({"markdown", "md"})
HTML_WORDS = frozenset({"html", "htm"})

# "help", "which topics do you have?": what the chat can do.
HELP_PHRASES = tuple(
    phrase(entry)
    for entry in [
        "help",
        "what can you do",
        "what do you know",
        "how does this work",
        "which topics",
        "what topics",
        "list the topics",
        "list topics",
        "topics",
        "what subjects",
        "menu",
        "hulp",
        "help me",
        "wat kan je",
        "wat kun je",
        "wat weet je",
        "hoe werkt dit",
        "welke onderwerpen",
        "onderwerpen",
        "welke thema's",
        "aide",
        "que peux-tu faire",
        "que pouvez-vous faire",
        "que sais-tu",
        "quels sujets",
        "sujets",
        "quels thèmes",
        "thèmes",
        "comment ça marche",
    ]
)

# Help phrases of one word ("help", "hulp", "aide"): opening a message, they ask for help.
HELP_WORDS = frozenset(item for item in HELP_PHRASES if " " not in item)
# "What can you do for me?", "wat kun je allemaal?", "qu'est-ce que tu sais faire ?":
# a message that speaks to the chat ("you") about what it can do, and says nothing else.
YOU_WORDS = frozenset(phrase("you your yourself u jij je jou jouw jullie tu toi vous te").split())
CAPABILITY_WORDS = frozenset(
    phrase(
        """can could do does know help offer able capable support work works kan kun kunt
        kunnen weet weten ken kent kennen doe doet doen help helpen bied biedt bieden werk
        werkt peux peut
        pouvez pourrais pourriez sais sait savez faire fais faites aider aides aidez
        proposer proposes proposez offrir offres offrez fonctionnes fonctionnez marche"""
    ).split()
)
# What a question about the chat names: the chat itself, what it makes, in which forms
# ("which documents and formats do you support?", "welke talen kan je?").
TOOL_WORDS = frozenset(
    phrase(
        """assistant assistent bot chatbot tool outil programme programma types type
        kinds soorten sortes formats formaten languages talen langues documenten
        file files bestand bestanden bestandsformaat bestandsformaten fichier fichiers
        output uitvoer sortie
        make produce create generate write maken maak produceren aanmaken schrijven
        produire produis créer générer rédiger écrire"""
    ).split()
)
# "Can I ask you for notes, or only ask questions?", "kan ik je ook om een nota vragen?",
# "je peux vous demander des notes ?": the user asking what they may ask of the chat.
ASKING_WORDS = frozenset(
    phrase(
        """i ik ask asking request only just also too well questions question or vragen vraag
        stellen ook alleen enkel om of demander poser questions question seulement
        uniquement aussi ou"""
    ).split()
)
ASKING_VERBS = frozenset(phrase("ask request vragen vraag demander poser").split())
# Besides the words above, what a question about the chat may say: "exactly", "for me",
# "all", "here", "for a diplomat".
CAPABILITY_FILLERS = frozenset(
    phrase(
        """what which kind sort things all exactly me for here actually else really
        anything precisely wat welke allemaal precies eigenlijk voor mij me hier nog zoal
        wel quoi que quest qu est ce quelles quels choses exactement pour moi ici
        autre encore vraiment bien juste"""
    ).split()
)

# "more about the co-penholders", "vertel meer", "en savoir plus": continue the last topic.
MORE_PREFIXES = tuple(
    phrase(entry)
    for entry in [
        "more",
        "more about",
        "tell me more",
        "what else",
        "anything else",
        "details",
        "meer",
        "meer over",
        "vertel meer",
        "vertel me meer",
        "nog meer",
        "wat nog",
        "plus",
        "plus sur",
        "davantage",
        "en savoir plus",
        "dis m'en plus",
        "quoi d'autre",
    ]
)
# Openers of a follow-up ("and in French?", "en over Iran?", "et sur l'Iran ?", "now …").
FOLLOW_UP_OPENERS = frozenset(phrase("and now also then en nu ook et maintenant aussi").split())

# Prepositions that open a question completing the last one ("in how many countries?",
# "sinds wanneer?", "depuis quand ?", "avec qui ?").
ELLIPSIS_PREPOSITIONS = frozenset(
    phrase(
        """in on at for with from by since during op voor met van door sinds tijdens
        dans sur pour avec de par depuis pendant a"""
    ).split()
)

# Words pointing back at what was just said ("that mission", "die missie", "cette mission").
DEMONSTRATIVES = frozenset(
    phrase(
        """that this those these there it die dat deze dit daar ce c cet cette ces celui celle
        là ca cela"""
    ).split()
)

# "the whole mandate": lessons learned on every topic.
WHOLE_MANDATE_WORDS = frozenset(
    phrase(
        """whole entire all overall complete full general hele gehele volledige alle totale
        algemeen ensemble tout entier global globale complet"""
    ).split()
)
# Words naming a term on the Council, for telling another country's mandate from Belgium's.
MANDATE_WORDS = frozenset(
    phrase(
        """term terms mandate membership seat presidency candidacy mandaat lidmaatschap zetel
        voorzitterschap kandidatuur mandat siège présidence candidature"""
    ).split()
)
# "During our term", "tijdens het mandaat", "pendant son mandat": when a question is set,
# the dossier's own frame, not a subject beside the one it asks about.
DURING_WORDS = frozenset(phrase("during throughout tijdens gedurende pendant durant lors").split())
TERM_WORDS = frozenset(phrase("term mandate membership mandaat lidmaatschap mandat").split())
# Words that make a question about Belgium (the dossier's country) explicit.
SELF_WORDS = frozenset(
    phrase(
        "belgium belgian we our us belgie belgische wij we ons onze belgique belge nous notre nos"
    ).split()
)

# Words asking where the dossier comes from: its source, its author.
SOURCE_WORDS = frozenset(
    phrase(
        """author authors write writes wrote written writer source sources auteur auteurs schrijver
        schreef geschreven bron bronnen écrit écrite rédigé rédigée"""
    ).split()
)

# What each record of a dossier's mandate is, in nl, fr and en: a campaign ends in the
# election, a term is a mandate; the record's facts are indexed under these words.
RECORD_NAMES = {
    "term": "term mandate membership mandaat termijn lidmaatschap mandat",
    "previous_term": "previous term vorige mandaat vorig mandat précédent",
    "campaign": """campaign election elected candidacy campagne verkiezing verkozen
    kandidatuur élection élu élue candidature""",
    "next_candidacy": "next candidacy candidate volgende kandidatuur kandidaat candidature",
    "composition": "composition members samenstelling leden composition membres",
}
# The article a question is written from ("according to the article"), unless numbered.
ARTICLE_WORDS = frozenset(phrase("article articles artikel artikels").split())
# The writer of the source, as the one who says what a question asks about.
AUTHOR_WORDS = frozenset(phrase("author writer auteur schrijver auteurs").split())
# "What did the King say?", "wat zei de minister?", "qu'a dit le Roi ?": what was said is
# asked. A fact answers only if it reports words or a view (said, called for, "gaf aan",
# "a souligné", "of the view"), not that a speech was given.
SAY_VERBS = frozenset(
    phrase(
        """say says said declare declared declares zeggen zegt zei zeiden gezegd verklaren
        verklaarde verklaard dire dit dis disait déclaré déclare déclarait"""
    ).split()
)
# … opening the question ("Et qu'a dit …", "And what did … say"); "dit" alone also
# names a thing ("un événement dit « signature event »").
SAY_OPENERS = frozenset(phrase("what wat que qu quoi").split())
SPEECH_VERBS = frozenset(
    phrase(
        """said says stated states declared indicated stressed emphasised emphasized urged
        called calls noted argued warned view convinced believed considered zei zegt
        verklaarde gaf geeft benadrukte beklemtoonde riep roept stelde vond overtuigd
        mening standpunt oordeel déclaré indiqué souligné appelé appelle estimé
        estime convaincu convaincue avis affirmé"""
    ).split()
)
# Verbs of saying, describing and judging ("how does the author describe …", "waarmee
# vergelijkt de auteur …", "comment l'auteur qualifie-t-il …"): the author reports, the
# question is about what is reported. Forms, then stems of the longer verbs.
REPORTING_VERBS = frozenset(
    phrase(
        """say says said call calls called see sees saw view views think thinks thought
        zegt zei zeggen noemt noemde ziet zag vindt vond stelt stelde
        dit disait dire dit appelle voit pense estime juge according per selon apres"""
    ).split()
)
REPORTING_STEMS = tuple(
    phrase(
        """describ compar characteri portray present explain argu mention summar conclud
        consider assess evaluat judg
        beschrij beschree vergelijk vergeleek omschrij typeer karakteriseer schets
        beoordeel verklaar legt uit
        decri compar qualifi present expliqu mentionn resum conclu consider evalu"""
    ).split()
)
# He, she, his, her: after an answer about a person, a question about "him" is about them.
PERSON_PRONOUNS = frozenset(
    phrase("he him his she her hij hem zijn zij ze haar il lui elle son sa ses").split()
)

QUIT_WORDS = frozenset(
    {"quit", "exit", "bye", "stop", "stoppen", "quitter", "q", "tot ziens", "au revoir"}
)

# Words of any subject: adverbs, discourse particles, and verbs and adjectives that say
# how a question is put, not what it is about ("actually", "exactly", "tell me", "klopt
# het", "concrètement", "recent"). A word of this list that the dossier does not hold
# weighs little, so it neither makes a question look unanswerable nor needs to be in the
# answer; a word the dossier holds keeps its full weight.
GENERIC_WORDS = _words_of(
    {
        "en": """actually really exactly precisely concretely basically essentially roughly
        approximately nearly almost quite rather pretty fairly truly indeed certainly surely
        probably possibly perhaps maybe again already anyway anyhow though although however
        therefore thus hence finally eventually ultimately overall generally usually mostly
        mainly largely especially particularly specifically notably recently lately just
        simply clearly obviously apparently supposedly briefly quickly exact precise concrete
        specific particular possible actual real true correct right main principal big
        biggest large largest recent latest last whole tell told say said saying explain
        explained describe described mention mentioned mean means meant remind recall
        remember know knew known think thought believe guess suppose wonder wondering look
        looking find found see seen get getting got make makes making made do doing go
        going went gone come came put let keep kept give gave given seem seems seemed
        try tried trying use used manage managed happen exist existed concern concerning
        regarding respect respects terms kind sort type way ways lot lots bit stuff thing
        things point points aspect aspects detail details fact facts information info
        answer question questions piece text summary abstract meanwhile nowadays
        currently remarkable striking notable noteworthy interesting wrong sure ok okay
        yes very much quite bad badly
        extremely highly hugely pretty somewhat remain remains remained problem problems
        multiple several various factor factors element elements""",
        "nl": """eigenlijk precies echt werkelijk concreet nou toch wel even eens nog alweer
        opnieuw reeds ooit nooit steeds vaak soms meestal vooral voornamelijk
        hoofdzakelijk uiteindelijk ongeveer ruwweg zowat bijna helemaal zeker misschien
        wellicht waarschijnlijk dus daarom immers trouwens overigens bovendien daarnaast
        daarbij verder namelijk gewoon duidelijk blijkbaar kort snel juist exact specifiek
        bepaalde bepaald mogelijk mogelijke echte juiste correct belangrijkste grote groot
        grootste recent recente laatste laatst hele klopt klopte kloppen klopt het vertel
        vertellen vertelde verteld zeg zeggen zei gezegd uitleggen leg legt uitgelegd
        beschrijf beschrijven noem noemen vermeld vermelden bedoel bedoelt bedoeld weet
        weten wist denk denken dacht vind vinden vond lijkt lijken leek blijkt bleek gaat
        gaan ging gegaan komt kwam gekomen doet deed gedaan maakt maakte gemaakt krijgt
        kreeg gekregen laat liet gelaten houdt hield gehouden zie zien zag gezien probeer
        probeerde geprobeerd gebruik gebruikt manier manieren soort type ding dingen punt
        aspect aspecten detail details feit feiten informatie info antwoord vraag vragen
        inmiddels intussen ondertussen thans tegenwoordig stuk tekst opvallend
        opmerkelijk merkwaardig erover ervan erop eraan erin ermee erbij ervoor erna
        daarover daarvan daarop
        daaraan daarin daarmee daarbij daarvoor hierover hiervan hierop hierin hiermee
        waarover waarvan waarop waarin waarmee waarbij waarvoor
        wel niet ja nee oke zeker erg zeer heel bijzonder nogal vrij best tamelijk
        behoorlijk enorm ontzettend iets wat blijft blijven bleef probleem problemen
        meerdere verschillende diverse factor factoren element elementen""",
        "fr": """exactement precisement vraiment reellement concretement justement alors
        donc ainsi enfin finalement bref deja encore toujours jamais souvent parfois
        surtout notamment principalement essentiellement environ approximativement presque
        quasiment plutot assez tellement certes probablement surement peut etre ensuite
        puis ailleurs pourtant cependant toutefois neanmoins recemment dernierement
        simplement clairement apparemment rapidement exact exacte precis precise concret
        concrete particulier particuliere possible possibles reel reelle vrai vraie
        correct juste principal principale principaux grand grande grands grandes recent
        recente recents recentes dernier derniere derniers dernieres entier entiere dire
        dis dit dites disait expliquer explique expliquez expliques raconter raconte
        racontez rappeler rappelle rappelez savoir sais sait savez savait penser pense
        pensez croire crois croyez sembler semble semblait paraitre parait faire fais
        faites faisait aller va vont allait venir vient venu mettre met mis voir vois
        voyez vu essayer essaye essaie essaye utiliser utilise utilisé maniere manieres
        facon facons sorte type genre chose choses point aspect aspects detail details
        information informations reponse question questions oui non daccord resume
        autant tant aussi
        texte desormais actuellement remarquable frappant notable interessant tres
        beaucoup bien mal fort extremement particulierement reste restent rester probleme
        problemes plusieurs divers diverses multiples facteur facteurs element elements""",
    }
)
ALL_GENERIC_WORDS = frozenset().union(*GENERIC_WORDS.values())

# Negation in a statement: a question asking what was not done ("which text was not
# adopted?") is answered only by a fact that says something was not, or failed.
NEGATION_WORDS = frozenset(
    phrase(
        """not never no none nor neither without lack lacked failed fail fails unable
        cannot niet nooit geen noch zonder gebrek niemand niets mislukt pas jamais aucun
        aucune ni sans manque personne rien non"""
    ).split()
)
# Words after a negation that make it "not only", not a negation of what follows.
NOT_ONLY = frozenset(
    phrase("only just merely alleen enkel slechts louter seulement uniquement").split()
)
# Words before a negation that make it an alternative: "or not", "of niet", "ou pas".
NOT_ALTERNATIVE = frozenset(phrase("or if of zo ou si sinon").split())

# Two words that give a synonym group's word another sense: "lead to" is cause, not
# lead; "ertoe leiden", "leiden tot" likewise. The word then matches only the same pair.
OTHER_SENSES = frozenset(
    tuple(phrase(pair).split())
    for pair in [
        "lead to",
        "leads to",
        "led to",
        "leading to",
        "toe leiden",
        "toe leidt",
        "toe leidde",
        "toe leidden",
        "toe geleid",
        "leiden tot",
        "leidt tot",
        "leidde tot",
        "leidden tot",
        "geleid tot",
    ]
)
SENSE_MARK = "~"

# Words that mean the same in a question, in any of the three languages: a question word
# of a group finds the facts written with any other word of it ("backed" finds
# "supported", "piloter" finds "lead", "opgeleverd" finds "resultaat"). General language,
# the way a diplomat paraphrases; the UN's own terms are in ``glossary.py``.
SYNONYM_GROUPS = tuple(
    frozenset(phrase(group).split())
    for group in [
        """begin began begun start started starting commence commenced beginning
        beginnen begon begonnen starten startte gestart aanvang begin commencer commence
        commencé début débuter débuté""",
        """end ended ending finish finished conclude concluded einde eindigen
        eindigde geëindigd afgelopen aflopen liep afloop fin finir fini terminer terminé
        achever achevé clôture""",
        """support supported supporting backed backing endorse endorsed endorsement steun
        steunen steunde steunden gesteund ondersteunen ondersteund soutien soutenir soutenu
        soutenue soutenus appui appuyer appuyé""",
        """candidacy candidate candidature bid running run kandidatuur
        kandidaat kandidaatstelling kandideren kandideert candidat candidate candidature
        briguer postuler""",
        """function functions post job role roles position functie functies rol rollen
        betrekking fonction fonctions poste rôle""",
        """position stance view views opinion standpoint standpunt standpunten visie
        mening opvatting avis vue point de vue opinion""",
        """lead led leading leader chair chaired chairing head headed steer steered
        leiden leidde geleid leiding voorzitten voorzat voorgezeten
        sturen piloter piloté pilotée diriger dirigé dirigée présider présidé
        présidée""",
        """reduce reduced reduction decrease decreased decline declined drop dropped fall
        fell fallen lower lowered shrink shrank fewer verminderen verminderd vermindering
        dalen daalde gedaald daling afnemen afgenomen afname inkrimpen minder réduire
        réduit réduite réduction diminuer diminué diminution baisser baissé baisse""",
        """increase increased rise rose risen grow grew grown growth toenemen toegenomen
        toename stijgen steeg gestegen stijging groeien groeide gegroeid groei augmenter
        augmenté augmentation hausse croître croissance""",
        """achieve achieved achievement accomplish accomplished obtain obtained result
        results outcome outcomes deliver delivered yield yielded bereiken
        bereikt behalen behaald opleveren opgeleverd opbrengen opgebracht resultaat
        resultaten realiseren gerealiseerd binnenhalen binnengehaald verwezenlijken
        obtenir obtenu atteindre atteint réaliser réalisé réalisation résultat résultats
        aboutir abouti acquis""",
        """difficult difficulty difficulties hard harder hardest tough moeilijk moeilijker
        moeilijkheid moeilijkheden lastig lastiger zwaar difficile difficiles difficulté
        difficultés ardu""",
        """unanimous unanimously unanimity consensus unaniem unanimiteit eenparig
        eenparigheid eensgezind eensgezindheid unanime unanimement unanimité""",
        """vote voted voting ballot stemming stemmingen stemmen gestemd stemde vote votes
        voter voté scrutin""",
        """meeting meetings session gathering vergadering vergaderingen bijeenkomst
        bijeenkomsten zitting réunion réunions séance""",
        """speak spoke spoken address addressed talk talked speech spreken sprak
        gesproken toespraak toespreken toegesproken parole intervenir intervention
        discours adresser""",
        """name names named called naam namen heet heette genoemd nom noms appelé
        appelée appelle nommé""",
        """child children kid kids minor minors kinderen minderjarige enfant enfants
        mineur mineurs""",
        """goal goals aim aims objective objectives priority priorities doel doelen
        doelstelling doelstellingen prioriteit prioriteiten objectif objectifs priorité
        priorités""",
        """important importance crucial essential matter matters compter compte tellen
        belangrijk belang essentieel cruciaal
        important importante importance essentiel essentielle crucial""",
        """elected elect election chosen verkozen verkiezing gekozen
        élu élue élus élection""",
        """help helped assist assisted helpen hielp geholpen bijstaan aider aidé aidée""",
        """problem problems issue issues probleem problemen kwestie kwesties vraagstuk
        problème problèmes enjeu enjeux""",
        """protect protected protection beschermen beschermd bescherming protéger protégé
        protection""",
        """cooperate cooperation collaborate collaboration samenwerken samenwerking
        coopérer coopération collaborer collaboration""",
        """renew renewed renewal extend extended extension verlengen verlengd verlenging
        hernieuwen hernieuwd hernieuwing renouveler renouvelé renouvellement prolonger
        prolongé prolongation""",
        """adopt adopted adoption pass passed approve approved aannemen aangenomen
        goedkeuren goedgekeurd adopter adopté adoptée adoption approuver approuvé""",
        """block blocked veto vetoed blokkeren geblokkeerd veto bloquer bloqué""",
        """term terms tenure stint mandate mandates termijn termijnen ambtstermijn
        mandaat mandaten mandat mandats""",
        """progress advance advanced advancing move forward vooruitgang vooruitgaan
        vooruit vorderen vordering vorderingen avancer avancé avancée progrès
        progresser""",
        """entrust entrusted confer conferred delegate delegated assign assigned
        toevertrouwen toevertrouwd delegeren gedelegeerd overdragen overgedragen confier
        confie confié déléguer délégué attribuer attribué""",
        """united unity unite together divided division divisions split eensgezind
        eensgezindheid eenheid verdeeld verdeeldheid uni unie unis unité divisé divisés
        divisions""",
        """participate participated participant participants attend attended attendees
        gather gathered deelnemen deelnemer deelnemers deelgenomen bijwonen samenbrengen
        bijeenbrengen participer participé participants assister rassembler rassemblait
        réunir""",
        """sit sat sitting zetelen zetelde zetelden gezeteld zitten zat zaten gezeten
        member membership lid lidmaatschap membre""",
        """context background backdrop achtergrond contexte""",
        """first 1st eerste 1ste premier premiere 1er 1re""",
        """killed wounded injured casualties casualty dead deaths died fatalities gedood
        gesneuveld omgekomen gewond gewonden doden slachtoffers tués tué blessés blessé
        morts victimes""",
        """emphasis focus focused focussed klemtoon nadruk toegespitst accent axé axée
        axés""",
        """rival rivals rivalry competitor competitors competition rivaal rivalen
        rivaliteit concurrent concurrenten concurrentie rivaux rivalité concurrents
        concurrence""",
        """main biggest greatest chief principal primary foremost belangrijkste grootste
        voornaamste principale principaux""",
        """regard regards regarded consider considers considered beschouwen beschouwt
        beschouwde considérer considère considéré""",
        """country countries state states nation nations land landen staat staten lidstaat
        lidstaten pays état états nation nations""",
    ]
)

# "Who …?": the question word, in each language. It asks for an agent only where it opens
# the question ("Who chaired …", "En wie …"), follows a preposition ("door wie", "par
# qui") or ends it ("elle rassemblait qui exactement ?"); "qu'est-ce qui" is not a who.
# Words for a span of time: where a question is set, not what it asks ("last year").
TIME_NOUNS = frozenset(
    phrase(
        """year years month months week weeks day days today tomorrow yesterday tonight
        jaar jaren maand maanden week weken dag dagen vandaag morgen gisteren vanavond
        vorig vorige volgend volgende last next an ans annee annees mois semaine semaines
        jour jours aujourdhui aujourd hui demain hier soir dernier derniere prochain
        prochaine weekend"""
    ).split()
)
# Dutch particles of separable verbs ("zat … voor": voorzitten, "keurde … goed").
SEPARABLE_PARTICLES = frozenset(
    phrase(
        """voor af op aan uit mee terug goed toe door bij na om weg over samen vast voort
        tegen binnen buiten"""
    ).split()
)
# Nouns asking for a date ("what are the dates of the term?", "welke datum").
DATE_NOUNS = frozenset(phrase("date dates datum data datums").split())
# "Which …" and the nouns after it that ask for a country ("which permanent member").
WHICH_WORDS = frozenset(phrase("which what welk welke quel quelle quels quelles").split())
# Words that set a question in the future ("when will …", "de volgende vergadering", "la
# prochaine fois"); French inverted futures ("présidera-t-elle") are read from their form.
FUTURE_WORDS = frozenset(
    phrase(
        """will shall next upcoming forthcoming future coming zal zullen zult zou
        volgende volgend komende eerstvolgende toekomstig toekomstige prochain prochaine
        prochains prochaines futur future futurs futures sera seront aura auront fera
        feront ira iront pourra pourront devra devront"""
    ).split()
)
# Days after today ("tomorrow", "demain", "overmorgen"): what a dated source cannot know.
TOMORROW_WORDS = frozenset(phrase("tomorrow tonight demain overmorgen vanavond").split())
# "présidera-t-elle", "aura-t-il": the pronoun after an inverted verb.
INVERTED_PRONOUNS = frozenset(phrase("il elle on ils elles").split())
# The question words that pick one of several ("which committee"), not English "what".
IDENTIFYING_WORDS = frozenset(phrase("which welk welke quel quelle quels quelles").split())
# "Which kind of …", "welk soort …", "quel genre de …": a category, not a named thing.
KIND_NOUNS = frozenset(
    phrase("kind kinds sort sorts type types soort soorten type genre genres sorte sortes").split()
)
LIST_WORDS = frozenset(phrase("list lijst liste opsomming enumerate name noem nomme").split())
COUNTRY_NOUNS = frozenset(
    phrase(
        """country countries member members state states land landen lid leden lidstaat
        lidstaten pays membre membres etat etats"""
    ).split()
)
# Words asking what something cost: answered by an amount of money only.
COST_WORDS = frozenset(
    phrase(
        """cost costs costed budget budgets price expense expenses spent spend kost kostte
        kostten gekost kosten budgetten prijs uitgaven uitgegeven cout couts coute coutait
        coutent prix depense depenses depense"""
    ).split()
)
# Words of casting a vote, asked about or stated ("stemmen" is also "voices": not here).
VOTE_WORDS = frozenset(
    phrase(
        """vote votes voted voting voter voters abstain abstained abstention abstentions
        stemde stemden gestemd stemming stemmingen stemgedrag onthield onthielden
        onthouding onthoudingen vote votes voté votée votait votaient voter scrutin
        abstenu abstenue abstenus"""
    ).split()
)
# Signs that a text gives an amount of money.
CURRENCY_WORDS = frozenset(phrase("euro euros eur dollar dollars usd").split())
# Count cues that name the number rather than ask for it ("the number of crossings").
COUNT_NOUNS = frozenset(phrase(entry) for entry in ("number of", "aantal", "nombre de"))
WHEN_WORDS = frozenset(phrase("when wanneer quand").split())
WHO_WORDS = frozenset(phrase("who whom wie qui").split())
WHO_PREPOSITIONS = frozenset(phrase("by to for from door aan voor van par à pour de").split())
# "In which mission", "dans quelle opération", "bij welke hernieuwing": a preposition
# may open a which-question too.
WHICH_PREPOSITIONS = WHO_PREPOSITIONS | frozenset(
    phrase("in at on during with dans sur avec lors pendant bij op met tijdens").split()
)
WHO_AFTER = frozenset(phrase("exactly precies exactement then dan alors").split())
# Nouns that name an agent: a body or a role. A fact holding one (or a country, a person,
# a body's acronym) can answer "who"; Dutch compounds ending in one count too
# ("sanctiecomité", "VN-gezant").
AGENT_NOUNS = frozenset(
    phrase(
        """committee committees chair chairs chairman chairperson penholder penholders
        minister ministers ministry ambassador ambassadors secretary envoy author king queen
        president representative representatives member members group groups mission
        missions office court government governments delegation delegations partner
        partners coalition colleagues countries states nations diplomats speaker speakers
        commissioner commission director experts
        comite comites voorzitter voorzitters penhouder penhouders minister ministerie
        ambassadeur ambassadeurs secretaris gezant auteur koning koningin president
        vertegenwoordiger vertegenwoordigers lid leden groep groepen missie missies kantoor
        hof regering regeringen delegatie delegaties partner partners coalitie collega
        collegas landen staten diplomaten spreker sprekers commissaris commissie directeur
        deskundigen experten
        president presidente presidents ministre ministres ministere ambassadeur secretaire
        envoye auteur roi reine representant representants membre membres groupe groupes
        mission bureau cour gouvernement gouvernements delegation partenaire partenaires
        coalition collegues pays etats diplomates orateur oratrice commissaire directeur
        directrice experts"""
    ).split()
)
# Agent nouns that name a body: a question naming one asks about that body, and a fact
# about another ("the Somalia committee" for "the 1718 committee") does not answer it.
BODY_NOUNS = frozenset(
    phrase(
        """committee committees court office commission tribunal comite comites hof kantoor
        commissie tribunaal cour bureau commission"""
    ).split()
)
# The UN and its Security Council by their short names and acronyms (GLOSSARY.md): in
# every question about a Council term, they tell no fact from another.
FRAME_WORDS = frozenset(
    phrase("un vn onu unsc vnvr csnu raad council conseil veiligheidsraad").split()
)
# Roles held by a person: "what was the name of the president?" asks for a person.
PERSON_NOUNS = frozenset(
    phrase(
        """president minister secretary commissioner representative ambassador envoy
        king queen author spokesperson spokesman director chairman chairwoman leader
        head chief premier hoofd chef voorzitter minister secretaris commissaris
        vertegenwoordiger ambassadeur
        gezant koning koningin auteur woordvoerder directeur leider president presidente
        ministre secretaire commissaire representant representante ambassadeur
        ambassadrice envoye roi reine auteur porte parole directeur directrice dirigeant"""
    ).split()
)
# The noun "name" asking for one ("son nom ?"), and the words before it that make it
# "on behalf of" instead ("au nom de la Belgique", "in naam van", "in the name of").
NAME_NOUNS = frozenset(phrase("name names naam namen nom noms").split())
ON_BEHALF_WORDS = frozenset(phrase("au in the").split())
# "The exact date", "welke precieze datum", "la date exacte": a full date, not a month.
PRECISION_WORDS = frozenset(
    phrase(
        """exact exactly precise precisely specific exacte precies precieze
        nauwkeurig nauwkeurige juist juiste précis précise précisément exactement
        exacts exactes précises"""
    ).split()
)
# Creative writing: a poem or a story about a topic is not a document on it, nor a fact.
# Words that mean something else too ("histoire": history; "vers": towards) are left out.
CREATIVE_WORKS = frozenset(
    phrase(
        """poem poems poetry verse verses rhyme rhymes song songs lyrics ballad ballads
        ode odes sonnet sonnets haiku haikus limerick limericks story stories tale tales
        fairytale fairytales fable fables novel novels novella fiction fanfic lullaby
        jingle joke jokes riddle riddles rap screenplay
        gedicht gedichten gedichtje gedichtjes poezie rijm rijmpje rijmpjes versje
        versjes lied liederen liedje liedjes liedtekst songtekst ballade ode sonnet
        verhaal verhalen verhaaltje kortverhaal sprookje sprookjes fabel fabels roman
        romans novelle slaapliedje mop moppen grap grappen grapje raadsel raadsels
        toneelstuk
        poeme poemes poesie rime rimes comptine chanson chansons ballade sonnet haiku
        conte contes fable fables roman romans berceuse blague blagues devinette
        devinettes"""
    ).split()
)
# Kind names that are verbs too ("did the envoy brief the members?", "the report
# notes the …"): before a determiner they are the verb.
KIND_VERBS = frozenset(phrase("brief briefing note notes").split())
DETERMINERS = frozenset(
    phrase("the a an this that these those its their our his her my your every each").split()
)
# "Welk nummer", "the symbol of", "la cote de": with "resolution", asks for its number.
NUMBER_CUES = frozenset(phrase("number symbol nummer symbool numero cote").split())
# … of a resolution, or of a Council statement or declaration (its document symbol).
NUMBERED_DOCUMENTS = (
    "resol",
    "statement",
    "declaration",
    "verklaring",
    "prst",
)
# "Somalia or Libya?": countries given as alternatives.
OR_WORDS = frozenset(phrase("or of ou").split())
# Words a language name may stand beside and still ask for that output language.
OUTPUT_WORDS = frozenset(
    phrase(
        """version versie vertaling translation traduction text tekst texte document
        documents doc docx pdf word markdown format formaat please alstublieft svp
        translate vertaal traduis traduire traduisez"""
    ).split()
) | frozenset(
    word for phrases in KIND_PHRASES.values() for item in phrases for word in item.split()
)
# Agents that are the dossier's own frame: "the Council" answers no "who".
FRAME_AGENTS = frozenset(phrase("un vn onu nations unies united verenigde naties").split())
# Small words inside a name: "Ministry of Defence", "Hoge Commissaris voor de Mensenrechten".
NAME_CONNECTORS = frozenset(phrase("of for the van voor de der het des du la le aux").split())
# Qualifiers French writes after the role ("ministre premier" is rare, but "secrétaire
# général", "représentant permanent", "envoyé spécial" are the rule).
ROLE_QUALIFIERS = frozenset(
    phrase("general generale permanent permanente special speciale").split()
)

# A capital standing for its government ("Washington changed course", "sans l'accord de
# Damas"): the capitals of the Council's members and of the countries the Council's
# files concern, in nl, fr and en. Cities the dossier names as places (New York,
# Geneva, Brussels) are not here.
CAPITALS: dict[str, str] = {
    phrase(name): code
    for code, names in {
        "US": "Washington",
        "RU": "Moscow Moskou Moscou",
        "CN": "Beijing Peking Pékin",
        "FR": "Parijs Paris",
        "GB": "London Londen Londres",
        "SY": "Damascus Damas",
        "IR": "Tehran Teheran Téhéran",
        "CD": "Kinshasa",
        "ML": "Bamako",
        "SO": "Mogadishu Mogadiscio",
        "VN": "Hanoi",
        "TN": "Tunis",
    }.items()
    for name in names.split()
}
