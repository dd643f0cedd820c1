"""Taxonomy r24: export licensing wording, weak export mentions in mineral stories, carriers as sponsors, price-plan tariffs."""
import pytest

from pipelines.core.topics import load_taxonomy
from tests.core.topic_checks import assert_tagged_alike


# (title, text, topic, tagged): invented stories; each is tagged the other way by r23
R24_CHANGES = [
    # a licence named by the good it covers, in a story about exporters
    ("Robot makers wait months as Beijing's magnet licences pile up",
     "Makers of warehouse robots in Poland say they cannot plan production because exporters in China wait weeks "
     "for each consignment to be cleared.\n\n"
     "One company has switched two models to ferrite motors.",
     "export-controls", True),
    # licensing of a good's exports said as the cause of a shortage
    ("Turbine plant in Ohio cuts a shift",
     "A wind turbine plant near Toledo cut its night shift on Tuesday, blaming Beijing's stricter licensing of "
     "germanium and magnet exports for a shortage of parts.\n\n"
     "About 80 workers were moved to other lines.",
     "export-controls", True),
    # which chips may be sold to China, and a part subject to a state's controls
    ("Cloud firms in Shanghai ration graphics cards",
     "Chinese cloud providers are rationing computing time after Washington narrowed the list of chips that can be "
     "sold to China, customers said.\n\n"
     "Memory modules for the same servers are now subject to US controls as well, two traders said.",
     "export-controls", True),
    # the UK's trade sanctions enforcer fining a shipper; the ban is a prohibition on exporting
    ("OTSI fines Leeds electronics distributor",
     "The Office of Trade Sanctions Implementation fined a Leeds distributor 120,000 pounds for sending circuit "
     "boards to Belarus through a reseller in Armenia.\n\n"
     "The boards fall under the prohibition on exporting radio parts, the notice said.",
     "export-controls", True),
    # one export licence named as background in a mineral project's lead is not an export-control story
    ("Lithium refinery in Western Australia secures funding",
     "A lithium hydroxide refinery near Kwinana has raised A$400 million to finish construction, after China's "
     "export licences on battery-grade graphite pushed buyers to look for non-Chinese battery minerals.\n\n"
     "The refinery will process spodumene from two local lithium mines and sell to cathode makers in Korea. "
     "Lithium prices have fallen by half this year, and the company said its cobalt and nickel partners were "
     "studying a second plant.",
     "export-controls", False),
    # a carrier named as a sponsor of a sports league
    ("Vodafone signs on as title sponsor of netball league",
     "Vodafone will be title sponsor of the national netball league for four seasons, the league said on Monday.\n\n"
     "The money will fund travel for junior squads and coaching courses.",
     "telecom", False),
    # a carrier's naming rights on a stadium
    ("Verizon buys naming rights to Phoenix arena",
     "Verizon has bought the naming rights to the downtown arena in Phoenix for 12 years, the team said.\n\n"
     "The deal is worth about $8 million a year and includes signage at the practice ground.",
     "telecom", False),
    # a carrier named a tournament's principal partner
    ("Swisscom named principal partner of Geneva e-sports cup",
     "Organisers signed Swisscom as principal partner of the Geneva e-sports cup for three years on Thursday.\n\n"
     "Prize money rises to 200,000 francs and the final moves to a bigger hall.",
     "telecom", False),
    # the carrier's name with its accent, in its headline
    ("Telefónica sells Argentine unit to local buyer",
     "The Spanish group agreed to sell its Argentine business to a local investment group for $1.2 billion.\n\n"
     "The buyer said it would keep the brand.",
     "telecom", True),
    # a carrier's fixed-line and fibre-to-the-home business
    ("Telkom profit rises as fibre-to-the-home grows",
     "Telkom's half-year profit rose 12% as fibre-to-the-home connections grew and the decline of its fixed-line "
     "business slowed.\n\n"
     "The board raised the interim dividend.",
     "telecom", True),
    # a tax on mobile money transfers is a tax story
    ("Uganda lawmakers vote to cut mobile money levy",
     "Ugandan members of parliament voted to halve the levy on mobile money withdrawals, saying it hurt poor "
     "households.\n\n"
     "The finance ministry said it would look for revenue elsewhere.",
     "telecom", False),
    # a household's energy tariff
    ("Heat pump app review: it picks your tariff's cheapest hours",
     "The app links to your energy supplier and moves heating into the cheapest half-hours of a time-of-use "
     "tariff.\n\n"
     "It costs 3 pounds a month and works with most heat pumps.",
     "trade-tariffs", False),
    # a telco's price plan rise
    ("Jio lifts ARPU after tariff hikes",
     "The telco said average revenue per user rose 8% in the quarter after it raised tariff prices for prepaid "
     "plans in July.\n\n"
     "Its 5G subscribers passed 150 million.",
     "trade-tariffs", False),
    # trade sanctions on dual-use goods are an export ban, not trade policy
    ("Exporters warned on new trade sanctions guidance",
     "Britain published new guidance on its trade sanctions against Russia on Tuesday, listing dual-use machine "
     "parts that freight forwarders must check.\n\n"
     "Forwarders must keep records for six years.",
     "trade-tariffs", False),
]

