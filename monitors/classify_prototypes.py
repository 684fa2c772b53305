"""The 'geen' prototypes: what most news looks like, so a moral issue has to stand out against it."""

from __future__ import annotations

# Neutral police news: the police in the text, but no moral issue (force, discrimination, partiality, integrity).
NEUTRAL_POLICE_NEWS: tuple[str, ...] = (
    "Politie houdt alcoholcontrole op uitvalsweg, vijf bestuurders moeten rijbewijs inleveren",
    "Verdachte van inbraken in bedrijfspanden aangehouden na tip van buurtbewoner",
    "Politie zoekt met foto naar vermiste tiener, familie maakt zich zorgen",
    "Nieuw bureau voor het basisteam geopend in het centrum van de stad",
    "Politie vindt honderden kilo's drugs bij inval in opslagloods",
    "Agenten geven voorlichting over woninginbraak tijdens de donkere dagen",
    "Politie zoekt getuigen van overval op snackbar",
    "Snelheidscontrole bij school: tientallen automobilisten reden te hard",
    "Politie waarschuwt voor oplichting via valse bankmedewerkers aan de telefoon",
    "Twee verdachten opgepakt na plofkraak op geldautomaat",
    "Politie rekent bende winkeldieven op, buit teruggevonden",
    "Agenten helpen verkeer omleiden na ongeluk met vrachtwagen",
    "Politie neemt nieuwe meldkamer in gebruik",
    "Wijkagent geeft spreekuur in buurthuis over overlast en veiligheid",
    "Verkeersongeval op kruising, politie doet onderzoek naar de toedracht",
    "Politie en gemeente maken afspraken over toezicht tijdens carnaval",
    "Agenten vinden vuurwapen en munitie bij doorzoeking van woning",
    "Politie zet drone in bij zoektocht naar vermiste man",
    "Verdachte van steekpartij meldt zich op het politiebureau",
    "Politie brengt jaarcijfers over criminaliteit in de regio naar buiten",
    "Politie werft nieuwe collega's tijdens banenmarkt",
    "Supporters aangehouden voor vuurwerk na wedstrijd, verder rustig verloop",
)

# News without the police: weather, sport, economy, politics, civilian quarrels, misconduct outside the police.
NON_POLICE_NEWS: tuple[str, ...] = (
    "Weerbericht: het wordt een natte en winderige week",
    "Voetbalclub wint thuiswedstrijd met ruime cijfers",
    "Economie groeit sneller dan verwacht, meldt het CBS",
    "Gemeenteraad stemt in met begroting voor volgend jaar",
    "Ruzie tussen buren loopt uit de hand, twee mannen gewond",
    "Vechtpartij tussen uitgaanders in de binnenstad",
    "Kabinet presenteert nieuwe plannen voor de zorg",
    "Wethouder onder vuur na kritisch rapport over subsidies",
    "Ondernemer veroordeeld voor fraude met belastinggeld",
    "Werkgever discrimineert bij sollicitaties, oordeelt college",
    "Demonstratie voor beter klimaatbeleid trekt duizenden mensen",
    "Huizenprijzen stijgen opnieuw, starters komen moeilijk aan een woning",
    "Schaatsster pakt goud op het wereldkampioenschap",
    "Nieuwe fietsbrug over het kanaal geopend",
    "Ziekenhuis kampt met personeelstekort op de spoedeisende hulp",
    "Treinverkeer ligt stil door storing bij het spoor",
    "Festival trekt recordaantal bezoekers",
    "Scholen krijgen extra geld voor lerarensalarissen",
    "Storm veroorzaakt schade aan daken en bomen",
    "Leerlingen slaags op schoolplein, school neemt maatregelen",
)

GEEN_PROTOTYPES: tuple[str, ...] = NEUTRAL_POLICE_NEWS + NON_POLICE_NEWS
