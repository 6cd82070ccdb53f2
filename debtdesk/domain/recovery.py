"""The recovery policy as data, and which stage an overdue account is due to reach.

A policy is an ordered list of stages (RULES.md "Recovery"). Each stage says when it
comes (so many days after the oldest overdue invoice's due date, or after an earlier
stage), what it needs (a minimum overdue amount, no kept payment plan, the customer
types it covers, the last failed direct debit's reason) and what it does (a letter from
a template, a phone task for the officer, or a manual step). A team leader edits the
policy in settings; :func:`policy_from_data` reads it back and lists every problem.

:func:`stages_due` walks the stages after the one the account has reached. A stage's
date is its anchor's date plus its days: the anchor's real date when the account
reached it, or, for a stage not yet reached, the date it became due in the same walk.
A stage that does not apply to the account (a business never gets a letter of claim,
FACTS.md §4) is passed over, and a stage anchored to it counts from the last stage the
walk reached instead. One stage at a time is the default; the highest eligible stage,
every stage due by ``as_of`` in a row, is the option.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from debtdesk.domain.documents import LETTER_KINDS
from debtdesk.domain.money import Pence, format_pounds

LETTERS = frozenset(kind.value for kind in LETTER_KINDS)
"""The templates a letter stage may send."""

DUE_DATE = "due"
"""The anchor that means the oldest overdue invoice's due date."""


class Channel(StrEnum):
    LETTER = "letter"
    PHONE_TASK = "phone_task"
    MANUAL = "manual"


@dataclass(frozen=True)
class Stage:
    """One step of recovery and what it takes to reach it.

    Attributes:
        code: Short name, unique in the policy (``reminder``).
        name: As officers read it (``Final reminder``).
        after_days: Days after the anchor's date.
        anchor: ``DUE_DATE`` or the code of an earlier stage.
        min_overdue: The overdue amount must be at least this (pence).
        needs_no_kept_plan: Not while a payment plan is being kept.
        individuals_only: Never for a business customer type (the Pre-Action Protocol
            is for debts of individuals).
        customer_types: The customer type codes it covers; empty covers every type.
        dd_reasons: Only when the last failed direct debit's reason code is one of
            these; empty means whatever it was, or none.
        channel: A letter, a phone task or a manual step.
        template: The letter's template (a document kind) for a letter.
        automatic: Reached by the recovery run; a stage reached only by a decision (the
            panel's) is not.
    """

    code: str
    name: str
    after_days: int
    anchor: str
    channel: Channel
    template: str = ""
    min_overdue: Pence = 0
    needs_no_kept_plan: bool = False
    individuals_only: bool = False
    customer_types: frozenset[str] = frozenset()
    dd_reasons: frozenset[str] = frozenset()
    automatic: bool = True


@dataclass(frozen=True)
class Policy:
    stages: tuple[Stage, ...]

    def stage(self, code: str) -> Stage:
        """The stage with this code.

        Raises:
            KeyError: the policy has no such stage.
        """
        for stage in self.stages:
            if stage.code == code:
                return stage
        raise KeyError(code)

    def position(self, code: str | None) -> int:
        """Where the stage comes (0 for the first); -1 for none reached yet."""
        if code is None:
            return -1
        return [s.code for s in self.stages].index(code)


