"""Affordability on the Standard Financial Statement: surplus and a suggested instalment.

This module owns the SFS income and expenditure lines as one table (:data:`LINES`, keyed
by the kebab-case keys of the Money and Pensions Service data-entry schema v1.1, FACTS.md
§6), the monthly figure of an amount paid weekly, 4-weekly or monthly, the team's own
spending guidelines read from a CSV file, and :func:`assess`, which works out the SFS
totals, checks the three flexible-cost categories against their guidelines and suggests
a monthly instalment for our debt.

Rules:

* Every amount is normalised to a month once per line: weekly × 52 / 12, 4-weekly
  × 13 / 12, rounded half-up to the penny (:func:`debtdesk.domain.money.round_half_up`);
  totals are sums of those pence.
* ``available_for_priority = income − (fixed + flexible) − savings`` and
  ``available_for_non_priority = available_for_priority − priority_offers`` (the SFS
  derived fields, less its debt-admin fee: a fee-charging adviser's, with no line here).
* A creditor does not question flexible spend at or below the guideline, so only spend
  above it is flagged.
* The suggested instalment is our pro-rata share of what is available for non-priority
  debts, rounded down to the penny (never more than can be afforded), 0 when nothing is
  available and never more than the debt itself.

The spending-guideline figures are licensed to SFS members and not published, so none
ship with debtdesk: a team loads its own with :func:`read_guidelines`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from types import MappingProxyType

from debtdesk.domain.money import MoneyError, Pence, format_pounds, parse_pounds, round_half_up
from debtdesk.domain.payment_plans import Frequency


class Section(StrEnum):
    INCOME = "income"
    FIXED_COSTS = "fixed-costs"
    FLEXIBLE_COSTS = "flexible-costs"
    SAVINGS = "savings"


@dataclass(frozen=True)
class Line:
    """One line of the statement.

    Attributes:
        key: The SFS schema key (``adult-care-costs``), unique in :data:`LINES`.
        label: As an officer or the customer reads it.
        section: Income, fixed costs, flexible costs or savings.
        group: The SFS schema key of its group (``care-health``); for a flexible cost,
            its spending-guideline category.
    """

    key: str
    label: str
    section: Section
    group: str


def _group(section: Section, group: str, *lines: tuple[str, str]) -> tuple[Line, ...]:
    return tuple(Line(key, label, section, group) for key, label in lines)


_INCOME, _FIXED = Section.INCOME, Section.FIXED_COSTS
_FLEXIBLE, _SAVINGS = Section.FLEXIBLE_COSTS, Section.SAVINGS

LINES: tuple[Line, ...] = (
    *_group(
        _INCOME,
        "earnings",
        ("client-salary-or-wages", "Salary or wages (client)"),
        ("partner-salary-or-wages", "Salary or wages (partner)"),
        ("other-earnings", "Other earnings"),
    ),
    *_group(
        _INCOME,
        "benefits",
        ("tax-credits-universal-credit", "Universal Credit or tax credits"),
        ("jobseekers-allowance-income-based", "Jobseeker's Allowance (income-based)"),
        ("jobseekers-allowance-contribution-based", "Jobseeker's Allowance (contribution-based)"),
        ("income-support", "Income Support"),
        ("working-tax-credit", "Working Tax Credit"),
        ("child-tax-credit", "Child Tax Credit"),
        ("child-benefit", "Child Benefit"),
        ("employment-support-allowance", "Employment and Support Allowance"),
        ("disability-benefits", "Disability benefits"),
        ("carers-allowance", "Carer's Allowance"),
        ("local-housing-allowance", "Local Housing Allowance"),
        ("council-tax-support", "Council Tax Support"),
        ("other-benefits", "Other benefits"),
    ),
    *_group(
        _INCOME,
        "pensions",
        ("state-pensions", "State Pension"),
        ("private-work-pensions", "Private or work pensions"),
        ("pension-credit", "Pension Credit"),
        ("other-pensions", "Other pensions"),
    ),
    *_group(
        _INCOME,
        "other-income",
        ("maintenance-child-support", "Maintenance or child support"),
        ("boarders-lodgers", "Boarders or lodgers"),
        ("non-dependants-contributions", "Contributions from non-dependants"),
        ("student-loans-grants", "Student loans or grants"),
        ("other-other-income", "Other income"),
    ),
    *_group(
        _FIXED,
        "home-contents",
        ("rent", "Rent"),
        ("ground-rent-service-charges", "Ground rent or service charges"),
        ("mortgage", "Mortgage"),
        ("mortgage-endowment", "Mortgage endowment"),
        ("secured-loans", "Secured loans"),
        ("council-tax-rates", "Council tax or rates"),
        ("appliance-furniture-rental", "Appliance or furniture rental"),
        ("tv-licence", "TV licence"),
        ("other-home-contents", "Other home and contents"),
    ),
    *_group(
        _FIXED,
        "utilities",
        ("gas", "Gas"),
        ("electricity", "Electricity"),
        ("other-utilities", "Other utilities"),
    ),
    *_group(
        _FIXED,
        "water",
        ("water-supply", "Water supply"),
        ("water-waste", "Water waste"),
    ),
    *_group(
        _FIXED,
        "care-health",
        ("childcare-costs", "Childcare"),
        ("adult-care-costs", "Adult care"),
        ("child-maintenance-child-support", "Child maintenance or child support paid"),
        ("prescriptions-medicines", "Prescriptions and medicines"),
        ("dentistry-opticians", "Dentistry and opticians"),
        ("other-care-health", "Other care and health"),
    ),
    *_group(
        _FIXED,
        "transport-travel",
        ("public-transport", "Public transport"),
        ("hire-purchase-conditional-sale-vehicle", "Hire purchase or conditional sale (vehicle)"),
        ("car-insurance", "Car insurance"),
        ("road-tax", "Road tax"),
        ("mot-ongoing-maintenance", "MOT and ongoing maintenance"),
        ("breakdown-cover", "Breakdown cover"),
        ("fuel-parking-toll-road-charges", "Fuel, parking and toll road charges"),
        ("other-transport-travel", "Other transport and travel"),
    ),
    *_group(
        _FIXED,
        "school",
        ("school-uniform", "School uniform"),
        ("after-school-clubs-school-trips", "After-school clubs and school trips"),
        ("other-school", "Other school costs"),
    ),
    *_group(
        _FIXED,
        "pensions-insurance",
        ("pension-payments", "Pension payments"),
        ("life-insurance", "Life insurance"),
        ("mortgage-payment-protection-insurance", "Mortgage payment protection insurance"),
        ("buildings-contents-insurance", "Buildings and contents insurance"),
        ("health-insurance", "Health insurance"),
        ("other-pensions-insurances", "Other pensions and insurance"),
    ),
    *_group(
        _FIXED,
        "professional",
        ("professional-courses", "Professional courses"),
        ("union-fees", "Union fees"),
        ("professional-fees", "Professional fees"),
        ("other-professional", "Other professional costs"),
    ),
    *_group(
        _FIXED,
        "other-essential",
        ("other-essential-costs", "Other essential costs"),
    ),
    *_group(
        _FLEXIBLE,
        "communications-leisure",
        ("home-phone-internet-tv", "Home phone, internet and TV"),
        ("mobile-phone", "Mobile phone"),
        ("hobbies-leisure-sport", "Hobbies, leisure and sport"),
        ("gifts", "Gifts"),
        ("pocket-money", "Pocket money"),
        ("newspapers-magazines-stationery-postage", "Newspapers, magazines, stationery, postage"),
        ("other-communications-leisure", "Other communications and leisure"),
    ),
    *_group(
        _FLEXIBLE,
        "food-housekeeping",
        ("groceries", "Groceries"),
        ("nappies-baby-items", "Nappies and baby items"),
        ("school-work-meals", "School or work meals"),
        ("laundry-dry-cleaning", "Laundry and dry cleaning"),
        ("alcohol", "Alcohol"),
        ("smoking-products", "Smoking products"),
        ("vet-bills-pet-insurance", "Vet bills and pet insurance"),
        ("house-repairs-maintenance", "House repairs and maintenance"),
        ("other-food-housekeeping", "Other food and housekeeping"),
    ),
    *_group(
        _FLEXIBLE,
        "personal",
        ("clothing-footwear", "Clothing and footwear"),
        ("hairdressing", "Hairdressing"),
        ("toiletries", "Toiletries"),
        ("other-personal", "Other personal costs"),
    ),
    *_group(
        _SAVINGS,
        "savings",
        ("savings-contribution", "Savings contribution"),
    ),
)
"""Every line of the statement, in the SFS's order."""

