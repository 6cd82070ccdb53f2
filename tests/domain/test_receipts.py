"""Matching a bank receipt to an account, by the rules in debtdesk.domain.receipts.

The index below is a small caseload written out by hand (ids are made up):

    account 1  CC000101  Mrs Margaret Ellis   invoices INV00000001 (id 11), INV00000006 (id 16)
                         statement ST00000001; latest statement asks £280.00
    account 2  CC000102  Susan Finch          mandate DDREF0102; latest statement asks £200.00
    account 3  CC000103  Ada Brown            representative Peter Brown; asks £140.00
    account 4  CC000104  Mr John Smith        asks £240.00
    account 5  CC000105  Mrs Jane Smith       asks £240.00 (the same name key and amount as 4)
"""

from __future__ import annotations

import pytest

from debtdesk.domain.receipts import (
    MatchIndex,
    MatchRule,
    ReceiptMatch,
    candidate_identifiers,
    match_receipt,
    name_key,
)

INDEX = MatchIndex(
    accounts={"CC000101": 1, "CC000102": 2, "CC000103": 3, "CC000104": 4, "CC000105": 5},
    mandates={"DDREF0102": 2},
    invoices={"INV00000001": (1, 11), "INV00000006": (1, 16), "INV00000003": (3, 13)},
    statements={"ST00000001": 1},
    names_due={
        ("ELLIS", "M", 28000): frozenset({1}),
        ("FINCH", "S", 20000): frozenset({2}),
        ("BROWN", "A", 14000): frozenset({3}),
        ("BROWN", "P", 14000): frozenset({3}),  # the representative
        ("SMITH", "J", 24000): frozenset({4, 5}),
    },
)


def _match(reference: str, payer: str | None = None, amount: int = 1000) -> ReceiptMatch:
    return match_receipt(reference, payer, amount, INDEX)


# --- candidate identifiers and name keys -------------------------------------------------


def test_each_word_and_each_run_of_two_or_three_words_joined_is_a_candidate() -> None:
    # "cc 000101 march" upper-cased is three words; the pairs and the triple joined.
    assert list(candidate_identifiers("cc 000101 march")) == [
        "CC", "000101", "MARCH", "CC000101", "000101MARCH", "CC000101MARCH",
    ]  # fmt: skip
    # Punctuation splits words like spaces: "CC/000101-Mar" is CC, 000101, MAR.
    assert "CC000101" in set(candidate_identifiers("CC/000101-Mar"))
    # Four words never join: "C C 0001 01" gives at most three-word runs.
    assert "CC000101" not in set(candidate_identifiers("C C 0001 01"))
    assert list(candidate_identifiers("")) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Mrs Margaret Ellis", ("ELLIS", "M")),
        ("M ELLIS", ("ELLIS", "M")),
        ("M. Ellis", ("ELLIS", "M")),
        ("mr and mrs j smith", ("SMITH", "J")),  # titles and "and" dropped
        ("The Estate of the late Ada Brown", ("BROWN", "A")),
        ("Executors of Ada Brown", ("BROWN", "A")),
        ("Dr Anne-Marie O'Neill", ("O'NEILL", "A")),  # hyphen and apostrophe kept in a word
        ("Ellis", None),  # one part: no initial
        ("Mr & Mrs", None),
        ("", None),
    ],
)
def test_name_key_is_surname_and_first_initial(name: str, key: tuple[str, str] | None) -> None:
    assert name_key(name) == key


def test_an_accented_name_has_the_same_key_as_the_bank_s_plain_letters() -> None:
    # BUG: banks send payer names in the Bacs/Faster Payments character set (no accents),
    # so "ZOE BRONTE" must find the account of "Zoë Brontë". Today the accented letters
    # split the words: "Zoë Brontë" -> ("BRONT", "Z"), "Renée Lévesque" -> ("VESQUE", "R").
    assert name_key("Zoë Brontë") == name_key("ZOE BRONTE") == ("BRONTE", "Z")
    assert name_key("Renée Lévesque") == name_key("R LEVESQUE") == ("LEVESQUE", "R")