DEFAULT_POLICY = Policy(
    (
        Stage("reminder", "Reminder", 14, DUE_DATE, Channel.LETTER, "reminder", min_overdue=500),
        Stage("final_reminder", "Final reminder", 14, "reminder", Channel.LETTER, "final_reminder"),
        Stage(
            "officer_contact", "Officer contact (phone)", 7, "final_reminder", Channel.PHONE_TASK
        ),
        Stage(
            "letter_of_claim",
            "Letter of claim",
            14,
            "final_reminder",
            Channel.LETTER,
            "letter_of_claim",
            min_overdue=10_000,
            needs_no_kept_plan=True,
            individuals_only=True,
        ),
        Stage(
            "panel_referral",
            "Debt Management Panel referral",
            30,
            "letter_of_claim",
            Channel.MANUAL,
            min_overdue=100_000,
        ),
        Stage(
            "legal", "Legal / county court", 0, "panel_referral", Channel.MANUAL, automatic=False
        ),
        Stage(
            "agents",
            "Enforcement or tracing agents",
            0,
            "panel_referral",
            Channel.MANUAL,
            automatic=False,
        ),  # fmt: skip
        Stage("write_off", "Write-off", 0, "panel_referral", Channel.MANUAL, automatic=False),
    )
)
"""RULES.md "Recovery (defaults)": letter of claim after the final reminder (not after
the phone call), £100 and no kept plan; the panel 30 days after it at £1,000; what comes
after the panel only on its decision."""


@dataclass(frozen=True)
class RecoveryFacts:
    """What the policy needs to know of an account.

    Attributes:
        customer_type: The customer type's code.
        is_business: The customer type is a business.
        reached: Each stage reached in the current recovery, and when.
        current: The last stage reached, or None.
        oldest_overdue_due: The due date of the oldest invoice still overdue, or None.
        overdue: Pence overdue (outstanding on invoices past their due date).
        kept_plan: A payment plan is being kept.
        on_hold: A hold is in force.
        last_failed_dd_reason: The reason code of the last failed direct debit, if any.
    """

    customer_type: str
    is_business: bool
    reached: Mapping[str, date]
    current: str | None
    oldest_overdue_due: date | None
    overdue: Pence
    kept_plan: bool = False
    on_hold: bool = False
    last_failed_dd_reason: str | None = None


@dataclass(frozen=True)
class StageDue:
    stage: Stage
    due_on: date
    """The date the stage became due (on or before the run's ``as_of``)."""


def applies(stage: Stage, facts: RecoveryFacts) -> bool:
    """The stage is one this account can ever get (its customer type, business or not)."""
    if stage.individuals_only and facts.is_business:
        return False
    return not stage.customer_types or facts.customer_type in stage.customer_types


def blocked_by(stage: Stage, facts: RecoveryFacts) -> str | None:
    """Why the account cannot have the stage now, or None."""
    if facts.overdue < max(stage.min_overdue, 1):
        return f"{format_pounds(facts.overdue)} overdue, under {format_pounds(stage.min_overdue)}"
    if stage.needs_no_kept_plan and facts.kept_plan:
        return "a payment plan is being kept"
    if stage.dd_reasons and facts.last_failed_dd_reason not in stage.dd_reasons:
        return "the last failed direct debit's reason is not one this stage is for"
    return None


def stages_due(
    policy: Policy, facts: RecoveryFacts, as_of: date, *, highest: bool = False
) -> list[StageDue]:
    """The stages the account reaches at ``as_of``: none, the next one, or (``highest``)
    every stage due in a row, the last of them the one it ends at.

    Nothing while the account is on hold or has nothing overdue; nothing past a stage
    reached only by a decision.
    """
    if facts.on_hold or facts.oldest_overdue_due is None or facts.overdue <= 0:
        return []
    dates: dict[str, date] = {DUE_DATE: facts.oldest_overdue_due, **facts.reached}
    latest = dates[facts.current] if facts.current is not None else facts.oldest_overdue_due
    found: list[StageDue] = []
    for stage in policy.stages[policy.position(facts.current) + 1 :]:
        if not applies(stage, facts):
            continue
        if not stage.automatic or blocked_by(stage, facts) is not None:
            break
        due_on = dates.get(stage.anchor, latest) + timedelta(days=stage.after_days)
        if due_on > as_of:
            break
        found.append(StageDue(stage, due_on))
        dates[stage.code] = latest = due_on
        if not highest:
            break
    return found


# --- the policy as settings data ------------------------------------------------------


