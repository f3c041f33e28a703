"""Synthetic free-text answers composed from fragments, so no two answers (and few sentences) repeat."""

from __future__ import annotations

import random

PLACES = (
    "on our estate",
    "in Bletchley",
    "round the back of the shops",
    "near the local centre",
    "in Wolverton",
    "along the redways",
    "in Fishermead",
    "near the station",
    "in Newport Pagnell",
    "around Stony Stratford",
    "in Olney",
    "on the grid roads",
    "near the school",
    "by the park",
    "in our close",
    "in Bradwell",
    "around Central Milton Keynes",
    "near the community centre",
    "on the underpasses",
    "in Netherfield",
    "in Monkston",
    "round Shenley",
    "near the canal",
    "in the town centre car parks",
    "in Broughton",
)
TIMES = (
    "at night",
    "at weekends",
    "late in the evening",
    "during the school run",
    "most evenings",
    "in the early hours",
    "after dark",
    "on Friday and Saturday nights",
    "in the summer",
    "every day",
)
OPENERS = (
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "Mainly ",
    "For me, ",
    "Around here, ",
    "Where I live, ",
    "In my area, ",
    "Really ",
    "Worst of all is ",
)

TOPICS: dict[str, tuple[str, ...]] = {
    "burglary": (
        "burglary {place}, three houses in our road have been broken into this year",
        "we had a break-in last winter and I still don't feel secure at home",
        "burglaries {place} {time}, people trying door handles",
        "sheds and garages being broken into {place}",
        "there have been several burglaries {place} and nobody seems to be caught",
        "I worry about burglars when we go away on holiday",
        "a neighbour was burgled {time} while they were asleep upstairs",
        "garden tools and bikes stolen in a spate of burglaries {place}",
        "the number of burglaries {place} is worrying, we have fitted extra locks",
    ),
    "parking": (
        "parking on the pavements and grass verges {place}",
        "cars parked on double yellow lines {place} so buses can't get through",
        "inconsiderate parking {place} {time}, you can't get a pushchair past",
        "people parking across driveways {place}",
        "not enough parking spaces so everyone parks on the verges {place}",
        "commuters park all day {place} and block the road",
    ),
    "road_safety": (
        "speeding on the grid roads {time}",
        "cars racing {place} {time}",
        "drivers using mobile phones while driving",
        "dangerous driving and speeding through the villages",
        "boy racers on the roundabouts {time}",
        "people speeding past the school during the school run",
        "bad driving {place}, near misses at the junction every week",
        "nobody enforces the speed limit {place}",
    ),
    "anti_social_behaviour": (
        "anti-social behaviour {place} {time}",
        "groups of youths hanging around {place} and intimidating people",
        "off road bikes on the redways {time}",
        "rowdy behaviour outside the takeaway {place}",
        "nuisance neighbours with loud music {time}",
        "young people causing trouble {place} and nothing is done",
        "mopeds on the redways {place}, it isn't safe to walk",
    ),
    "drugs_alcohol": (
        "drug dealing {place} {time}",
        "the smell of cannabis {place}",
        "street drinking {place}",
        "drunk people {place} {time}",
        "needles left {place}",
        "county lines dealing {place}, everyone knows where it happens",
    ),
    "litter_fly_tipping": (
        "fly tipping {place}",
        "litter and overflowing bins {place}",
        "dog fouling on the paths {place}",
        "rubbish dumped {place} for weeks",
    ),
    "street_lighting": (
        "street lights turned off {place} {time}",
        "poorly lit underpasses {place}",
        "the redways are very dark {time}",
    ),
    "police_visibility": (
        "we never see police {place}",
        "more police patrols {place} {time} please",
        "it takes ages to get through on 101",
        "a police station that is actually open would help",
        "PCSOs used to walk round {place} but not any more",
    ),
    "violence": (
        "knife crime {place}",
        "fights outside the pubs {place} {time}",
        "an assault {place} has made people nervous",
    ),
    "vandalism": (
        "vandalism and graffiti {place}",
        "bus shelters smashed {place}",
        "cars keyed {place} {time}",
    ),
    "cyber_crime": (
        "scam calls to elderly relatives",
        "online fraud, my mother lost money to scammers",
        "doorstep scams and rogue traders {place}",
    ),
    "vehicle_crime": (
        "catalytic converters stolen {place}",
        "cars broken into {place} {time}",
        "car theft {place}, two stolen from our road",
    ),
    "noise": (
        "noise from modified exhausts {time}",
        "fireworks {time} frightening the dogs",
    ),
}
CONCERNS_WEIGHTS = {
    "burglary": 30,
    "parking": 20,
    "anti_social_behaviour": 19,
    "road_safety": 15,
    "drugs_alcohol": 11,
    "litter_fly_tipping": 7,
    "police_visibility": 9,
    "street_lighting": 4,
    "violence": 5,
    "vandalism": 5,
    "cyber_crime": 5,
    "vehicle_crime": 6,
    "noise": 3,
}
CLOSING_WEIGHTS = {
    "road_safety": 30,
    "parking": 20,
    "police_visibility": 12,
    "anti_social_behaviour": 8,
    "burglary": 6,
    "drugs_alcohol": 5,
    "litter_fly_tipping": 5,
    "street_lighting": 4,
}
CLOSERS = (
    "",
    "",
    "",
    " Something needs to be done.",
    " It has got worse over the last year.",
    " Thank you for asking.",
    " It makes me reluctant to go out.",
    " Please look into it.",
    " We have reported it but heard nothing back.",
    " It is a real worry for older residents.",
)
NOTHING = (
    "Nothing really, it is a safe place to live.",
    "No major concerns.",
    "None at the moment.",
    "Not much, we are lucky where we live.",
    "Keep up the good work.",
)
SENTENCE_LIMIT = 3000
PERSONAL = (  # a few answers carry details that redaction must remove from quoted text
    " You can call me on 07700 900{n:03d}.",
    " I live near MK6 3{l}B if you want to check.",
    " Email me at resident{n}@example.com.",
)


