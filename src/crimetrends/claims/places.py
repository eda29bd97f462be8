"""Place resolution through a gazetteer of every agency in the store plus aliases.

Names are matched on tokens, longest first ("District of Columbia" before "Columbia",
"New York City" before "York"). A name several agencies share is resolved by a state written
beside it ("Columbus, Ohio"), then by the article's established place, then by a state the
article named; otherwise it stays *ambiguous* and is reported so, never guessed. States,
sub-city areas, outside samples ("66 cities") and vague groups ("many major cities") are
places too: they are recognised so that a claim about them is not checked against a city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from crimetrends.claims.lexicon import PhraseIndex, Token
from crimetrends.reference import agency_aliases

STATES = {
    "Alabama": "AL",
    "Alaska": "AK",
    "Arizona": "AZ",
    "Arkansas": "AR",
    "California": "CA",
    "Colorado": "CO",
    "Connecticut": "CT",
    "Delaware": "DE",
    "Florida": "FL",
    "Georgia": "GA",
    "Hawaii": "HI",
    "Idaho": "ID",
    "Illinois": "IL",
    "Indiana": "IN",
    "Iowa": "IA",
    "Kansas": "KS",
    "Kentucky": "KY",
    "Louisiana": "LA",
    "Maine": "ME",
    "Maryland": "MD",
    "Massachusetts": "MA",
    "Michigan": "MI",
    "Minnesota": "MN",
    "Mississippi": "MS",
    "Missouri": "MO",
    "Montana": "MT",
    "Nebraska": "NE",
    "Nevada": "NV",
    "New Hampshire": "NH",
    "New Jersey": "NJ",
    "New Mexico": "NM",
    "New York": "NY",
    "North Carolina": "NC",
    "North Dakota": "ND",
    "Ohio": "OH",
    "Oklahoma": "OK",
    "Oregon": "OR",
    "Pennsylvania": "PA",
    "Rhode Island": "RI",
    "South Carolina": "SC",
    "South Dakota": "SD",
    "Tennessee": "TN",
    "Texas": "TX",
    "Utah": "UT",
    "Vermont": "VT",
    "Virginia": "VA",
    "Washington": "WA",
    "West Virginia": "WV",
    "Wisconsin": "WI",
    "Wyoming": "WY",
    "District of Columbia": "DC",
}
STATE_ABBREV = {
    "Ill.": "Illinois",
    "Mo.": "Missouri",
    "Ky.": "Kentucky",
    "Ore.": "Oregon",
    "Tenn.": "Tennessee",
    "Calif.": "California",
    "Fla.": "Florida",
    "Ga.": "Georgia",
    "Md.": "Maryland",
    "Pa.": "Pennsylvania",
    "Tex.": "Texas",
    "Ariz.": "Arizona",
    "Mass.": "Massachusetts",
    "Mich.": "Michigan",
    "Minn.": "Minnesota",
    "Colo.": "Colorado",
    "La.": "Louisiana",
    "Ind.": "Indiana",
    "Wis.": "Wisconsin",
    "Okla.": "Oklahoma",
    "Nev.": "Nevada",
    "N.Y.": "New York",
    "N.J.": "New Jersey",
    "N.C.": "North Carolina",
    "S.C.": "South Carolina",
    "N.M.": "New Mexico",
    "Va.": "Virginia",
    "Ala.": "Alabama",
    "Miss.": "Mississippi",
    "Neb.": "Nebraska",
    "Kan.": "Kansas",
    "Conn.": "Connecticut",
    "Ark.": "Arkansas",
}
NATIONAL = "Full Sample, Nationwide"
LARGE = ("Agencies of 1M+, Nationwide", "Cities of 1M+, Nationwide")

# Aliases → the city part of a store agency name (resolved against the store) or a kind.
CASE_SENSITIVE = {"dc": "DC", "la": "LA", "us": "US", "mpd": "MPD", "cpd": "CPD", "hpd": "HPD"}
KIND_WORDS = {
    "nationwide": "national",
    "nationally": "national",
    "national": "national",
    "the nation": "national",
    "the nation's": "national",
    "the country": "national",
    "across the country": "national",
    "u.s.": "national",
    "us": "national",
    "united states": "national",
    "the united states": "national",
    "america": "national",
    "america's": "national",
    "american": "national",
    "large cities": "large",
    "big cities": "large",
    "largest cities": "large",
    "big-city": "large",
    "large-city": "large",
    "big city": "large",
    "major cities": "vague",
    "hampton roads": "vague",  # a region of several cities, not Hampton
    "juárez": "outside",  # cities across the border
    "juarez": "outside",
    "ciudad juárez": "outside",
    "tijuana": "outside",
    "mexico": "outside",
    "study cities": "vague",
    "the study cities": "vague",
    "sample cities": "vague",
    "cities studied": "vague",
    "cities in the study": "vague",
    "cities in the sample": "vague",
    "reporting cities": "vague",
    "participating cities": "vague",
    "participating agencies": "vague",
    "reporting agencies": "vague",
    "major metros": "vague",
    "peer cities": "vague",
    "many cities": "vague",
    "other cities": "vague",
    "many major cities": "vague",
    "cities nationwide": "national",
    "neighborhood": "subcity",
    "neighborhoods": "subcity",
    "neighbourhood": "subcity",
    "precinct": "subcity",
    "precincts": "subcity",
    "council district": "subcity",
    "council districts": "subcity",
    "police districts": "subcity",
    "downtown": "subcity",
    "ward": "subcity",
    "the state": "state",
    "the state's": "state",
    "statewide": "state",
    "bronx": "subcity",
    "the bronx": "subcity",
    "brooklyn": "subcity",
    "queens": "subcity",
    "manhattan": "subcity",
    "staten island": "subcity",
    "harlem": "subcity",
    "south side": "subcity",
    "west side": "subcity",
    "north side": "subcity",
    "east side": "subcity",
    "the loop": "subcity",
    "police district": "subcity",
    "division": "subcity",
    "as a whole": "state-whole",
}
# "U.S." followed by one of these names an institution, not the place.
INSTITUTION_WORDS = {
    "attorney",
    "attorney's",
    "attorneys",
    "justice",
    "department",
    "marshals",
    "marshal",
    "census",
    "congress",
    "senate",
    "house",
    "rep",
    "sen",
    "government",
    "officials",
    "president",
    "conference",
    "district",
    "court",
    "army",
    "navy",
    "bureau",
    "and",
}
RANK_WORDS = {
    "highest",
    "lowest",
    "most",
    "fewest",
    "largest",
    "deadliest",
    "worst",
    "safest",
    "top",
    "biggest",
}
COMMON_WORD_CITIES = {
    "mobile",
    "orange",
    "independence",
    "commerce",
    "surprise",
    "normal",
    "reading",
    "union",
    "justice",
    "hope",
    "liberty",
    "march",
    "university",
    "temple",
    "mission",
    "industry",
    "victoria",
    "auburn",
    "columbia",
    "lincoln",
    "national city",
    "clinton",
}


@dataclass(frozen=True)
class Place:
    """Where a claim is about: store agency names (one agency may be stored under two
    spellings), or a kind the store cannot answer for."""

    kind: str  # agency | sample | state | subcity | vague | outside | ambiguous
    label: str
    names: tuple[str, ...] = ()
    candidates: tuple[str, ...] = ()
    state: str | None = None

    @property
    def checkable(self) -> bool:
        return self.kind in ("agency", "sample") and bool(self.names)


@dataclass
class Mention:
    start: int  # token index
    end: int
    text: str
    places: list[Place]
    kind: str = "name"  # name | alias | kind | anaphor | unlisted (a city the store lacks)


@dataclass
class Gazetteer:
    agencies: tuple[str, ...]
    by_key: dict[str, list[str]] = field(default_factory=dict)
    index: PhraseIndex | None = None

    def place_for(self, names: list[str]) -> Place:
        state = names[0].split(",")[-1].strip() if "," in names[0] else None
        label = names[0].replace("St Louis", "St. Louis")
        return Place("agency", label, tuple(names), state=state)


def _norm(name: str) -> str:
    return re.sub(r"[.’']", "", name.lower()).replace("saint ", "st ").strip()


@lru_cache(maxsize=4)
def gazetteer(agencies: tuple[str, ...]) -> Gazetteer:
    """Every agency by its city part, full name and 'city state'; then the aliases."""
    g = Gazetteer(agencies)
    groups: dict[str, list[str]] = {}
    for a in agencies:
        groups.setdefault(_norm(a), []).append(a)
    phrases: dict[str, list[tuple[str, ...]]] = {}

    def add(phrase: str, names: tuple[str, ...]) -> None:
        got = phrases.setdefault(phrase.lower(), [])
        if names not in got:
            got.append(names)

    for names in groups.values():
        full = names[0]
        city, _, state = full.partition(",")
        add(full, tuple(names))
        add(f"{city} {state.strip()}", tuple(names))
        region = state.strip() == "Nationwide"  # RTCI's regions ("South, Nationwide"): no "South"
        if not city.startswith(("Full Sample", "Agencies of", "Cities of")) and not region:
            add(city.strip(), tuple(names))
            if city.startswith("St "):
                add("St. " + city[3:], tuple(names))
                add("Saint " + city[3:], tuple(names))
    for alias, targets in agency_aliases().items():
        hits = []
        for t in targets:
            grp = groups.get(_norm(t))
            if grp:
                hits.append(tuple(grp))
        if hits:
            phrases[alias] = hits  # an alias replaces what the bare name would mean
    value: dict[str, object] = {k: ("names", v) for k, v in phrases.items()}
    for phrase, kind in KIND_WORDS.items():
        value[phrase] = ("kind", kind)
    for st in STATES:
        if st.lower() not in value:
            value[st.lower()] = ("state", st)
    g.index = PhraseIndex(value)
    return g


def _unpossessed(low: str) -> str:
    """The name in a possessive: "chicago's" → chicago, "indianapolis'" → indianapolis."""
    if low.endswith(("'s", "’s")):
        return low[:-2]
    if len(low) > 2 and low.endswith(("s'", "s’")):
        return low[:-1]
    return low


def find_places(g: Gazetteer, toks: list[Token]) -> list[Mention]:
    """Place mentions in a sentence's tokens, left to right (possessives read as names)."""
    assert g.index is not None
    lows = [_unpossessed(t.low) for t in toks]
    shadow = [Token(t.text, lw, t.start, t.end, t.num) for t, lw in zip(toks, lows, strict=True)]
    out: list[Mention] = []
    # an all-lower-case sentence (a forum comment) may name cities in lower case
    lower_ok = not any(t.text[:1].isupper() for t in toks)
    i = 0
    while i < len(toks):
        hit = g.index.at(shadow, i)
        if hit is None:
            i += 1
            continue
        n, (what, payload) = hit  # type: ignore[misc]
        text = " ".join(t.text for t in toks[i : i + n])
        mention = _mention(g, toks, i, n, what, payload, text, lower_ok)
        if mention is not None:
            out.append(mention)
        i += n
    covered = {k for m in out for k in range(m.start, m.end)}
    index = g.index

    def known(k: int) -> bool:  # named already, or a name the store knows (asked lazily)
        return k in covered or index.at(shadow, k) is not None

    out += _unlisted(toks, known)
    return sorted(out, key=lambda m: m.start)


