"""A cross-lingual glossary of UN terms: the forms one term takes in en, fr and nl.

Derived from the project's terminology reference (``shared/reference/GLOSSARY.md``: the
UN's and Belgium's official forms) and the dossier's own wording, never from evaluation
questions. A question naming any form of a term ("porte-plume", "penhouder", "PRST")
finds the facts written with any other form ("penholder", "presidential statement").
Entries are written naturally and folded once at import.
"""

from __future__ import annotations

from diplobrief.chat.text import phrase

_GROUPS = [
    [
        "penholder",
        "co-penholder",
        "penholders",
        "porte-plume",
        "co-porte-plume",
        "rédacteur",
        "penhouder",
        "co-penhouder",
        "penhouders",
        "hold the pen",
        "holds the pen",
        "held the pen",
        "holding the pen",
        "tenir la plume",
        "tient la plume",
        "tenait la plume",
        "a tenu la plume",
        "de pen vasthouden",
        "houdt de pen",
        "hield de pen",
    ],
    [
        "stake-out",
        "stake-outs",
        "press stake-out",
        "point de presse",
        "points de presse",
        "persmoment",
        "persmomenten",
    ],
    ["P5", "permanent members", "membres permanents", "permanente leden"],
    [
        "E10",
        "elected members",
        "non-permanent members",
        "membres élus",
        "membres non permanents",
        "verkozen leden",
        "niet-permanente leden",
    ],
    ["A3", "African members", "membres africains", "Afrikaanse leden"],
    ["PRST", "presidential statement", "déclaration présidentielle", "voorzittersverklaring"],
    ["press statement", "déclaration à la presse", "persverklaring"],
    ["Arria", "Arria-formula meeting", "réunion en formule Arria", "Arria-vergadering"],
    [
        "CAAC",
        "children and armed conflict",
        "enfants et les conflits armés",
        "sort des enfants en temps de conflit armé",
        "kinderen en gewapende conflicten",
    ],
    ["grave violations", "violations graves", "ernstige schendingen"],
    [
        "JCPOA",
        "Iran nuclear agreement",
        "nuclear deal",
        "Plan d'action global commun",
        "accord nucléaire",
        "nucleair akkoord",
        "Gezamenlijk Alomvattend Actieplan",
    ],
    [
        "cross-border",
        "transfrontière",
        "transfrontalière",
        "grensoverschrijdend",
        "grensoverschrijdende",
    ],
    [
        "border crossing",
        "border crossings",
        "point de passage",
        "points de passage",
        "doorgangspost",
        "doorgangsposten",
        "grensovergang",
        "grensovergangen",
    ],
    [
        "ICC",
        "International Criminal Court",
        "CPI",
        "Cour pénale internationale",
        "Internationaal Strafhof",
    ],
    ["focal point", "point focal", "contactpunt"],
    [
        "UNOWAS",
        "Office for West Africa and the Sahel",
        "Bureau pour l'Afrique de l'Ouest et le Sahel",
        "Bureau voor West-Afrika en de Sahel",
    ],
    ["conflict prevention", "prévention des conflits", "conflictpreventie"],
    [
        "transitional justice",
        "justice transitionnelle",
        "overgangsjustitie",
        "transitionele justitie",
    ],
    ["peacekeepers", "blue helmets", "Casques bleus", "soldats de la paix", "blauwhelmen"],
    [
        "peacekeeping operation",
        "peacekeeping mission",
        "peace mission",
        "opération de maintien de la paix",
        "mission de paix",
        "vredesoperatie",
        "vredesmissie",
    ],
    ["command and control", "C2", "commandement et contrôle", "commandement et le contrôle"],
    [
        "SSR",
        "security sector reform",
        "réforme du secteur de la sécurité",
        "hervorming van de veiligheidssector",
    ],
    [
        "WPS",
        "women, peace and security",
        "les femmes et la paix et la sécurité",
        "vrouwen, vrede en veiligheid",
    ],
    ["agreed language", "libellé convenu", "langage agréé", "overeengekomen taalgebruik"],
    ["High Commissioner", "OHCHR", "Haut-Commissaire", "Haute-Commissaire", "Hoge Commissaris"],
    ["lines to take", "lignes à tenir", "te volgen lijn"],
    ["ceasefire", "cessez-le-feu", "staakt-het-vuren"],
    [
        "Permanent Representative",
        "perm rep",
        "permrep",
        "ambassador",
        "Représentant permanent",
        "ambassadeur",
        "Permanente Vertegenwoordiger",
    ],
    [
        "rules-based order",
        "ordre international fondé sur des règles",
        "op regels gebaseerde internationale orde",
    ],
]

# Each form (folded words) → every form of its term.
GLOSSARY: dict[str, tuple[str, ...]] = {}
for _group in _GROUPS:
    _forms = tuple(dict.fromkeys(phrase(form) for form in _group))
    for _form in _forms:
        GLOSSARY.setdefault(_form, _forms)
LONGEST = max(len(form.split()) for form in GLOSSARY)