GROUP_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "earnings": "Earnings",
        "benefits": "Benefits",
        "pensions": "Pensions",
        "other-income": "Other income",
        "home-contents": "Home and contents",
        "utilities": "Utilities",
        "water": "Water",
        "care-health": "Care and health",
        "transport-travel": "Transport and travel",
        "school": "School",
        "pensions-insurance": "Pensions and insurance",
        "professional": "Professional",
        "other-essential": "Other essential costs",
        "communications-leisure": "Communications and leisure",
        "food-housekeeping": "Food and housekeeping",
        "personal": "Personal costs",
        "savings": "Savings",
    }
)
"""The label of each group in :data:`LINES`."""

LINE_BY_KEY: Mapping[str, Line] = MappingProxyType({line.key: line for line in LINES})

FLEXIBLE_CATEGORIES: tuple[str, ...] = tuple(
    dict.fromkeys(line.group for line in LINES if line.section is Section.FLEXIBLE_COSTS)
)
"""The three spending-guideline categories, in the SFS's order."""

GUIDELINE_HEADER: tuple[str, ...] = (
    "adults",
    "children",
    *(category.replace("-", "_") for category in FLEXIBLE_CATEGORIES),
)
"""The columns of a spending-guidelines CSV file."""

# A month of each frequency as an exact ratio: 52 weeks or 13 four-weeks make 12 months.
_MONTHS: Mapping[Frequency, tuple[int, int]] = MappingProxyType(
    {Frequency.WEEKLY: (52, 12), Frequency.FOUR_WEEKLY: (13, 12), Frequency.MONTHLY: (1, 1)}
)