# Not a city's name before "police" ("the State Police", "Capitol Police")
NOT_CITY_POLICE = {
    "state", "capitol", "transit", "park", "parks", "university", "campus", "airport", "border",
    "tribal", "metro", "metropolitan", "city", "county", "the", "national", "federal", "local",
    "military", "housing", "school", "port", "harbor", "railroad", "amtrak", "highway", "his",
    "her", "their", "our", "its", "town", "village", "area", "community", "city's", "town's",
    "interim", "acting", "former", "retired", "new", "assistant", "deputy", "senior", "top",
    "veteran", "off-duty", "chief", "yet", "and", "but", "when", "after", "while", "said",
}  # fmt: skip
PEOPLE_WORDS = {"black", "white", "hispanic", "latino", "latina", "latinx", "asian", "native"}
PEOPLE_WORDS |= {"american", "african", "indigenous", "jewish", "muslim", "christian"}
CRIME_HEADS = {
    "homicides", "homicide", "murders", "murder", "killings", "crime", "crimes", "shootings",
    "robberies", "burglaries", "assaults", "thefts", "violence",
}  # fmt: skip


AREA_WORDS = {"County", "Parish", "Borough"}


def _unlisted(toks: list[Token], known) -> list[Mention]:
    """A city the store has no figures for, named where only a place can stand: before its
    police ("Montgomery police", "the Mesa Police Department") or after a crime "in"
    ("homicides in Montgomery rose"). Without this its figures would be read as the place
    the article set before (the nation, another city)."""
    from crimetrends.claims.when import MONTH_NAMES, WEEKDAYS

    def name_at(k: int) -> bool:
        t = toks[k]
        return (
            t.text[:1].isupper()
            and t.text.isalpha()
            and not t.text.isupper()
            and t.low not in MONTH_NAMES
            and t.low not in WEEKDAYS
            and t.low not in PEOPLE_WORDS  # "violence in Black neighborhoods": not a place
            and not known(k)
        )

    words = [t for t in toks if t.text.isalpha() and len(t.text) > 3]
    if words and sum(t.text[0].isupper() for t in words) > 0.6 * len(words):
        return []  # a headline in title case ("Violence Against Police On The Rise")
    out = []
    for k, t in enumerate(toks):  # "MDSO", "LASD": a sheriff's office, not the city's police
        sheriff = t.text.isupper() and t.text.isalpha() and 3 <= len(t.text) <= 5
        if sheriff and t.text.endswith(("SO", "SD")) and t.low not in ("also",) and not known(k):
            out.append(Mention(k, k + 1, t.text, [Place("unknown", t.text)], "unlisted"))
    for k, t in enumerate(toks):  # "Pittsburgh-area homicides": the area, not the city
        if t.text[:1].isupper() and t.low.endswith(("-area", "-region", "-metro")):
            out.append(Mention(k, k + 1, t.text, [Place("unknown", t.text)], "unlisted"))
    for k in range(len(toks) - 1):  # "Allegheny County": a county the store lacks
        if toks[k + 1].text in AREA_WORDS and name_at(k) and not known(k + 1):
            a = k - 1 if k > 0 and name_at(k - 1) else k
            text = " ".join(t.text for t in toks[a : k + 2])
            out.append(Mention(a, k + 2, text, [Place("unknown", text)], "unlisted"))
    for k in range(len(toks) - 1):
        police = toks[k + 1].low in ("police", "pd") and toks[k].low not in NOT_CITY_POLICE
        after_in = k >= 2 and toks[k - 1].low == "in" and toks[k - 2].low in CRIME_HEADS
        if not (police or after_in) or not name_at(k) or _person(toks, k):
            continue
        a = k
        while police and a > 0 and name_at(a - 1) and toks[a - 1].low not in NOT_CITY_POLICE:
            a -= 1  # "Baton Rouge police": the whole name
        text = " ".join(t.text for t in toks[a : k + 1])
        if any(m.start <= a < m.end for m in out):
            continue
        out.append(Mention(a, k + 1, text, [Place("unknown", text)], "unlisted"))
    return out