def policy_data(policy: Policy) -> list[dict[str, Any]]:
    """The policy as JSON-ready data, for settings."""
    return [
        {
            "code": s.code,
            "name": s.name,
            "after_days": s.after_days,
            "anchor": s.anchor,
            "channel": s.channel.value,
            "template": s.template,
            "min_overdue": s.min_overdue,
            "needs_no_kept_plan": s.needs_no_kept_plan,
            "individuals_only": s.individuals_only,
            "customer_types": sorted(s.customer_types),
            "dd_reasons": sorted(s.dd_reasons),
            "automatic": s.automatic,
        }
        for s in policy.stages
    ]


@dataclass
class _Reader:
    row: Mapping[str, Any]
    where: str
    problems: list[str] = field(default_factory=list)

    def text(self, key: str, default: str | None = None) -> str:
        value = self.row.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            self.problems.append(f"{self.where}, {key}: {value!r} is not text")
            return ""
        return value.strip()

    def number(self, key: str, default: int | None = None) -> int:
        value = self.row.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problems.append(f"{self.where}, {key}: {value!r} is not a whole number, 0 or more")
            return 0
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.row.get(key, default)
        if not isinstance(value, bool):
            self.problems.append(f"{self.where}, {key}: {value!r} is not true or false")
            return default
        return value

    def codes(self, key: str) -> frozenset[str]:
        value = self.row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problems.append(f"{self.where}, {key}: {value!r} is not a list of codes")
            return frozenset()
        return frozenset(v.strip() for v in value if v.strip())


def policy_from_data(data: object) -> tuple[Policy | None, list[str]]:
    """A policy read from settings data, or None and every problem (stage and field named)."""
    if not isinstance(data, Sequence) or isinstance(data, str) or not data:
        return None, ["the recovery policy must be a list of one or more stages"]
    problems: list[str] = []
    stages: list[Stage] = []
    for number, row in enumerate(data, start=1):
        if not isinstance(row, Mapping):
            problems.append(f"stage {number}: not a stage (a mapping of its fields)")
            continue
        read = _Reader(row, f"stage {number} ({row.get('code', '?')})")
        code = read.text("code")
        anchor = read.text("anchor")
        channel = read.text("channel")
        stage = Stage(
            code=code,
            name=read.text("name"),
            after_days=read.number("after_days"),
            anchor=anchor,
            channel=Channel.MANUAL,
            template=read.text("template", ""),
            min_overdue=read.number("min_overdue", 0),
            needs_no_kept_plan=read.flag("needs_no_kept_plan", False),
            individuals_only=read.flag("individuals_only", False),
            customer_types=read.codes("customer_types"),
            dd_reasons=read.codes("dd_reasons"),
            automatic=read.flag("automatic", True),
        )
        if channel not in {c.value for c in Channel}:
            read.problems.append(
                f"{read.where}, channel: {channel!r} is not one of "
                f"{', '.join(c.value for c in Channel)}"
            )
        else:
            stage = Stage(**{**stage.__dict__, "channel": Channel(channel)})
        earlier = {s.code for s in stages}
        if code in earlier:
            read.problems.append(f"{read.where}, code: {code!r} is used by an earlier stage")
        if code == DUE_DATE:
            read.problems.append(f"{read.where}, code: {DUE_DATE!r} names the due date")
        if anchor and anchor != DUE_DATE and anchor not in earlier:
            read.problems.append(
                f"{read.where}, anchor: {anchor!r} is neither {DUE_DATE!r} nor an earlier stage"
            )
        if stage.channel is Channel.LETTER and not stage.template:
            read.problems.append(f"{read.where}, template: a letter stage needs its template")
        elif stage.channel is Channel.LETTER and stage.template not in LETTERS:
            read.problems.append(
                f"{read.where}, template: {stage.template!r} is not a letter debtdesk can "
                f"issue ({', '.join(sorted(LETTERS))})"
            )
        problems += read.problems
        stages.append(stage)
    if problems:
        return None, problems
    return Policy(tuple(stages)), []
