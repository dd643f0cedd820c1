"""Phrase banks for synthetic news articles: slot values, per-topic templates, multi-topic combos and topic traps.

Templates use `{slot}` for per-article values and `[one|two]` for a per-use choice.
All names of people, companies and sites are invented.
"""

FIRST_NAMES = [
    "Amara", "Bjorn", "Celia", "Darius", "Elena", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
    "Kavya", "Lucas", "Mei", "Nadia", "Oscar", "Priya", "Quentin", "Rosa", "Samir", "Tamsin",
    "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia", "Callum", "Leila", "Mateo", "Ngozi",
]
LAST_NAMES = [
    "Achterberg", "Bello", "Castellanos", "Drummond", "Eklund", "Fairweather", "Gallagher", "Haddad",
    "Ishikawa", "Jovanovic", "Kowalczyk", "Lindqvist", "Marchetti", "Nakagawa", "Okonkwo", "Petrakis",
    "Quayle", "Ramaswamy", "Sandoval", "Thornbury", "Uchenna", "Valcourt", "Whitlock", "Yamamura",
    "Zielinski", "Abernathy", "Brennan", "Desrosiers", "Halvorsen", "Moretti",
]

SLOTS = {
    "analyst_role": ["a fund manager", "chief economist", "a senior analyst", "head of research", "a portfolio manager", "a strategist"],
    "firm": ["Harrow Capital", "Bluewater Asset Management", "Kestrel Securities", "Larchmont Partners", "Tidemark Research", "Quarry Hill Investors", "Ostrava Bank"],
    "expert_org": ["the Centre for Strategic Supply", "the Institute for Industrial Policy", "Ashgrove University", "the Pelham Foundation", "the Trade Policy Forum", "Caldwell Institute"],
    "country": ["Japan", "South Korea", "Germany", "Australia", "India", "Canada", "Brazil", "Vietnam", "Indonesia", "Mexico", "France", "Chile", "Malaysia", "Poland"],
    "dateline": ["WASHINGTON", "BEIJING", "LONDON", "TOKYO", "BRUSSELS", "SEOUL", "SYDNEY", "SINGAPORE", "FRANKFURT", "NEW DELHI", "OTTAWA", "GENEVA"],
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
    "month": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"],
    "chipmaker": ["Sanvira Semiconductor", "Kotari Microsystems", "Helion Foundry", "Norrland Silicon", "Tesseron Devices", "Corvid Logic", "Brightpath Semiconductor"],
    "miner": ["Redcliff Minerals", "Auralis Mining", "Tanager Resources", "Kaweka Metals", "Ironbark Rare Earths", "Coldwater Lithium", "Marlow Basin Resources"],
    "ai_lab": ["Lumen Labs", "Parallax AI", "Cortexa", "Northstar Intelligence", "Quillon Systems", "Aperture Minds"],
    "telco": ["Veritel", "Skyreach Mobile", "Orbitel", "Castellan Telecom", "Meshline Networks"],
    "energy_co": ["Brightwater Energy", "Solenne Power", "Norgrid", "Caldera Oil and Gas", "Westerly Renewables", "Halden Utilities"],
    "pharma": ["Meridia Therapeutics", "Calloway Pharma", "Avenor Bio", "Sentry Biologics", "Halcyon Health"],
    "team": ["Rivermouth Rovers", "Eastfield United", "Kingsport Athletic", "Harbour City", "Ashby Wanderers", "Fenwick Town"],
    "sport": ["football", "rugby", "cricket", "basketball"],
    "mineral": ["lithium", "cobalt", "nickel", "graphite", "gallium", "germanium", "antimony", "tungsten", "manganese"],
    "ree": ["neodymium", "dysprosium", "terbium", "praseodymium", "samarium", "yttrium"],
    "disease": ["measles", "dengue fever", "influenza", "tuberculosis", "mpox", "cholera"],
    "university": ["Ashgrove University", "the University of Kelmscott", "Harrowgate Institute of Technology", "Linden College"],
    "region": ["the north-east", "the coastal provinces", "the southern states", "the capital region", "the western highlands"],
    "party": ["the Reform Alliance", "the Social Democrats", "the National Union", "the Green Coalition", "the Liberal Centre"],
    "venue": ["Lancaster Hall", "the Palais des Nations", "a conference centre near the airport", "the foreign ministry guesthouse"],
}

# Slots filled with a person: `{x}` full name, `{x_last}` surname for later references.
PERSON_SLOTS = ["analyst", "official", "exec", "expert", "player", "coach", "doctor", "scientist"]

# Numeric slots: name -> (kind, low, high)
NUMBER_SLOTS = {
    "pct": ("int", 3, 45), "pct2": ("int", 2, 30), "pct3": ("int", 50, 95),
    "dec": ("dec", 0.1, 3.9), "dec2": ("dec", 0.2, 6.5),
    "bn": ("dec", 1.5, 95.0), "bn2": ("dec", 0.4, 12.0),
    "m": ("int", 12, 900), "num": ("int", 3, 14), "big": ("int", 120, 950),
    "year": ("int", 2027, 2032), "gpx": ("int", 2650, 4400), "score1": ("int", 0, 4), "score2": ("int", 0, 3),
    "mins": ("int", 52, 89), "jobs": ("int", 300, 9000), "tons": ("int", 800, 60000), "oil": ("int", 58, 96), "num2": ("int", 2, 9),
}

NEUTRAL = {
    "closers": [
        "{exec_last} did not respond to a request for comment [outside business hours|on {weekday}|by the time of publication].",
        "The ministry said further details would be published [in the coming weeks|before the end of the year|after consultations with industry].",
        "A spokesperson for {firm} declined to comment on the matter.",
        "Officials are expected to brief reporters again on {weekday}.",
        "The full report is due to be presented to parliament [next month|early next year|in the spring].",
    ],
}

