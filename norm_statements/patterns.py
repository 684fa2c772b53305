"""The phrases the quality check looks for, in one readable place. All patterns match lower-cased text."""

from __future__ import annotations

import re


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Self-reflection: looking at our own conduct, learning, admitting what should have been different.
SELF_REFLECTION = _any(
    r"kritisch(?:e blik)? (?:naar|op) (?:ons|onszelf|onze|eigen)",
    r"\bkijken (?:we |wij )?(?:ook )?kritisch",
    r"\bleren\b", r"\blessen\b", r"\bzelfreflectie", r"\bspiegel",
    r"\bhad(?:den)? (?:niet )?(?:beter|eerder|anders|moeten|mogen)",
    r"\bbeter (?:moeten|kunnen|gaan|willen) doen", r"\bbeter doen\b", r"\bmoeten het beter\b",
    r"tekortgeschoten", r"fouten gemaakt", r"onvoldoende scherp", r"\bexcuses\b", r"\bspijt\b",
)

# Openness to accountability and transparency.
ACCOUNTABILITY = _any(
    r"verantwoording", r"transparant", r"openheid", r"aanspreekbaar", r"\bzijn open\b", r"\bopen over\b",
    r"\bleggen (?:we |wij )?uit\b", r"\buitleggen\b", r"\b(?:houden|informeren) (?:we |wij )?u\b",
    r"op de hoogte", r"volgende update", r"kritisch bevraagd", r"\blaten (?:we |wij )?(?:weten|zien)\b",
    r"onderzoeken we altijd", r"altijd onderzocht",
)

# Hiding behind the investigation.
INVESTIGATION_ONLY = _any(
    r"lopend(?:e)? onderzoek", r"onderzoek loopt", r"loopt (?:nog )?(?:een )?(?:intern |strafrechtelijk )?onderzoek",
    r"onderzoek (?:is )?(?:nog )?gaande", r"in het belang van het onderzoek",
    r"(?:kunnen|mogen|willen) (?:we|wij) (?:nog |op dit moment )?(?:niets|geen|niks) "
    r"(?:zeggen|mededelen|vertellen|kwijt)",
    r"geen (?:verdere )?mededelingen", r"geen commentaar",
)

# Defensive reliance on procedure.
PROCEDURE = _any(
    r"conform (?:de |het )?(?:geldende )?(?:procedures?|protocol|regels|instructies?|werkwijze)",
    r"volgens (?:de |het )?(?:geldende )?(?:procedures?|protocol|voorschriften|instructies?)",
    r"binnen de (?:wettelijke |geldende )?(?:kaders|regels) (?:ge)?handeld",
    r"(?:correct|juist|rechtmatig|professioneel) (?:ge)?handeld",
    r"zoals (?:voorgeschreven|gebruikelijk|het hoort)",
    r"(?:alle|de) (?:procedures|protocollen) (?:zijn|werden) (?:gevolgd|nageleefd)",
)

# Blaming the person concerned, the media or the footage.
_PERSON = (r"(?:hij|zij|ze|de (?:verdachte|man|vrouw|jongen|jongeman|jongere|arrestant|betrokkene|bestuurder|"
           r"demonstranten|actievoerders|relschoppers))")