# traps: tagged alike by r23 and r24
R24_TRAPS = [
    # a rare earth mining licence, with no export context, is no export licence
    ("Greenland grants rare earth licence to Kvanefjeld rival",
     "Greenland's government granted a rare earth licence for an exploration project in the south of the island "
     "on Friday.\n\n"
     "The company plans drilling next summer.",
     "export-controls", False),
    # a licence story told in its headline stays an export-control story beside a rare-earth story
    ("Magnet maker wins first rare earth export licence in months",
     "A Ningbo magnet maker said it had won an export licence for dysprosium magnets, the first in months, as "
     "rare earth prices climbed. Neodymium oxide rose 4% and terbium 6% this week.\n\n"
     "Rare earth producers in Baotou raised output quotas, and heavy rare earth separators said demand from "
     "magnet plants was strong.",
     "export-controls", True),
    # a carrier's results, its sponsorship named far from its name
    ("Vodafone lifts outlook as 5G customers grow",
     "Vodafone raised its full-year outlook on Tuesday after adding 2 million 5G customers in Germany and Britain.\n\n"
     "The company said network investment would rise next year. Separately, its marketing chief said a "
     "football shirt deal would end in May, and that the money would go to other kinds of sponsorship.",
     "telecom", True),
    # tariffs on goods in a story that also names an energy supplier remain trade policy
    ("EU tariffs on Chinese heat pumps would raise prices, suppliers say",
     "Tariffs on Chinese heat pumps under study in Brussels would add 15% to installation costs, an energy supplier "
     "and two installers told lawmakers.\n\n"
     "China's commerce ministry said it would respond to any duties.",
     "trade-tariffs", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", R24_CHANGES)
def test_r24_changes(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


@pytest.mark.parametrize("title,text,topic,tagged", R24_TRAPS)
def test_r24_traps(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_r24_version(matcher):
    # r24's rules stand in later revisions, whose own test files check their version
    version = load_taxonomy().version
    assert version.startswith("2025.06-r") and int(version.rsplit("-r", 1)[1]) >= 24


# review mends of r23/r24 (context beside the hit, not anywhere in the story): invented stories, each tagged the
# other way before the mends
R24_REVIEW_MENDS = [
    # a licence to sell granted by a council, the owner's years abroad named elsewhere
    ("Harbour bar wins late-night licence",
     "The borough council granted a licence to sell beer and wine until 1am to the Anchor on the quay.\n\n"
     "Its landlady, who ran bars abroad for a decade, said trade would pick up in summer.",
     "export-controls", False),
    # a medicines regulator's licence; the maker's exports and national security of supply named elsewhere
    ("Generic insulin cleared for pharmacies",
     "The medicines agency granted a licence to sell a generic insulin, citing the national security of medicine "
     "supply. The maker applied for a licence before supplying hospitals last year.\n\n"
     "The company exports insulin pens to 30 countries.",
     "export-controls", False),
    # a gambling licence for online sales; the operator's lotteries abroad
    ("Betting firm granted licence for online sales",
     "The gaming commission granted a licence for online sales of scratchcards to a Dutch operator, which also runs "
     "lotteries overseas.",
     "export-controls", False),
    # a fisheries permit before selling the catch; exporters of the fish named beside it
    ("Crab boats need permits before selling catch",
     "Crab fishermen need a permit before selling their catch under new fisheries rules, the ministry said. "
     "Exporters of crab said the paperwork cost them a week.",
     "export-controls", False),
    # a competition regulator's approval to sell a business
    ("Brewer granted approval to sell soft drinks unit",
     "The brewer was granted approval to sell its soft drinks arm to a private equity fund, the competition "
     "regulator said. The unit exports juice to 25 countries.",
     "export-controls", False),
    # a miner halting its own exports while it talks to the government
    ("Copper miner halts exports in royalty row",
     "The chief executive said the company had stopped exports of copper cathode while it negotiated with the "
     "government over royalties set by the mines minister.\n\n"
     "Its shares fell 6%.",
     "export-controls", False),
    # a carmaker suspending its own exports; the government named as not involved
    ("Honda suspends motorbike exports to Myanmar",
     "Honda said it had suspended exports of motorbikes to Myanmar because of payment problems. The government in "
     "Tokyo did not ask for the move, a ministry official said.",
     "export-controls", False),
    # a plan to halt a slide in exports is export promotion
    ("Cabinet backs credit plan for manufacturers",
     "The cabinet approved cheap credit for manufacturers on Monday to stop the slide in exports, the trade minister "
     "said. Officials want to halt a decline in exports that has run for eight months.",
     "export-controls", False),
    # a government saying it will not halt exports
    ("Thailand will not halt rice exports, minister says",
     "Thailand will not halt rice exports this year despite a weak harvest, the commerce minister said.",
     "export-controls", False),
    # a real ban that critics attacked in words ("came under fire") far from the hit
    ("Philippines to halt nickel ore exports",
     "The Philippines government will halt exports of raw nickel ore from June, the mines minister said on "
     "Tuesday, a plan that has come under fire from miners who say local smelters cannot take the output.",
     "export-controls", True),
    # a real ban in a story that names a pipeline of plants further on
    ("Zambia suspends raw cobalt exports",
     "Zambia's government suspended exports of raw cobalt hydroxide on Monday, the mines minister said, to push "
     "miners to refine at home. A pipeline of refinery projects is planned with Gulf money.",
     "export-controls", True),
    # a government licence before servicing, its destination named within 20 words
    ("Netherlands widens servicing licences for chip tools",
     "The Netherlands will require toolmakers to obtain government licences before servicing or supplying spare "
     "parts for a wider range of older lithography systems already installed in China, the trade ministry said.\n\n"
     "The rule takes effect in April.",
     "export-controls", True),
    # the Russian news agency ITAR-TASS
    ("Moscow warns on missile deployment",
     "MOSCOW (Reuters) - Russia will answer any missile deployment in Poland, Deputy Foreign Minister Sergei "
     "Ryabkov told the ITAR-TASS news agency on Monday.\n\nHe gave no details.",
     "export-controls", False),
    # a central bank's blacklist; its exporter clients named further on
    ("Central bank blacklists two lenders",
     "The central bank blacklisted two small lenders on Thursday for breaching liquidity rules, barring them from "
     "the interbank market until further notice.\n\n"
     "The two banks mostly lent to exporters of leather goods and shoes.",
     "export-controls", False),
    # an EU tax-haven blacklist
    ("EU adds three states to tax haven blacklist",
     "EU finance ministers added three states to the bloc's blacklist of tax havens on Tuesday, saying they had "
     "failed to share bank data.\n\nCompanies and exporters registered there may face more paperwork, officials said.",
     "export-controls", False),
    # a software licence's end-user list price
    ("Software maker lifts licence prices",
     "The company will raise the end-user list price of its design licences by 12% from May. Volume license "
     "customers will see end-user list prices rise when they renew.",
     "export-controls", False),
    # a deepfake story whose only "AI" is a firm's name
    ("Singer sues over deepfake advert",
     "The singer sued a shoe brand over a deepfake advert that showed her wearing its trainers. Her lawyer, of "
     "AI Partners LLP, said the clip was a forgery.",
     "artificial-intelligence", False),
    # r24: a rare earth mining licence; the project's future exports named further on
    ("Malawi grants rare earth licence to Kangankunde rival",
     "Malawi's mines ministry granted a rare earth licence for a deposit in the south of the country on Monday. "
     "The company said it expected to begin exports of concentrate to Europe within four years.\n\n"
     "Drilling starts in the dry season.",
     "export-controls", False),
    # r24: a town's licensing of souvenir magnets; tourists from overseas named beside them
    ("Seaside town ends magnet licensing for kiosks",
     "The council scrapped magnet licensing for seafront kiosks. Kiosk owners who sell fridge magnets to visitors "
     "said the fee had cost them a summer of trade, and exporters of souvenirs welcomed the move.",
     "export-controls", False),
    # r24: licences for cobalt mining, in a story naming copper and cobalt exports
    ("Congo to review licences for cobalt mining",
     "Congo's mines ministry will review licences for cobalt mining in Lualaba after complaints from villagers. "
     "Exports of copper and cobalt bring in most of the budget.",
     "export-controls", False),
    # a carrier upgrading its network on a chipmaker's modems, no telecom word in the title
    ("Farm towns to get faster service by autumn",
     "Verizon will upgrade its network in 250 farming towns by autumn, using MediaTek's newest modem chips, the "
     "carrier said on Wednesday.\n\n"
     "MediaTek said its chips, made by TSMC on a 4-nanometre process, cut power use by a quarter. The chipmaker's "
     "shares rose 3%, and analysts said the semiconductor supplier would win more orders.",
     "telecom", True),
    # an operator delaying its 5G rollout for want of gallium
    ("Operator slows rollout as gallium runs short",
     "The operator said it would slow the rollout of its 5G network because gallium, used in base station "
     "amplifiers, had become scarce after China curbed exports of the metal. Gallium and germanium prices have "
     "doubled this year, and critical minerals traders expect supply to stay tight.",
     "telecom", True),
]

# traps: tagged alike before and after the mends
R24_REVIEW_TRAPS = [
    # a power grid upgraded with chips: no carrier word beside the network
    ("Utility upgrades grid controls with new chips",
     "The utility will upgrade its network of substations with Infineon's power chips, the company said. The "
     "chipmaker's silicon carbide semiconductors cut losses by 5%.\n\n"
     "Infineon shares rose 1%.",
     "telecom", False),

    # a government's sanitary suspension of its exports is a government restriction on exports, as defined
    ("Poland stops poultry exports from western region",
     "The government said it would stop poultry exports from the affected region for 30 days after vets confirmed "
     "bird flu at a farm near Poznan.\n\nFarmers said prices had fallen.",
     "export-controls", True),
    # a licence granted to sell to China is an export licence
    ("Chip tester wins licences for China sales",
     "A US maker of chip testers said it had been granted licences to resume sales of its older machines to Chinese "
     "foundries.\n\nThe shares rose 9%.",
     "export-controls", True),
    # Japan's End User List, as wire copy spells it
    ("Japan adds 12 firms to End User List",
     "Japan's trade ministry added 12 companies in Russia and Iran to its End User List, so exporters need licences "
     "to ship them any goods.",
     "export-controls", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", R24_REVIEW_MENDS)
def test_r24_review_mends(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


@pytest.mark.parametrize("title,text,topic,tagged", R24_REVIEW_TRAPS)
def test_r24_review_traps(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


# Mends after round 7 was scored (from a new-user review): lithium as a drug and lithium-ion battery fires are not
# critical-minerals; lithium mining beside a water worry and lithium prices still are. Invented stories.
LITHIUM = [
    ("Singer says lithium saved her career",
     "The singer told a radio host that she has taken lithium for a decade, prescribed after a breakdown on tour.\n\n"
     "She said the drug steadied her moods and let her write again.\n\nHer new album is out on Friday.",
     "critical-minerals", False),
    ("Scooter blaze: fire chiefs warn on cheap chargers",
     "Fire chiefs warned on Monday that cheap chargers were behind a rise in lithium-ion battery fires in homes.\n\n"
     "A lithium battery fire in a flat in Leeds injured two people last week.\n\nThe brigade urged owners to charge "
     "scooters outside.",
     "critical-minerals", False),
    ("Residents fear lithium mine will foul their drinking water",
     "Residents of a Nevada valley told regulators on Tuesday that a proposed lithium mine could drain and pollute the "
     "aquifer that supplies their drinking water.\n\nThe company says the mine would supply lithium for 400,000 "
     "electric-car batteries a year.",
     "critical-minerals", True),
    ("Lithium prices slide as Chinese refiners cut output",
     "Lithium carbonate prices fell for a third week as refiners in Jiangxi cut output, traders said.\n\n"
     "Analysts expect a surplus until 2027.",
     "critical-minerals", True),
]


@pytest.mark.parametrize("title,text,topic,tagged", LITHIUM)
def test_lithium_the_drug_and_battery_fires_are_not_the_mineral(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)