LEAD_VERBS = {"leads", "led", "leading", "lead", "tops", "topped", "topping"}
NATIONAL_OWNERS = {"the nation's", "nation's", "america's", "the country's", "country's"}


def _other_set(toks: list[Token], i: int) -> bool:
    """'three of New England's five largest cities', 'Ohio's big cities': a set of cities, but
    not RTCI's cities of a million or more (a number of them, or a region's)."""
    before = toks[max(0, i - 3) : i]
    if before and before[-1].num is not None:
        return True  # "the five largest cities"
    owner = next((t for t in reversed(before) if t.low.endswith(("'s", "’s"))), None)
    if owner is None:
        return False
    k = toks.index(owner)
    phrase = " ".join(t.low for t in toks[max(0, k - 1) : k + 1]).replace("’", "'")
    return owner.low.replace("’", "'") not in NATIONAL_OWNERS and phrase not in NATIONAL_OWNERS


def _named_as_city(toks: list[Token], i: int) -> bool:
    """'Lincoln Police', 'Columbia, Mo.', 'thefts in Lincoln': a word that is also a city's
    name is the city when its police or its state follow it, or a crime 'in' it."""
    k = i + 1
    if k < len(toks) and toks[k].low in ("police", "pd"):
        return True
    if i >= 2 and toks[i - 1].low == "in" and toks[i - 2].low in CRIME_HEADS:
        return True
    j = k + 1 if k < len(toks) and toks[k].text == "," else k
    return j < len(toks) and _state_at(toks, j) is not None