TOPICS = {
    "rare-earths": {
        "headlines": [
            "{country} moves to secure rare earth supply as {ree} prices climb",
            "Rare earth magnet shortage [deepens|eases] as export licences trickle out",
            "{miner} to build rare earth processing plant in {country}",
            "Prices of {ree} hit [two-year|record] high on supply fears",
        ],
        "leads": [
            "{miner} said on {weekday} it would spend ${bn} billion on a plant to separate rare earth oxides, a step it says will cut {country}'s reliance on imported {ree} for magnets used in electric motors and wind turbines.",
            "Prices of {ree}, one of the rare earth elements used in permanent magnets, rose {pct} percent this month as manufacturers scrambled for supplies after Beijing tightened its licensing of rare earth exports.",
            "Carmakers and wind turbine builders in {country} are running down their stocks of rare earth magnets, industry groups said, warning that some assembly lines could halt within weeks if shipments do not resume.",
        ],
        "body": [
            "China mines roughly {pct3} percent of the world's rare earths and refines an even larger share, giving Beijing considerable leverage over supply chains for magnets, defence systems and consumer electronics.",
            "The plant is designed to process {tons} tonnes of mixed rare earth concentrate a year, producing separated oxides of {ree} and {ree2} that can be turned into neodymium-iron-boron magnets.",
            "Magnet makers say the bottleneck is not mining but separation, a chemically intensive process in which the 17 rare earth elements are pulled apart from one another through hundreds of solvent extraction stages.",
            "Since the licensing regime was introduced, exporters have had to document the end user of every shipment of rare earth magnets, a process that traders say can take {num} weeks or longer.",
            "{miner} said its deposit contains high grades of heavy rare earths such as {ree}, which are scarcer than the light rare earths found in most mines outside China.",
            "Analysts said that even if new rare earth projects are approved this year, it would take until {year} or later before meaningful volumes of separated oxide reach magnet factories.",
            "The price of {ree} oxide on the domestic Chinese market has diverged sharply from prices quoted in Europe, where buyers are paying a premium of about {pct} percent for material that can be delivered quickly.",
            "Recycling of rare earth magnets from scrapped hard drives and motors remains small, accounting for less than {pct2} percent of supply, although several start-ups have announced pilot plants.",
        ],
        "quotes": [
            "\"Rare earths are the choke point that nobody can engineer around in the short term,\" said {analyst}, {analyst_role} at {firm}. \"You can redesign a motor, but not in a quarter.\"",
            "\"We have customers calling every day asking when the next shipment of magnets will clear customs,\" said {exec}, chief executive of {miner}.",
            "\"Building a separation plant is the easy part; building the skills to run one is what takes a decade,\" {expert} of {expert_org} said.",
        ],
        "subheads": ["Why rare earths matter", "A long road to new supply", "Magnets in short supply"],
    },
    "critical-minerals": {
        "headlines": [
            "{country} signs critical minerals pact to diversify supply chains",
            "{mineral} price slump forces {miner} to pause expansion",
            "Governments race to stockpile critical minerals as demand surges",
            "{miner} wins approval for {mineral} mine in {region}",
        ],
        "leads": [
            "{country} signed an agreement on {weekday} to cooperate on the exploration, processing and stockpiling of critical minerals, joining a growing list of governments trying to reduce their dependence on a single supplier of {mineral} and {mineral2}.",
            "{miner} said it would pause the expansion of its {mineral} operations after prices fell {pct} percent over the past year, a reminder that the rush for critical minerals is prone to boom and bust.",
            "Regulators approved {miner}'s plan for a {mineral} mine in {region}, clearing the way for what would be one of the largest new sources of the battery metal outside Asia.",
        ],
        "body": [
            "Critical minerals such as {mineral}, {mineral2} and copper are essential for batteries, power grids and defence equipment, and demand for them is expected to more than double by {year}, according to industry forecasts.",
            "The agreement includes provisions for joint stockpiles, shared geological surveys and financing for processing plants, which officials say are the weakest link in supply chains dominated by a handful of countries.",
            "China controls most of the global refining capacity for {mineral} and last year restricted exports of gallium, germanium and antimony, prompting importers to search for alternatives.",
            "The mine is expected to produce about {tons} tonnes of {mineral} concentrate a year once it reaches full capacity, with first production scheduled for {year}.",
            "Environmental groups have challenged the project in court, arguing that the water needed to process {mineral} would strain supplies for farms and communities in {region}.",
            "Price-floor mechanisms are being discussed among consuming countries so that new mines are not driven out of business by sudden drops in the price of {mineral}.",
            "The government also added {mineral2} to its official list of critical minerals, making projects that extract or refine it eligible for faster permitting and low-cost loans.",
        ],
        "quotes": [
            "\"Everyone wants a secure supply of critical minerals, but nobody wants to pay the premium that security costs,\" said {analyst}, {analyst_role} at {firm}.",
            "\"The geology is there; what has been missing is patient capital and a processing base,\" {official}, {country}'s resources minister, told reporters.",
            "\"We will not restart the expansion until the {mineral} price gives us a return on the capital,\" {exec}, the chief executive of {miner}, said on a call with analysts.",
        ],
        "subheads": ["Processing is the bottleneck", "What the agreement covers"],
        "bullets": {
            "intro": "The agreement commits the signatories to:",
            "items": [
                "joint funding for new refining capacity for {mineral} and {mineral2};",
                "a shared emergency stockpile to be drawn on during supply shocks;",
                "common standards for tracing where ore was mined;",
                "annual reviews of which minerals count as critical.",
            ],
        },
    },
    "semiconductors": {
        "headlines": [
            "{chipmaker} to build ${bn} billion chip plant in {country}",
            "Chip shortage fears return as demand for advanced semiconductors soars",
            "{chipmaker} shares jump after strong demand for memory chips",
            "{country} unveils subsidies to attract semiconductor manufacturing",
        ],
        "leads": [
            "{chipmaker} said on {weekday} it would invest ${bn} billion in a new semiconductor fabrication plant in {country}, the latest in a wave of factory announcements as governments compete to host chip production.",
            "{chipmaker} reported a {pct} percent rise in quarterly revenue, driven by demand for high-bandwidth memory chips, and said its advanced packaging capacity was sold out until {year}.",
            "{country}'s government unveiled a package of grants and tax credits worth ${bn} billion to attract semiconductor manufacturing, saying it wanted to produce a fifth of the chips its industry uses by {year}.",
        ],
        "body": [
            "The plant will produce logic chips on a {num}-nanometre-class process and is expected to employ about {big} engineers and technicians when it opens in {year}.",
            "Demand for semiconductors used in data centres has outstripped supply for most of the year, and lead times for some high-end chips have stretched to more than {num} months.",
            "Chipmakers have struggled to hire enough skilled workers for new fabs, and several projects have been delayed by shortages of cleanroom technicians and construction crews.",
            "The company uses extreme ultraviolet lithography machines, each costing more than $150 million, to print the finest features on its wafers.",
            "Memory chip prices have risen for {num} consecutive months, according to market trackers, as manufacturers shifted capacity towards more profitable high-bandwidth memory.",
            "Industry groups warned that the subsidies would only work if they were paired with investment in the supply chain, including wafers, specialty gases and chip design software.",
            "The foundry business, in which a company manufactures chips designed by others, has become the most contested part of the semiconductor industry, with only a few firms able to make the most advanced parts.",
            "{chipmaker} said yields at its newest production line had improved faster than expected, allowing it to raise its forecast for wafer shipments this year.",
        ],
        "quotes": [
            "\"A fab is a thirty-year commitment, so the question is not this year's subsidy but whether the rules will still be the same in a decade,\" said {analyst}, {analyst_role} at {firm}.",
            "\"Every customer we talk to wants more capacity for advanced chips than we can build,\" {exec}, {chipmaker}'s chief executive, said.",
            "\"Semiconductors are now treated as strategic infrastructure, like ports or power stations,\" said {expert} of {expert_org}.",
        ],
        "subheads": ["Racing for capacity", "The talent gap"],
    },
    "export-controls": {
        "headlines": [
            "US tightens export controls on advanced technology to China",
            "{country} adds firms to export blacklist over military links",
            "New export licence rules leave shippers in limbo",
            "Beijing retaliates with export curbs on {mineral}",
        ],
        "leads": [
            "The Commerce Department on {weekday} expanded its export controls, requiring licences for shipments of a wider range of equipment and software to China and adding {num} companies to its entity list.",
            "{country} added {num} foreign companies to its export control list, barring domestic firms from selling them dual-use goods without a licence, citing the risk that the items could be diverted to military use.",
            "Exporters say a backlog of licence applications has left shipments stuck in warehouses for weeks after the government changed its rules on dual-use goods without a transition period.",
        ],
        "body": [
            "Companies on the entity list cannot receive items subject to US export regulations unless the supplier obtains a licence, which is usually denied.",
            "The rules also restrict US persons from servicing equipment already installed at certain factories, a provision that industry lawyers said could have a larger effect than the new licence requirements themselves.",
            "Officials said the controls were aimed at preventing the transfer of technology with military applications and were not intended to cut off ordinary trade.",
            "Beijing said the export controls were a form of economic coercion and vowed to take \"necessary measures\" to protect the interests of Chinese companies.",
            "Licence applications now require detailed information on end users, and exporters must certify that the goods will not be re-exported to a third country without approval.",
            "Enforcement officials said they had opened {num} investigations into suspected diversion of controlled goods through intermediaries in third countries over the past year.",
            "Trade lawyers expect a wave of requests for clarification, because the new rules define controlled items by performance thresholds rather than by product names.",
        ],
        "quotes": [
            "\"Export controls only work if allies apply them in the same way, otherwise business simply moves,\" said {expert} of {expert_org}.",
            "\"We have {big} containers waiting on licence decisions and no timeline from the ministry,\" said {exec}, who runs a freight forwarding company.",
            "\"These measures are narrowly targeted at national security risks,\" {official}, a senior official, told reporters.",
        ],
        "subheads": ["Who is affected", "A licensing backlog"],
    },
    "trade-tariffs": {
        "headlines": [
            "{country} raises tariffs on imported steel and aluminium",
            "Tariff truce holds as negotiators seek broader trade deal",
            "Exporters brace for new round of import duties",
            "WTO panel rules against {country}'s tariffs on electric vehicles",
        ],
        "leads": [
            "{country} will raise import tariffs on steel and aluminium to {pct} percent from next month, the trade ministry said on {weekday}, responding to what it called a flood of cheap metal diverted from other markets.",
            "Negotiators extended a truce that had lowered tariffs on billions of dollars of goods, buying time to work on a broader trade agreement that both sides say is within reach.",
            "Exporters in {country} are rushing shipments out before a new round of import duties takes effect, pushing freight rates on key routes up {pct} percent in a week.",
        ],
        "body": [
            "The tariffs will apply to about ${bn} billion of imports a year and include an exemption for products that cannot be sourced domestically.",
            "Under the truce, tariffs on most goods were cut to {pct2} percent for {num} months, while both sides agreed to resume talks on market access and subsidies.",
            "Economists estimate that the import duties will add around {dec} percentage points to consumer prices over the next year, as importers pass on part of the cost.",
            "Retaliatory tariffs announced in response targeted agricultural exports, including soybeans, pork and wine, hitting farm states that had been hoping for a quick settlement.",
            "Customs data showed imports of the affected goods fell {pct} percent in the month after the tariffs were first announced, while shipments routed through third countries rose.",
            "A World Trade Organization dispute panel found that the duties were inconsistent with global trade rules, though the ruling is likely to be appealed.",
            "Business groups urged the government to publish a clear timetable for the tariff changes, saying uncertainty was delaying investment decisions more than the duties themselves.",
        ],
        "quotes": [
            "\"Tariffs are a tax paid at the border, and in the end someone in the supply chain has to absorb it,\" said {analyst}, {analyst_role} at {firm}.",
            "\"We are not looking for a trade war, but we will defend our industries,\" {official}, the trade minister, said.",
            "\"Every week of uncertainty costs us orders,\" said {exec}, who heads an exporters' association in {country}.",
        ],
        "subheads": ["Who pays", "What happens next"],
    },
    "artificial-intelligence": {
        "headlines": [
            "{ai_lab} releases new AI model, claims gains in reasoning",
            "Regulators weigh rules for artificial intelligence in hiring",
            "Companies pour billions into AI data centres",
            "{country} publishes national artificial intelligence strategy",
        ],
        "leads": [
            "{ai_lab} released a new version of its large language model on {weekday}, saying it scored higher on reasoning and coding benchmarks than its predecessor while costing less to run.",
            "Regulators are drafting rules that would require employers to tell job applicants when artificial intelligence is used to screen their applications, and to audit such systems for bias.",
            "Technology companies have announced more than ${bn} billion of spending on data centres for artificial intelligence this quarter alone, according to a tally of company disclosures.",
        ],
        "body": [
            "The model was trained on a mixture of licensed text, public web data and synthetic examples, the company said, without disclosing how much computing power it used.",
            "Machine learning researchers cautioned that benchmark scores can overstate real-world performance, particularly when test questions leak into training data.",
            "The draft rules would classify AI systems used in hiring, credit and policing as high risk, subjecting them to documentation and human oversight requirements.",
            "Businesses are experimenting with AI assistants to draft emails, summarise documents and write software, though surveys suggest only a minority have moved beyond pilot projects.",
            "Training the largest models requires tens of thousands of specialised processors running for months, and inference, the cost of answering users' queries, is rising as usage grows.",
            "Critics say generative AI tools have been trained on copyrighted work without permission, and several lawsuits by authors and news publishers are working their way through the courts.",
            "The strategy sets aside ${bn2} billion for research, computing infrastructure and training programmes, and proposes a national institute to test the safety of advanced AI systems.",
        ],
        "quotes": [
            "\"The models are getting better quickly, but the hard part is fitting them into the way organisations actually work,\" said {analyst}, {analyst_role} at {firm}.",
            "\"We think people deserve to know when an algorithm is making decisions about their lives,\" {official}, who is leading the consultation, said.",
            "\"Artificial intelligence is a general-purpose technology, and we should judge it by its uses rather than its hype,\" said {expert} of {expert_org}.",
        ],
        "subheads": ["How the model was built", "Safety questions remain"],
    },
    "telecom": {
        "headlines": [
            "{telco} to cut {jobs} jobs as 5G investment weighs on profits",
            "{country} auctions spectrum for next generation mobile networks",
            "Subsea cable damage disrupts internet traffic in {region}",
            "{telco} and {telco2} agree merger to create mobile giant",
        ],
        "leads": [
            "{telco} said it would cut {jobs} jobs and sell part of its tower portfolio, as the cost of rolling out 5G networks squeezes margins across the mobile industry.",
            "{country} raised ${bn2} billion in an auction of radio spectrum for mobile networks, with {telco} winning the largest share of the frequencies on offer.",
            "Internet traffic in {region} slowed on {weekday} after damage to a subsea cable, the operator said, forcing carriers to reroute data through other links.",
        ],
        "body": [
            "Mobile operators have spent heavily on 5G spectrum and equipment but have struggled to increase revenue per user, as customers are unwilling to pay more for faster speeds.",
            "The government has required operators to remove equipment from certain foreign vendors from their core networks by {year}, adding to the cost of upgrades.",
            "The spectrum in the 3.5 GHz band is considered the workhorse of 5G networks because it balances coverage and capacity.",
            "Repair ships can take {num} days or more to reach a damaged subsea cable, and permits are required to work in some territorial waters.",
            "Broadband providers are racing to replace copper lines with fibre, and the regulator said {pct3} percent of homes could now get gigabit connections.",
            "The merger would reduce the number of mobile network operators in the market from four to three, which competition authorities have resisted in the past because of concerns about higher prices.",
        ],
        "quotes": [
            "\"The industry built the networks, and others captured most of the value,\" said {analyst}, {analyst_role} at {firm}.",
            "\"We need scale to keep investing in coverage, particularly in rural areas,\" {exec}, {telco}'s chief executive, said.",
            "\"Subsea cables carry almost all intercontinental data, and they are more fragile than most people realise,\" said {expert} of {expert_org}.",
        ],
        "subheads": ["The cost of 5G", "Competition concerns"],
    },
    "economy-markets": {
        "headlines": [
            "Stocks [rise|slip] as investors weigh central bank outlook",
            "Blue-chip stocks rally as inflation cools",
            "{country}'s economy grows faster than expected in third quarter",
            "Central bank holds rates, signals cuts next year",
        ],
        "leads": [
            "Blue-chip stocks rose on {weekday} after data showed inflation cooled more than expected, with the benchmark index closing up {dec} percent and government bond yields falling.",
            "{country}'s economy grew {dec} percent in the third quarter from the previous three months, beating forecasts as household spending and construction picked up.",
            "The central bank kept its main interest rate unchanged at {dec2} percent but signalled that it could begin cutting borrowing costs next year if inflation continues to ease.",
        ],
        "body": [
            "The S&P 500 gained {dec} percent, while the tech-heavy Nasdaq added {dec2} percent and the yield on the 10-year Treasury note fell to {dec2} percent.",
            "Consumer prices rose {dec} percent in the year to October, down from {dec2} percent the previous month, as energy and food costs eased.",
            "Unemployment held at {dec2} percent, and wage growth slowed, giving policymakers more confidence that price pressures are fading.",
            "Bank shares led the gains, while defensive sectors such as utilities lagged as investors moved into riskier assets.",
            "The currency weakened {dec} percent against the dollar after the decision, as traders brought forward bets on rate cuts.",
            "Retail sales fell unexpectedly last month, suggesting households remain cautious despite rising real incomes.",
            "Corporate earnings have broadly beaten expectations this season, with {pct3} percent of companies reporting profits above analysts' forecasts.",
            "The government revised its growth forecast for next year to {dec} percent and said public borrowing would be lower than planned.",
        ],
        "quotes": [
            "\"The market is pricing a soft landing, and so far the data is cooperating,\" said {analyst}, {analyst_role} at {firm}.",
            "\"Policy will remain restrictive for as long as needed,\" the central bank's governor, {official}, told a news conference.",
            "\"Consumers are spending, but they are spending carefully,\" said {analyst}, {analyst_role} at {firm}.",
        ],
        "subheads": ["Bond markets", "The outlook"],
    },
    "energy": {
        "headlines": [
            "Oil prices [climb|fall] after producers [extend|ease] output cuts",
            "{energy_co} approves ${bn} billion offshore wind farm",
            "Regulator approves higher electricity tariffs from January",
            "Gas storage levels ease fears of winter shortage",
        ],
        "leads": [
            "Oil prices {updown} on {weekday} after a group of major producers said it would {extend_ease} output cuts into next year, with Brent crude trading near ${oil} a barrel.",
            "{energy_co} gave the final go-ahead to an offshore wind farm costing ${bn} billion, which it said would power about {big},000 homes when completed in {year}.",
            "The energy regulator approved an increase of {pct} percent in household electricity tariffs from January, citing higher network costs and the expense of connecting new power plants.",
        ],
        "body": [
            "Gas storage facilities are {pct3} percent full, above the five-year average for this time of year, easing concerns about shortages if the winter is cold.",
            "The wind farm will use turbines of {num} megawatts each and connect to the grid through a new high-voltage cable to the coast.",
            "Electricity tariffs for households include charges for the grid, renewable subsidies and taxes, which together make up more than half of a typical bill.",
            "Solar installations have grown rapidly, and on sunny afternoons wholesale power prices now regularly fall below zero in some markets.",
            "Refining margins have narrowed as new capacity comes online in Asia and the Middle East, squeezing profits for older plants.",
            "Utilities have asked for faster approval of grid upgrades, saying that connection queues for new power projects now stretch to several years.",
            "The government said it would extend support for vulnerable households to help them cope with higher electricity and heating bills.",
        ],
        "quotes": [
            "\"The oil market is caught between weak demand and producers who want to defend prices,\" said {analyst}, {analyst_role} at {firm}.",
            "\"Nobody likes higher electricity tariffs, but the grid has to be paid for,\" {official}, the regulator's chief executive, said.",
            "\"This project shows offshore wind can still be financed despite higher interest rates,\" said {exec} of {energy_co}.",
        ],
        "subheads": ["What it means for bills", "Grid constraints"],
    },
    "politics-government": {
        "headlines": [
            "Coalition talks stall as parties split over budget",
            "Prime minister reshuffles cabinet ahead of election",
            "Parliament passes contested electoral reform bill",
            "Opposition calls for inquiry into procurement contracts",
        ],
        "leads": [
            "Talks to form a coalition government stalled on {weekday} after {party} and its prospective partners failed to agree on spending cuts in next year's budget.",
            "The prime minister replaced {num} ministers in a cabinet reshuffle, promoting younger members of {party} as the government prepares for an election expected next year.",
            "Parliament narrowly approved a bill changing how electoral districts are drawn, a measure the opposition says will entrench the governing party's majority.",
        ],
        "body": [
            "The vote passed by {big} to {m}, with several members of the governing party abstaining.",
            "Opinion polls show {party} trailing its main rival by {num} points, with voters citing the cost of living as their top concern.",
            "Under the constitution, a new government must be formed within {num} weeks or the president can call fresh elections.",
            "The opposition accused ministers of awarding contracts without competitive tenders and demanded that the documents be published.",
            "The new finance minister, {official}, is a former central bank official known for a cautious approach to public spending.",
            "Regional elections in {region} next spring are seen as a test of the government's popularity before the national vote.",
            "The bill now goes to the upper house, where the government lacks a majority and amendments are likely.",
        ],
        "quotes": [
            "\"We are close on most issues, but the budget is not something we can compromise on,\" said {official}, who leads {party}'s negotiating team.",
            "\"This reshuffle is about the next election, not about governing better,\" said {expert}, a political scientist at {university}.",
            "\"Voters deserve to know how their money was spent,\" the opposition leader, {official}, told parliament.",
        ],
        "subheads": ["Sticking points", "What the polls say"],
    },
    "conflict-security": {
        "headlines": [
            "Ceasefire talks resume as fighting continues in {region}",
            "Drone strikes hit fuel depots near the border",
            "NATO allies pledge more air defence systems",
            "Peacekeepers report clashes near disputed frontier",
        ],
        "leads": [
            "Negotiators returned to talks on a ceasefire on {weekday} as fighting continued in {region}, where aid agencies say thousands of civilians have been displaced in the past month.",
            "Drone strikes hit {num} fuel depots near the border overnight, officials said, in one of the largest attacks on logistics infrastructure since the conflict began.",
            "Defence ministers from NATO countries pledged additional air defence systems and ammunition at a meeting in Brussels, promising deliveries before the end of winter.",
        ],
        "body": [
            "The defence ministry said its forces had intercepted {num} drones and {num2} missiles, but debris caused fires at several sites.",
            "The United Nations said humanitarian convoys had been unable to reach {region} for {num} days because of shelling along the main supply road.",
            "Military analysts said both sides were using cheap drones in large numbers to target artillery, vehicles and supply lines, changing the character of the fighting.",
            "The talks are being mediated by {country}, which has hosted several rounds of negotiations on prisoner exchanges and humanitarian corridors.",
            "Peacekeepers said they had come under small-arms fire while patrolling the demilitarised zone, though no casualties were reported.",
            "The alliance agreed to increase its defence spending target and to expand joint production of artillery shells.",
            "Satellite images reviewed by researchers showed new fortifications and trenches along a {m}-kilometre stretch of the front line.",
        ],
        "quotes": [
            "\"There can be no lasting ceasefire without guarantees that it will be respected,\" said {official}, a senior negotiator.",
            "\"Air defence is the difference between a city that functions and one that does not,\" said {expert} of {expert_org}.",
            "\"We are running out of shelter space and clean water,\" said {doctor}, who works at a field hospital in {region}.",
        ],
        "subheads": ["Humanitarian situation", "On the front line"],
    },
    "health": {
        "headlines": [
            "{disease} cases rise as vaccination rates fall",
            "{pharma} drug cuts risk of heart attack in large trial",
            "Hospitals warn of winter pressures as waiting lists grow",
            "Health officials approve new treatment for {disease}",
        ],
        "leads": [
            "Health officials reported {big} new cases of {disease} in the past month, the highest monthly total in a decade, and urged parents to make sure their children are vaccinated.",
            "A drug developed by {pharma} reduced the risk of heart attack and stroke by {pct} percent in a large clinical trial, results presented at a medical conference showed.",
            "Hospitals are bracing for a difficult winter, with waiting lists for planned operations at a record high and emergency departments already operating near capacity.",
        ],
        "body": [
            "Vaccination coverage for children has fallen to {pct3} percent, below the level experts say is needed to prevent outbreaks.",
            "The trial enrolled more than {big},000 patients across {num} countries and followed them for an average of three years.",
            "Side effects were mostly mild, though a small number of patients stopped treatment because of nausea or muscle pain.",
            "Doctors said shortages of nurses and beds in community care meant patients who were well enough to leave hospital were often unable to be discharged.",
            "The health ministry said it would fund {big} extra hospital beds and expand walk-in clinics to ease pressure on emergency departments.",
            "Public health experts said improving access to primary care in {region} would do more to reduce hospital admissions than building new wards.",
            "The regulator said the treatment should initially be offered to patients at highest risk while further data on long-term safety is collected.",
        ],
        "quotes": [
            "\"Every outbreak we see is preventable,\" said {doctor}, an infectious disease specialist at {university}.",
            "\"These are impressive results, but price will determine how many patients benefit,\" said {expert} of {expert_org}.",
            "\"Our staff are exhausted, and winter has not even started,\" said {doctor}, an emergency physician.",
        ],
        "subheads": ["How the trial worked", "Pressure on hospitals"],
    },
    "science": {
        "headlines": [
            "Astronomers detect water vapour on distant exoplanet",
            "Fossil find pushes back origins of flowering plants",
            "Scientists map the brain of a fruit fly in full detail",
            "Probe returns samples from near-Earth asteroid",
        ],
        "leads": [
            "Astronomers using a space telescope have detected water vapour in the atmosphere of a planet orbiting a star {big} light years away, a finding they say will help the search for habitable worlds.",
            "A fossil discovered in a quarry in {region} suggests flowering plants appeared millions of years earlier than previously thought, researchers reported in a scientific journal.",
            "A capsule carrying samples from a near-Earth asteroid landed safely in the desert on {weekday}, completing a mission that lasted {num} years.",
        ],
        "body": [
            "The team analysed starlight passing through the planet's atmosphere as it crossed in front of its star, looking for the chemical fingerprints of different molecules.",
            "The planet is about {dec2} times the size of Earth and orbits its star every {num} days, placing it at the inner edge of the habitable zone.",
            "The fossil preserves the structure of a small flower, including pollen grains, in remarkable detail, {scientist} of {university} said.",
            "Researchers will spend the next several months studying the grains in clean rooms designed to prevent contamination from terrestrial material.",
            "The study, which took {num} years, combined thousands of electron microscope images with machine analysis to trace every connection between neurons.",
            "Other scientists said the findings were intriguing but would need to be confirmed by independent observations.",
            "The mission's total cost was about ${bn2} billion, shared between several space agencies.",
        ],
        "quotes": [
            "\"This is the kind of measurement that was science fiction twenty years ago,\" said {scientist}, an astronomer at {university}.",
            "\"Every sample tells us something about the building blocks of the early solar system,\" said {scientist} of {university}.",
            "\"It is a beautiful result, but we should be careful not to over-interpret a single specimen,\" said {expert} of {expert_org}.",
        ],
        "subheads": ["How they did it", "What comes next"],
    },
    "sport": {
        "headlines": [
            "{team} beat {team2} to go top of the league",
            "Late goal rescues draw for {team}",
            "{player} wins first major title after playoff",
            "{team} sack manager after run of defeats",
        ],
        "leads": [
            "{team} beat {team2} {hi}-{lo} on {weekday} to move top of the table, with {player} scoring twice in the second half.",
            "A stoppage-time header from {player} rescued a {score1}-{score1} draw for {team} against {team2}, who had led for most of the match.",
            "{team} dismissed their manager, {coach}, on {weekday} after a run of {num} matches without a win left the club near the bottom of the table.",
        ],
        "body": [
            "{player_last} opened the scoring in the {mins}th minute with a low shot from the edge of the area after a quick counter-attack.",
            "The visitors had the better of the first half but failed to convert several chances, and their goalkeeper was forced into two fine saves.",
            "The win extends {team}'s unbeaten run to {num} matches and leaves them two points clear with a game in hand.",
            "{coach_last}, who took over in the summer, had been under pressure after the club's owners demanded a return to European competition.",
            "Attendance at the stadium was a season-high, with supporters of both clubs creating a lively atmosphere despite the cold.",
            "The club said assistant coach {coach2} would take charge of the team on an interim basis while a permanent replacement is found.",
            "{player_last} has now scored {num} goals in all competitions this season, the most of any player in the league.",
        ],
        "quotes": [
            "\"We showed character today; we never stopped running,\" {coach_last} told reporters after the match.",
            "\"It was a difficult decision, but we believe a change is needed to reach our objectives,\" the club said in a statement.",
            "\"I have dreamt of this since I was a kid,\" {player_last} said.",
        ],
        "subheads": ["Turning point", "Table"],
    },
}