def to_monthly(amount: Pence, frequency: Frequency) -> Pence:
    """The monthly pence of ``amount`` paid at ``frequency``, rounded half-up once."""
    times, per = _MONTHS[frequency]
    return round_half_up(Decimal(amount * times) / Decimal(per))


def from_monthly(monthly: Pence, frequency: Frequency) -> Pence:
    """The instalment at ``frequency`` that costs no more than ``monthly``, rounded down."""
    times, per = _MONTHS[frequency]
    return _round_down(Decimal(monthly * per) / Decimal(times))


def _round_down(value: Decimal) -> Pence:
    """Whole pence not above ``value``: a suggestion never exceeds what is affordable."""
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


# --- spending guidelines --------------------------------------------------------------------


@dataclass(frozen=True)
class GuidelineRow:
    """The monthly spending guidelines for one household composition.

    Attributes:
        adults: Adults in the household, at least 1.
        children: Children in the household.
        communications_leisure: Pence a month for communications and leisure.
        food_housekeeping: Pence a month for food and housekeeping.
        personal: Pence a month for personal costs.
    """

    adults: int
    children: int
    communications_leisure: Pence
    food_housekeeping: Pence
    personal: Pence

    def amount(self, category: str) -> Pence:
        """The guideline for a flexible category (``food-housekeeping``).

        Raises:
            KeyError: ``category`` is not one of :data:`FLEXIBLE_CATEGORIES`.
        """
        if category not in FLEXIBLE_CATEGORIES:
            raise KeyError(category)
        value: Pence = getattr(self, category.replace("-", "_"))
        return value


