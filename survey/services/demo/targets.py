"""Answer shares the demo generator aims at: the SaferMK 2016 interim sample, question by question.

Shares are of the respondents who are shown (and answer) each question, the same base the report uses.
Figures marked "2016" are the published interim figures; the rest are plausible fillers.
"""

from __future__ import annotations

from typing import Any

SAFERMK_2016: dict[str, Any] = {
    "respondent_type": {"resident": 94, "business": 5, "visitor": 1},  # 2016
    "ward": {  # roughly even across the 19 wards, a little more from the older, owner-occupied ones
        "bletchley_east": 5,
        "bletchley_park": 5,
        "bletchley_west": 5,
        "bradwell": 5,
        "broughton": 5,
        "campbell_park_old_woughton": 5,
        "central_milton_keynes": 4,
        "danesborough_walton": 6,
        "loughton_shenley": 5,
        "monkston": 5,
        "newport_pagnell_north_hanslope": 6,
        "newport_pagnell_south": 5,
        "olney": 7,
        "shenley_brook_end": 5,
        "stantonbury": 5,
        "stony_stratford": 6,
        "tattenhoe": 5,
        "wolverton": 5,
        "woughton_fishermead": 4,
        "not_in_mk": 1.5,
        "dont_know": 1.5,
    },
    "tenure": {  # 2016: 78% home owners
        "owned_outright": 37,
        "owned_mortgage": 37,
        "shared_ownership": 4,
        "rent_council": 6,
        "rent_housing_association": 6,
        "rent_private": 7,
        "rent_other": 1,
        "rent_free": 1,
        "dont_know": 0.5,
        "prefer_not_to_say": 0.5,
    },
    "sex": {"male": 46.5, "female": 52, "prefer_not_to_say": 1.5},  # 2016: 47% / 53%
    "age": {  # 2016: 80% aged 41-80; (low, high, share); the rest skip the optional question
        "bands": [
            (16, 20, 1),
            (21, 30, 6),
            (31, 40, 11),
            (41, 50, 20),
            (51, 60, 24),
            (61, 70, 23),
            (71, 80, 13),
            (81, 95, 2),
        ],
        "skip": 2,
    },
    "ethnic_group": {"white": 86, "asian": 6, "black": 3, "mixed": 2, "other": 1, "prefer_not_to_say": 2},
    "disability": {"limited_a_lot": 8, "limited_a_little": 14, "not_limited": 74, "prefer_not_to_say": 4},
    "concern": {
        "burglary": {
            "very_concerned": 21,
            "fairly_concerned": 48,
            "not_very_concerned": 23,  # 2016
            "not_at_all_concerned": 5,
            "dont_know": 3,
        },
        "cyber_crime": {
            "very_concerned": 15.43,
            "fairly_concerned": 43,
            "not_very_concerned": 28,  # 2016
            "not_at_all_concerned": 9,
            "dont_know": 4.57,
        },
        "violent_crime": {
            "very_concerned": 18,
            "fairly_concerned": 37,
            "not_very_concerned": 33,
            "not_at_all_concerned": 9,
            "dont_know": 3,
        },
        "vehicle_crime": {
            "very_concerned": 17,
            "fairly_concerned": 44,
            "not_very_concerned": 29,
            "not_at_all_concerned": 7,
            "dont_know": 3,
        },
        "anti_social_behaviour": {
            "very_concerned": 24,
            "fairly_concerned": 41,
            "not_very_concerned": 27,
            "not_at_all_concerned": 6,
            "dont_know": 2,
        },
        "dangerous_driving": {
            "very_concerned": 31,
            "fairly_concerned": 40,
            "not_very_concerned": 22,
            "not_at_all_concerned": 5,
            "dont_know": 2,
        },
    },
    "feel_safe": {
        "daytime": {
            "very_safe": 39,
            "fairly_safe": 45,
            "neither": 8,
            "fairly_unsafe": 5,  # 2016: 84%
            "very_unsafe": 2,
            "dont_know": 1,
        },
        "after_dark": {
            "very_safe": 11,
            "fairly_safe": 37,
            "neither": 18,
            "fairly_unsafe": 22,
            "very_unsafe": 10,
            "dont_know": 2,
        },
    },
    "agencies_dealing": {
        "strongly_agree": 5,
        "tend_to_agree": 31,
        "neither": 27,
        "tend_to_disagree": 18,
        "strongly_disagree": 11,
        "dont_know": 8,
    },
    "victim_any": {"yes": 19, "no": 77, "dont_know": 2.5, "prefer_not_to_say": 1.5},  # 2016: 77% not
    "victim_types": {
        "exclusive": {"prefer_not_to_say": 4},
        "include": {
            "burglary": 22,
            "vehicle": 30,
            "theft_other": 20,
            "criminal_damage": 24,
            "violence": 8,
            "fraud_online": 27,
            "hate_crime": 4,
            "sexual": 2,
            "other": 9,
        },
    },
    "reported": {"yes_all": 48, "yes_some": 17, "no": 32, "dont_know": 3},
    "business_crime": {"yes": 40, "no": 55, "dont_know": 5},
    "business_crime_types": {
        "exclusive": {},
        "include": {
            "shoplifting": 35,
            "burglary": 30,
            "criminal_damage": 35,
            "violence_abuse": 15,
            "fraud_cyber": 30,
            "anti_social_behaviour": 40,
            "other": 8,
        },
    },
    "da_ever": {"yes": 17, "no": 78, "prefer_not_to_say": 5},  # 2016: 17%
    "da_recent": {"yes": 18, "no": 74, "prefer_not_to_say": 8, "_skip": 4},
    "da_support": {
        "exclusive": {"no_one": 30, "prefer_not_to_say": 10},
        "include": {
            "police": 22,
            "da_service": 18,
            "professional": 20,
            "family_friends": 38,
            "someone_else": 6,
        },
        "_skip": 6,
    },
    "substances": {
        "exclusive": {"none": 4, "dont_know": 4},  # 2016: alcohol 82%, cannabis 51%
        "include": {
            "alcohol": 82,
            "cannabis": 51,
            "cocaine": 30,
            "heroin": 17,
            "legal_highs": 26,
            "medicines": 10,
            "other_drugs": 7,
        },
    },
    "fire_plan_home": {"yes": 58, "no": 38, "dont_know": 4},  # 2016: 38% no plan
    "smoke_alarms": {"every_level": 86, "some_levels": 9, "none": 3, "dont_know": 2},  # 2016: 12% not all
    "fire_plan_business": {"yes": 80, "no": 12, "dont_know": 8},
    "concerns_text": {"_answer": 62, "kind": "concerns"},
    "closing_text": {"_answer": 31, "kind": "closing"},
}

# Partners that brought people in: (channel, who it reaches, probability that such a respondent came by it).
CHANNELS: tuple[tuple[str, str, float], ...] = (
    ("housing-trust-a", "social_renter", 0.55),
    ("p3-outreach", "young_or_private_renter", 0.35),
    ("business-forum", "business", 0.45),
    ("safermk-facebook", "anyone", 0.07),
    ("parish-newsletter", "older", 0.08),
)

# How each demo channel is described when demo-data creates it: code -> (partner name, medium, label).
CHANNEL_DETAILS: dict[str, tuple[str, str, str]] = {
    "housing-trust-a": ("Housing trust A", "poster", "Posters in blocks and offices"),
    "p3-outreach": ("P3", "outreach", "Outreach with young people"),
    "business-forum": ("MK business forum", "email", "Members' email"),
    "safermk-facebook": ("SaferMK Partnership", "social", "Facebook page"),
    "parish-newsletter": ("Parish councils", "newsletter", "Parish newsletters"),
}

TARGETS: dict[str, dict[str, Any]] = {"safermk-2016": SAFERMK_2016}
