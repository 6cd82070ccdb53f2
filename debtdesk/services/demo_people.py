"""Invented people and places for the demo caseload: no real person or address.

Addresses are in the fictional county of Wexshire, whose postcode area ``WX`` is not a
real UK postcode area.
"""

from __future__ import annotations

import random

FEMALE = (
    "Ada", "Agnes", "Alice", "Audrey", "Barbara", "Beryl", "Betty", "Brenda", "Carol",
    "Christine", "Daphne", "Doreen", "Dorothy", "Edna", "Eileen", "Elsie", "Enid", "Ethel",
    "Evelyn", "Florence", "Gladys", "Gwen", "Hazel", "Irene", "Iris", "Jean", "Joan", "Joyce",
    "June", "Kathleen", "Lilian", "Margaret", "Marion", "Maureen", "Mavis", "Muriel", "Nora",
    "Olive", "Patricia", "Pauline", "Peggy", "Phyllis", "Rita", "Rose", "Sheila", "Shirley",
    "Sylvia", "Valerie", "Vera", "Winifred", "Yvonne", "Priya", "Nasreen", "Grace", "Siobhan",
)
MALE = (
    "Albert", "Alan", "Arthur", "Bernard", "Brian", "Cecil", "Clifford", "Colin", "Cyril",
    "Dennis", "Derek", "Donald", "Douglas", "Edward", "Eric", "Ernest", "Frank", "Frederick",
    "Geoffrey", "George", "Gordon", "Harold", "Henry", "Herbert", "Howard", "Ian", "Jack",
    "Keith", "Kenneth", "Leonard", "Leslie", "Malcolm", "Norman", "Percy", "Peter", "Ralph",
    "Raymond", "Reginald", "Roy", "Ronald", "Stanley", "Sidney", "Terence", "Trevor", "Walter",
    "Wilfred", "Amrit", "Desmond", "Tomasz", "Declan", "Winston",
)
SURNAMES = (
    "Abbott", "Ainsworth", "Appleby", "Ashdown", "Bainbridge", "Barraclough", "Beckwith",
    "Blackmore", "Bramley", "Brindle", "Burrows", "Catterall", "Chadwick", "Cheshire",
    "Cotterill", "Crabtree", "Dawlish", "Delaney", "Dunmore", "Eastwood", "Elsworth",
    "Farrimond", "Fenwick", "Fothergill", "Garside", "Gilbey", "Greenhalgh", "Hargreaves",
    "Hathersage", "Heseltine", "Holroyd", "Horrocks", "Ingleby", "Jessop", "Kettlewell",
    "Lambourne", "Lightfoot", "Marchbank", "Merriman", "Moorcroft", "Nettleton", "Oakley",
    "Ormerod", "Pickles", "Postlethwaite", "Quarmby", "Ramsbottom", "Rushworth", "Sagar",
    "Scarisbrick", "Shuttleworth", "Sowerby", "Stansfield", "Sutcliffe", "Tattersall",
    "Thistlethwaite", "Tickle", "Umpleby", "Varley", "Wadsworth", "Walmsley", "Whitworth",
    "Wolstenholme", "Yardley", "O'Rourke", "Kaur", "Okafor", "Nowak", "Fitzgerald", "Mistry",
)
STREETS = (
    "Larkspur Close", "Millrace Lane", "Tanner's Row", "Quarry Bank", "Hollin Drive",
    "Beacon View", "Cobbler's Walk", "Weavers Court", "Ferndale Road", "Kiln Street",
    "Orchard Rise", "Saltings Way", "Fulling Mill Road", "Heron Crescent", "Ropewalk",
    "Chapel Fold", "Brackenhurst Avenue", "Nether Green", "Tithe Barn Lane", "Sheepwash Lane",
    "Wharfside", "Goose Green Terrace", "Oakapple Gardens", "Coldharbour Street",
)
TOWNS = (
    "Wexford Vale", "Ashcombe", "Little Harrowden", "Brindle Cross", "Saltmarsh Quay",
    "Nether Wexley", "Copperhill", "Kingsmoor", "Fellside", "Upper Tarrant",
)
HOMES = (
    "Willowbank Care Home", "The Laurels Nursing Home", "Heatherlea House", "Moorview Lodge",
    "St Cuthbert's Court", "Riverside Manor Care Centre", "Elmfield Residential Home",
)
HOME_CARE = ("Wexshire Home Support", "Brightday Care", "Valley Homecare", "CareLink Wexshire")
BUSINESSES = (
    "Northmoor Borough Council (cross-border placement)",
    "Kestrel Care Homes Ltd (client recharge)",
    "Harrowden Health Partnership (joint funding)",
    "Fellside Independent Living Trust",
)
_INWARD = "ABDEFGHJLNPQRSTUWXYZ"


def person(rng: random.Random) -> tuple[str, str, str]:
    """Title, first name and surname of an invented person."""
    if rng.random() < 0.58:
        return rng.choice(("Mrs", "Miss", "Ms", "Mrs")), rng.choice(FEMALE), rng.choice(SURNAMES)
    return "Mr", rng.choice(MALE), rng.choice(SURNAMES)


def postcode(rng: random.Random) -> str:
    return f"WX{rng.randint(1, 24)} {rng.randint(0, 9)}{rng.choice(_INWARD)}{rng.choice(_INWARD)}"


def address(rng: random.Random) -> tuple[str, str]:
    """A multi-line street address and its postcode."""
    lines = [f"{rng.randint(1, 180)} {rng.choice(STREETS)}", rng.choice(TOWNS), "Wexshire"]
    return "\n".join(lines), postcode(rng)