# Multi-topic stories: topics are [primary, *secondary]; body paragraphs come from each topic's bank.
COMBOS = [
    {
        "topics": ["trade-tariffs", "rare-earths", "export-controls", "semiconductors", "politics-government"],
        "headlines": [
            "US-China trade talks resume in {city} amid disputes over rare earths and chips",
            "Negotiators seek to rescue tariff truce as rare earth and chip curbs bite",
        ],
        "leads": [
            "Senior US and Chinese officials resumed trade talks in {city} on {weekday}, trying to settle disputes over rare earth exports and American restrictions on semiconductor technology that have strained a truce on tariffs.",
            "A fresh round of trade negotiations between Washington and Beijing opened at {venue} in {city}, with rare earth licences, chip export curbs and tariff levels all on the agenda.",
        ],
        "shared": [
            "Washington accuses Beijing of slow-walking licences for rare earth magnets, while China says the US broke the spirit of the truce by restricting sales of chip design software and warning companies against using Chinese chips.",
            "Both sides agreed earlier this year to cut tariffs for {num} months, but officials have since traded accusations of violating the deal.",
        ],
    },
    {
        "topics": ["export-controls", "semiconductors", "artificial-intelligence"],
        "headlines": [
            "New curbs on AI chip exports hit {chipmaker}",
            "Washington widens limits on sales of AI accelerators abroad",
        ],
        "leads": [
            "The United States widened its restrictions on exports of advanced AI chips on {weekday}, requiring licences for sales of accelerators used to train artificial intelligence models to dozens more countries.",
            "{chipmaker} said new export controls on AI processors would cut its revenue by about ${bn2} billion next quarter, as it will need licences to ship its data-centre chips to several markets.",
        ],
        "shared": [
            "The rules set performance thresholds for graphics processors and other chips used to train large AI models, and cover the cloud services that give access to them.",
        ],
    },
    {
        "topics": ["critical-minerals", "rare-earths", "politics-government"],
        "headlines": [
            "{country} and US sign minerals deal covering rare earths and lithium",
        ],
        "leads": [
            "{country} and the United States signed a framework agreement on critical minerals and rare earths on {weekday}, pledging joint financing for mines and refineries and a coordinated stockpile.",
        ],
        "shared": [
            "The deal was signed by the two countries' leaders at a ceremony that officials described as the centrepiece of the visit.",
        ],
    },
    {
        "topics": ["artificial-intelligence", "energy"],
        "headlines": [
            "AI data centre boom strains power grids",
        ],
        "leads": [
            "The rapid construction of data centres for artificial intelligence is straining power grids, with utilities in several regions warning that demand could outpace new generation within {num} years.",
        ],
        "shared": [
            "A single large AI data centre can draw as much electricity as a small city, and developers are increasingly signing deals directly with power producers.",
        ],
    },
    {
        "topics": ["trade-tariffs", "economy-markets"],
        "headlines": [
            "Stocks fall as new tariffs rattle investors",
        ],
        "leads": [
            "Stock markets fell sharply on {weekday} after the government announced new tariffs on imports from its largest trading partners, with shares of carmakers and retailers among the hardest hit.",
        ],
        "shared": [
            "Investors fear that higher import duties will push up inflation and delay interest rate cuts.",
        ],
    },
    {
        "topics": ["telecom", "conflict-security"],
        "headlines": [
            "Suspected sabotage of subsea cables raises security alarm",
        ],
        "leads": [
            "Navies in the region stepped up patrols on {weekday} after two subsea telecommunications cables were damaged within hours of each other, in what officials said may have been deliberate sabotage.",
        ],
        "shared": [
            "Investigators are examining the movements of a cargo ship that was seen dragging its anchor near the site of the damage.",
        ],
    },
    {
        "topics": ["health", "science"],
        "headlines": [
            "Gene therapy trial restores sight in patients with inherited blindness",
        ],
        "leads": [
            "A gene therapy restored partial sight to {num} patients with an inherited form of blindness, researchers said, raising hopes for treatments for other genetic eye diseases.",
        ],
        "shared": [
            "The therapy delivers a working copy of the faulty gene to cells in the retina using a harmless virus.",
        ],
    },
]

