"""Synthetic citizen feedback assembled from phrase templates.

Everything here is SYNTHETIC: sentences stitched from the phrases below, not
what anyone wrote. Frames carry ``attrs["synthetic"] = True`` and ids ``SYN-F...``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from govlab.datasets.feedback import FEEDBACK_COLUMNS
from govlab.errors import InvalidInput

TOPICS: dict[str, str] = {  # topic -> service that handles it
    "potholes": "Streets",
    "buses": "Transit",
    "parks": "Parks",
    "permits": "Permits",
    "311 app": "311",
    "trash": "Sanitation",
}
SENTIMENTS: tuple[str, ...] = ("positive", "neutral", "negative")

_PHRASES: dict[str, dict[str, tuple[str, ...]]] = {
    "potholes": {
        "positive": (
            "the pothole crew fixed the road quickly",
            "the street repair was smooth and fast",
        ),
        "neutral": ("I reported a pothole last week", "there is a pothole by the crossing"),
        "negative": (
            "the potholes are terrible and damaged my tyre",
            "the road is full of dangerous potholes",
        ),
    },
    "buses": {
        "positive": (
            "the new bus route is great and always on time",
            "the bus drivers are friendly and helpful",
        ),
        "neutral": ("I take the bus to work", "the bus timetable changed this month"),
        "negative": (
            "the bus was late again and I missed work",
            "buses are crowded and unreliable",
        ),
    },
    "parks": {
        "positive": ("the park looks beautiful and clean", "I love the new playground in the park"),
        "neutral": (
            "I walk in the park on weekends",
            "the park opening hours are posted at the gate",
        ),
        "negative": (
            "the park is dirty and the benches are broken",
            "the park lights are broken and it feels unsafe",
        ),
    },
    "permits": {
        "positive": (
            "getting my building permit was easy and fast",
            "the permit office staff were very helpful",
        ),
        "neutral": ("I applied for a permit in March", "the permit form asks for a site plan"),
        "negative": (
            "the permit process is slow and confusing",
            "my permit has been stuck for months, awful",
        ),
    },
    "311 app": {
        "positive": (
            "the 311 app is easy to use and I love the photo upload",
            "the 311 app told me when my request was fixed, excellent",
        ),
        "neutral": ("I used the 311 app to report it", "the 311 app asks for an address"),
        "negative": (
            "the 311 app keeps crashing, useless",
            "the 311 app closed my request without fixing anything",
        ),
    },
    "trash": {
        "positive": ("trash pickup is reliable, thank you", "the recycling collection works well"),
        "neutral": ("trash pickup is on Tuesdays", "I put the recycling out the night before"),
        "negative": (
            "trash was not collected again, disgusting",
            "missed trash pickups are ruining our street",
        ),
    },
}
_OPENERS = {
    "positive": ("Thank you!", "Great job.", "Happy to say", ""),
    "neutral": ("Just a note:", "For your information,", ""),
    "negative": ("Very disappointed.", "This is unacceptable.", "Frustrated:", ""),
}
_PLACES = ("On Main Street", "Near the library", "By the school", "Downtown", "Where I live", "")
_CHANNELS = ("web", "app", "email", "phone", "survey")
_SHARES = {"positive": 0.30, "neutral": 0.25, "negative": 0.45}


def generate_feedback(
    n: int, *, seed: int = 0, start: str = "2023-01-01", days: int = 365, districts: int = 10
) -> pd.DataFrame:
    """Make SYNTHETIC feedback comments with a known sentiment and topic.

    About 45 % negative, 30 % positive and 25 % neutral; ratings follow the
    sentiment (negative 1-2, neutral 3, positive 4-5). The 311 app's comments
    get less negative through the period (an improvement a trend analysis can find).

    Parameters
    ----------
    n
        Number of comments.
    seed
        Same seed, same comments.
    start, days
        Period the comment dates fall in.
    districts
        Number of districts (``District 01`` ...).

    Returns
    -------
    pandas.DataFrame
        :data:`~govlab.datasets.FEEDBACK_COLUMNS` (``id`` ``SYN-F000001`` ...,
        ``date`` datetime64[ns], ``text``, ``service``, ``channel``,
        ``district``, ``rating`` float), then the true ``sentiment`` and
        ``topic``; sorted by date; ``attrs["synthetic"]`` is True.
    """
    if n < 1 or days < 1 or districts < 1:
        raise InvalidInput("n, days and districts must be at least 1")
    rng = np.random.default_rng([seed, 0xFEED])
    fraction = np.sort(rng.random(n))
    topic_names = list(TOPICS)
    topic = rng.choice(topic_names, size=n)
    sentiment = _sentiments(topic, fraction, rng)
    texts = [_sentence(t, s, rng) for t, s in zip(topic, sentiment, strict=True)]
    rating = np.select(
        [sentiment == "negative", sentiment == "neutral"],
        [rng.integers(1, 3, n), np.full(n, 3)],
        default=rng.integers(4, 6, n),
    )
    origin = pd.Timestamp(start)
    out = pd.DataFrame(
        {
            "id": [f"SYN-F{i:06d}" for i in range(1, n + 1)],
            "date": (origin + pd.to_timedelta(np.floor(fraction * days), unit="D")).astype(
                "datetime64[ns]"
            ),
            "text": texts,
            "service": [TOPICS[t] for t in topic],
            "channel": rng.choice(_CHANNELS, size=n),
            "district": [f"District {d:02d}" for d in rng.integers(1, districts + 1, n)],
            "rating": rating.astype("float64"),
            "sentiment": sentiment,
            "topic": topic,
        }
    )
    for column in [*FEEDBACK_COLUMNS, "sentiment", "topic"]:
        if out[column].dtype == object:
            out[column] = out[column].astype("str")
    out.attrs["synthetic"] = True
    return out


def _sentiments(topic: np.ndarray, fraction: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    negative = np.full(topic.size, _SHARES["negative"])
    app = topic == "311 app"
    negative[app] = 0.70 - 0.50 * fraction[app]  # the app gets better over the period
    positive = (1 - negative) * _SHARES["positive"] / (_SHARES["positive"] + _SHARES["neutral"])
    u = rng.random(topic.size)
    return np.where(
        u < negative, "negative", np.where(u < negative + positive, "positive", "neutral")
    )


def _sentence(topic: str, sentiment: str, rng: np.random.Generator) -> str:
    opener = str(rng.choice(_OPENERS[sentiment]))
    body = str(rng.choice(_PHRASES[topic][sentiment]))
    place = str(rng.choice(_PLACES))
    body = f"{place}, {body}" if place else body[0].upper() + body[1:]
    return f"{opener} {body}." if opener else f"{body}."