BLAME = _any(
    r"uitgelokt", r"aan (?:zich)?zelf te danken", r"eigen schuld",
    r"had(?:den)? (?:hij|zij|ze|de verdachte|de man|de vrouw|de jongen|betrokkene|de demonstranten)"
    r"(?: gewoon)?(?: moeten)? (?:meegewerkt|geluisterd|meewerken|luisteren)",
    r"als (?:hij|zij|ze|de verdachte|de man|de vrouw|betrokkene) (?:gewoon |direct )?(?:had )?"
    r"(?:meegewerkt|geluisterd)",
    # the person arrested: "hij had zelf …", "had de vrouw gewoon …, dan"
    _PERSON + r" (?:had|hadden) (?:het )?zelf\b",
    r"(?:^|[,;:] )had(?:den)? " + _PERSON + r" (?:gewoon|maar|direct|meteen|wel)\b",
    r"(?:lokte|lokten|zocht|zochten) (?:het|de (?:confrontatie|situatie|reactie)) (?:zelf )?(?:op|uit)\b",
    # the footage: cut, edited, out of context, one-sided, only a few seconds, what came before is missing
    r"uit (?:hun|zijn|het|de) (?:verband|context) (?:ge)?(?:rukt|getrokken|gehaald)", r"\bgeknipt\b",
    r"\bbewerkte? (?:versie|beelden|video|filmpje|opnames?)",
    r"\b(?:zonder|mist|missen|ontbreekt) (?:de |elke )?context",
    r"(?:vertekend|eenzijdig|misleidend|onvolledig)(?:e)? beeld", r"\bhetze\b", r"heksenjacht",
    r"(?:de )?media (?:blazen|maken|overdrijven)",
    r"(?:maar|slechts|alleen) (?:een paar|enkele|een aantal) seconden",
    r"(?:beelden|video|filmpje)s? (?:laat|laten|toont|tonen) (?:niet (?:alles|het hele verhaal)|maar een deel)",
    r"niet het hele verhaal",
    r"wat (?:er )?(?:aan )?(?:vooraf ?ging|voorafging) (?:is|zie je) niet (?:te zien|in beeld)",
    # organisers, critics and the victim
    r"(?:de )?organisat(?:oren|ie) (?:hebben|heeft|hield|hielden|wijzigde|wijzigden|hadden|had)\b.{0,40}"
    r"(?:zelf|niet aan|afspraken)",
    r"\borganisatoren\b.{0,60}\bzelf\b",
    r"(?:ligt|lag|komt|kwam)(?: \w+)? (?:aan|door)(?:dat)? (?:de |het )?(?:organisat(?:oren|ie)|critici|"
    r"actievoerders|actiegroepen|demonstranten|media|verdachte|man|vrouw)",
    r"(?:critici|actievoerders|actiegroepen|activisten|demonstranten) (?:zoeken|zochten|lokten|provoceerden|willen|"
    r"gebruiken|misbruiken|stoken)",
    r"(?:aangewakkerd|opgestookt|opgeblazen|opgeklopt) door", r"eigen agenda",
    r"waardoor (?:wij|we|de (?:politie|agenten)) (?:wel )?(?:moest|moesten) (?:ingrijpen|optreden|chargeren)",
    r"(?:liet|lieten) (?:ons|de (?:politie|agenten)) geen (?:keus|keuze)", r"konden (?:wij|we) niet anders\b",
    r"(?:zocht|zochten) (?:het|de confrontatie) (?:zelf|op)", r"had(?:den)? (?:zelf|het zelf) (?:gezocht|uitgelokt)",
    # pressure, workload and long shifts as the excuse
    r"onder (?:grote|enorme|hoge) (?:druk|tijdsdruk|werkdruk)",
    r"(?:door|vanwege|wegens|na|onder) (?:de |het |een )?(?:hoge |enorme |grote |zware )?(?:personeelstekort|"
    r"onderbezetting|werkdruk|werklast|lange dienst(?:en)?|vermoeidheid)",
    r"dienst van (?:\d+|tien|elf|twaalf|dertien|veertien|vijftien|zestien) uur", r"\b(?:oververmoeid|uitgeput)\b",
    r"(?:in|onder) (?:zeer )?(?:lastige|moeilijke) omstandigheden (?:moest|moesten|handelde|handelden)",
)

