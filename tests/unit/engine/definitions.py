"""A small questionnaire exercising every question type, branching and a demographic mapping."""

from __future__ import annotations

from typing import Any

MINI: dict[str, Any] = {
    "id": "mini",
    "version": "1.0.0",
    "language": "en",
    "languages": ["en", "cy"],
    "title": {"en": "Community safety survey", "cy": "Arolwg diogelwch cymunedol"},
    "owner": {"name": "Test Partnership", "email": "safety@example.gov.uk"},
    "opens": "2016-05-03",
    "closes": "2016-07-26",
    "demographics": [
        {
            "dimension": "age_adult16plus",
            "question": "age",
            "ranges": [
                {"min": 16, "max": 64, "category": None},  # no census band spans 16-64
                {"min": 65, "max": None, "category": "65+"},
            ],
        },
        {
            "dimension": "sex_age16to74",
            "question": "sex",
            "map": {"female": "Female", "male": "Male", "prefer_not": None},
        },
    ],
    "sections": [
        {
            "id": "safety",
            "title": {"en": "Feeling safe", "cy": "Teimlo'n ddiogel"},
            "intro": {"en": "Questions about feeling safe.", "cy": "Cwestiynau am deimlo'n ddiogel."},
            "questions": [
                {
                    "id": "safe_day",
                    "type": "single",
                    "text": {"en": "How safe do you feel during the day?", "cy": "Pa mor ddiogel ydych chi?"},
                    "options": [
                        {"code": "very", "label": {"en": "Very safe", "cy": "Diogel iawn"}},
                        {"code": "fairly", "label": {"en": "Fairly safe", "cy": "Eithaf diogel"}},
                        {"code": "unsafe", "label": {"en": "Unsafe", "cy": "Anniogel"}},
                        {
                            "code": "dont_know",
                            "label": {"en": "Don't know", "cy": "Ddim yn gwybod"},
                            "kind": "dont_know",
                        },
                    ],
                },
                {
                    "id": "why_unsafe",
                    "type": "text",
                    "required": False,
                    "max_length": 20,
                    "text": {"en": "Why do you feel unsafe?", "cy": "Pam?"},
                    "show_if": {"q": "safe_day", "op": "equals", "value": "unsafe"},
                },
                {
                    "id": "concern",
                    "type": "rating",
                    "text": {"en": "How concerned are you about the following?", "cy": "Pa mor bryderus?"},
                    "items": [
                        {"id": "burglary", "text": {"en": "Burglary", "cy": "Byrgleriaeth"}},
                        {"id": "cyber", "text": {"en": "Cyber crime", "cy": "Seiberdroseddu"}},
                    ],
                    "scale": [
                        {"code": "very", "label": {"en": "Very concerned", "cy": "Pryderus iawn"}},
                        {"code": "not", "label": {"en": "Not concerned", "cy": "Ddim yn bryderus"}},
                    ],
                },
            ],
        },
        {
            "id": "victim",
            "title": {"en": "Crime", "cy": "Trosedd"},
            "sensitive": True,
            "questions": [
                {
                    "id": "victim_any",
                    "type": "single",
                    "text": {
                        "en": "Have you been a victim of crime?",
                        "cy": "Ydych chi wedi dioddef trosedd?",
                    },
                    "options": [
                        {"code": "yes", "label": {"en": "Yes", "cy": "Ydw"}},
                        {"code": "no", "label": {"en": "No", "cy": "Nac ydw"}},
                        {
                            "code": "prefer_not",
                            "label": {"en": "Prefer not to say", "cy": "Gwell gennyf"},
                            "kind": "prefer_not_to_say",
                        },
                    ],
                },
                {
                    "id": "support_info",
                    "type": "info",
                    "style": "interruption",
                    "text": {"en": "Support is available", "cy": "Mae cymorth ar gael"},
                    "body": {"en": "You can get help.", "cy": "Gallwch gael help."},
                    "show_if": {"q": "victim_any", "op": "equals", "value": "yes"},
                },
                {
                    "id": "crimes",
                    "type": "multiple",
                    "text": {"en": "Which crimes?", "cy": "Pa droseddau?"},
                    "show_if": {"q": "victim_any", "op": "equals", "value": "yes"},
                    "options": [
                        {"code": "burglary", "label": {"en": "Burglary", "cy": "Byrgleriaeth"}},
                        {"code": "theft", "label": {"en": "Theft", "cy": "Lladrad"}},
                        {"code": "none", "label": {"en": "None of these", "cy": "Dim un"}, "kind": "none"},
                    ],
                },
                {
                    "id": "reported",
                    "type": "single",
                    "required": False,
                    "text": {"en": "Did you report the burglary?", "cy": "A wnaethoch chi adrodd?"},
                    "show_if": {
                        "all": [
                            {"q": "victim_any", "op": "equals", "value": "yes"},
                            {"q": "crimes", "op": "contains", "value": "burglary"},
                        ]
                    },
                    "options": [
                        {"code": "yes", "label": {"en": "Yes", "cy": "Do"}},
                        {"code": "no", "label": {"en": "No", "cy": "Naddo"}},
                    ],
                },
            ],
        },
        {
            "id": "about_you",
            "title": {"en": "About you", "cy": "Amdanoch chi"},
            "questions": [
                {
                    "id": "age",
                    "type": "number",
                    "min": 16,
                    "max": 120,
                    "text": {"en": "How old are you?", "cy": "Faint yw eich oed?"},
                },
                {
                    "id": "sex",
                    "type": "single",
                    "text": {"en": "What is your sex?", "cy": "Beth yw eich rhyw?"},
                    "options": [
                        {"code": "female", "label": {"en": "Female", "cy": "Benyw"}},
                        {"code": "male", "label": {"en": "Male", "cy": "Gwryw"}},
                        {
                            "code": "prefer_not",
                            "label": {"en": "Prefer not to say", "cy": "Gwell gennyf"},
                            "kind": "prefer_not_to_say",
                        },
                    ],
                },
                {
                    "id": "older_help",
                    "type": "single",
                    "required": False,
                    "text": {
                        "en": "Would you like information about help for older people?",
                        "cy": "Hoffech chi?",
                    },
                    "show_if": {"q": "age", "op": "gte", "value": 65},
                    "options": [
                        {"code": "yes", "label": {"en": "Yes", "cy": "Hoffwn"}},
                        {"code": "no", "label": {"en": "No", "cy": "Na hoffwn"}},
                    ],
                },
            ],
        },
    ],
}
