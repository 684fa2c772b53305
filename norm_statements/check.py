"""The statement quality check: the memo's criteria as transparent rules, each finding with a concrete fix."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from norm_statements import patterns as p
from norm_statements.channels import CHANNEL_LIMITS
from norm_statements.defensive_meaning import FORM_LABELS, DefensiveMatch
from norm_statements.findings import Finding, Severity
from norm_statements.norm_meaning import NormDetector
from norm_statements.privacy import find_personal_data
from playbooks.loader import load_general_playbook, load_playbook
from playbooks.vocabulary import Category, Channel, parse_category, parse_channel

NO_MODEL_NOTICE = ("Let op: het taalmodel is niet geladen, dus de norm is alleen herkend aan vaste formuleringen "
                   "uit de playbooks; een norm in eigen woorden kan dan als ontbrekend worden gemeld, en schuld "
                   "afschuiven, bagatelliseren of een vooroordeel in eigen woorden kan worden gemist.")
_PRIVACY_LABELS = {
    "naam": "een persoonsnaam",
    "leeftijd": "een leeftijd bij een persoon",
    "email": "een e-mailadres",
    "telefoon": "een telefoonnummer",
    "adres": "een adres of postcode",
    "kenteken": "een kenteken",
    "bsn": "een nummer dat op een BSN lijkt",
}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]


def _excerpt(sentence: str, limit: int = 160) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _first_sentence(text: str, pattern: re.Pattern[str], skip: re.Pattern[str] | None = None,
                    claims_only: bool = False) -> str | None:
    """The first sentence that matches pattern (and not skip; with claims_only, no question), as an excerpt."""
    for sentence in _sentences(text):
        lowered = sentence.lower()
        if pattern.search(lowered) and not (skip and skip.search(lowered)) and not (
            claims_only and p.QUESTION.search(lowered)):
            return _excerpt(sentence)
    return None


def _norm_signals(category: Category) -> list[str]:
    signals = list(load_general_playbook().normsignalen)
    if category in Category.moral():
        signals += load_playbook(category).normsignalen
    return [s.lower() for s in signals]


def _norm_finding(text: str, category: Category, norms: NormDetector | None,
                  vectors: np.ndarray | None = None) -> Finding | None:
    """Which sentence states the norm (by the playbooks' phrases, or else by meaning), or why none qualifies."""
    signals = _norm_signals(category)
    sentences = _sentences(text)
    sentence = next((s for s in sentences if any(signal in s.lower() for signal in signals)), None)
    match = norms.best(sentences, category, vectors) if sentence is None and norms is not None else None
    if match is not None and norms is not None and match.score >= norms.threshold:
        sentence = match.sentence
    if sentence is not None:
        if norms is None:
            return None
        return Finding("norm-herkend", Severity.INFO, "Deze zin lezen we als de norm: waar de politie voor staat.",
                       "Staat hij vooraan? De norm hoort in de eerste zinnen.", _excerpt(sentence))
    example = load_playbook(category).norm_kort if category in Category.moral() else "Dit past niet bij ons."
    why = ("Geen zin noemt de norm: waar de politie voor staat, wat ze niet accepteert of wat iedereen mag "
           "verwachten.")
    if match is not None and norms is not None:
        why += (f" Het dichtst in de buurt komt deze zin (voorsprong op gewone zinnen {match.score:.2f}, nodig "
                f"{norms.threshold:.2f}).")
    return Finding("norm-ontbreekt", Severity.WARNING, why,
                   f"Zeg in één zin waar we voor staan, bijvoorbeeld: “{example}”",
                   _excerpt(match.sentence) if match is not None else None)


# A sentence a pattern already clears is not read as defensive by meaning either.
_CLEARED_BY = {"schuld-afschuiven": p.NEGATED_FRAME, "bagatelliseren": p.NEGATED_FRAME,
               "vooroordeel-collega": p.EVIDENCE}


def _defensive_by_meaning(sentences: list[str], vectors: np.ndarray | None, norms: NormDetector | None,
                          category: Category, norm_sentence: str | None = None) -> dict[str, DefensiveMatch]:
    if norms is None or vectors is None:
        return {}
    # The sentence read as the norm, and any with a playbook's norm phrase, is not read as defensive: a norm about
    # concrete conduct ("een agent hoort een aangehouden man niet te slaan") shares its words with the defensive
    # bank's accounts of that conduct. (Every sentence above the norm margin would be too many: defensive sentences
    # are often closer to the norm bank than to its plain facts.)
    signals = _norm_signals(category)

    def exclude(code: str, sentence: str) -> bool:
        lowered = sentence.lower()
        return (_excerpt(sentence) == norm_sentence or any(signal in lowered for signal in signals)
                or bool(_CLEARED_BY[code].search(lowered) or p.QUESTION.search(lowered)))

    return norms.defensive.find(sentences, vectors, exclude=exclude)


def _meaning_finding(match: DefensiveMatch, fix: str) -> Finding:
    """A defect recognised by meaning only is a judgement call: a warning that names the sentence, never a block
    (on an independent set the meaning check blocked one good statement of twenty; patterns stay errors)."""
    return Finding(
        match.code, Severity.WARNING,
        f"Deze zin lijkt mogelijk {FORM_LABELS[match.form]}: hij ligt dicht bij “{match.closest}” (voorsprong op "
        f"aanvaardbare zinnen {match.score:.2f}).", fix, _excerpt(match.sentence))


def _content_findings(text: str, channel: Channel, category: Category, norms: NormDetector | None) -> list[Finding]:
    lowered = " ".join(text.lower().split())
    social = channel is Channel.SOCIAL
    soft = Severity.INFO if social else Severity.WARNING
    findings: list[Finding] = []
    sentences = _sentences(text)
    # Each sentence is embedded once and the vectors serve both the norm and the defensiveness banks.
    vectors = norms.embed_sentences(sentences) if norms is not None and sentences else None
    norm = _norm_finding(text, category, norms, vectors)
    norm_sentence = norm.excerpt if norm is not None and norm.code == "norm-herkend" else None
    by_meaning = _defensive_by_meaning(sentences, vectors, norms, category, norm_sentence)
    has_norm = norm is None or norm.code == "norm-herkend"
    has_reflection = bool(p.SELF_REFLECTION.search(lowered))
    if norm is not None:
        findings.append(norm)
    if (excerpt := _first_sentence(text, p.INVESTIGATION_ONLY)) and not has_norm:
        findings.append(Finding(
            "alleen-lopend-onderzoek", Severity.ERROR, "De reactie verschuilt zich achter het lopende onderzoek.",
            "Noem de norm óók terwijl het onderzoek loopt, en zeg wat we nu al doen en wanneer we terugkomen.",
            excerpt))
    if not has_reflection:
        findings.append(Finding(
            "zelfreflectie-ontbreekt", soft,
            "Er is geen zelfreflectie: de tekst laat niet zien dat we naar onszelf kijken.",
            "Voeg toe dat we kritisch kijken naar ons eigen optreden, of wat we anders hadden kunnen doen."))
    if not p.ACCOUNTABILITY.search(lowered):
        findings.append(Finding(
            "verantwoording-ontbreekt", soft, "De tekst toont geen openheid om verantwoording af te leggen.",
            "Zeg dat we verantwoording afleggen en wanneer we de volgende update geven."))
    procedure = [m.group(0) for m in p.PROCEDURE.finditer(lowered)]
    if len(procedure) >= 2 or (procedure and not has_reflection):
        findings.append(Finding(
            "procedure-verschuilen", Severity.WARNING, "De tekst leunt defensief op procedures en regels.",
            "Vervang de opsomming van procedures door de norm en wat we van het voorval leren; "
            "één zin uitleg is genoeg.",
            _first_sentence(text, p.PROCEDURE)))
    blame_fix = "Schrap de verwijten; beschrijf feitelijk wat er gebeurde en wat wij zelf doen."
    if excerpt := _first_sentence(text, p.BLAME, skip=p.NEGATED_FRAME, claims_only=True):
        findings.append(Finding(
            "schuld-afschuiven", Severity.ERROR,
            "De tekst legt de schuld bij een ander (betrokkene, critici, organisatoren, media of de beelden) of "
            "voert druk aan als excuus.", blame_fix, excerpt))
    elif match := by_meaning.get("schuld-afschuiven"):
        findings.append(_meaning_finding(match, blame_fix))
    minimising_fix = ("Schrap de verkleinende woorden (zoals 'werkdruk', 'stoom afblazen', 'een enkel incident') en "
                      "benoem wat er gebeurde en waarom het niet past.")
    if excerpt := _first_sentence(text, p.MINIMISING, skip=p.NEGATED_FRAME, claims_only=True):
        findings.append(Finding(
            "bagatelliseren", Severity.ERROR, "De tekst maakt het voorval kleiner dan het is.", minimising_fix,
            excerpt))
    elif match := by_meaning.get("bagatelliseren"):
        findings.append(_meaning_finding(match, minimising_fix))
    elif excerpt := _first_sentence(text, p.WORD_INCIDENT, skip=p.NEGATED_FRAME, claims_only=True):
        findings.append(Finding(
            "woordkeuze-incident", Severity.INFO, "Het woord 'incident' kan het voorval kleiner laten klinken.",
            "Beschrijf wat er gebeurde ('het geweld', 'de uitlatingen') in plaats van 'het incident'.", excerpt))
    prejudge_fix = "Stel de norm over het gedrag, niet over de personen; laat het oordeel aan het onderzoek."
    if excerpt := _first_sentence(text, p.PREJUDGE_GUILTY, skip=p.EVIDENCE, claims_only=True) or _first_sentence(
        text, p.PREJUDGE_CLEARED, skip=p.EVIDENCE, claims_only=True
    ):
        findings.append(Finding(
            "vooroordeel-collega", Severity.ERROR, "De tekst oordeelt over collega's voordat het onderzoek dat doet.",
            prejudge_fix, excerpt))
    elif match := by_meaning.get("vooroordeel-collega"):
        findings.append(_meaning_finding(match, prejudge_fix))
    findings += _role_findings(text, lowered, category)
    return findings


def _role_findings(text: str, lowered: str, category: Category) -> list[Finding]:
    if p.RIJKSRECHERCHE.search(lowered) and not p.ROLE_STATED.search(lowered):
        return [Finding(
            "rolverdeling-onduidelijk", Severity.WARNING, "De Rijksrecherche wordt genoemd, maar niet wie wat doet.",
            "Zeg dat de Rijksrecherche onderzoekt onder gezag van het OM en dat de woordvoering over het onderzoek "
            "bij het OM ligt.", _first_sentence(text, p.RIJKSRECHERCHE))]
    if category is Category.GEWELD and p.SERIOUS_FORCE.search(lowered) and not p.PROSECUTION.search(lowered):
        return [Finding(
            "rolverdeling-ontbreekt", Severity.WARNING,
            "Bij een overlijden, ernstig letsel of vuurwapengebruik ontbreekt de rol van Rijksrecherche en OM.",
            "Vermeld dat de Rijksrecherche onafhankelijk onderzoek doet onder gezag van het OM, en dat de woordvoering "
            "over dat onderzoek bij het OM ligt.", _first_sentence(text, p.SERIOUS_FORCE))]
    return []


def _form_findings(text: str, channel: Channel, allowed_names: Iterable[str]) -> list[Finding]:
    findings: list[Finding] = []
    for kind, excerpt in find_personal_data(text, allowed_names):
        findings.append(Finding(
            "persoonsgegevens" if kind != "naam" else "persoonsnaam", Severity.ERROR,
            f"De tekst bevat {_PRIVACY_LABELS[kind]} van een collega, slachtoffer of verdachte.",
            "Haal het weg of beschrijf de rol zonder leeftijd of adres ('een agent', 'een man', 'in de wijk'). Is het "
            "de naam van het boegbeeld, geef hem dan op als toegestane naam.", excerpt))
    limit = CHANNEL_LIMITS[channel]
    if len(text) > limit.max_chars:
        findings.append(Finding(
            "te-lang", Severity.ERROR,
            f"De tekst is {len(text)} tekens; een {channel.label} mag hoogstens {limit.max_chars} tekens zijn.",
            f"Kort de tekst met minstens {len(text) - limit.max_chars} tekens in; houd de norm en de volgende stap."))
    for placeholder in dict.fromkeys(p.PLACEHOLDER.findall(text)):
        findings.append(Finding(
            "placeholder-open", Severity.ERROR, f"Nog niet ingevuld: {placeholder}.",
            "Vul dit in of haal de zin weg voordat de tekst naar buiten gaat.", placeholder))
    if p.PLACEHOLDER.sub("", text).count("[[") or p.PLACEHOLDER.sub("", text).count("]]"):
        findings.append(Finding(
            "placeholder-kapot", Severity.ERROR, "Er staat een '[[' of ']]' zonder partner in de tekst.",
            "Maak de invulplek compleet ([[...]]) of haal de haken weg."))
    return findings


def check(
    text: str, channel: Channel | str, category: Category | str, *, allowed_names: Iterable[str] = (),
    norms: NormDetector | None = None,
) -> list[Finding]:
    """Check a statement against the memo's criteria; ValueError (Dutch) for an unknown channel or category.

    With `norms` the norm, blaming, minimising and premature judgement are also recognised by meaning (each sentence
    embedded once) and the finding names the sentence; without it only the playbooks' phrases and the patterns count
    (callers tell the user so: NO_MODEL_NOTICE).
    """
    ch = channel if isinstance(channel, Channel) else parse_channel(channel)
    cat = category if isinstance(category, Category) else parse_category(category)
    if not text.strip():
        return [Finding("leeg", Severity.ERROR, "De tekst is leeg.", "Schrijf eerst een tekst, of maak een concept met "
                        "'catbot norm draft'.")]
    return _content_findings(text, ch, cat, norms) + _form_findings(text, ch, allowed_names)
