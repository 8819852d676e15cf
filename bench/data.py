"""Rows of a realistic data set: users, assessments with nine answers, mitigations, districts and audit events.

Pure Python and deterministic for a seed; ``bench.generate`` writes the rows in bulk. Ids are assigned here (the
database starts empty or with known maxima) so rows of different tables can refer to each other without RETURNING.
"""

import heapq
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

BENCH_PASSWORD = "Impact-bench-2026"  # noqa: S105 (known password of the generated benchmark accounts)
# The accounts the runner logs in with, one per role; (key, email, roles, department code, municipality-wide).
BENCH_LOGINS = [
    ("officer", "bench-officer@boras.example.com", ["case_officer"], "FFF", False),
    ("reviewer", "bench-reviewer@boras.example.com", ["reviewer"], "FFF", False),
    ("auditor", "bench-auditor@boras.example.com", ["auditor"], "SLK", True),
    ("admin", "bench-admin@boras.example.com", ["admin"], "SLK", True),
]
OFFICERS_PER_DEPARTMENT = 20
REVIEWERS_PER_DEPARTMENT = 3
YEARS = 10

# Weights of the impact scale among relevant answers; most answers are neutral or positive, a quarter negative.
IMPACT_WEIGHTS = {
    "significantly_negative": 5,
    "negative": 20,
    "neutral": 30,
    "positive": 30,
    "significantly_positive": 8,
    "cannot_assess": 7,
}
NEGATIVE = ("significantly_negative", "negative")
# How likely each ground is to be relevant: residence and socio-economic status most often, religion least.
RELEVANCE = {
    "socioeconomic_status": 0.75,
    "geographic_residence": 0.7,
    "gender": 0.65,
    "transgender_identity": 0.3,
    "ethnicity": 0.5,
    "religion": 0.25,
    "disability": 0.6,
    "age": 0.7,
    "sexual_orientation": 0.25,
}
TOPICS = [
    "Ny förskola i {d}",
    "Upprustning av lekplats i {d}",
    "Ändrade öppettider för biblioteket i {d}",
    "Detaljplan för bostäder i {d}",
    "Ny busslinje mellan {d} och Centrum",
    "Taxa för kulturskolan",
    "Riktlinjer för försörjningsstöd",
    "Program för äldres hälsa",
    "Sommarjobb för unga i {d}",
    "Belysning av gång- och cykelväg i {d}",
    "Ny simhall",
    "Avgifter för hemtjänst",
    "Skolskjuts i ytterområden",
    "Trygghetsvandringar i {d}",
]
SENTENCES = [
    "Förslaget påverkar boende och verksamma i kommundelen.",
    "Underlaget bygger på kommunens statistik och dialog med brukare.",
    "Barn och unga berörs särskilt av förändringen.",
    "Tillgängligheten för personer med funktionsnedsättning har setts över.",
    "Kostnaden fördelas olika mellan hushåll med olika inkomst.",
    "Synpunkter från föreningar och medborgardialog har vägts in.",
    "Effekterna följs upp efter ett år.",
]


@dataclass
class Context:
    """What exists before the assessments: the template's grounds, departments, districts and id offsets."""

    template_version_id: int
    grounds: list[tuple[int, str]]  # (id, key) in template order
    departments: list[tuple[int, str, str | None]]  # (id, code, committee)
    districts: list[int]
    next_ids: dict[str, int]
    areas: list[tuple[int, int]] = field(default_factory=list)  # (area id, its district's id)
    last_hash: str = "0" * 64  # impact.audit.models.GENESIS_HASH
    password_hash: str = ""


