"""Who a letter or statement is addressed to, and how it greets them.

Correspondence goes to the representative marked to receive it (an attorney, deputy,
appointee, relative, solicitor or advocate), naming the client they act for. After a
death it goes to "the personal representatives of the late …" (FACTS.md §7.3: bill
the executor or administrator, not relatives), care of an executor or solicitor where
one is known.
"""

from __future__ import annotations

from dataclasses import dataclass

from debtdesk.domain.caseload import RepresentativeRole

# How a representative acting for a living client is described after their name.
_ACTING = {
    RepresentativeRole.ATTORNEY: "attorney for",
    RepresentativeRole.DEPUTY: "deputy for",
    RepresentativeRole.APPOINTEE: "appointee for",
    RepresentativeRole.EXECUTOR: "on behalf of",
    RepresentativeRole.RELATIVE: "on behalf of",
    RepresentativeRole.SOLICITOR: "acting for",
    RepresentativeRole.ADVOCATE: "advocate for",
}

# Who can receive an estate's correspondence on the personal representatives' behalf.
_FOR_AN_ESTATE = (RepresentativeRole.EXECUTOR, RepresentativeRole.SOLICITOR)


@dataclass(frozen=True)
class Contact:
    """A name and postal address (one line per row, postcode last)."""

    name: str
    address: str
    postcode: str = ""


@dataclass(frozen=True)
class Representative:
    """Someone who acts for the client, as correspondence needs them."""

    name: str
    role: RepresentativeRole
    address: str
    receives_correspondence: bool


@dataclass(frozen=True)
class Addressee:
    """Where a letter goes and how it opens.

    Attributes:
        lines: The address block: name line(s), then the postal address.
        name: The addressee as one line ("Mrs J Smith, attorney for Mr A Smith").
        salutation: The greeting ("Dear Mrs J Smith").
    """

    lines: tuple[str, ...]
    name: str
    salutation: str


def _address_lines(address: str, postcode: str) -> list[str]:
    lines = [line.strip() for line in address.replace("\r", "").split("\n") if line.strip()]
    if postcode and (not lines or lines[-1].replace(" ", "") != postcode.replace(" ", "")):
        lines.append(postcode)
    return lines


def addressee(
    client: Contact,
    deceased: bool,
    representatives: tuple[Representative, ...] = (),
    organisation: bool = False,
) -> Addressee:
    """Who correspondence about the client's account goes to.

    Args:
        client: The client's name and (last) address.
        deceased: Whether the client has died.
        representatives: The account's representatives; the first marked to receive
            correspondence is used (for an estate, the first executor or solicitor).
        organisation: Whether the customer is a firm or another body (a care home, an
            authority): the letter then opens "Dear Sir or Madam", not with its name.
    """
    receiving = [r for r in representatives if r.receives_correspondence]
    if deceased:
        name = f"The personal representatives of the late {client.name}"
        agent = next((r for r in receiving if r.role in _FOR_AN_ESTATE), None)
        if agent is not None and agent.address.strip():
            return Addressee(
                (name, f"c/o {agent.name}", *_address_lines(agent.address, "")),
                name,
                "Dear Sir or Madam",
            )
        return Addressee(
            (name, *_address_lines(client.address, client.postcode)), name, "Dear Sir or Madam"
        )
    if receiving:
        rep = receiving[0]
        name = f"{rep.name}, {_ACTING[rep.role]} {client.name}"
        if rep.address.strip():
            lines = _address_lines(rep.address, "")
        else:
            lines = _address_lines(client.address, client.postcode)
        return Addressee((name, *lines), name, f"Dear {rep.name}")
    return Addressee(
        (client.name, *_address_lines(client.address, client.postcode)),
        client.name,
        "Dear Sir or Madam" if organisation else f"Dear {client.name}",
    )
