"""Simulated users of the load test: case officers (alone or in pairs on one assessment) and reviewers.

Every acknowledged write goes into the ledger with exactly what was sent, so the database can be compared with it
afterwards. Pairs deliberately save the same ground at the same moment (a barrier between loading the page and
posting it): exactly one of them must be acknowledged and the other must get the conflict page.
"""

import itertools
import random
import re
import threading
import time
from dataclasses import dataclass, field

from bench.load_client import Recorder, Response, Session

PASSWORD = "load-test password 4711"  # noqa: S105  (throwaway users of a throwaway database)
REVIEW_LINK = re.compile(r'href="/review/(\d+)"')
CREATED = re.compile(r"/assessments/(\d+)/screening")
BARRIER_SECONDS = 60.0


@dataclass(frozen=True)
class GroundSave:
    """One acknowledged ground save: the version the page was loaded at and the values sent."""

    assessment_id: int
    key: str
    seen_version: int
    values: dict
    officer: str


@dataclass
class Ledger:
    """What the app acknowledged, and how every provoked conflict ended (thread-safe)."""

    ground_saves: list[GroundSave] = field(default_factory=list)
    conclusions: dict[int, dict] = field(default_factory=dict)
    created: list[int] = field(default_factory=list)
    submitted: list[int] = field(default_factory=list)
    approvals: list[tuple[int, str]] = field(default_factory=list)
    conflicts_provoked: int = 0
    conflicts_reported: int = 0
    conflicts_unreported: int = 0  # both sides of a race were told "saved": one write silently overwritten
    conflicts_both_refused: int = 0
    conflicts_seen: int = 0  # every conflict page shown, provoked or not
    reviews_refused: int = 0  # a reviewer told that a colleague decided first
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, item) -> None:
        with self.lock:
            getattr(self, name).append(item)

    def count(self, name: str, by: int = 1) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + by)


@dataclass
class World:
    """What every simulated user shares: the app's ports, the recorder, the ledger and the stop signal."""

    ports: list[int]
    recorder: Recorder
    ledger: Ledger
    stop: threading.Event
    grounds: tuple[str, ...]
    faults: bool = False  # connections are being killed: carry on after a failed request instead of giving up
    ready: threading.Barrier | None = None  # everybody logged in: the clock starts
    tokens: itertools.count = field(default_factory=lambda: itertools.count(1))

    def token(self) -> int:
        return next(self.tokens)

    def logged_in(self, officer: "Officer") -> bool:
        """Log in, then wait until everybody has (so that the measured time is spent working, not queueing)."""
        success = officer.login()
        if self.ready is not None:
            try:
                self.ready.wait()
            except threading.BrokenBarrierError:
                return False
        return success


# A ground whose impact that remains after the actions the action plan asks for.
REMAINING_FIELD = re.compile(r'name="(remaining_[a-z_]+)"')


def ground_values(token: str, rng: random.Random) -> dict:
    """A complete answer to one ground whose texts carry ``token``, so every save changes something."""
    impact = rng.choice(("neutral", "positive", "negative"))
    values = {
        "relevant": "yes",
        "impact": impact,
        "affected_groups": f"Grupper som berörs, sparning {token}",
        "evidence": f"Underlag {token}",
        "confidence": rng.choice(("low", "medium", "high")),
        # The actions are planned in the action plan; a negative impact saved here carries why it is accepted.
        "acceptance_justification": f"Accepteras, sparning {token}" if impact == "negative" else "",
    }
    return values