def _low_at(toks: list[Token], k: int) -> str:
    return toks[k].low if 0 <= k < len(toks) else ""


def _mention(g, toks, i, n, what, payload, text, lower_ok=False) -> Mention | None:
    """One index hit as a mention, or None when the words are not a place here."""
    key = " ".join(t.low for t in toks[i : i + n])
    if key in CASE_SENSITIVE and text != CASE_SENSITIVE[key]:
        return None
    if what == "kind":
        after = toks[i + n].low if i + n < len(toks) else ""
        if payload == "national" and key in ("u.s.", "us") and after in INSTITUTION_WORDS:
            return None
        if payload == "national" and after.startswith("incident"):
            return None  # "the FBI's National Incident-Based Reporting System": its name
        if (
            payload == "national"
            and after == "crime"
            and _low_at(toks, i + n + 1) == "victimization"
        ):
            return None  # "the National Crime Victimization Survey": a survey's name
        if key == "division" and " ".join(t.low for t in toks[i + n : i + n + 2]) == "of police":
            return None  # "the Columbus Division of Police": the city's police, not a part
        if payload == "large" and _other_set(toks, i):
            return Mention(i, i + n, text, [Place("vague", text)], "kind")
        if payload == "national" and i > 0 and toks[i - 1].low in LEAD_VERBS:
            return None  # "Chicago ... leads the nation with 739 homicides": the rank's set
        possessive = toks[i + n - 1].low.endswith(("'s", "’s")) or key.endswith("'s")
        if payload == "national" and possessive and after.split("-")[-1] in RANK_WORDS:
            return None  # "the nation's highest homicide rate": the set a rank is taken in
        return Mention(i, i + n, text, [Place(payload, text)], "kind")
    if what == "state":
        return Mention(i, i + n, text, [Place("state", payload, state=payload)], "state")
    after = _low_at(toks, i + n)
    if after in ("precinct", "precincts", "ward"):
        return None  # "the police department's Madison precinct": a part of the city named
    if after.startswith("attorney"):
        return None  # "the District Attorney's Office", "State's Attorney": an office
    if after in ("county", "parish") and toks[i + n].text[:1].isupper():
        wider = " ".join(t.text for t in toks[i : i + n + 1])  # "Pueblo County": not the city
        return Mention(i, i + n + 1, wider, [Place("unknown", wider)], "name")
    first = toks[i + 1] if toks[i].low == "the" and n > 1 else toks[i]
    if not first.text[:1].isupper() and not first.text[:1].isdigit() and not lower_ok:
        return None  # lower-case words are not names here ("reading", "mobile")
    if n == 1 and key in COMMON_WORD_CITIES and not _named_as_city(toks, i):
        return None
    if _person(toks, i):
        return None  # "Police Chief Jeffrey Norman", "Mayor Johnson": a person
    if _byline(toks, i, n):
        return None  # "By Austin Alonzo": the writer
    after = toks[i + n].low if i + n < len(toks) else ""
    then = toks[i + n + 1].low if i + n + 1 < len(toks) else ""
    if after == "-" and then in WIDER:  # "Pittsburgh-area homicides": the area, not the city
        wider = " ".join(t.text for t in toks[i : i + n + 2])
        return Mention(i, i + n + 2, wider, [Place("unknown", wider)], "name")
    if after in WIDER and then not in ("police", "pd", "department"):
        # "the Chicago metropolitan area", "the Houston region": not the city (but the
        # "Indianapolis Metropolitan Police" are the city's)
        k = i + n + (2 if then in ("area", "region") else 1)
        wider = " ".join(t.text for t in toks[i:k])
        return Mention(i, k, wider, [Place("unknown", wider)], "name")
    if i > 0 and toks[i - 1].text in COMPASS:  # "East Memphis", "East St. Louis": a part of
        part = f"{toks[i - 1].text} {text}"  # the city or a place of its own, not the city
        return Mention(i - 1, i + n, part, [Place("unknown", part)], "name")
    places = [g.place_for(list(names)) for names in payload]
    # a state written beside the name ("Columbus, Ohio", "Portland, Ore.") narrows it
    j = i + n + (1 if i + n < len(toks) and toks[i + n].text == "," else 0)
    if j < len(toks):
        st = _state_at(toks, j)
        if st and _district_after(toks, j + st[1]):
            st = None  # "New Orleans, Washington, D.C., and Memphis": a list, not a state
        if st:
            narrowed = [p for p in places if p.state == st[0]]
            n = j - i + st[1]
            if narrowed:
                places = narrowed
            else:  # "Jackson, Miss." when the store has only Jackson, Michigan and Tennessee
                label = f"{text}, {st[0]}"
                return Mention(i, i + n, text, [Place("unknown", label, state=st[0])], "name")
    return Mention(i, i + n, text, places, "alias" if key in agency_aliases() else "name")