# Words that play things down; the memo names 'werkdruk' and 'stoom afblazen' explicitly.
MINIMISING = _any(
    r"werkdruk", r"stoom (?:af ?)?(?:te )?blazen", r"stoom afgeblazen",
    r"(?:een |het )?(?:enkel|enkele|klein|kleine|eenmalig|eenmalige|ge[iï]soleerd|ge[iï]soleerde|"
    r"op zichzelf staand|op zichzelf staande|ongelukkig|ongelukkige) incident",
    r"(?:slechts|maar|gewoon) een incident", r"\bincidenteel\b", r"geen structureel probleem",
    r"rotte appels?", r"(?:maar|slechts|gewoon|alleen) (?:een |wat )?(?:paar )?(?:grap(?:je|jes|pen)?|geintjes?)",
    r"(?:ongelukkige|onschuldige|flauwe) (?:grap(?:je|jes|pen)?|geintjes?)", r"als grap(?:je)? bedoeld",
    r"niet (?:zo )?kwaad bedoeld", r"\bgeintjes?\b", r"uit de hand gelopen",
    r"klein(?:e)? (?:foutje|duwtje|duw|vergissing)", r"niets ernstigs",
    r"ongelukkige (?:woordkeuze|uitlating|opmerking)", r"valt (?:wel )?mee", r"niet zo erg",
    r"\boverdreven\b", r"storm in een glas water",
    r"(?:is|was) (?:er )?(?:verder )?niets mis", r"niets aan de hand",
    r"het ging (?:maar |slechts |alleen |hier )?om (?:een )?(?:korte|kleine|klein|paar|enkele|enkel|beperkte?)\b"
    r"(?! (?:honderd|duizend))",
    r"(?:niet eens|nauwelijks|amper) (?:\w+ )?(?:opgemerkt|opgevallen|gemerkt)", r"bijna niemand (?:heeft|had)\b",
    r"verder (?:is )?(?:er )?(?:met .{1,30} )?niets (?:mee )?gedaan", r"\bmeer niet\b",
)

# A sentence that rejects the minimising frame ("werkdruk is geen excuus") is not minimising.
NEGATED_FRAME = _any(
    r"geen excuus", r"gaan? niet (?:meer )?op", r"geen rechtvaardiging", r"nooit een excuus",
    r"is geen reden", r"geen smoes", r"is geen incident", r"geen sprake van een incident",
    r"spreken (?:we|wij) niet van", r"doen (?:we|wij) niet af als", r"niet af als",
    r"verandert niets aan", r"rechtvaardigt (?:dat |dit |het )?niet",
)

# A question (a journalist's, in a Q&A) is not the statement's own claim: "V: Dus er is niets aan de hand?"
QUESTION = re.compile(r"\?[\s\"”’')]*$")

WORD_INCIDENT = re.compile(r"\bincident(?:en)?\b")

