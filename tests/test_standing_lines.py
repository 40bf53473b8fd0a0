"""Lines every document of a kind carries, built from the dossier's own data: the caveat
on the positions stated (briefing note, talking points' background) and a lesson's
follow-up placeholder (owner, moment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from conftest import LANGS, TOPIC_IDS

from diplobrief.dossier import Dossier, Title, YearSpan
from diplobrief.i18n import gettext
from diplobrief.render import positions_caveat, render_document

CAVEATS = {
    "en": "Positions are as stated in the source (early 2021); confirm them with the"
    " Directorate for the United Nations before use.",
    "fr": "Les positions sont celles qu’exprime la source (début 2021)\u202f; les confirmer"
    " auprès de la Direction Nations Unies avant usage.",
    "nl": "De standpunten zijn die van de bron (begin 2021); bevestig ze vóór gebruik bij de"
    " Directie Verenigde Naties.",
}
FOLLOW_UPS = {
    "en": "Owner: the Directorate for the United Nations; moment: on receipt of this document"
    " for the recommendations that record the experience of this term, and when the team for"
    " the 2037–2038 term is set up for the others.",
    "fr": "Responsable\u00a0: la Direction Nations Unies\u202f; échéance\u00a0: à la réception du"
    " présent document pour les recommandations qui consignent l’expérience de ce mandat, et"
    " à la constitution de l’équipe du mandat 2037–2038 pour les autres.",
    "nl": "Verantwoordelijke: de Directie Verenigde Naties; moment: bij ontvangst van dit"
    " document voor de aanbevelingen die de ervaring van dit mandaat vastleggen, en bij de"
    " samenstelling van het team voor het mandaat 2037–2038 voor de andere.",
}


def _other(dossier: Dossier) -> Dossier:
    """The dossier as another directorate would issue it, later in the year."""
    mandate = replace(
        dossier.mandate,
        issuer=Title(
            nl="FOD Buitenlandse Zaken – Directie Vrede en Veiligheid",
            fr="SPF Affaires étrangères – Direction Paix et Sécurité",
            en="FPS Foreign Affairs – Directorate for Peace and Security",
        ),
        as_of=dt.date(2021, 10, 5),
        next_candidacy=YearSpan(start_year=2041, end_year=2042, facts=[]),
    )
    return Dossier(dossier.path, mandate, dossier.topics, dossier.facts, dossier.fact_topic)


@pytest.mark.parametrize("lang", LANGS)
def test_the_caveat_is_in_the_note_and_every_background_block(dossier: Dossier, lang: str) -> None:
    caveat = CAVEATS[lang]
    assert positions_caveat(dossier, lang) == caveat
    for topic in TOPIC_IDS:
        note = render_document(dossier, topic, "briefing-note", lang).markdown
        as_of = gettext(lang, "Information as of %(date)s.").split("%")[0]
        header, _, body = note.partition(f"\n*{caveat}*\n")
        assert as_of in header.rsplit("\n", 3)[-2], topic  # right under the as-of line
        assert caveat not in body
        points = render_document(dossier, topic, "talking-points", lang).markdown
        background = points.split(f"\n## {gettext(lang, 'Background — not for use')}\n", 1)[1]
        assert background.lstrip().startswith(f"- *{caveat}*"), topic
        assert points.count(caveat) == 1
    # Lessons state positions too (REVIEW r15 B1): the caveat under the as-of line, once.
    lessons = render_document(dossier, "all", "lessons-learned", lang).markdown
    header, _, body = lessons.partition(f"\n*{caveat}*\n")
    assert as_of in header.rsplit("\n", 3)[-2]
    assert caveat not in body


@pytest.mark.parametrize("lang", LANGS)
def test_caveat_and_follow_up_come_from_the_dossier(dossier: Dossier, lang: str) -> None:
    other = _other(dossier)
    caveat = positions_caveat(other, lang)
    assert {"en": "late 2021", "fr": "fin 2021", "nl": "eind 2021"}[lang] in caveat
    assert other.mandate.issuer.get(lang).split(" – ")[1] in caveat
    note = render_document(other, "covid-19", "briefing-note", lang).markdown
    assert caveat in note and CAVEATS[lang] not in note
    lessons = render_document(other, "peacekeeping", "lessons-learned", lang).markdown
    assert "2041–2042" in lessons and "2037–2038" not in lessons.split("## ")[-1]
    assert FOLLOW_UPS[lang] not in lessons


@pytest.mark.parametrize("lang", LANGS)
def test_the_follow_up_placeholder_is_stated_once(dossier: Dossier, lang: str) -> None:
    """REVIEW r7 C11: the same owner and moment for every theme: once, after the themes."""
    text = render_document(dossier, "all", "lessons-learned", lang).markdown
    label = gettext(lang, "Follow-up (owner, moment)")
    assert f"\n## {label}\n\n{FOLLOW_UPS[lang]}\n" in text
    assert text.count(FOLLOW_UPS[lang]) == 1 and f"**{label}.**" not in text