TITLES = {
    "chief",
    "mayor",
    "officer",
    "sgt",
    "det",
    "detective",
    "commissioner",
    "superintendent",
    "sheriff",
    "dr",
    "mr",
    "ms",
    "mrs",
    "gov",
    "governor",
    "sen",
    "senator",
    "rep",
    "judge",
    "attorney",
    "president",
    "director",
    "councilman",
    "councilwoman",
    "alderman",
    "lt",
    "captain",
    "capt",
    "deputy",
    "sergeant",
    "lieutenant",
    "spokesperson",
    "spokesman",
}


def _byline(toks: list[Token], i: int, n: int) -> bool:
    """'By Austin Alonzo' at the start of a line: a writer's name, not the city."""
    if i != 1 or toks[0].low != "by" or i + n >= len(toks):
        return False
    nxt = toks[i + n]
    return (
        nxt.text[:1].isupper()
        and nxt.text.isalpha()
        and nxt.low not in NOT_CITY_POLICE | {"police", "pd", "county", "city"}
        and _state_at(toks, i + n) is None
    )


def _person(toks: list[Token], i: int) -> bool:
    """A title before the name, or a title and a first name or initials ("Chief Jeffrey
    Norman", "Chief C.J. Davis")."""
    prev = toks[i - 1].low.rstrip(".") if i > 0 else ""
    if prev in TITLES:
        return True
    first = toks[i - 1] if i > 0 else None
    before = toks[i - 2].low.rstrip(".") if i > 1 else ""
    given = first is not None and (
        (first.text[:1].isupper() and first.text.isalpha()) or INITIALS.fullmatch(first.text)
    )
    return bool(given and before in TITLES)