# Judging colleagues before an investigation has spoken, in either direction.
_SUBJECT = (
    r"(?:agent|agenten|collega|collega's|politieman|politievrouw|politiemensen|medewerker|medewerkers|"
    r"politiemedewerker|politiemedewerkers|hoofdagent|brigadier|wijkagent|betrokkenen|commandant|teamchef|"
    r"leidinggevende)"
)
_OPINION = r"(?:volgens ons |naar ons oordeel |wat ons betreft |in onze ogen )?"
# the subject, optionally with a short clause ("de twee agenten die de jongen controleerden, hebben")
_SUBJECT_CLAUSE = _SUBJECT + r"(?:\s+(?:die|van)\b[^.;:]{0,60}?,)?"
_CERTAIN = r"(?:zonder (?:enige )?twijfel|ongetwijfeld|aantoonbaar)"
PREJUDGE_GUILTY = re.compile(
    r"(?:staat (?:voor ons )?vast|is (?:duidelijk|zeker|evident)) dat (?:de|onze|deze|die) " + _SUBJECT
    + r"\b.{0,80}\b(?:heeft|hebben|is|zijn)\b"
    r"|" + _SUBJECT_CLAUSE + r"\s+(?:heeft|hebben)\s+(?:\w+\s+){0,3}" + _CERTAIN + r"\b"
    r"|" + _SUBJECT + r"\s+(?:is|zijn|was|waren)\s+(?:schuldig|fout|in de fout gegaan|over de schreef gegaan|"
    r"te ver gegaan|racisten?|corrupt)"
    r"|" + _SUBJECT + r"\s+(?:heeft|hebben)\s+(?:zich\s+)?(?:misdragen|fout gehandeld|de grens overschreden)"
    r"|" + _SUBJECT + r"\s+(?:wordt|worden|zal|zullen)\s+(?:worden\s+)?(?:ontslagen|gestraft)"
)
PREJUDGE_CLEARED = re.compile(
    _SUBJECT + r"\s+(?:heeft|hebben)\s+" + _OPINION
    + r"(?:volledig\s+|geheel\s+)?(?:correct|juist|goed|rechtmatig|professioneel|"
    r"(?:volgens|conform) (?:de |het )?(?:geldende )?(?:regels|procedures?|protocol|instructies?))\s+gehandeld"
    r"|" + _SUBJECT_CLAUSE + r"\s+(?:is|zijn|was|waren)\s+(?:\w+\s+){0,2}(?:volkomen\s+|volledig\s+|geheel\s+)?"
    r"(?:correct|juist|neutraal|keurig|terecht|professioneel|rechtmatig)\s+(?:opgetreden|gehandeld)"
    r"|" + _SUBJECT + r"\s+(?:is|zijn|was|waren)\s+" + _OPINION + r"(?:onschuldig|niet schuldig)"
    r"|(?:sta|staan|staat) (?:\w+\s+)?(?:achter|pal achter) (?:de|onze|deze) " + _SUBJECT
    + r"\b.{0,60}(?:gedaan wat|correct|juist|goed gedaan|niets fout)"
    r"|" + _SUBJECT + r"\b.{0,80}daar twijfel(?:en|t) (?:we|wij|ik) niet aan"
    r"|" + _SUBJECT + r"\s+(?:treft|trof)\s+geen\s+(?:enkele\s+)?blaam"
    r"|" + _SUBJECT + r"\s+(?:is|zijn|valt|vallen)\s+niets\s+te\s+verwijten"
    r"|" + _SUBJECT + r"\s+(?:heeft|hebben)\s+" + _OPINION + r"niets\s+(?:fout|verkeerd|onrechtmatigs)\s+gedaan"
)
# A sentence that reports an investigation's or court's outcome is not a premature judgement.
EVIDENCE = _any(
    r"uit (?:het|de) (?:onderzoek|evaluatie)", r"onderzoek (?:heeft )?(?:uitgewezen|wijst uit|concludeert)",
    r"vastgesteld", r"heeft geoordeeld", r"oordeelde", r"\bde rechter\b",
)

RIJKSRECHERCHE = re.compile(r"rijksrecherche")
PROSECUTION = re.compile(r"rijksrecherche|openbaar ministerie|\bom\b|officier van justitie")
ROLE_STATED = _any(
    r"woordvoering (?:over (?:dit|dat|het) onderzoek )?ligt (?:dan )?bij", r"onder (?:het )?gezag van",
    r"onder leiding van", r"(?:openbaar ministerie|\bom\b) (?:beslist|besluit|gaat over|leidt)",
    r"(?:leidt|doet|voert) (?:het|dit|dat) onderzoek", r"doet (?:de rijksrecherche )?(?:onafhankelijk )?onderzoek",
    r"gaat over de (?:openbare orde|strafrechtelijke)",
)
# Events for which the Rijksrecherche usually investigates (use of force category).
SERIOUS_FORCE = _any(
    r"overleden", r"overlijden", r"dodelijk", r"vuurwapen", r"(?:neer)?geschoten", r"\bschoten?\b",
    r"ernstig (?:gewond|letsel)",
)

PLACEHOLDER = re.compile(r"\[\[[^\[\]]*\]\]")