@dataclass(frozen=True)
class Guidelines:
    """A team's table of spending guidelines, one row per household composition."""

    rows: tuple[GuidelineRow, ...]

    def __post_init__(self) -> None:
        """Refuse two rows for the same household."""
        seen: set[tuple[int, int]] = set()
        for row in self.rows:
            household = (row.adults, row.children)
            if household in seen:
                raise ValueError(f"two guideline rows for {_household(*household)}")
            seen.add(household)

    def for_household(self, adults: int, children: int) -> GuidelineRow | None:
        """The row for this household, else the same adults with most children not above.

        None when the table has no row with this number of adults and at most this many
        children.
        """
        fitting = [r for r in self.rows if r.adults == adults and r.children <= children]
        return max(fitting, key=lambda r: r.children, default=None)


_WHOLE = re.compile(r"[0-9]+")


def read_guidelines(text: str) -> tuple[Guidelines | None, list[str]]:
    """Spending guidelines read from CSV text, or None and every problem (line and column).

    The header is :data:`GUIDELINE_HEADER` in any order; each row gives a household's
    adults and children and its monthly guideline in pounds for each flexible category.
    Blank lines are passed over; a byte-order mark is allowed.
    """
    records, problem = _csv_records(text.removeprefix("\ufeff"))
    if problem:
        return None, [problem]
    if not records:
        return None, [f"the file is empty; it needs the header {','.join(GUIDELINE_HEADER)}"]
    header_line, header = records[0]
    columns, problems = _read_header(header_line, header)
    if problems:
        return None, problems
    if len(records) == 1:
        return None, [f"line {header_line}: a header and no households"]
    rows: list[GuidelineRow] = []
    first_seen: dict[tuple[int, int], int] = {}
    for line, cells in records[1:]:
        if len(cells) != len(GUIDELINE_HEADER):
            problems.append(
                f"line {line}: {len(cells)} cells where the header has {len(GUIDELINE_HEADER)}"
            )
            continue
        read = _RowReader(line, cells, columns)
        adults = read.whole("adults")
        children = read.whole("children")
        if adults == 0:
            read.problem("adults", "a household has at least one adult")
        comms = read.pounds("communications_leisure")
        food = read.pounds("food_housekeeping")
        personal = read.pounds("personal")
        problems += read.problems
        if adults is None or children is None:
            continue
        household = (adults, children)
        if household in first_seen:
            problems.append(
                f"line {line}: {_household(*household)} is already on line {first_seen[household]}"
            )
            continue
        first_seen[household] = line
        if not read.problems and comms is not None and food is not None and personal is not None:
            rows.append(GuidelineRow(adults, children, comms, food, personal))
    if problems:
        return None, problems
    return Guidelines(tuple(rows)), []


def _csv_records(text: str) -> tuple[list[tuple[int, list[str]]], str | None]:
    """Each non-blank record with the line it starts on, or a problem if it is not CSV."""
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = 1
    try:
        for cells in reader:
            stripped = [cell.strip() for cell in cells]
            if any(stripped):
                records.append((start, stripped))
            start = reader.line_num + 1
    except csv.Error as exc:
        return records, f"line {start}: not readable as CSV: {exc}"
    return records, None