class TextMaker:
    """Makes free-text answers; remembers what it has said so answers do not repeat."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.said: set[str] = set()
        self.sentences: set[str] = set()

    def answer(self, kind: str) -> str:
        """A new answer for a concerns or closing question."""
        # fresh sentences while the fragments allow it (a few thousand answers); distinct answers always
        patience = 40 if len(self.said) < SENTENCE_LIMIT else 0
        for attempt in range(60):
            text = self._compose(kind)
            fresh = attempt >= patience or all(s not in self.sentences for s in self._sentences(text))
            if text not in self.said and fresh:
                self.said.add(text)
                self.sentences.update(self._sentences(text))
                return text
        text = f"{self._compose(kind)} ({len(self.said) + 1})"  # huge samples: keep answers distinct
        self.said.add(text)
        return text

    def _compose(self, kind: str) -> str:
        rng = self.rng
        if kind == "closing" and rng.random() < 0.08 or kind == "concerns" and rng.random() < 0.04:
            return rng.choice(NOTHING)
        weights = CONCERNS_WEIGHTS if kind == "concerns" else CLOSING_WEIGHTS
        count = rng.choices((1, 2, 3), (55, 35, 10))[0]
        topics: list[str] = []
        while len(topics) < count:
            topic = rng.choices(list(weights), list(weights.values()))[0]
            if topic not in topics:
                topics.append(topic)
        parts = [self._fill(rng.choice(TOPICS[t])) for t in topics]
        if len(parts) == 1 or rng.random() < 0.5:
            body = rng.choice(OPENERS) + self._join(parts)
            text = body[0].upper() + body[1:] + "." + rng.choice(CLOSERS)
        else:
            text = " ".join(p[0].upper() + p[1:] + "." for p in parts) + rng.choice(CLOSERS)
        if rng.random() < 0.02:
            text += rng.choice(PERSONAL).format(n=rng.randrange(1000), l=rng.randrange(10))
        return text

    def _fill(self, template: str) -> str:
        when = self.rng.choice(TIMES) if self.rng.random() < 0.4 else ""
        return " ".join(template.format(place=self.rng.choice(PLACES), time=when).split())

    def _join(self, parts: list[str]) -> str:
        if len(parts) == 1:
            return parts[0]
        glue = self.rng.choice((", and ", "; also ", " and ", ", as well as "))
        return ", ".join(parts[:-1]) + glue + parts[-1]

    @staticmethod
    def _sentences(text: str) -> list[str]:
        return [s.strip() for s in text.split(".") if s.strip()]