@dataclass
class Batch:
    """Rows for one slice of assessments, table name -> list of row dicts, in insertion order."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


TABLE_ORDER = [
    "users",
    "user_roles",
    "assessments",
    "assessment_authors",
    "assessment_districts",
    "assessment_areas",
    "ground_answers",
    "ground_answer_districts",
    "ground_answer_areas",
    "mitigations",
    "mitigation_grounds",
    "committee_decisions",
    "committee_cases",
    "audit_events",
]
# The committee's decision: most approved cases older than a month have one; what it was, and how often the
# analysis changed the proposal.
DECISION_OUTCOMES = (
    ("approved", 0.7),
    ("approved_with_changes", 0.15),
    ("rejected", 0.06),
    ("referred_back", 0.06),
    ("postponed", 0.03),
)


class Generator:
    """Yields ``Batch``es: first the users, then assessments in order of creation over ten years."""

    def __init__(self, context: Context, size: int, *, seed: int = 2026, batch_size: int = 2000, now=None):
        self.ctx = context
        self.size = size
        self.rng = random.Random(seed)
        # Areas are drawn from a generator of their own, so adding them left every other generated value as it was.
        self.area_rng = random.Random(seed + 1)
        self.batch_size = batch_size
        self.now = (now or datetime.now(UTC)).replace(microsecond=0)
        self.ids = dict(context.next_ids)
        self.officers: dict[int, list[int]] = {}
        self.reviewers: dict[int, list[int]] = {}
        self.wide_reviewers: list[int] = []
        self.owners: list[int] = []
        # Audit events wait here until the clock of generated assessments passes them, so ids follow time.
        self._pending: list[tuple[datetime, int, dict]] = []
        self._sequence = 0
        self.last_hash = context.last_hash
        self.case_numbers: dict[int, int] = {}

    def _next(self, table: str) -> int:
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

    # Users -----------------------------------------------------------------------------------------------
    def users(self) -> Batch:
        batch = Batch()
        created = self.now - timedelta(days=365 * YEARS + 30)

        def add_user(email: str, name: str, dept_id: int, roles: list[str], wide: bool = False) -> int:
            user_id = self._next("users")
            batch.add(
                "users",
                {
                    "id": user_id,
                    "email": email,
                    "name": name,
                    "password_hash": self.ctx.password_hash,
                    "department_id": dept_id,
                    "active": True,
                    "municipality_wide": wide,
                    "must_change_password": False,
                    "locale": None,
                    "created_at": created,
                    "last_login_at": None,
                },
            )
            for role in roles:
                batch.add("user_roles", {"user_id": user_id, "role": role})
            return user_id

        by_code = {code: dept_id for dept_id, code, _ in self.ctx.departments}
        for _key, email, roles, code, wide in BENCH_LOGINS:
            user_id = add_user(email, email.split("@")[0], by_code[code], roles, wide)
            if "case_officer" in roles:
                self.officers.setdefault(by_code[code], []).append(user_id)
        for dept_id, code, _ in self.ctx.departments:
            slug = code.lower()
            for n in range(OFFICERS_PER_DEPARTMENT):
                user_id = add_user(
                    f"{slug}.officer{n}@bench.example.com", f"Handläggare {code} {n}", dept_id, ["case_officer"]
                )
                self.officers.setdefault(dept_id, []).append(user_id)
            for n in range(REVIEWERS_PER_DEPARTMENT):
                user_id = add_user(
                    f"{slug}.reviewer{n}@bench.example.com", f"Granskare {code} {n}", dept_id, ["reviewer"]
                )
                self.reviewers.setdefault(dept_id, []).append(user_id)
        slk = by_code.get("SLK", self.ctx.departments[0][0])
        for n in range(3):
            self.wide_reviewers.append(
                add_user(f"central.reviewer{n}@bench.example.com", f"Granskare {n}", slk, ["reviewer"], True)
            )
        for n in range(5):
            add_user(f"auditor{n}@bench.example.com", f"Revisor {n}", slk, ["auditor"], True)
        for n in range(3):
            add_user(f"admin{n}@bench.example.com", f"Administratör {n}", slk, ["admin"], True)
        self.owners = [user_id for ids in self.officers.values() for user_id in ids]
        return batch

    # Assessments -----------------------------------------------------------------------------------------
    def _created_times(self) -> list[datetime]:
        """Creation times over ten years, growing use over the years (later years have more assessments)."""
        span = 365 * YEARS * 86400
        start = self.now - timedelta(seconds=span)
        times = []
        for _ in range(self.size):
            fraction = self.rng.random() ** 0.8  # skew towards recent years
            moment = start + timedelta(seconds=int(fraction * span))
            times.append(moment.replace(microsecond=self.rng.randrange(1_000_000)))
        times.sort()
        return times

    def _status(self, created: datetime) -> str:
        age_days = (self.now - created).days
        r = self.rng.random()
        if age_days > 400:  # old cases are decided; a few withdrawn, older ones archived
            if r < 0.04:
                return "withdrawn"
            return "archived" if age_days > 1500 and r < 0.5 else "approved"
        if age_days > 60:
            for status, share in (("approved", 0.7), ("submitted", 0.08), ("returned", 0.05), ("withdrawn", 0.04)):
                if r < share:
                    return status
                r -= share
            return "draft"
        for status, share in (("draft", 0.45), ("submitted", 0.25), ("returned", 0.1), ("approved", 0.17)):
            if r < share:
                return status
            r -= share
        return "withdrawn"

    def _text(self, sentences: int) -> str:
        return " ".join(self.rng.choice(SENTENCES) for _ in range(sentences))

    def _event(
        self,
        when: datetime,
        actor: int | None,
        action: str,
        object_type: str,
        object_id: int,
        assessment_id: int,
        changes: dict,
    ) -> None:
        self._sequence += 1
        heapq.heappush(
            self._pending,
            (
                when,
                self._sequence,
                {
                    "created_at": when,
                    "actor_id": actor,
                    "action": action,
                    "object_type": object_type,
                    "object_id": object_id,
                    "assessment_id": assessment_id,
                    "changes": changes,
                },
            ),
        )

    def _release_events(self, batch: Batch, until: datetime | None) -> None:
        """Move the waiting events older than ``until`` into the batch, numbered and chained in time order."""
        from impact.audit.trail import compute_hash  # imported late: impact's models import each other on load

        while self._pending and (until is None or self._pending[0][0] <= until):
            _, _, row = heapq.heappop(self._pending)
            row["id"] = self._next("audit_events")
            row["chain_position"] = row["id"]  # sealed as they are made, in id order
            row["prev_hash"] = self.last_hash
            row["hash"] = compute_hash(SimpleNamespace(**row))
            self.last_hash = row["hash"]
            batch.add("audit_events", row)

    def assessments(self):
        """Yield a Batch per ``batch_size`` assessments; the last one also carries every remaining event."""
        times = self._created_times()
        batch = Batch()
        for index, created in enumerate(times, start=1):
            self._assessment(batch, created)
            if index % self.batch_size == 0:
                # Only events up to this batch's last creation time: later events belong to later batches.
                self._release_events(batch, created)
                yield batch
                batch = Batch()
        self._release_events(batch, None)
        if batch.rows:
            yield batch

    def _assessment(self, batch: Batch, created: datetime) -> None:
        rng = self.rng
        dept_id, code, committee = rng.choice(self.ctx.departments)
        author = rng.choice(self.officers[dept_id])
        status = self._status(created)
        assessment_id = self._next("assessments")
        year = created.year
        self.case_numbers[year] = self.case_numbers.get(year, 0) + 1
        district_ids = [] if rng.random() < 0.2 else rng.sample(self.ctx.districts, rng.randint(1, 3))
        topic = rng.choice(TOPICS).format(d="kommundelen")
        submitted = decided = decider = None
        if status in ("submitted", "approved", "archived", "returned"):
            submitted = min(created + timedelta(days=rng.randint(3, 40), seconds=rng.randint(0, 86399)), self.now)
        if status in ("approved", "archived", "returned"):
            decided = min(submitted + timedelta(days=rng.randint(1, 20), seconds=rng.randint(0, 86399)), self.now)
            choices = self.reviewers[dept_id] + self.wide_reviewers
            decider = rng.choice(choices)
        meeting = None
        if status == "approved" and (self.now - decided).days > 30 and rng.random() < 0.8:
            status = "decided"
            meeting = min(decided + timedelta(days=rng.randint(14, 40)), self.now - timedelta(days=1))
        updated = decided or submitted or created + timedelta(hours=rng.randint(1, 200))
        updated = min(updated, self.now)
        affects = rng.random() > 0.06
        follow_up_date = (created + timedelta(days=rng.randint(180, 540))).date()
        # Most approved assessments past their follow-up date have the actual impacts recorded.
        followed_up = None
        if status in ("approved", "decided") and follow_up_date < self.now.date() and rng.random() < 0.6:
            followed_up = datetime.combine(follow_up_date, datetime.min.time(), UTC) + timedelta(hours=10)
        negatives = 0
        batch.add(
            "assessments",
            {
                "id": assessment_id,
                "template_version_id": self.ctx.template_version_id,
                "department_id": dept_id,
                "created_by_id": author,
                "status": status,
                "amends_id": None,
                "version_number": 1,
                "title": f"{topic} ({code} {year})",
                "case_number": f"{year}-{self.case_numbers[year]:05d}",
                "committee": committee,
                "decision_date": (created + timedelta(days=rng.randint(30, 120))).date(),
                "description": self._text(4),
                "purpose": self._text(2),
                "concerns": self._text(2),
                "whole_municipality": not district_ids,
                "affects_people": affects,
                "screening_reason": "" if affects else "Förslaget är av administrativ karaktär.",
                "overall_assessment": self._text(3) if status != "draft" else "",
                "combined_effects": self._text(2) if status != "draft" else "",
                "recommendation": self._text(1) if status != "draft" else "",
                "follow_up_date": follow_up_date,
                "created_at": created,
                "updated_at": updated,
                "submitted_at": submitted,
                "decided_at": decided,
                "decided_by_id": decider,
                "lock_version": 1,
            },
        )
        batch.add("assessment_authors", {"assessment_id": assessment_id, "user_id": author})
        if rng.random() < 0.25:
            co_author = rng.choice(self.officers[dept_id])
            if co_author != author:
                batch.add("assessment_authors", {"assessment_id": assessment_id, "user_id": co_author})
        for district_id in district_ids:
            batch.add("assessment_districts", {"assessment_id": assessment_id, "district_id": district_id})
        area_ids = self._areas(district_ids)
        for area_id in area_ids:
            batch.add("assessment_areas", {"assessment_id": assessment_id, "area_id": area_id})
        for ground_id, key in self.ctx.grounds:
            negatives += self._answer(
                batch,
                assessment_id,
                ground_id,
                key,
                author,
                created,
                updated,
                affects,
                (district_ids, area_ids),
                followed_up,
            )

        if meeting is not None:
            self._decision(batch, assessment_id, committee, meeting, author)
            self._case(batch, f"{year}-{self.case_numbers[year]:05d}", topic, committee, meeting)
        if meeting is not None and rng.random() < 0.1:  # a case on the committee's list that had no assessment
            self.case_numbers[year] += 1
            self._case(batch, f"{year}-{self.case_numbers[year]:05d}", topic, committee, meeting)
        self._event(created, author, "assessment.create", "assessments", assessment_id, assessment_id, {})
        if submitted is not None:
            change = {"status": {"before": "draft", "after": "submitted"}}
            self._event(submitted, author, "assessment.submit", "assessments", assessment_id, assessment_id, change)
        if decided is not None:
            name, after = ("return_for_changes", "returned") if status == "returned" else ("approve", "approved")
            change = {"status": {"before": "submitted", "after": after}}
            self._event(decided, decider, f"assessment.{name}", "assessments", assessment_id, assessment_id, change)
        if status == "withdrawn":
            change = {"status": {"before": "draft", "after": "withdrawn"}}
            self._event(updated, author, "assessment.withdraw", "assessments", assessment_id, assessment_id, change)

    def _decision(self, batch: Batch, assessment_id: int, committee: str, meeting: datetime, author: int) -> None:
        rng = self.rng
        r, outcome = rng.random(), DECISION_OUTCOMES[-1][0]
        for name, share in DECISION_OUTCOMES:
            if r < share:
                outcome = name
                break
            r -= share
        changed = rng.random() < 0.3
        batch.add(
            "committee_decisions",
            {
                "id": self._next("committee_decisions"),
                "assessment_id": assessment_id,
                "committee": committee or "Kommunfullmäktige",
                "meeting_date": meeting.date(),
                "paragraph": f"§ {rng.randint(1, 250)}",
                "outcome": outcome,
                "analysis_changed": changed,
                "analysis_change": self._text(1) if changed else "",
                "minutes_reference": "",
                "recorded_by_id": author,
                "recorded_at": meeting + timedelta(days=7),
                "corrected_at": None,
                "lock_version": 1,
            },
        )
        change = {"status": {"before": "approved", "after": "decided"}, "committee_outcome": outcome}
        self._event(meeting, author, "assessment.decide", "assessments", assessment_id, assessment_id, change)

    def _case(self, batch: Batch, case_number: str, title: str, committee: str | None, meeting: datetime) -> None:
        """A line of the committee's case list, as imported from the case-management system."""
        batch.add(
            "committee_cases",
            {
                "id": self._next("committee_cases"),
                "case_number": case_number,
                "title": title,
                "committee": committee or "Kommunfullmäktige",
                "meeting_date": meeting.date(),
                "imported_at": meeting + timedelta(days=1),
                "imported_by_id": None,
            },
        )

    def _areas(self, district_ids: list[int]) -> list[int]:
        """Half the proposals that name districts also name one or two areas within them."""
        within = [area_id for area_id, district_id in self.ctx.areas if district_id in district_ids]
        if not within or self.area_rng.random() < 0.5:
            return []
        return self.area_rng.sample(within, min(len(within), self.area_rng.randint(1, 2)))

    def _answer(
        self,
        batch: Batch,
        assessment_id: int,
        ground_id: int,
        key: str,
        author: int,
        created: datetime,
        updated: datetime,
        affects: bool,
        places: tuple[list[int], list[int]],
        followed_up: datetime | None,
    ) -> int:
        rng = self.rng
        district_ids, area_ids = places
        answer_id = self._next("ground_answers")
        relevant = affects and rng.random() < RELEVANCE.get(key, 0.5)
        impact = rng.choices(list(IMPACT_WEIGHTS), weights=list(IMPACT_WEIGHTS.values()))[0] if relevant else None
        negative = impact in NEGATIVE
        mitigated = negative and rng.random() < 0.8
        # What the officer expects to remain after the mitigations, and (at follow-up) what came about.
        remaining = ("neutral" if mitigated and rng.random() < 0.5 else impact) if negative else None
        predicted = remaining or impact
        actual = None
        if relevant and followed_up is not None and predicted != "cannot_assess":
            actual = predicted if rng.random() < 0.7 else rng.choice(("negative", "neutral", "positive"))
        batch.add(
            "ground_answers",
            {
                "id": answer_id,
                "assessment_id": assessment_id,
                "ground_id": ground_id,
                "relevant": relevant,
                "not_relevant_reason": "" if relevant else "Förslaget berör inte denna grund.",
                "impact": impact,
                "missing_information": "Uppgifter saknas om antal berörda." if impact == "cannot_assess" else "",
                "affected_groups": self._text(1) if relevant else "",
                "evidence": self._text(2) if relevant else "",
                "evidence_links": "",
                "confidence": rng.choice(("low", "medium", "high")) if relevant else None,
                "district_notes": "",
                "acceptance_justification": "Nyttan för flertalet väger tyngre." if negative and not mitigated else "",
                "actual_outcome": "",
                "remaining_impact": remaining,
                "actual_impact": actual,
                "actual_comment": "",
                "actual_recorded_at": followed_up if actual else None,
                "updated_at": updated,
                "updated_by_id": author,
                "lock_version": 1,
            },
        )
        if relevant and key == "geographic_residence" and district_ids:
            for district_id in district_ids[: rng.randint(1, len(district_ids))]:
                batch.add("ground_answer_districts", {"ground_answer_id": answer_id, "district_id": district_id})
            for area_id in area_ids:
                batch.add("ground_answer_areas", {"ground_answer_id": answer_id, "area_id": area_id})
        if mitigated:
            for _ in range(rng.randint(1, 2)):
                self._mitigation(batch, assessment_id, answer_id, created)
        return int(negative)

    def _mitigation(self, batch: Batch, assessment_id: int, answer_id: int, created: datetime) -> None:
        rng = self.rng
        due = (created + timedelta(days=rng.randint(30, 400))).date()
        overdue = due < self.now.date()
        r = rng.random()
        if overdue:  # most past-due mitigations are done; the rest are the overdue follow-ups the dashboard shows
            status = "done" if r < 0.75 else "dropped" if r < 0.8 else rng.choice(("planned", "in_progress"))
        else:
            status = "planned" if r < 0.6 else "in_progress"
        action_id = self._next("mitigations")
        batch.add(
            "mitigations",
            {
                "id": action_id,
                "assessment_id": assessment_id,
                "description": "Riktad information och anpassade öppettider.",
                "responsible": "Enhetschef",
                "owner_id": rng.choice(self.owners),
                "due_date": due,
                "status": status,
                "dropped_reason": "Ersatt av annan åtgärd." if status == "dropped" else "",
                "outcome": "Genomförd enligt plan." if status == "done" else "",
                "created_at": created,
                "updated_at": created,
            },
        )
        batch.add("mitigation_grounds", {"mitigation_id": action_id, "ground_answer_id": answer_id})


def today() -> date:
    return datetime.now(UTC).date()


def json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