def _read_header(line: int, header: list[str]) -> tuple[dict[str, int], list[str]]:
    """Each column name's 0-based position, and every problem with the header."""
    columns: dict[str, int] = {}
    problems: list[str] = []
    for index, name in enumerate(header):
        where = f"line {line}, column {index + 1}"
        if name not in GUIDELINE_HEADER:
            problems.append(f"{where}: {name!r} is not a column of the guidelines")
        elif name in columns:
            problems.append(f"{where}: {name!r} is already column {columns[name] + 1}")
        else:
            columns[name] = index
    problems += [
        f"line {line}: the column {name!r} is missing"
        for name in GUIDELINE_HEADER
        if name not in columns
    ]
    if problems:
        problems.append(f"line {line}: the header must be {','.join(GUIDELINE_HEADER)}")
    return columns, problems


class _RowReader:
    """Reads the cells of one guideline row, collecting a problem per bad cell."""

    def __init__(self, line: int, cells: list[str], columns: Mapping[str, int]) -> None:
        self.line = line
        self.cells = cells
        self.columns = columns
        self.problems: list[str] = []

    def problem(self, name: str, message: str) -> None:
        where = f"line {self.line}, column {self.columns[name] + 1} ({name})"
        self.problems.append(f"{where}: {message}")

    def whole(self, name: str) -> int | None:
        cell = self.cells[self.columns[name]]
        if _WHOLE.fullmatch(cell):
            return int(cell)
        self.problem(name, f"{cell!r} is not a whole number of people")
        return None

    def pounds(self, name: str) -> Pence | None:
        cell = self.cells[self.columns[name]]
        try:
            amount = parse_pounds(cell)
        except MoneyError:
            self.problem(name, f"{cell!r} is not an amount in pounds")
            return None
        if amount < 0:
            self.problem(name, f"{format_pounds(amount)} is negative")
            return None
        return amount


def _household(adults: int, children: int) -> str:
    grown = "adult" if adults == 1 else "adults"
    young = "child" if children == 1 else "children"
    return f"the household of {adults} {grown} and {children} {young}"


# --- the assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class FlexibleCheck:
    """One flexible-cost category against its spending guideline.

    Attributes:
        category: The category's SFS key (``food-housekeeping``).
        label: As people read it.
        amount: Monthly pence spent on it.
        guideline: Its monthly guideline in pence; None without guidelines for the
            household.
        over_guideline: ``amount`` is above the guideline: the creditor may question it,
            and the statement should say why. Spend at or below it is not questioned.
    """

    category: str
    label: str
    amount: Pence
    guideline: Pence | None
    over_guideline: bool


@dataclass(frozen=True)
class Affordability:
    """What a statement shows a household can afford, every amount monthly pence.

    Attributes:
        monthly: Each line entered, as a month (its key to pence), in :data:`LINES` order.
        income: Total monthly income.
        fixed_costs: Total fixed costs.
        flexible_costs: Total flexible costs.
        savings: The savings contribution.
        available_for_priority: ``income − (fixed_costs + flexible_costs) − savings``;
            negative when outgoings are more than income.
        priority_offers: The offers to priority creditors.
        available_for_non_priority: ``available_for_priority − priority_offers``.
        flexible: Each flexible category against its guideline, in SFS order.
        guideline_household: The ``(adults, children)`` of the guideline row used (not
            always the household's own), or None when no row was used.
        our_debt: Our debt, in pence.
        other_non_priority_debts: The household's other non-priority debts, in pence.
        suggested_monthly: Our pro-rata share of ``available_for_non_priority``, rounded
            down, 0 when nothing is available, at most ``our_debt``.
    """

    monthly: Mapping[str, Pence]
    income: Pence
    fixed_costs: Pence
    flexible_costs: Pence
    savings: Pence
    available_for_priority: Pence
    priority_offers: Pence
    available_for_non_priority: Pence
    flexible: tuple[FlexibleCheck, ...]
    guideline_household: tuple[int, int] | None
    our_debt: Pence
    other_non_priority_debts: Pence
    suggested_monthly: Pence

    @property
    def over_guideline(self) -> tuple[str, ...]:
        """The flexible categories above their guideline."""
        return tuple(check.category for check in self.flexible if check.over_guideline)

    def suggested_for(self, frequency: Frequency) -> Pence:
        """The suggested instalment at ``frequency``: monthly × 12 / 52 or × 12 / 13, down."""
        return from_monthly(self.suggested_monthly, frequency)