class Officer:
    """A case officer working through the guided form over HTTP."""

    def __init__(self, email: str, world: World, seed: int):
        self.email = email
        self.world = world
        self.rng = random.Random(seed)
        self.session = Session(world.ports, world.recorder)

    def unexpected(self, what: str, response: Response) -> None:
        snippet = re.sub(r"\s+", " ", response.body[:200])
        self.world.ledger.add("unexpected", f"{self.email} {what}: {response.status} {response.location} {snippet}")

    def login(self) -> bool:
        for _attempt in range(10 if self.world.faults else 1):
            page = self.session.get("login page", "/login")
            if page.status == 302:
                return True  # already logged in
            response = self.session.post(
                "log in", "/login", {"email": self.email, "password": PASSWORD, "csrf_token": page.csrf()}
            )
            if response.status == 302 and "/login" not in response.location:
                return True
            self.unexpected("login", response)
        return False

    def _post_page(self, action: str, path: str, page: Response, data: dict, button: str = "continue") -> Response:
        form = {"csrf_token": page.csrf(), "action": button, **data}
        if page.lock_version() is not None:
            form["lock_version"] = page.lock_version()
        return self.session.post(action, path, form)

    @staticmethod
    def acknowledged(response: Response) -> bool:
        return response.status == 302 and "/login" not in response.location

    def create(self) -> int | None:
        page = self.session.get("open start page", "/assessments/new")
        token = self.world.token()
        data = {
            "title": f"Belastningsprov {token}",
            "case_number": f"2026-{token % 100000:05d}",
            "description": "Ändrade öppettider.",
            "purpose": "Minska kostnaderna.",
            "concerns": "Besökare.",
            "whole_municipality": "y",
        }
        committee = re.search(r'<option selected value="([^"]+)"', page.body)
        if committee:
            data["committee"] = committee.group(1)
        response = self._post_page("create assessment", "/assessments/new", page, data)
        match = CREATED.search(response.location)
        if not (self.acknowledged(response) and match):
            self.unexpected("create", response)
            return None
        assessment_id = int(match.group(1))
        self.world.ledger.add("created", assessment_id)
        path = f"/assessments/{assessment_id}/screening"
        page = self.session.get("open page", path)
        response = self._post_page("save screening", path, page, {"affects_people": "yes", "concerns_children": "no"})
        if not self.acknowledged(response):
            self.unexpected("screening", response)
            return None
        return assessment_id

    def open_ground(self, assessment_id: int, key: str) -> Response:
        return self.session.get("open page", f"/assessments/{assessment_id}/grounds/{key}")

    def post_ground(self, assessment_id: int, key: str, page: Response) -> str:
        """Post a fresh answer on a loaded ground page: "saved", "conflict", "closed" (no longer editable), "other"."""
        values = ground_values(f"{self.email}#{self.world.token()}", self.rng)
        data = dict(values)
        seen = page.lock_version()
        response = self._post_page("save ground", f"/assessments/{assessment_id}/grounds/{key}", page, data)
        if self.acknowledged(response):
            save = GroundSave(assessment_id, key, int(seen or 0), values, self.email)
            self.world.ledger.add("ground_saves", save)
            return "saved"
        if response.status == 200 and response.conflict:
            self.world.ledger.count("conflicts_seen")
            return "conflict"
        if response.status == 403:
            return "closed"
        self.unexpected(f"save ground {assessment_id}/{key}", response)
        return "other"

    def save_ground(self, assessment_id: int, key: str, attempts: int = 5) -> bool:
        """Load, post and, on a conflict, load again and keep one's own version (as the conflict page suggests)."""
        for _attempt in range(attempts):
            page = self.open_ground(assessment_id, key)
            if page.status != 200:
                self.unexpected(f"open ground {assessment_id}/{key}", page)
                return False
            outcome = self.post_ground(assessment_id, key, page)
            if outcome != "conflict":
                return outcome == "saved"
        return False

    def finish(self, assessment_id: int) -> bool:
        """Say who was heard, write the conclusion and submit."""
        path = f"/assessments/{assessment_id}/involvement"
        heard = {
            "consultations-0-group_name": "Pensionärsrådet",
            "consultations-0-method": "meeting",
            "consultations-0-held_on": "2026-10-01",
            "consultations-0-views": f"Synpunkter {self.world.token()}",
            "consultations-0-changes_made": "Inget ändrades: synpunkterna fanns redan med.",
            "national_minority": "no",
        }
        response = self._post_page("save involvement", path, self.session.get("open page", path), heard)
        if not self.acknowledged(response):
            self.unexpected(f"involvement {assessment_id}", response)
            return False
        if not self.save_action_plan(assessment_id):
            return False
        path = f"/assessments/{assessment_id}/conclusion"
        values = {
            "overall_assessment": f"Samlad bedömning {self.world.token()}",
            "combined_effects": "Samma grupper berörs av flera grunder.",
            "recommendation": "Genomför förslaget med åtgärderna.",
            "follow_up_date": "2027-12-01",
            "analysis_outcome": "no_major_change",
            "alternatives-0-description": "Göra ingenting: behålla det som det är.",
            "alternatives-0-effects": "Ingen grupp får det bättre eller sämre.",
            "alternatives-0-why_not_chosen": "Förslaget når syftet; att göra ingenting gör det inte.",
        }
        page = self.session.get("open page", path)
        response = self._post_page("save conclusion", path, page, values)
        if not self.acknowledged(response):
            self.unexpected(f"conclusion {assessment_id}", response)
            return False
        with self.world.ledger.lock:
            self.world.ledger.conclusions[assessment_id] = values
        return self.submit(assessment_id)

    def save_action_plan(self, assessment_id: int, attempts: int = 3) -> bool:
        """The negative grounds carry why they are accepted, so their impact remains as it is. A partner may save a
        ground as negative between loading the page and posting it: the page then comes back asking for that
        ground's remaining impact too, and is loaded and posted again."""
        path = f"/assessments/{assessment_id}/actions"
        for _attempt in range(attempts):
            page = self.session.get("open page", path)
            remaining = {name: "negative" for name in set(REMAINING_FIELD.findall(page.body))}
            response = self._post_page("save action plan", path, page, remaining)
            if self.acknowledged(response):
                return True
            if response.status != 200:
                break
        self.unexpected(f"action plan {assessment_id}", response)
        return False

    def submit(self, assessment_id: int) -> bool:
        path = f"/assessments/{assessment_id}/check"
        page = self.session.get("open page", path)
        response = self.session.post("submit", path, {"csrf_token": page.csrf()})
        if self.acknowledged(response) and response.location.endswith(f"/assessments/{assessment_id}"):
            self.world.ledger.add("submitted", assessment_id)
            return True
        self.unexpected(f"submit {assessment_id}", response)
        return False

    def run_alone(self) -> None:
        """Start, answer every ground, go back to one and change it, conclude, submit; again until stopped."""
        if not self.world.logged_in(self):
            return
        while not self.world.stop.is_set():
            if not self.one_assessment() and not self.world.faults:
                return

    def one_assessment(self) -> bool:
        assessment_id = self.create()
        if assessment_id is None:
            return False
        for key in (*self.world.grounds, *self.rng.sample(self.world.grounds, 1)):
            if self.world.stop.is_set():
                return True
            if not self.save_ground(assessment_id, key):
                return False
        return self.world.stop.is_set() or self.finish(assessment_id)


