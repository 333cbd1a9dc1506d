"""The class every course test grades: eight learners per assignment, each a way to fail.

Every learner's notebook is the release copy (what ``nbgrader fetch`` gives a
learner) with some answer cells filled in. The partly right answers are mistakes
learners make; their expected scores are worked out by hand, cell by cell, in the
comments of :data:`PARTIAL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ASSIGNMENTS = ("ps1", "ps2", "ps3", "ps4", "ps5")
#: Autograded points per assignment (the sum of the test cells' points).
MAX_AUTOGRADED = {"ps1": 13.0, "ps2": 13.0, "ps3": 14.0, "ps4": 13.0, "ps5": 13.0}
REFLECTION_POINTS = 4.0
KINDS = ("full", "blank", "partial", "loop", "crash", "deleter", "snooper", "badjson")
TIMEOUT = 10  # seconds per cell while grading in the tests


@dataclass(frozen=True)
class Partial:
    """Wrong answers for some cells, and the autograded score worked out by hand."""

    answers: dict[str, str]
    expected: float


PARTIAL: dict[str, Partial] = {
    # ps1 (13): q1 in days: the shape cell passes (1), the values cell fails on hours.iloc[0]
    # (0 of 2); q2 right (2); q3 counts open requests: compliance(small, 2) is 1/3, not 0.5,
    # and the data cell fails too (0 of 4); q4 sorted the wrong way: the table cell passes
    # (1), "DOE" fails the hidden test (0 of 2); q5 a fraction: the visible bound passes but
    # the hidden value fails, one cell (0 of 1).  1 + 0 + 2 + 0 + 0 + 1 + 0 + 0 = 4.
    "ps1": Partial(
        {
            "q1-hours": 'hours = (requests["closed"] - requests["opened"]) / pd.Timedelta(days=1)',
            "q3-compliance": (
                "def compliance(frame, target_hours):\n"
                '    took = (frame["closed"] - frame["opened"]) / pd.Timedelta(hours=1)\n'
                "    return float((took <= target_hours).sum() / len(frame))"
            ),
            "q4-worst": (
                'by_agency = sla_compliance(requests, 72, by="agency")\n'
                "worst_agency = by_agency.sort_values('compliance', ascending=False)"
                '["agency"].iloc[0]'
            ),
            "q5-open": 'open_share = requests["closed"].isna().mean()',
        },
        4.0,
    ),
    # ps2 (13): q1 right (2); q2 counts 2 May as before: the shape cell still passes (1),
    # the hidden means fail (0 of 2); q3 right (2 + 1): its interval still holds the
    # slightly different change (0.1497 -> 0.1489 lies in [0.064, 0.235]); q4 weeks start on
    # Sunday: the Monday check fails (0 of 1) and the hidden ITS cell fails (0 of 2); q5 runs
    # the placebo on every day, not only those before the pilot: the hidden value fails (0 of
    # 2).  2 + 1 + 0 + 2 + 1 + 0 + 0 + 0 = 6.
    "ps2": Partial(
        {
            "q2-means": (
                'before_mean = float(potholes.loc[potholes["date"] <= PILOT, "value"].mean())\n'
                'after_mean = float(potholes.loc[potholes["date"] > PILOT, "value"].mean())\n'
                "change = after_mean - before_mean"
            ),
            "q4-its": (
                'weekly = (potholes.assign(week=potholes["date"].dt.to_period("W-SAT")'
                ".dt.start_time)\n"
                '    .groupby("week", as_index=False)["value"].mean()'
                '.rename(columns={"value": "on_time"}))\n'
                'its = interrupted_time_series(weekly, time="week", outcome="on_time", '
                "intervention=PILOT)\n"
                "jump = its.estimate"
            ),
            "q5-placebo": (
                'placebo = before_after(potholes, outcome="value", time="date", '
                'intervention=pd.Timestamp("2016-04-04"))\n'
                "placebo_change = placebo.estimate"
            ),
        },
        6.0,
    ),
    # ps3 (14): q1 right (1 + 2); q2 right (1 + 2); q3 takes the shift from the phone but
    # adds nothing online: the blended cost still falls, so the visible check passes, but the
    # hidden values fail, one cell (0 of 3); q4 uses that wrong saving: the flows cell passes
    # (1), the hidden NPV fails (0 of 2); q5 right (2).  3 + 3 + 0 + 1 + 0 + 2 = 9.
    "ps3": Partial(
        {
            "q3-saving": (
                "mix_after = mix.copy()\n"
                'mix_after["PHONE"] -= SHIFT\n'
                "cost_after = float((mix_after * unit_cost).sum())\n"
                "yearly_saving = (cost_now - cost_after) * REQUESTS_A_YEAR"
            ),
        },
        9.0,
    ),
    # ps4 (13): q1 counts trips as routes: the whole-number check passes, the hidden counts
    # fail (0 of 2); q2 averages the gaps over the whole day: the bound passes, the hidden
    # value fails (0 of 3); q3 right (1 + 2); q4 right (2); q5 with 800 m: the area is still
    # between 10 and 500 km2 (1), and the stop counts do not depend on the radius (2).
    # 0 + 0 + 3 + 2 + 3 = 8.
    "ps4": Partial(
        {
            "q1-size": "route_count = len(feed.trips)\nstop_count = len(feed.stops)",
            "q2-headway": (
                "running = feed.get_trips(DAY)\n"
                'mine = running[(running["route_id"] == "110-423") & '
                '(running["direction_id"] == 0)]\n'
                'first = feed.stop_times.groupby("trip_id")["departure_time"].min()\n'
                'starts = sorted(minutes(first[trip]) for trip in mine["trip_id"])\n'
                "headway_110 = float(np.diff(starts).mean())"
            ),
            "q5-coverage": (
                "coverage = stop_coverage(feed, radius_m=800, date=DAY)\n"
                "area_km2 = coverage.area_km2\n"
                'hub_stops = int((coverage.stops["routes"] >= 3).sum())\n'
                'single_route_share = float((coverage.stops["routes"] == 1).mean())'
            ),
        },
        8.0,
    ),
    # ps5 (13): q1 right (2); q2 a fraction, not a percentage: the scored cell (1) and the
    # 0-100 bound pass, the hidden value fails (0 of 2); q3 right (3); q4 matches only
    # lower-case "traffic": the visible bound passes, the hidden share fails (0 of 2); q5
    # right (1 + 2).  2 + 1 + 0 + 3 + 0 + 3 = 9.
    "ps5": Partial(
        {
            "q2-sentiment": (
                "scored = sentiment(comments)\n"
                'negative_pct = float((scored["label"] == "negative").mean())'
            ),
            "q4-traffic": (
                'traffic_share = float(comments["text"].str.contains(r"\\btraffic\\b").mean())'
            ),
        },
        9.0,
    ),
}

#: The answer cell that never ends, and the autograded score that leaves. ps1 loops busily,
#: the others wait forever (both must be interrupted at the time limit).
LOOP = {
    "ps1": ("q1-hours", 10.0),  # the 3 points of question 1 lost
    "ps2": ("q5-placebo", 11.0),  # the 2 points of question 5
    "ps3": ("q5-split", 12.0),  # 2
    "ps4": ("q5-coverage", 10.0),  # 3
    "ps5": ("q5-topics", 10.0),  # 3
}
#: The answer cell whose code kills the kernel.
CRASH = {"ps1": "q2-median", "ps2": "q2-means", "ps3": "q2-cost", "ps4": "q2-headway",
         "ps5": "q2-sentiment"}  # fmt: skip

INFINITE_LOOP = "while True:\n    pass"  # busy: burns a core until interrupted
WAIT_FOREVER = (
    "import time\nwhile True:\n    time.sleep(1)"  # blocked, as on input that never comes
)
KILL_KERNEL = "import os\nos._exit(1)"
DELETE_EVERYTHING = """\
import os, shutil
for _name in os.listdir("."):
    _path = os.path.join(".", _name)
    if os.path.isdir(_path) and not os.path.islink(_path):
        shutil.rmtree(_path)
    else:
        os.remove(_path)