# Articles built to fool keyword taggers: each lists its gold topics explicitly.
TRAPS = [
    {
        "name": "potato-chips",
        "topics": ["economy-markets"],
        "headline": "{snack} raises potato chip prices after poor harvest",
        "paragraphs": [
            "{snack}, the maker of some of the country's best-known potato chips, said it would raise prices by {pct2} percent after a wet summer cut the potato harvest and pushed up the cost of frying oil.",
            "The company said sales of its salted and cheese-and-onion chips had held up well, but profit margins fell in the six months to September.",
            "Farmers in {region} said yields were down by almost a third in some fields because heavy rain left potatoes rotting in the ground.",
            "\"People still want a bag of chips with their lunch, but they are looking harder at the price,\" said {analyst}, {analyst_role} at {firm}.",
            "Shares in the company fell {dec} percent in early trading.",
        ],
    },
    {
        "name": "crisp-tasting",
        "topics": [],
        "headline": "Village crisp festival crowns new champion flavour",
        "paragraphs": [
            "A smoked paprika flavour beat {num} rivals to win the annual crisp festival in {region} on {weekday}, where judges tasted hand-cooked potato chips from small producers.",
            "Organisers said the event drew {big} visitors, many of whom queued for samples of fish and chips cooked on an open-air stove.",
            "Last year's winner, a sea salt and cider vinegar chip, came second.",
            "\"It is all about the crunch,\" said judge {expert}, who has run a chip shop for 30 years.",
        ],
    },
    {
        "name": "electricity-tariffs",
        "topics": ["energy"],
        "headline": "Households face higher electricity tariffs as network charges rise",
        "paragraphs": [
            "Electricity tariffs for households will rise by {pct2} percent from April after the regulator approved higher charges for maintaining the power network.",
            "The increase will add about ${m} a year to the average bill, the regulator estimated.",
            "Feed-in tariffs paid to homes with rooftop solar panels will be cut for new installations, a change the solar industry says will slow take-up.",
            "Consumer groups called for a social tariff for low-income households, similar to those offered by some water companies.",
            "\"Tariff increases of this size are hard to justify when wholesale power prices are falling,\" said {analyst}, {analyst_role} at {firm}.",
        ],
    },
    {
        "name": "ai-nickname",
        "topics": ["sport"],
        "headline": "Ai {player_last} leads {team} to dramatic comeback",
        "paragraphs": [
            "Ai {player_last} scored {big2} points as {team} came from {num} points down to beat {team2} in overtime on {weekday}.",
            "The guard, known to fans simply as AI, hit three shots from beyond the arc in the final two minutes of regulation.",
            "\"AI wanted the ball, and we gave it to him,\" coach {coach} said. \"That is what great players do.\"",
            "{team} have now won {won} of their last {played} games and sit third in the conference.",
            "{player_last} was named player of the week for the second time this season.",
        ],
    },
    {
        "name": "gold-price",
        "topics": ["economy-markets"],
        "headline": "Gold hits record above ${gpx} an ounce as dollar weakens",
        "paragraphs": [
            "Gold rose to a record high of ${gpx} an ounce on {weekday}, extending its rally as the dollar weakened and investors sought a haven from uncertainty over interest rates.",
            "Silver also gained {dec} percent, while platinum was little changed.",
            "Central banks have been buying gold at a record pace, diversifying their reserves away from the dollar, according to industry data.",
            "Holdings in gold-backed exchange-traded funds rose for a {num}th consecutive week.",
            "\"Gold is doing what it does when real yields fall and geopolitical risk is high,\" said {analyst}, {analyst_role} at {firm}.",
        ],
    },
    {
        "name": "golf-chip",
        "topics": ["sport"],
        "headline": "{player} chips in to win championship by one stroke",
        "paragraphs": [
            "{player} chipped in from the edge of the green on the final hole to win the championship by one stroke on {weekday}.",
            "The {num}-foot chip rolled gently down the slope and dropped into the cup, sending the crowd around the 18th green into celebration.",
            "{player_last} had started the day three shots behind the leader but carded a bogey-free round of {num2} under par.",
            "\"I just tried to land it on the right spot and let it run,\" {player_last} said. \"I did not expect it to go in.\"",
            "The victory lifts {player_last} into the top {num} of the world rankings.",
        ],
    },
    {
        "name": "blue-chip-football",
        "topics": ["sport"],
        "headline": "{team} fans celebrate with fish and chips after cup upset",
        "paragraphs": [
            "Supporters of {team} queued outside chip shops near the ground on {weekday} night after their side knocked out {team2} in the cup.",
            "The winning goal came in the {mins}th minute when {player} curled a free kick into the top corner.",
            "The club, which plays in the fourth tier, has a wage bill smaller than the weekly salary of some of {team2}'s players.",
            "\"Nobody gave us a chance,\" {player_last} said. \"This is the best night of my career.\"",
        ],
    },
]

SNACKS = ["Hollins Crisps", "Goldfield Snacks", "Crunchwell Foods", "Marsh Lane Crisps"]

SECTIONS = {
    "rare-earths": "business", "critical-minerals": "business", "semiconductors": "technology",
    "export-controls": "world", "trade-tariffs": "business", "artificial-intelligence": "technology",
    "telecom": "technology", "economy-markets": "markets", "energy": "business",
    "politics-government": "politics", "conflict-security": "world", "health": "health",
    "science": "science", "sport": "sport",
}