def test_decd_after_an_executors_name_is_not_the_surname() -> None:
    # BUG (minor): "EXORS OF A BROWN DECD" is how UK banks print executors paying for an
    # estate; EXORS and OF are dropped but DECD is taken as the surname: ("DECD", "A").
    assert name_key("EXORS OF A BROWN DECD") == ("BROWN", "A")


# --- rule 1: identifiers in the reference --------------------------------------------------


def test_an_account_reference_in_a_messy_reference() -> None:
    # "cc 000101 march": the pair CC + 000101 joins to CC000101, account 1.
    assert _match("cc 000101 march") == ReceiptMatch(
        1, None, MatchRule.REFERENCE, "reference CC000101"
    )
    assert _match("Care fees CC-000101/Mar25").account_id == 1


def test_an_invoice_number_names_the_account_and_the_invoice() -> None:
    # INV00000006 is account 1's newer invoice (id 16): the payment is for that one.
    assert _match("inv 00000006") == ReceiptMatch(
        1, 16, MatchRule.REFERENCE, "reference INV00000006"
    )
    # With the account reference too, it is still one account and the invoice is named.
    assert _match("CC000101 INV00000006") == ReceiptMatch(
        1, 16, MatchRule.REFERENCE, "reference CC000101"
    )


def test_two_invoices_of_one_account_name_the_account_but_no_invoice() -> None:
    # INV00000001 (id 11) and INV00000006 (id 16) are both account 1's: oldest first then.
    assert _match("INV00000001 INV00000006") == ReceiptMatch(
        1, None, MatchRule.REFERENCE, "reference INV00000001"
    )


def test_a_statement_number_and_a_direct_debit_reference() -> None:
    assert _match("ST00000001") == ReceiptMatch(
        1, None, MatchRule.REFERENCE, "reference ST00000001"
    )
    assert _match("ddref 0102") == ReceiptMatch(2, None, MatchRule.REFERENCE, "reference DDREF0102")


def test_identifiers_of_two_accounts_match_neither_and_say_which() -> None:
    # Account references of 1 and 2: suspense, the reason naming both.
    assert _match("CC000101 CC000102") == ReceiptMatch(
        None, None, MatchRule.NONE, "the reference names more than one account (CC000101, CC000102)"
    )
    # An invoice of account 3 with the account reference of 1: also two accounts, and
    # the payer's name and amount are not tried (Ada Brown's £140.00 would be unique).
    match = _match("CC000101 INV00000003", "Ada Brown", 14000)
    assert (match.account_id, match.rule) == (None, MatchRule.NONE)
    assert match.reason == "the reference names more than one account (CC000101, INV00000003)"


def test_a_reference_rule_wins_over_the_payer_and_amount() -> None:
    # Finch's £200.00 would match Finch by name; the reference names Ellis's account.
    assert _match("CC000101", "Susan Finch", 20000).account_id == 1


# --- rule 2: payer and the latest statement's amount ----------------------------------------


def test_the_payer_s_name_and_the_exact_amount_due_find_one_account() -> None:
    expected = ReceiptMatch(
        1, None, MatchRule.PAYER_AND_AMOUNT, "payer's name and the amount of the latest statement"
    )
    assert _match("CARE FEES", "MRS M ELLIS", 28000) == expected
    # A representative's name counts as well: Peter Brown paying Ada Brown's £140.00.
    assert _match("MUM", "P. Brown", 14000).account_id == 3


def test_a_name_without_the_amount_or_an_amount_without_the_name_goes_to_suspense() -> None:
    none = ReceiptMatch(None, None, MatchRule.NONE, "no account reference found")
    assert _match("CARE FEES", "Margaret Ellis", 28001) == none  # a penny off
    assert _match("CARE FEES", None, 28000) == none  # no payer
    assert _match("CARE FEES", "Ellis", 28000) == none  # no initial: no name key
    assert _match("CARE FEES", "K Ellis", 28000) == none  # another initial


def test_a_name_and_amount_shared_by_two_accounts_goes_to_suspense() -> None:
    # John Smith (4) and Jane Smith (5) are both ("SMITH", "J") and both asked £240.00.
    assert _match("SMITH", "J Smith", 24000) == ReceiptMatch(
        None, None, MatchRule.NONE, "2 accounts have this payer's name and amount due"
    )