# a word after a city's name that widens it past the city ("the Chicago metro area")
WIDER = {"metropolitan", "metro", "area", "region", "suburbs", "suburban", "metroplex"}

# a capitalised compass word before a city's name names another place ("East Memphis")
COMPASS = {
    "North",
    "South",
    "East",
    "West",
    "Northeast",
    "Northwest",
    "Southeast",
    "Southwest",
    "Central",
    "Downtown",
}

INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")


def _district_after(toks: list[Token], k: int) -> bool:
    """'Washington, D.C.' / 'Washington DC': the city, whose name is also a state's."""
    k += 1 if k < len(toks) and toks[k].text == "," else 0
    return k < len(toks) and toks[k].text.replace(".", "").upper() == "DC"


def _state_at(toks: list[Token], j: int) -> tuple[str, int] | None:
    for st in STATES:
        words = st.split()
        if [t.text for t in toks[j : j + len(words)]] == words:
            return st, len(words)
    two = "".join(t.text for t in toks[j : j + 2])
    for ab, st in STATE_ABBREV.items():
        if toks[j].text + "." == ab or two == ab:
            return st, 2 if two == ab else 1
    return None


def resolve(m: Mention, established: Place | None, states: set[str]) -> Place:
    """One place for a mention: the only candidate, the established one, or a named state."""
    if len(m.places) == 1:
        return m.places[0]
    if established is not None:
        for p in m.places:
            if set(p.names) & set(established.names):
                return p
    in_state = [p for p in m.places if p.state in states]
    if len(in_state) == 1:
        return in_state[0]
    names = tuple(p.label for p in m.places)
    return Place("ambiguous", m.text, candidates=names)


def place_from_url(g: Gazetteer, url: str | None) -> Place | None:
    """The agency a page's address names ('…/r/washingtondc', '…/chicago-homicides-fall'),
    when exactly one does: the weakest evidence, used only when the text names no place."""
    if not url or g.index is None:
        return None
    path = re.sub(r"^[a-z]+://", "", url.lower())
    squashed: dict[str, list[tuple[str, ...]]] = {}
    for key, (what, payload) in g.index.table.items():  # type: ignore[misc]
        if what == "names" and len(payload) == 1:
            flat = re.sub(r"[^a-z]", "", "".join(key))
            if len(flat) >= 5:
                squashed.setdefault(flat, []).append(payload[0])
    found: dict[str, tuple[str, ...]] = {}
    for seg in re.split(r"[/?#&=.]", path):
        words = [w for w in re.split(r"[^a-z]+", seg) if w]
        cands = ["".join(words)] + [
            "".join(words[a:b])
            for a in range(len(words))
            for b in range(a + 1, min(a + 4, len(words) + 1))
        ]
        for cand in cands:
            for names in squashed.get(cand, []):
                found[cand] = names
    if not found:
        return None
    distinct = {names for names in found.values()}
    if len(distinct) != 1:
        return None
    return g.place_for(list(next(iter(distinct))))