class Team:
    """Two officers of one department on the same assessment, meeting at a barrier to race each other."""

    def __init__(self, leader: Officer, partner: Officer):
        self.leader = leader
        self.partner = partner
        self.barrier = threading.Barrier(2, timeout=BARRIER_SECONDS)
        self.assessment_id: int | None = None
        self.outcomes: list[str] = []
        self.lock = threading.Lock()

    def meet(self) -> bool:
        try:
            self.barrier.wait()
            return not self.leader.world.stop.is_set()
        except threading.BrokenBarrierError:
            return False

    def race(self, officer: Officer, key: str) -> bool:
        """Both load ``key``, meet, then post at once; afterwards exactly one of the two must have been saved."""
        page = officer.open_ground(self.assessment_id, key)
        if not self.meet():
            return False
        outcome = officer.post_ground(self.assessment_id, key, page)
        with self.lock:
            self.outcomes.append(outcome)
        if not self.meet():
            return False
        if officer is self.leader:
            self._judge(self.outcomes)
            self.outcomes = []
        if not self.meet():
            return False
        if outcome == "conflict":
            officer.save_ground(self.assessment_id, key)  # the loser reloads and saves again
        return True

    def _judge(self, outcomes: list[str]) -> None:
        ledger = self.leader.world.ledger
        ledger.count("conflicts_provoked")
        if sorted(outcomes) == ["conflict", "saved"]:
            ledger.count("conflicts_reported")
        elif outcomes == ["saved", "saved"]:
            ledger.count("conflicts_unreported")
        elif outcomes == ["conflict", "conflict"]:
            ledger.count("conflicts_both_refused")

    def run(self, officer: Officer) -> None:
        leading = officer is self.leader
        if not officer.world.logged_in(officer):
            self.barrier.abort()
            return
        grounds = officer.world.grounds
        round_number = 0
        while not officer.world.stop.is_set():
            if leading:
                self.assessment_id = officer.create()
                if self.assessment_id is None:
                    self.barrier.abort()
                    return
            if not self.meet():
                return
            # Race first for one ground, then each saves half of the grounds at the same time as the other (one
            # assessment, two writers), then race again on a ground both have seen saved.
            if not self.race(officer, grounds[round_number % len(grounds)]):
                return
            for key in grounds[(0 if leading else 1) :: 2]:
                if officer.world.stop.is_set() or not officer.save_ground(self.assessment_id, key):
                    self.barrier.abort()
                    return
            if not self.meet() or not self.race(officer, grounds[(round_number + 3) % len(grounds)]):
                return
            # The leader submits while the partner saves once more: the save must land before the submission or
            # be refused, never after it.
            key = grounds[(round_number + 5) % len(grounds)]
            page = None if leading else officer.open_ground(self.assessment_id, key)
            if not self.meet():
                return
            if leading:
                officer.finish(self.assessment_id)
            elif page.status == 200:
                officer.post_ground(self.assessment_id, key, page)
            if not self.meet():
                return
            round_number += 1


class Reviewer:
    """A municipality-wide reviewer approving submitted assessments, oldest first, racing the other reviewers."""

    def __init__(self, email: str, world: World, seed: int):
        self.officer = Officer(email, world, seed)  # same login and bookkeeping
        self.world = world

    def run(self) -> None:
        officer = self.officer
        if not self.world.logged_in(officer):
            return
        while not self.world.stop.is_set():
            queue = officer.session.get("review queue", "/review/")
            waiting = [int(match) for match in REVIEW_LINK.findall(queue.body)]
            if not waiting:
                time.sleep(0.2)
                continue
            assessment_id = officer.rng.choice(waiting[:3])  # a few reviewers share the same few: they race
            page = officer.session.get("open review", f"/review/{assessment_id}")
            if page.status != 200 or 'name="decision"' not in page.body:
                continue  # decided by a colleague meanwhile
            response = officer.session.post(
                "approve",
                f"/review/{assessment_id}",
                {
                    "csrf_token": page.csrf(),
                    "lock_version": page.lock_version() or "",
                    "decision": "approve",
                    "comment": f"Godkänd av {officer.email}",
                },
            )
            if response.status == 302 and response.location.endswith("/review/"):
                self.world.ledger.add("approvals", (assessment_id, officer.email))
            elif response.status == 303:
                self.world.ledger.count("reviews_refused")
            else:
                officer.unexpected(f"approve {assessment_id}", response)
