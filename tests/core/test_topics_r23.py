"""Taxonomy r23: AI named as chip demand, deepfakes without AI, export-control wording, telecom named as a use."""
import pytest

from tests.core.topic_checks import assert_tagged_alike


# (title, text, topic, tagged): invented stories; each is tagged the other way by r22
R23_CHANGES = [
    # "artificial intelligence chips" said in full is the demand behind a chip curb, as "AI chips" is
    ("Washington widens curbs on chip sales to Gulf buyers",
     "The United States will restrict sales of advanced artificial intelligence chips to two Gulf states, the "
     "Commerce Department said on Tuesday.\n\n"
     "Chipmakers will need to report shipments of graphics processors above a set performance level.",
     "artificial-intelligence", False),
    # "AI semiconductors" in a foundry headline
    ("Foundry to make AI semiconductors at new Arizona plant",
     "A contract chipmaker will build a second wafer plant in Arizona to make advanced processors for data "
     "centres, it said on Monday.\n\nThe plant will use 3-nanometre technology and employ 2,000 people.",
     "artificial-intelligence", False),
    # a deepfake as a fraudster's method in a story that never names AI
    ("Police break up deepfake investment fraud ring",
     "Police in Manila arrested 14 people accused of using face-swapped video calls to sell fake gold "
     "investments to pensioners.\n\n"
     "Officers seized laptops and SIM cards. Victims lost about $2 million, police said.",
     "artificial-intelligence", False),
    # a licence granted to resume sales abroad is an export licence
    ("Toolmaker wins reprieve on China business",
     "A US maker of wafer inspection machines said on Friday it had been granted licences to resume sales of "
     "its older systems to China, ending a nine-month halt.\n\n"
     "The company said the approval covered service parts as well. Its shares rose 6%.",
     "export-controls", True),
    # applying for a licence before shipping, in a story about exporters
    ("Seoul tightens rules on drone parts",
     "South Korean exporters will have to apply for a licence before shipping drone motors and thermal cameras to "
     "five Central Asian countries, the trade ministry said.\n\n"
     "Officials said the parts had turned up in weapons used in Ukraine.",
     "export-controls", True),
    # Japan's End User List
    ("Tokyo adds 30 firms to end-user list",
     "Japan added 30 companies in Turkey and the United Arab Emirates to its end-user list on Tuesday, and "
     "Japanese exporters must now ask for approval before selling them machine tools.",
     "export-controls", True),
    # licences before supplying equipment abroad, told as a national-security measure without the word "export"
    ("The Hague widens licence demands on lithography servicing",
     "The Netherlands will require its lithography champion to obtain government licences before supplying spare "
     "parts for scanners installed in China, the government said on Friday.\n\n"
     "Ministers cited national security. The company said the impact on its results would be small.",
     "export-controls", True),
    # the Entity List as wire copy names it
    ("Washington adds 18 firms to trade blacklist over drone parts",
     "The United States added 18 companies in China and Turkey to a trade blacklist on Wednesday, accusing them of "
     "helping Russia obtain drone engines.",
     "export-controls", True),
    # the control regimes by name
    ("Satellite maker fined over missed paperwork",
     "A satellite component maker agreed to pay $3 million after shipping star trackers covered by the "
     "International Traffic in Arms Regulations without the required approval, regulators said.\n\n"
     "Some of the items were also subject to the Export Administration Regulations.",
     "export-controls", True),
    ("Memory makers lose waiver for China fabs",
     "Two Korean memory makers will lose their validated end-user status for plants in China at the end of the "
     "year, so tool suppliers will need approval for each shipment to those fabs.",
     "export-controls", True),
    # a government halting its own exports
    ("Jakarta halts palm oil exports",
     "Indonesia will halt exports of crude palm oil from Monday until cooking oil prices at home fall, the trade "
     "ministry said.\n\nThe government said the halt would be reviewed every month.",
     "export-controls", True),
    # networks named as a use of a mineral under an export ban: no network story
    ("Germanium users turn to recycling as Beijing's ban bites",
     "European makers of infrared optics and compound semiconductor wafers are recycling more germanium and "
     "gallium after China banned exports of both metals to several countries.\n\n"
     "Gallium goes into chips for 5G base stations and radar, germanium into fibre-optic cables and night-vision "
     "lenses. China refines most of the world's supply of both critical minerals.\n\n"
     "Prices of germanium in Rotterdam have doubled since the export ban, traders said, and chipmakers are "
     "qualifying wafers made from recycled gallium. Export licences for the metals now take two months.",
     "telecom", False),
]

# traps: tagged alike by r22 and r23
R23_TRAPS = [
    # an AI lab's own chips in a story about the lab's models stays AI
    ("Chatbot maker to design its own artificial intelligence chips",
     "OpenAI is working with a chip designer on its first artificial intelligence chip, to run ChatGPT and train "
     "its next large language model, people familiar with the plan said.",
     "artificial-intelligence", True),
    # a deepfake story that names AI stays AI
    ("Senate passes bill on sexual deepfakes",
     "The Senate passed a bill making it a crime to share sexual deepfakes, the AI-generated images that have "
     "spread on social media.\n\nThe bill now goes to the House.",
     "artificial-intelligence", True),
    # a financial watchdog's blacklist names no export
    ("Watchdog keeps three countries on money-laundering blacklist",
     "The Financial Action Task Force kept three countries on its blacklist on Friday and said banks should apply "
     "enhanced checks to transfers from them.\n\nTwo others were removed from its grey list.",
     "export-controls", False),
    # a strike halting exports is no government limit
    ("Port strike halts soybean exports",
     "A strike by port workers in Rosario halted soybean exports on Tuesday, the union said.\n\n"
     "The government called both sides to talks, and exporters said ships were queueing to load.",
     "export-controls", False),
    # a bar's licence to sell alcohol names no export
    ("Bars face new licence rules",
     "Bars in the city will need to obtain a licence before selling alcohol after midnight, the council said.\n\n"
     "Owners said the fee was too high.",
     "export-controls", False),
    # a carrier's network paragraph in a chip story is a network subject of its own
    ("Chipmaker opens radio chip plant",
     "A chipmaker opened a plant making gallium nitride chips for radios on Monday, and said chip demand from "
     "semiconductor buyers in Asia was strong. The semiconductor plant cost $2 billion.\n\n"
     "The company expects its chips to power most of the new plant's output by 2027, and its semiconductor sales "
     "to double.\n\n"
     "Vodafone said it would roll out the new radios across its mobile network and 5G base stations in Germany "
     "next year.\n\n"
     "The chipmaker also supplies carmakers and makes power semiconductors for trains.\n\n"
     "Vodafone shares were flat.",
     "telecom", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", R23_CHANGES + R23_TRAPS)
def test_r23_stories(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_telecom_named_as_a_use_yields_to_the_stronger_story(matcher):
    cands = matcher.explain(*R23_CHANGES[-1][:2])
    telecom = cands["telecom"]
    assert telecom.score >= 2.0 and not telecom.tagged  # enough evidence on its own
    assert telecom.reason.startswith("yields to ")
    target = cands[telecom.reason.removeprefix("yields to ")]
    assert target.tagged and target.score >= 1.5 * telecom.score


def test_ai_chip_demand_said_in_full_counts_as_ai_chip_demand(matcher):
    short = matcher.explain("Curbs on AI chips", "")["artificial-intelligence"]
    full = matcher.explain("Curbs on artificial intelligence chips", "")["artificial-intelligence"]
    assert full.score == short.score and [e.phrase for e in full.evidence] == ["artificial intelligence chips"]
