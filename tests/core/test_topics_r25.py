"""Taxonomy r25: AI as chip demand, export bans and truces as trade background, nickel supply, carriers as sponsors."""
import pytest

from pipelines.core.topics import load_taxonomy
from tests.core.topic_checks import assert_tagged_alike


# (title, text, topic, tagged): invented stories; each is tagged the other way by r24
R25_CHANGES = [
    # AI named only as the demand behind a foundry's orders, in the title and again in the lead
    ("Foundry sales jump as AI orders fill its lines",
     "A contract chipmaker in Hsinchu said monthly sales rose 28 percent, driven by processors that power "
     "artificial intelligence data centres.\n\n"
     "The company said its newest wafer lines were fully booked until the middle of next year.",
     "artificial-intelligence", False),
    # exports named as what a ban stops, beside one mention of trade tensions
    ("China bans antimony exports to Canada",
     "China banned exports of antimony to Canada on Friday, deepening trade tensions between the two countries.\n\n"
     "Antimony is used in flame retardants and ammunition.",
     "trade-tariffs", False),
    # a trade truce named as the deal under which magnet shipments resumed
    ("Magnet shipments to Europe resume under the trade truce",
     "Rare earth magnet shipments from China to European carmakers resumed this week, importers said.\n\n"
     "The first cargoes reached Rotterdam on Tuesday.",
     "trade-tariffs", False),
    # nickel as a mined and smelted supply beside its battery use
    ("Jakarta trims nickel ore quota",
     "Indonesia cut next year's nickel ore quota by a tenth, the mining ministry said, as smelters that supply "
     "battery makers face a glut.\n\n"
     "Officials expect prices to recover by the summer.",
     "critical-minerals", True),
    # a carrier's partnership with a cricket board is sponsorship
    ("Vodafone renews county cricket partnership",
     "Vodafone has renewed its partnership with the county cricket board for three more seasons.\n\n"
     "The club will also open a new stand next spring.",
     "telecom", False),
]


@pytest.mark.parametrize("title,text,topic,tagged", R25_CHANGES)
def test_r25_changes(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


# ordinary news each new rule must leave as it was (tagged the same by r24)
R25_TRAPS = [
    # an AI product story that names AI data centres is still an AI story
    ("Law firms adopt chatbot for contract review",
     "Three London law firms have adopted a chatbot built on a large language model to review contracts, the "
     "start-up behind it said.\n\n"
     "The model runs in AI data centres in Ireland, it said.",
     "artificial-intelligence", True),
    # exports rising, with no ban in sight, stay trade flows
    ("Japan's exports rise for a third month",
     "Japan's exports rose 6 percent in October as car shipments to the United States climbed, and the trade "
     "surplus widened, government data showed.\n\n"
     "Imports fell 2 percent.",
     "trade-tariffs", True),
    # tariffs cut under a truce are still tariffs
    ("Tariffs on steel cut under the trade truce",
     "Washington cut tariffs on steel from China to 10 percent under the trade truce agreed last month.\n\n"
     "Steelmakers in Ohio said they would lobby for the old rate.",
     "trade-tariffs", True),
    # nickel ore shipments in a story with no battery or supply-chain word are no critical-minerals story
    ("Nickel ore shipments from New Caledonia resume",
     "Nickel ore shipments from New Caledonia resumed on Monday after a two-week blockade of the port ended.\n\n"
     "Dock workers said the queue of ships would clear by Friday.",
     "critical-minerals", False),
    # a carrier's network partnership with an equipment maker is still a telecom story
    ("Vodafone and Ericsson sign partnership on rural 5G",
     "Vodafone and Ericsson signed a partnership to extend 5G coverage to 2,000 villages, the carrier said.\n\n"
     "The mobile network upgrade will start in Wales.",
     "telecom", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", R25_TRAPS)
def test_r25_traps(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_r25_version(matcher):
    # r25's stories hold in every later revision; r26 keeps them as they are
    assert int(load_taxonomy().version.split("-r")[1]) >= 25
