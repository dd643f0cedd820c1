"""Taxonomy r27: AI capacity as chip demand, office AI tools, chips and fibre builds by kind, exporters' licences."""
import pytest

from pipelines.core.topics import load_taxonomy
from tests.core.topic_checks import assert_tagged_alike


# (title, text, topic, tagged): invented stories; each is tagged the other way by r26
R27_CHANGES = [
    # a memory market story naming AI servers and the capacity built for generative AI as its demand
    ("Flash prices climb as module makers run short",
     "Prices of NAND flash for phones and laptops rose for a third month as suppliers steered output towards "
     "drives for AI servers, traders said.\n\n"
     "Module makers in Shenzhen said lead times had doubled since June and some smaller buyers were being "
     "put on allocation.\n\n"
     "Enterprise drive demand is climbing as cloud groups add inference capacity for generative AI, one "
     "analyst said.\n\n"
     "Contract prices are expected to rise again next quarter.",
     "artificial-intelligence", False),
    # a council budget that names the AI tool it will trial once, and in the headline
    ("Tamworth council trials AI note-taker as it trims library hours",
     "Tamworth Regional Council will cut weekend opening hours at two branch libraries to save A$300,000 a "
     "year, councillors agreed on Tuesday.\n\n"
     "The mayor said the savings would fund road resealing in outlying villages, which residents ranked "
     "first in last year's survey.\n\n"
     "Staff will also trial an AI note-taking tool for committee meetings from March.\n\n"
     "The budget goes to public consultation next month.",
     "artificial-intelligence", False),
    # chips named by kind: microcontrollers and MCUs
    ("Appliance makers find MCUs on the shelf again",
     "Microcontrollers for washing machines and boilers are back in stock at most distributors, buyers said, "
     "ending two years of rationing.\n\n"
     "Lead times for 32-bit MCUs have fallen to ten weeks.",
     "semiconductors", True),
    # silicon carbide power devices
    ("Bus maker signs silicon carbide deal",
     "A Polish bus maker signed a five-year agreement for silicon carbide power modules for its electric "
     "buses.\n\n"
     "SiC MOSFETs cut inverter losses, the company said.",
     "semiconductors", True),
    # a carrier's build told as a fibre build and fixed wireless
    ("Valley homes get fibre at last",
     "A regional operator finished its fibre build to 3,000 farms in the upper valley this week, replacing "
     "fixed-wireless links that failed in storms.\n\n"
     "Residents said video calls now work.",
     "telecom", True),
    # exporters who need licences for a service on controlled tools
    ("Seoul tightens rules on tool servicing",
     "South Korea said on Monday that exporters would now need licences for repairs and software updates on "
     "some etching machines installed abroad.\n\n"
     "Toolmakers said the change would slow service visits.",
     "export-controls", True),
    # a licensing regime named once, with its export word, in a rare-earth producer's results
    ("Neo lifts NdPr output to a record",
     "Neo Performance said it produced 1,900 tonnes of neodymium-praseodymium oxide in the quarter, helped "
     "by tight supply after Beijing's export licensing regime unsettled magnet makers.\n\n"
     "Its dysprosium and terbium output also rose, and the rare earth producer said its separation plant in "
     "Estonia ran at full rate.\n\n"
     "Prices for NdPr oxide and other rare earths rose in the quarter.",
     "export-controls", False),
]


@pytest.mark.parametrize("title,text,topic,tagged", R27_CHANGES)
def test_r27_changes(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


# ordinary news each new rule must leave as it was (tagged the same by r26)
R27_TRAPS = [
    # an AI lab's model launch that names the GPUs and the inference capacity it built
    ("Lab releases open-weight model trained on 20,000 GPUs",
     "A Paris AI lab released an open-weight language model on Thursday that it said matches larger rivals on "
     "coding tests.\n\n"
     "The model was trained on 20,000 Nvidia GPUs, and the company said it had tripled its inference capacity "
     "for AI agents that run on it.",
     "artificial-intelligence", True),
    # an AI regulation story that says chips and capacity for AI
    ("Senate panel advances AI safety bill",
     "A Senate committee advanced a bill on Wednesday requiring developers of the largest AI models to test "
     "them for dangerous capabilities before release.\n\n"
     "Supporters said the rules would not slow the building of data-centre capacity for AI or chip purchases.",
     "artificial-intelligence", True),
    # a chip export story that does discuss AI model training
    ("Washington weighs curbs on chips used to train Chinese AI models",
     "US officials are weighing new export controls on accelerators after Chinese labs trained large language "
     "models on chips bought through resellers, people familiar with the matter said.\n\n"
     "The rules would add capacity for AI training abroad to the licence checks.",
     "artificial-intelligence", True),
    # a story about the AI note-taker itself: AI said again beside the tool
    ("Hospital's AI note-taker misses allergy, review finds",
     "An AI scribe used in a Brisbane emergency department left a patient's penicillin allergy out of its "
     "summary, a review found.\n\n"
     "The hospital said the AI tool would stay in use but doctors must now check every AI-generated note, and "
     "the vendor said its model had been updated.",
     "artificial-intelligence", True),
    # MCU, the film universe
    ("Box office: the MCU's new team-up opens soft",
     "The latest film in the MCU took $88 million in North America at the weekend, below forecasts.\n\n"
     "Analysts said superhero fatigue is real, and that the MCU needs a hit.",
     "semiconductors", False),
    # silicon carbide, the abrasive
    ("Grinding wheel maker expands in Ohio",
     "A Cleveland maker of grinding wheels will add 80 jobs, it said, as demand for silicon carbide abrasives "
     "from foundries and steel mills rose.\n\n"
     "The company also makes sandpaper.",
     "semiconductors", False),
    # a diet's fibre and a route that is no network
    ("Dietitians push for more fibre at school lunches",
     "Dietitians asked the state to add more fibre to school lunches, saying a fibre build-up over the day "
     "helps children concentrate.\n\n"
     "The cycling route past the school is also being rebuilt.",
     "telecom", False),
    # exporters who need something other than a licence
    ("Exporters need a weaker rand, chamber says",
     "South African exporters need a weaker currency and faster ports to compete, the chamber of commerce "
     "said on Tuesday.\n\n"
     "Fruit growers said shipping delays cost them more than the exchange rate.",
     "export-controls", False),
    # a story about the licensing regime itself stays an export-control story
    ("Beijing widens its export licensing regime to five more rare earths",
     "China's commerce ministry added five rare earth elements to its export licensing regime on Thursday, "
     "and said exporters must obtain licences for magnets made with Chinese technology.\n\n"
     "Magnet makers in Japan said shipments would slow.",
     "export-controls", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", R27_TRAPS)
def test_r27_leaves_ordinary_news_alone(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_r27_version(matcher):
    assert int(load_taxonomy().version.split("-r")[1]) >= 27