def assess(
    lines: Mapping[str, tuple[Pence, Frequency]],
    household: tuple[int, int],
    guidelines: Guidelines | None,
    our_debt: Pence,
    other_non_priority_debts: Pence,
    priority_offers: Pence = 0,
) -> Affordability:
    """Totals, guideline checks and a suggested monthly instalment for one statement.

    Args:
        lines: Amount and frequency by line key (:data:`LINES`); lines left out are 0.
        household: ``(adults, children)``, to find the spending guidelines.
        guidelines: The team's spending guidelines, or None to check none.
        our_debt: What the household owes us.
        other_non_priority_debts: What it owes its other non-priority creditors.
        priority_offers: The monthly total offered to priority creditors.

    Raises:
        ValueError: an unknown line key, a negative amount or debt, or a household
            without an adult or with fewer than no children.
    """
    for key, (amount, _) in lines.items():
        if key not in LINE_BY_KEY:
            raise ValueError(f"{key!r} is not a line of the Standard Financial Statement")
        if amount < 0:
            raise ValueError(f"line {key!r} has a negative amount, {format_pounds(amount)}")
    for name, value in (
        ("our debt", our_debt),
        ("other non-priority debts", other_non_priority_debts),
        ("priority offers", priority_offers),
    ):
        if value < 0:
            raise ValueError(f"{name} is negative, {format_pounds(value)}")
    adults, children = household
    if adults < 1 or children < 0:
        raise ValueError(f"a household of {adults} adults and {children} children")

    monthly = {line.key: to_monthly(*lines[line.key]) for line in LINES if line.key in lines}
    totals = dict.fromkeys(Section, 0)
    by_group: dict[str, Pence] = dict.fromkeys(FLEXIBLE_CATEGORIES, 0)
    for key, pence in monthly.items():
        line = LINE_BY_KEY[key]
        totals[line.section] += pence
        if line.section is Section.FLEXIBLE_COSTS:
            by_group[line.group] += pence

    row = guidelines.for_household(adults, children) if guidelines is not None else None
    flexible = []
    for category, amount in by_group.items():
        guideline = row.amount(category) if row is not None else None
        over = guideline is not None and amount > guideline
        flexible.append(FlexibleCheck(category, GROUP_LABELS[category], amount, guideline, over))

    available_for_priority = (
        totals[Section.INCOME]
        - (totals[Section.FIXED_COSTS] + totals[Section.FLEXIBLE_COSTS])
        - totals[Section.SAVINGS]
    )
    available = available_for_priority - priority_offers
    return Affordability(
        monthly=monthly,
        income=totals[Section.INCOME],
        fixed_costs=totals[Section.FIXED_COSTS],
        flexible_costs=totals[Section.FLEXIBLE_COSTS],
        savings=totals[Section.SAVINGS],
        available_for_priority=available_for_priority,
        priority_offers=priority_offers,
        available_for_non_priority=available,
        flexible=tuple(flexible),
        guideline_household=(row.adults, row.children) if row is not None else None,
        our_debt=our_debt,
        other_non_priority_debts=other_non_priority_debts,
        suggested_monthly=_share(available, our_debt, other_non_priority_debts),
    )


def _share(available: Pence, our_debt: Pence, other_debts: Pence) -> Pence:
    """Our pro-rata share of ``available``, rounded down, capped at ``our_debt``.

    The products are exact integers, so the one division is the only inexact step, and
    its 28 significant digits are far finer than a penny for any real amounts.
    """
    if available <= 0 or our_debt <= 0:
        return 0
    share = _round_down(Decimal(available * our_debt) / Decimal(our_debt + other_debts))
    return min(share, our_debt)