print("DELETED, left:", os.listdir("."))
"""
# A learner's code looking for the hidden tests where nbgrader's own layout puts them: in
# the working folder, in each folder above it, at the course root three levels up, in the
# environment and in the parent process's folder.
SNOOP = """\
import os, pathlib
_found = []
def _look(path):
    try:
        if os.path.isfile(path) and b"HIDDEN TESTS" in open(path, "rb").read():
            _found.append(str(path))
    except OSError:
        pass
_here = pathlib.Path.cwd()
for _file in _here.rglob("*"):
    _look(_file)
for _folder in _here.parents:
    try:
        _names = os.listdir(_folder)
    except OSError:
        continue
    for _name in _names:
        _look(os.path.join(_folder, _name))
for _rel in ("../../../gradebook.db", "../../gradebook.db", "../../../source"):
    _look(_rel)
    if os.path.isdir(_rel):
        for _root, _dirs, _files in os.walk(_rel):
            for _f in _files:
                _look(os.path.join(_root, _f))
for _value in os.environ.values():
    if os.path.isdir(_value):
        _look(os.path.join(_value, "gradebook.db"))
try:
    _parent = os.readlink(f"/proc/{os.getppid()}/cwd")
    for _name in os.listdir(_parent):
        _look(os.path.join(_parent, _name))
except OSError:
    pass
print("FOUND:", len(_found), _found[:3])
"""
# ...and printing every cell the kernel ran before (the hidden tests of earlier questions).
PRINT_HISTORY = '\nprint("HISTORY:", "\\n".join(In))\n'


def answer_ids(release: dict[str, Any]) -> list[str]:
    """The answer cells of a release notebook, in order (written answers last)."""
    cells = [
        c for c in release["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    ]
    code = [c for c in cells if c["cell_type"] == "code"]
    return [c["metadata"]["nbgrader"]["grade_id"] for c in code]


def learners(assignment: str, release: dict[str, Any], answers: dict[str, str]) -> dict[str, Any]:
    """``{learner: notebook}``: one learner per kind of :data:`KINDS` (the same learners for
    every assignment, named by their kind)."""
    from govlab.course.submissions import fill

    codes = answer_ids(release)
    full = {**answers}
    loop_cell, _ = LOOP[assignment]
    deleter = {**full, codes[0]: DELETE_EVERYTHING + full[codes[0]]}
    snooper = {**full, codes[1]: SNOOP + full[codes[1]], codes[-1]: full[codes[-1]] + PRINT_HISTORY}
    return {
        "full": fill(release, full),
        "blank": release,
        "partial": fill(release, {**full, **PARTIAL[assignment].answers}),
        "loop": fill(
            release, {**full, loop_cell: INFINITE_LOOP if assignment == "ps1" else WAIT_FOREVER}
        ),
        "crash": fill(release, {**full, CRASH[assignment]: KILL_KERNEL}),
        "deleter": fill(release, deleter),
        "snooper": fill(release, snooper),
        "badjson": '{"cells": [{"cell_type": "code", "source": "print(1)"',
    }
