"""Taxonomy r26: licences and approvals said around the export, dual-use and permit regimes, background bans, fibre lines."""
import pytest

from pipelines.core.topics import load_taxonomy
from tests.core.topic_checks import assert_tagged_alike


# (title, text, topic, tagged): invented stories; each is tagged the other way by r25
R26_CHANGES = [
    # goods that may not be exported to a destination without the state's approval
    ("Taipei widens its list of machine parts for Moscow",
     "Taiwan said 120 more kinds of machine parts cannot be exported to Russia without government approval from "
     "next month.\n\n"
     "Makers of bearings and servo motors are the most affected, an industry group said.",
     "export-controls", True),
    # a sale to a controlled destination that needs a licence, said as what is barred
    ("Broker jailed over laser shipments",
     "A Hamburg broker was jailed for three years on Tuesday over a scheme to send industrial lasers to a buyer "
     "in Shenzhen.\n\n"
     "The lasers are barred from sale to China without a licence, the court heard.",
     "export-controls", True),
    # a government licensing sales to a controlled destination
    ("Washington to license sales of older accelerators to Chinese buyers",
     "The administration will license sales of two older accelerator models to Chinese buyers in return for a "
     "share of the revenue, officials said.\n\n"
     "Chip designers welcomed the step.",
     "export-controls", True),
    # the dual-use regime by its own name
    ("Brussels rewrites its dual-use regulation",
     "The European Commission proposed changes to the bloc's dual-use regulation on Wednesday, adding quantum "
     "computers and some drone parts.\n\n"
     "Exporters would have to report such sales to member states each year.",
     "export-controls", True),
    # a licence regime said as a permit system, beside export-control words
    ("Jakarta's new permit system slows nickel matte cargoes",
     "Traders said shipments of nickel matte were piling up at ports after the trade ministry required a permit "
     "for each cargo, which companies must obtain before they are allowed to export.\n\n"
     "Officials said the rules guard against transshipment of dual-use metal to sanctioned buyers.",
     "export-controls", True),
    # goods on a state's control list beside a destination
    ("Singapore adds drone engines to strategic goods bound for Russia",
     "Singapore added drone engines and flight controllers to its strategic goods rules, officials said on "
     "Monday.\n\n"
     "Controlled goods for Russia now number more than 900 items.",
     "export-controls", True),
    # breaking export laws, in the headline
    ("Toolmaker fined for breaking export laws",
     "A Stuttgart toolmaker paid a 2 million euro fine after prosecutors said it sent grinding machines to a "
     "buyer in Belarus.\n\n"
     "The company said its compliance team had been replaced.",
     "export-controls", True),
    # a state banning the export of a component, said as "banning the export of"
    ("Car plants idle as component row deepens",
     "Carmakers in Germany warned of stoppages as a dispute over a Dutch components maker dragged on.\n\n"
     "Beijing retaliated by banning the export of the company's diodes from its Chinese plant, where most of "
     "them are packaged.",
     "export-controls", True),
    # a past ban and a licence regime named once each in a rare-earth plant story are its background
    ("Miner opens heavy rare earth separation line in Malaysia",
     "A Perth-based miner said its plant in Malaysia produced its first dysprosium oxide, making it the first "
     "producer of separated heavy rare earths outside China.\n\n"
     "Terbium output will follow next year, the company said, as magnet makers in Japan line up for supply.\n\n"
     "China's licensing regime for several of the elements left some buyers short this spring.\n\n"
     "Malaysia has banned exports of unprocessed rare earth ore since 2024 to keep processing at home.\n\n"
     "Neodymium and praseodymium from the plant already go into magnets for electric vehicles and wind "
     "turbines, and rare earth prices outside China have climbed all year as carmakers sought new suppliers.\n\n"
     "The company said the expanded line could handle 1,500 tonnes a year of heavy rare earth feedstock from its "
     "own mine in Western Australia, and that shares had risen 6 percent in Sydney after the announcement.",
     "export-controls", False),
    # duties on optical fibre cable, beside broadband
    ("EU keeps duties on optical fibre cable",
     "The European Commission kept anti-dumping duties on imports of the cable from China for five more years.\n\n"
     "Some builders of rural broadband lines said the duties raise their costs.",
     "telecom", True),
    # a carrier's mobile and fibre networks, in the lead
    ("Operator hands routine fault repairs to software agents",
     "A Lisbon operator said it has moved routine fault handling across its mobile and fibre networks to a set of "
     "software agents after a year-long trial.\n\n"
     "Engineers still sign off on larger changes, the company said.",
     "telecom", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", R26_CHANGES)
def test_r26_changes(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


# ordinary news each new rule must leave as it was (tagged the same by r25)
R26_TRAPS = [
    # a shop selling without a licence, in a story naming exports: no export or destination in the match
    ("Pharmacy chain fined for selling slimming pills without a licence",
     "A pharmacy chain was fined 40,000 pounds for selling slimming pills without a licence, the regulator said.\n\n"
     "The chain also exports vitamins to Ireland and the Netherlands.",
     "export-controls", False),
    # a drugmaker licensing a drug's sales to a Chinese partner is a licensing deal, not a state's licence
    ("Drugmaker licenses sales of its arthritis pill to a Chinese partner",
     "A Basel drugmaker licensed the sale of its arthritis pill to a Chinese partner for an upfront payment of "
     "$80 million.\n\n"
     "The partner will seek approval from regulators in Beijing next year.",
     "export-controls", False),
    # a car's dual-use controls
    ("Hatchback review: dual-use controls and a roomy boot",
     "The new hatchback's dual-use controls let one dial set both the volume and the cabin temperature.\n\n"
     "Its boot holds 480 litres, and a licence to drive it costs no more than for the old model.",
     "export-controls", False),
    # a work permit system, in a story naming exporters
    ("Seoul overhauls work permit system for factory staff",
     "South Korea will overhaul its work permit system for foreign factory workers from March, the labour "
     "ministry said.\n\n"
     "Exporters in the shipbuilding and car parts industries have complained of staff shortages.",
     "export-controls", False),
    # a state stockpile of strategic goods, in a story naming exports elsewhere
    ("Jakarta to stockpile strategic goods as prices climb",
     "Indonesia will stockpile rice, sugar, cooking oil and other strategic goods to hold down prices before the "
     "fasting month, the trade ministry said.\n\n"
     "Palm oil exports rose 5 percent in October, separate data showed.",
     "export-controls", False),
    # a ban on exporting ideas, said once in an opinion piece's body
    ("Universities must stay open to the world",
     "Britain's universities have trained the world's engineers for a century, and they should go on doing so, "
     "the vice-chancellors' body argued on Thursday.\n\n"
     "Ministers are weighing limits on foreign students in sensitive subjects such as aerospace.\n\n"
     "Critics of the plan say no government can impose a ban on the export of ideas.\n\n"
     "The consultation closes in March.",
     "export-controls", False),
    # an exporter's own halt is no state ban
    ("Miner halts exports after port fire",
     "A copper miner halted exports from its northern port after a fire damaged a conveyor, the company said.\n\n"
     "Shipments should resume next week.",
     "export-controls", False),
    # a news embargo and a sports "ban" are no export controls
    ("Report on doping kept under embargo until Monday",
     "The agency's report on doping in athletics was sent to journalists under embargo until Monday, and "
     "athletes named in it face a ban on competing abroad.\n\n"
     "The federation said it would not comment before then.",
     "export-controls", False),
    # OPEC output quotas are no export controls
    ("OPEC+ extends output quotas to the end of next year",
     "OPEC+ agreed to extend its output quotas to the end of next year, delegates said, as exports from the "
     "group's members held steady.\n\n"
     "Brent crude rose 1 percent after the meeting.",
     "export-controls", False),
    # an import ban is no export control
    ("Jakarta bans imports of used clothing",
     "Indonesia banned imports of used clothing to protect its textile makers, the trade ministry said.\n\n"
     "Importers have 30 days to clear their stock.",
     "export-controls", False),
    # a mineral story whose export licences are its own subject (a licence in the lead and a ban beside it) stays an
    # export-control story under the wider yield
    ("Gallium buyers scramble as Beijing slows licences",
     "Chinese officials have slowed export licences for gallium and germanium, traders said, leaving chip and "
     "solar suppliers short of the metals.\n\n"
     "Beijing banned exports of both metals to the United States last year.\n\n"
     "Gallium prices in Rotterdam rose 30 percent this month, and germanium prices hit a record.",
     "export-controls", True),
    # an optical fibre in surgery is no carrier's line
    ("Surgeons guide a laser through optical fibre to treat tumours",
     "Surgeons in Leeds guided a laser through an optical fibre as thin as a hair to destroy liver tumours.\n\n"
     "Patients went home the same day, the hospital said.",
     "telecom", False),
    # a full-fibre diet
    ("Full-fibre breakfast swaps for a healthier January",
     "Dietitians suggest full-fibre cereals and oats to start the day.\n\n"
     "Swapping white toast for rye adds several grams of fibre.",
     "telecom", False),
    # mobile and fixed clinic networks are no telecom networks
    ("Blood service expands mobile and fixed donor networks",
     "The blood service will expand its mobile and fixed donor clinic networks in rural Wales next year.\n\n"
     "Donors can book online.",
     "telecom", False),
]


@pytest.mark.parametrize("title,text,topic,tagged", R26_TRAPS)
def test_r26_leaves_ordinary_news_alone(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_r26_version(matcher):
    assert int(load_taxonomy().version.split("-r")[1]) >= 26
