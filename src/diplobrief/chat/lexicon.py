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
        need want wanted""",
        "nl": """aan al alle allemaal alles als alsjeblieft alstublieft altijd ander andere aub
        ben bij daar daarom dan dat de deze die dit doch doe doen door dus een eens eigenlijk
        en er ge geen geef geweest graag haar had heb hebben heeft hem het hier hij hoe hoelang
        sinds tijdens tussen rond volgens via
        hoeveel hun iemand iets ik in is ja je jij jou jouw kan kon kun kunnen kunt maar me meer
        men met mij mijn moet na naar niet niets nog nou nu of om omdat ons onze ook op over
        precies reeds te tegen toch toen tot u uit uw van veel voor waar waarom wanneer want
        waren was wat we wel welk welke werd werden wie wij wil wilt worden wordt zal ze zelf
        zich zij zijn zo zonder zou zouden toon stuur nodig krijgen mag""",
        "fr": """a ai ait alors au aussi autre autres aux avait avaient avec avez avoir c ca ce
        ceci cela celle celles celui ces cet cette chez combien comme comment d dans de des
        donc dont du elle elles en encore es est et etaient etait ete etre eu eux fait il ils
        j je l la laquelle le lequel les leur leurs lui m ma mais me meme mes moi mon n ne ni
        nos notre nous on ont ou par pas peu peut peux plait pour pourquoi pouvez qu quand que
        quel quelle quelles quels qui quoi s sa sans se sera serait ses si sil son sont stp
        sur svp t ta te tes toi ton tous tout toute toutes tres tu un une vos votre vous y
        pendant durant lors depuis avant apres entre vers contre selon parmi donne donnez
        donner montre montrez envoie envoyez veux voudrais aimerais besoin faut maintenant
        ensuite puis""",
    }
)
ALL_STOP_WORDS = frozenset().union(*STOP_WORDS.values())

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
# What kind of value a question asks for: "when" wants a date, "how many" a number. A fact
# holding a value of that kind (see the dossier's value types) answers it better.
ANSWER_TYPES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "time": (
        frozenset({"date", "month", "year", "years"}),
        tuple(
            phrase(entry)
            for entry in [
                "when",
                "what year",
                "which year",
                "which month",
                "what month",
                "wanneer",
                "welk jaar",
                "welke maand",
                "quand",
                "quelle année",
                "quel mois",
            ]
        ),
    ),
    "count": (
        frozenset({"number", "ordinal"}),
        tuple(phrase(entry) for entry in ["how many", "how much", "hoeveel", "combien"]),
    ),
    # Answered by a country the question does not name itself (see ``Index.fact_countries``).
    "country": (
        frozenset({"country"}),
        tuple(
            phrase(entry)
            for entry in [
                "which countries",
                "what countries",
                "with whom",
                "which partners",
                "welke landen",
                "met wie",
                "welke partners",
                "quels pays",
                "avec qui",
                "quels partenaires",
            ]
        ),
    ),
}
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

PDF_WORDS = frozenset({"pdf", "pdfs"})
MARKDOWN_WORDS = frozenset({"markdown", "md"})

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
# Words that make a question about Belgium (the dossier's country) explicit.
SELF_WORDS = frozenset(
    phrase(
        "belgium belgian we our us belgie belgische wij we ons onze belgique belge nous notre nos"
    ).split()
)

QUIT_WORDS = frozenset(
    {"quit", "exit", "bye", "stop", "stoppen", "quitter", "q", "tot ziens", "au revoir"}
)

# Everyday words for things the dossier names formally. Expansion, not replacement: the
# original word is searched too.
THESAURUS: dict[str, tuple[str, ...]] = {
    phrase(word): tuple(phrase(alternative) for alternative in alternatives)
    for word, alternatives in {
        "kids": ("children",),
        "ambassador": ("permanent representative",),
        "ambassadeur": ("permanent vertegenwoordiger", "représentant permanent"),
    }.items()
}
