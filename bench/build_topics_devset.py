"""Build a labelled topic-tagging dev set (JSONL) for our seven named topics.

Usage: python bench/build_topics_devset.py [OUT_DIR]   (default /tmp; never writes into the repo)

Two parts:
1. Reuters-21578 ModApte train docs judged by Reuters (has_topics == YES), read from
   /work/shared/data by path. Labels, per topic:
   - trade-tariffs      <- Reuters `trade`. Known mismatches: Reuters files tariffs/duties on a
                           commodity under that commodity (`corn`, `sugar`, `grain`) and EC export
                           licence tenders under grain codes, so some of our true positives count
                           as false positives here; `trade` also covers trade statistics, which our
                           definition includes (deficits/surpluses).
   - critical-minerals  <- Reuters `strategic-metal` (includes uranium, cobalt, titanium, rare-earth
                           properties). Known mismatch: platinum/palladium/nickel stories sit under
                           their own codes and are labelled negative here even when framed as supply.
   - semiconductors, export-controls, telecom, rare-earths, artificial-intelligence: Reuters has no
     code. Docs that contain none of a broad keyword net (CANDIDATE_NETS) are labelled negative.
     Docs inside the net were hand-labelled by reading title and context (HAND_LABELS); docs marked
     '?' (too ambiguous to call) and unsampled telecom candidates are left unjudged for that topic
     (the row's `judged` list omits it, and the evaluator skips it).
     Hand-labelled: semiconductors 100 candidates, export-controls 29, telecom all 195 (36 in
     round 2, a random sample with seed 7; the other 149 and 10 more that only name a carrier,
     in round 3), rare-earths 2,
     artificial-intelligence 1.
   Relabel rules (round 2), applied on top of the Reuters codes, each hand-checked (see RELABEL):
   - T1 trade-tariffs -> negative: Reuters `trade` docs whose title is about the current account,
     the balance of payments or capital flows (CURRENT ACCOUNT, PAYMENTS GAP/DEFICIT/SURPLUS,
     CAPITAL EXPORTS/INFLOW) and names no trade instrument (TRADE, TARIFF, DUTY, QUOTA, IMPORT):
     our topic is trade policy and trade balances, not the wider external accounts.
     15 docs; all 15 titles and 3 bodies read.
   - T2 trade-tariffs -> positive: docs Reuters filed only under a commodity code whose title
     names a trade-policy instrument (tariff, duty, anti-dumping, countervailing, import/export
     quota, ban or curb, quota talks, GATT, retaliation, levy, quota). 49 titles read; 10
     excluded by hand as routine levy tables, weekly import figures, OPEC and EC steel output
     quotas, a domestic grain levy, debt "retaliation" and a coffee price story (T2_NOT).
   Round 3 (titles matched over the whole set, each matched doc read):
   - T3 trade-tariffs -> positive: a title naming the trade balance (TRADE SURPLUS / DEFICIT /
     GAP / BALANCE) that Reuters filed under `bop` only; our definition names deficits and
     surpluses. 2 docs (South Korea, Portugal monthly trade figures).
   - T4 trade-tariffs -> negative: Reuters `trade` docs about bank trade credit lines (TRADE
     CREDIT / TRADE LINES): trade finance, not trade policy. 2 docs (Peru).
   - T5 trade-tariffs -> positive: International Coffee Organization export-quota negotiations
     whose title says "ICO"/"coffee talks" but not QUOTA (T2 already takes those): an
     international trade agreement with export quotas. 31 titles read, 13 docs (T5_ICO_TALKS).
   Round 4 (titles matched over the whole set, both splits, each matched doc's lead read; the
   rules were written from titles and leads, not from what the tagger says about those docs):
   - T1 also takes the title typo CUURENT ACCOUNT and CURRENT DEFICIT/SURPLUS (2 more docs).
   - T6 trade-tariffs -> positive: docs Reuters filed only under commodity codes whose title names
     a trade dispute by its actors or instrument: the U.S. Trade Representative (YEUTTER), a
     trade complaint or Section 301 case, or the EC's proposed tax on vegetable oils and fats,
     which the U.S. fought as a trade barrier with threats of retaliation (OILS TAX, FATS TAX,
     VEG OIL TAX, ...). Two Yeutter statements on exchange rates are left out (T6_NOT).
   - T7 trade-tariffs -> negative: Reuters `trade` docs whose title is about growth, currencies,
     debt or jobs and names no trade instrument (T7_filter and not T7_keep, 30 docs); of those,
     the 18 whose lead makes the story about something other than trade, listed with a reason
     each (T7_MACRO). The other 12 keep their label.
   - C1 critical-minerals -> positive: platinum-group metal finds and sales from the U.S.
     strategic stockpile (title PLATINUM ... FIND/MINE/DISCOVER, or STOCKPILE). 3 docs, all read.
2. Hand-written articles (this file, written for this project): traps named in the brief
   (potato chips, blue-chip stocks, electricity tariffs, "AI" as a name, chips in a sports story,
   a gold price report) and modern positives for each named topic. Fully labelled, all 7 judged.
3. PROJECT_WRITTEN (round 2, written for this project, source "project-written"): 26 short
   articles each for artificial-intelligence, rare-earths, export-controls, semiconductors and
   telecom (14 positives, 12 near-miss negatives per topic), plus a few trade and minerals traps.
   PROJECT_WRITTEN_R3 (round 3): 46 more, where positives were thin (12 AI, 6 telecom, 6 trade
   policy, 3 export controls, 1 minerals) with 18 traps (AI as a name or other abbreviation,
   utility tariffs, crisps and blue chips, routine gold/silver prices). Fully labelled, all 7
   judged. Written before the round-3 taxonomy tuning; only dev-split errors were read to tune.

Every row gets a fixed split: "heldout" when sha1(id) mod 10 < 3, else "dev". Tune on dev only.
"""
from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

REUTERS = Path("/work/shared/data/reuters21578-train/train.jsonl")
NAMED = ["rare-earths", "critical-minerals", "semiconductors", "export-controls",
         "trade-tariffs", "artificial-intelligence", "telecom"]

CANDIDATE_NETS = {
    "semiconductors": r"semiconductor|microchip|\bchips?\b|chipmaker|integrated circuit|microprocessor",
    "export-controls": r"cocom|export control|export licen|export ban|ban on exports|embargo|toshiba machine"
                       r"|kongsberg|technology transfer|high.technology exports",
    "telecom": r"telecom|telephone|cellular|telegraph|\bAT&T\b|\bGTE\b|\bMCI\b|ericsson|broadband"
               r"|mobile phone|wireless"
               # round 3: carriers named without any telecom word (dividend notices and the like)
               r"|\bNYNEX\b|BellSouth|Bell Atlantic|Ameritech|Pacific Telesis|Southwestern Bell"
               r"|\bUS West\b|\bCentel\b|\bContel\b|\bSprint\b|Cable and Wireless|British Telecom"
               r"|Northern Telecom|\bNTT\b|\bPacTel\b",
    "rare-earths": r"rare earth|lanthan|yttrium|neodym|cerium",
    "artificial-intelligence": r"artificial intelligence|expert system",
}

# Hand labels by Reuters newid: 'Y' topic is a substantial subject, 'N' not, '?' left unjudged.
HAND_LABELS = {
    "semiconductors": {
        894: "Y", 1675: "Y", 1951: "?", 3446: "Y", 3563: "N", 3608: "?", 3707: "N", 3960: "?",
        4035: "N", 4055: "Y", 4158: "Y", 4488: "Y", 4632: "Y", 4665: "Y", 5126: "Y", 5385: "N",
        5540: "?", 5634: "Y", 5643: "Y", 5690: "Y", 5724: "Y", 5808: "Y", 5850: "Y", 5937: "?",
        6337: "?", 6346: "?", 6639: "?", 6719: "Y", 6788: "N", 6789: "N", 6926: "?", 7011: "Y",
        7199: "Y", 7521: "Y", 7626: "Y", 8044: "Y", 8106: "N", 8186: "N", 8252: "Y", 8602: "Y",
        8608: "N", 8628: "N", 8663: "Y", 8666: "N", 8676: "N", 8708: "Y", 8799: "Y", 8906: "Y",
        9015: "Y", 9415: "N", 9628: "Y", 9657: "Y", 10151: "Y", 10209: "Y", 10230: "N", 10264: "Y",
        10265: "?", 10352: "?", 10355: "N", 10455: "N", 10530: "?", 10608: "Y", 10623: "Y",
        10642: "Y", 10659: "N", 10665: "Y", 10689: "N", 10695: "Y", 10767: "Y", 10769: "N",
        10771: "N", 10779: "Y", 10781: "Y", 10905: "?", 11076: "?", 11175: "N", 11198: "Y",
        11225: "Y", 11254: "?", 11260: "?", 11390: "?", 11397: "N", 11461: "?", 11490: "N",
        11545: "N", 11555: "?", 11558: "?", 11580: "?", 11971: "Y", 12457: "?", 12472: "?",
        12473: "?", 12563: "N", 12815: "N", 12848: "N", 13039: "Y", 13195: "N", 13908: "?",
        14199: "Y", 14220: "N",
    },
    "export-controls": {
        489: "N", 502: "N", 894: "Y", 925: "?", 1022: "?", 2183: "N", 2191: "N", 2217: "N",
        2511: "?", 3441: "N", 3553: "N", 3938: "Y", 4026: "?", 4071: "?", 4296: "N", 4552: "?",
        5796: "N", 6926: "Y", 7004: "N", 7215: "N", 7934: "N", 8176: "N", 8982: "Y", 9304: "N",
        9349: "N", 9958: "N", 11387: "N", 12323: "N", 12583: "N",
    },
    "telecom": {
        12489: "N", 10005: "Y", 10563: "Y", 3667: "?", 3935: "Y", 10689: "N", 10733: "N", 144: "N",
        5643: "N", 2614: "N", 6178: "N", 5412: "N", 2006: "N", 6912: "N", 278: "N", 8950: "N",
        11810: "Y", 11806: "?", 2853: "N", 82: "Y", 3849: "Y", 2792: "Y", 11504: "N", 12077: "Y",
        11008: "Y", 2783: "Y", 8648: "Y", 6926: "N", 7737: "N", 1122: "Y", 146: "Y", 5162: "Y",
        13157: "N", 12178: "Y", 7903: "Y", 6792: "Y",
        # round 3, carriers added to the net: Equatorial's satellite data network, dividends of
        # regional Bell companies and Centel
        983: "Y", 4331: "Y", 6460: "Y", 6774: "Y", 7329: "Y", 7349: "Y", 8467: "Y", 10536: "Y",
        10547: "Y", 13059: "Y",
        # round 3: the other 149 candidates, read (title, the net's matches in context, the lead).
        # A carrier or equipment maker that is the story's subject counts (results, bonds, deals),
        # as in the sample above; "told Reuters in a telephone interview" and lists do not.
        60: "N", 129: "Y", 225: "N", 279: "Y", 295: "N", 468: "Y", 524: "Y", 563: "N", 718: "N",
        1434: "N", 1625: "N", 1703: "N", 1718: "Y", 1808: "N", 1951: "N", 2010: "Y", 2118: "N",
        2130: "Y", 2214: "Y", 2247: "N", 2383: "N", 2520: "N", 2538: "N", 2631: "N", 2775: "N",
        2812: "Y", 2814: "Y", 2819: "N", 3042: "Y", 3545: "Y", 3663: "Y", 3675: "Y", 3731: "Y",
        3754: "Y", 3779: "N", 3819: "Y", 3892: "N", 3905: "Y", 3923: "N", 3939: "Y", 4087: "Y",
        4089: "Y", 4098: "Y", 4126: "N", 4266: "Y", 4371: "Y", 4431: "N", 4477: "N", 4552: "N",
        5030: "N", 5032: "N", 5070: "N", 5081: "?", 5294: "N", 5720: "Y", 5746: "Y", 5778: "N",
        5858: "N", 6090: "Y", 6293: "Y", 6428: "Y", 6535: "N", 6848: "Y", 6852: "N", 6876: "N",
        7093: "Y", 7135: "N", 7175: "Y", 7227: "N", 7272: "Y", 7765: "Y", 7810: "N", 7876: "Y",
        8027: "Y", 8217: "Y", 8272: "N", 8287: "Y", 8312: "N", 8512: "N", 8564: "Y", 8569: "Y",
        8944: "N", 8977: "Y", 9072: "Y", 9166: "N", 9222: "N", 9339: "?", 9415: "N", 9474: "Y",
        9590: "Y", 9638: "N", 9668: "N", 9755: "Y", 9760: "N", 9920: "Y", 9926: "Y", 9954: "Y",
        9976: "Y", 9977: "Y", 9994: "Y", 10002: "Y", 10118: "N", 10288: "Y", 10311: "Y",
        10389: "N", 10430: "Y", 10455: "?", 10721: "Y", 10771: "N", 10797: "N", 10799: "N",
        10837: "Y", 10842: "Y", 10905: "N", 10992: "Y", 11198: "N", 11202: "Y", 11285: "Y",
        11287: "?", 11397: "N", 11447: "N", 11567: "Y", 11863: "N", 11889: "Y", 11975: "N",
        11985: "Y", 12025: "Y", 12026: "N", 12039: "Y", 12126: "?", 12200: "Y", 12216: "Y",
        12245: "?", 12281: "N", 12347: "Y", 12409: "Y", 12454: "Y", 12461: "N", 12468: "Y",
        12795: "N", 12948: "N", 13037: "Y", 13045: "?", 13128: "Y", 13240: "Y", 13244: "N",
        13649: "Y", 13852: "N", 14315: "Y",
    },
    "rare-earths": {11999: "N", 12007: "N"},
    "artificial-intelligence": {4160: "N"},
}

# (id, title, text, labels) -- written for this project; traps first, then positives.
HANDWRITTEN = [
    ("trap-potato-chips", "Snack maker lifts potato chip prices as costs climb",
     "A leading snack maker said it would raise prices of its potato chips and tortilla chips by "
     "4 percent from next month, blaming higher costs for cooking oil and packaging.\n\n"
     "The company said demand for chips and crisps held up over the holidays, and it expects "
     "sales volumes to stay flat this year.", []),
    ("trap-blue-chip", "Blue-chip stocks rally as investors shrug off rate fears",
     "Blue-chip stocks led a broad rally on Wall Street on Tuesday, with the Dow up 1.2 percent as "
     "investors bet the central bank would hold interest rates steady.\n\n"
     "Analysts said blue chips benefited from a rotation out of smaller companies. Bond yields "
     "eased and the dollar slipped against major currencies.", []),
    ("trap-electricity-tariff", "Regulator approves electricity tariff rise for households",
     "The energy regulator approved a 9 percent increase in electricity tariffs for households "
     "from April, citing higher wholesale gas costs.\n\n"
     "Consumer groups said the new power tariffs would hit low-income families hardest. The "
     "utility had asked for a bigger rise in its gas tariff as well.", []),
    ("trap-ai-weiwei", "Ai Weiwei opens retrospective in Berlin",
     "The Chinese artist Ai Weiwei opened a retrospective of his work in Berlin on Friday, showing "
     "sculptures, photographs and installations from three decades.\n\n"
     "Ai said the exhibition reflected his years in exile. AI Weiwei's studio said the show would "
     "travel to Vienna next year.", []),
    ("trap-air-india", "Air India flight diverted after technical fault",
     "Air India flight AI 171 was diverted to Dubai on Sunday after the crew reported a technical "
     "fault, the airline said.\n\nPassengers were put on another AI service later in the day. "
     "Air India said safety was its top priority.", []),
    ("trap-sports-chips", "United edge derby with late winner",
     "United beat City 2-1 in a tense derby on Saturday, with the striker scoring in the 89th "
     "minute after a fine chip over the goalkeeper.\n\n"
     "The coach said his side had shown character when the chips were down. The league leaders "
     "now sit five points clear with eight matches of the season left.\n\n"
     "Fans celebrated late into the night. The club's new stadium sponsor, a maker of computer "
     "chips, had its logo on the shirts for the first time.", []),
    ("trap-gold-price", "Gold climbs to two-week high as dollar weakens",
     "Gold rose to a two-week high on Thursday as the dollar weakened and investors sought "
     "safe-haven assets. Spot gold was up 0.8 percent at 2,345 dollars an ounce, while silver "
     "gained 1.1 percent and copper was little changed on the London Metal Exchange.\n\n"
     "Traders said the market was waiting for U.S. inflation data due next week.", []),
    ("trap-bargaining-chip", "Union uses overtime ban as bargaining chip in pay talks",
     "The rail union said on Monday an overtime ban would remain its main bargaining chip in pay "
     "talks with train operators.\n\nThe union wants a 7 percent rise; operators have offered 4 "
     "percent. Talks resume on Thursday.", []),
    ("trap-telecom-passing", "Court jails former minister for bribery",
     "A court jailed a former transport minister for six years on Wednesday for taking bribes "
     "from construction firms.\n\nProsecutors said the payments were hidden in accounts opened by "
     "relatives. The minister, who once chaired a telecom firm board, denied wrongdoing and said "
     "he would appeal.", []),
    ("trap-artificial-insemination", "Dairy farmers adopt new breeding methods",
     "Dairy farmers in the region are turning to artificial insemination to improve herd "
     "quality, the farmers' association said. AI technicians now visit most farms monthly.\n\n"
     "Milk yields rose 6 percent last year.", []),
    ("pos-rare-earths", "China tightens grip on rare earth magnet supply",
     "China will require licences for exports of seven rare earth elements including dysprosium "
     "and terbium, the commerce ministry said, tightening control over materials used in magnets "
     "for electric vehicles and fighter jets.\n\n"
     "Western manufacturers said stocks of neodymium magnets could run out within weeks. China "
     "refines about 90 percent of the world's rare earths.",
     ["rare-earths", "critical-minerals", "export-controls"]),
    ("pos-lynas", "Lynas profit falls on weak rare earths prices",
     "Lynas Rare Earths reported a 40 percent fall in half-year profit as prices of neodymium and "
     "praseodymium oxide slumped.\n\nThe miner said its Malaysian refinery was running at full "
     "capacity and its Texas heavy rare earths plant remained on schedule.",
     ["rare-earths", "critical-minerals"]),
    ("pos-critical-minerals", "U.S. and Australia sign critical minerals pact",
     "The United States and Australia signed an agreement to fund lithium, cobalt and graphite "
     "projects and build a strategic stockpile of critical minerals.\n\n"
     "Officials said the deal aims to cut reliance on Chinese processing of battery metals.",
     ["critical-minerals"]),
    ("pos-gallium", "Gallium and germanium prices jump after export curbs",
     "Prices of gallium and germanium jumped to record highs in Europe after Beijing's export "
     "restrictions on the two metals, used in chips and military equipment, took effect.\n\n"
     "Traders said buyers were scrambling for supply outside China.",
     ["critical-minerals", "export-controls"]),
    ("pos-semis", "TSMC to build second Arizona chip plant",
     "Taiwan Semiconductor Manufacturing Co said it would build a second chip plant in Arizona, "
     "raising its U.S. investment to 40 billion dollars.\n\n"
     "The world's largest contract chipmaker said the fab would make advanced 3-nanometre chips "
     "for customers including Apple and Nvidia.", ["semiconductors"]),
    ("pos-semis-equipment", "ASML orders beat forecasts on strong memory demand",
     "Dutch chip equipment maker ASML reported orders above expectations as memory chipmakers "
     "ramped up spending on lithography tools.\n\nThe company said demand from China remained "
     "high ahead of new rules.", ["semiconductors"]),
    ("pos-export-controls", "U.S. adds Chinese firms to entity list, tightens AI chip curbs",
     "The Commerce Department added 140 Chinese companies to its entity list and widened export "
     "controls on advanced AI chips and chipmaking equipment.\n\n"
     "Nvidia said it would need licences to ship its H20 processors to China. Beijing called the "
     "rules a violation of trade principles.",
     ["export-controls", "semiconductors"]),  # r14: "AI chip" as the product only is not an AI story (blind 2026 set)
    ("pos-tariffs", "EU slaps tariffs on Chinese electric vehicles",
     "The European Union imposed tariffs of up to 35 percent on electric vehicles made in China "
     "after an anti-subsidy investigation.\n\nBeijing said it would take countermeasures and "
     "complained to the World Trade Organization.", ["trade-tariffs"]),
    ("pos-trade-deficit", "U.S. trade deficit narrows as imports fall",
     "The U.S. trade deficit narrowed to 68 billion dollars in March as imports of consumer goods "
     "fell, the Commerce Department said.\n\nExports rose 1.2 percent, led by aircraft and "
     "soybeans.", ["trade-tariffs"]),
    ("pos-ai", "OpenAI releases new model as AI race heats up",
     "OpenAI released a new large language model on Tuesday, saying it reasons better on maths "
     "and coding tasks than its predecessor.\n\n"
     "Rivals Google and Anthropic are expected to respond with their own AI models. Regulators "
     "in Brussels said the release would be assessed under the AI Act.",
     ["artificial-intelligence"]),
    ("pos-ai-regulation", "Lawmakers back rules for artificial intelligence in hiring",
     "State lawmakers passed a bill requiring companies to audit artificial intelligence tools "
     "used to screen job applicants.\n\nThe law covers machine learning systems that rank "
     "candidates and gives workers the right to an explanation.", ["artificial-intelligence"]),
    ("pos-telecom", "Vodafone and Three complete UK merger",
     "Vodafone and Three completed their merger on Friday, creating Britain's largest mobile "
     "operator with 27 million customers.\n\n"
     "The combined company pledged to spend 11 billion pounds on its 5G network over ten years.",
     ["telecom"]),
    ("pos-telecom-spectrum", "India raises 11 billion dollars in spectrum auction",
     "India's spectrum auction raised 11 billion dollars, with Reliance Jio and Bharti Airtel "
     "buying airwaves for 5G services.\n\nThe telecom ministry said bidding ended after ten days.",
     ["telecom"]),
    ("neg-ai-passing-tail", "City council approves new bus routes",
     "The city council approved twelve new bus routes on Monday, extending service to suburbs "
     "that have lacked public transport for years.\n\n"
     "Councillors said fares would stay at 2 dollars. Work on new shelters starts in June.\n\n"
     "Transport officials said routes were planned with traffic counts, residents' surveys and "
     "public meetings held over two years in every district of the city.\n\n"
     "A council spokesman said a contractor would also test artificial intelligence software "
     "for timetables.", []),
]


# Short articles written for this project (round 2): positives and near-miss negatives for the
# topics with few real positives. Codes: RE rare-earths, CM critical-minerals, SC semiconductors,
# EC export-controls, TT trade-tariffs, AI artificial-intelligence, TC telecom.
PROJECT_WRITTEN = [
    # ---------------------------------------------------------------- artificial-intelligence
    ("pw-ai-01", "Regulator opens inquiry into chatbot's use of children's data",
     "The data protection authority opened an inquiry into how a popular chatbot collects and "
     "stores conversations with users under 16.\n\nThe company behind the AI assistant said its "
     "models are not trained on children's chats and that it would cooperate with the regulator.",
     "AI"),
    ("pw-ai-02", "EU rules for general-purpose AI models take effect",
     "Obligations for providers of general-purpose AI models under the EU's AI Act took effect on "
     "Saturday, requiring developers to publish summaries of training data.\n\nLarge model makers "
     "including OpenAI and Mistral signed a voluntary code of practice.", "AI"),
    ("pw-ai-03", "Start-up raises $400 million to train open-weight language models",
     "A Paris start-up raised 400 million dollars to train open-weight large language models, "
     "valuing it at 6 billion dollars.\n\nThe founders, former researchers at a big lab, said the "
     "money would buy computing time for training and fund a new reasoning model.", "AI"),
    ("pw-ai-04", "Hospital group uses machine learning to read chest scans",
     "A hospital group said a machine learning system now reads all chest X-rays first, flagging "
     "urgent cases for radiologists.\n\nIn a trial the algorithm caught 12 percent more early "
     "tumours, though doctors still sign off every report.", "AI"),
    ("pw-ai-05", "Publishers sue AI developer over use of news archive",
     "A group of newspaper publishers sued an artificial intelligence developer, saying it copied "
     "millions of articles to train its chatbot without permission or payment.\n\nThe developer "
     "said training on public text is fair use.", "AI"),
    ("pw-ai-06", "Call centre operator cuts 2,000 jobs as AI voice agents take calls",
     "The outsourcing firm will cut 2,000 call centre jobs after automating first-line customer "
     "calls with AI voice agents built on a large language model.\n\nUnions said the company had "
     "promised retraining.", "AI"),
    ("pw-ai-07", "Chinese lab's cheap reasoning model rattles rivals",
     "A Chinese research lab released a reasoning model it says matches leading U.S. systems on "
     "maths benchmarks at a fraction of the training cost.\n\nDeepSeek's earlier release wiped "
     "billions off chip stocks; analysts said this one showed Chinese AI labs closing the gap.",
     "AI"),
    ("pw-ai-08", "Government unveils national AI plan with public compute fund",
     "The government published a national artificial intelligence plan, pledging 2 billion euros "
     "for public supercomputers that universities and start-ups can rent to train models.\n\nThe "
     "plan also sets up an AI safety institute.", "AI"),
    ("pw-ai-09", "Bank deploys generative AI to draft complaint replies",
     "A retail bank said staff now use a generative AI tool to draft replies to customer "
     "complaints, cutting response times by a third.\n\nThe bank said every draft is checked by a "
     "person and the model does not see account numbers.", "AI"),
    ("pw-ai-10", "Protein-folding AI maps structures across plant kingdom",
     "Researchers used a deep learning system to predict the structures of 200,000 plant "
     "proteins, a resource they say will speed crop breeding.\n\nThe neural network was trained "
     "on experimentally solved structures.", "AI"),
    ("pw-ai-11", "Microsoft raises Office prices, citing Copilot features",
     "Microsoft will raise subscription prices for its Office apps, saying the rise pays for "
     "Copilot, the AI assistant now built into Word and Excel.\n\nCustomers can keep the old plan "
     "without the AI features.", "AI"),
    ("pw-ai-12", "Driverless truck firm expands routes using new vision system",
     "A self-driving truck company said its computer vision system, trained with reinforcement "
     "learning on millions of miles of footage, now handles night driving.\n\nIt will run "
     "driverless freight between Dallas and Houston from next month.", "AI"),
    ("pw-ai-13", "Data centre power demand surges as AI training grows",
     "Utilities in Virginia say data centres built to train and run AI models will need as much "
     "electricity as 3 million homes by 2030.\n\nTech companies are signing deals for nuclear and "
     "gas plants to feed their artificial intelligence clusters.", "AI"),
    ("pw-ai-14", "Nvidia results beat forecasts on demand for AI chips",
     "Nvidia reported quarterly revenue above forecasts as cloud companies kept buying its AI "
     "chips for data centres.\n\nThe chipmaker said demand for its next processor generation "
     "exceeds supply well into next year.", "SC"),  # r14: AI as the demand behind chips only (blind 2026 set)
    ("pw-ai-n01", "Amnesty International (AI) report criticises prison conditions",
     "Amnesty International said in a report that prisons in the country are overcrowded and "
     "detainees are denied medical care.\n\nAI researchers interviewed 80 former prisoners. The "
     "interior ministry rejected the findings.", ""),
    ("pw-ai-n02", "Bird flu found at poultry farm; movement ban imposed",
     "Avian influenza (AI) was confirmed at a poultry farm in the north, and 40,000 birds will be "
     "culled.\n\nA 10 km movement ban is in place. Officials said the AI strain poses low risk to "
     "people.", ""),
    ("pw-ai-n03", "Stadium replaces grass with artificial turf",
     "The club will replace its grass pitch with artificial turf next summer, saying the new "
     "surface will cut maintenance costs.\n\nPlayers' unions have raised concerns about injuries "
     "on artificial pitches.", ""),
    ("pw-ai-n04", "Horoscope: Gemini week ahead",
     "Gemini: a busy week at work, and a chance to model new habits. Twins in the family may need "
     "your help.\n\nFashion models and designers born under the sign should expect good news.",
     ""),
    ("pw-ai-n05", "Monet show draws record crowds",
     "The Claude Monet exhibition drew 600,000 visitors, a record for the museum.\n\nCurators "
     "built a scale model of the painter's garden at Giverny, and the museum shop sold out of "
     "prints.", ""),
    ("pw-ai-n06", "Phone maker launches budget handset",
     "The phone maker launched a budget handset with a larger battery, a brighter screen and a "
     "camera with an AI scene mode.\n\nThe phone goes on sale next week for 199 euros in twelve "
     "countries, and reviewers praised its battery life.\n\nThe company expects sales of 5 "
     "million units this year.", ""),
    ("pw-ai-n07", "Retailer's profit rises on strong holiday sales",
     "The retailer reported a 12 percent rise in quarterly profit as holiday sales of toys, "
     "clothes and electronics beat forecasts.\n\nIt will open 40 stores next year and raise its "
     "dividend.\n\nThe chief executive said the company was also testing AI tools in its "
     "warehouses.", ""),
    ("pw-ai-n08", "Dairy co-op expands breeding service",
     "The dairy co-operative will expand its AI service, sending technicians to inseminate cows "
     "on 3,000 farms.\n\nArtificial insemination lets small farms use bulls with better milk "
     "genetics.", ""),
    ("pw-ai-n09", "Singer Ai tops Japanese charts again",
     "Japanese singer Ai topped the Oricon chart for a third week with her new single.\n\nAi will "
     "tour ten cities in the autumn, her label said.", ""),
    ("pw-ai-n10", "Spy agency chief warns of foreign intelligence threats",
     "The head of the domestic intelligence agency warned of rising espionage by foreign states "
     "against universities and defence firms.\n\nHe said officers had disrupted 20 plots last "
     "year.", ""),
    ("pw-ai-n11", "Machine shop orders rise; training centre opens",
     "Orders at small machine shops rose 4 percent in the quarter.\n\nA new learning centre for "
     "apprentices opened in the town, teaching welding and machining.", ""),
    ("pw-ai-n12", "Air India adds flights to Europe",
     "Air India will add daily flights to Paris and Frankfurt. Flight AI 143 will use a new "
     "Airbus A350.\n\nThe airline said AI 131 to London would also move to a bigger aircraft.",
     ""),
    # ---------------------------------------------------------------- rare-earths
    ("pw-re-01", "MP Materials starts magnet output at Texas plant",
     "MP Materials began producing neodymium-iron-boron magnets at its Texas factory, the first "
     "U.S. output of rare earth magnets in decades.\n\nThe company refines rare earth oxides from "
     "its Mountain Pass mine in California.", "RE CM"),
    ("pw-re-02", "Myanmar fighting cuts heavy rare earth ore flow to China",
     "Fighting in Myanmar's Kachin state has halted shipments of heavy rare earth ore to Chinese "
     "smelters, traders said.\n\nMyanmar supplies much of the world's dysprosium and terbium "
     "feedstock, and prices rose 8 percent this week.", "RE CM"),
    ("pw-re-03", "Pentagon funds heavy rare earths separation plant",
     "The Defense Department awarded 258 million dollars to Lynas to build a plant separating "
     "heavy rare earths in Texas.\n\nThe plant would produce dysprosium and terbium oxide used in "
     "magnets for missiles and jets.", "RE CM"),
    ("pw-re-04", "China sets first-half rare earth mining quotas",
     "China's industry ministry set the first batch of rare earth mining and smelting quotas for "
     "the year at 135,000 tonnes, up 12 percent.\n\nThe quotas are issued to state groups "
     "including China Rare Earth Group and Northern Rare Earth.", "RE CM"),
    ("pw-re-05", "Neodymium prices climb as EV makers stock up",
     "Prices of neodymium-praseodymium oxide rose to a one-year high as electric vehicle makers "
     "built inventories of magnet materials.\n\nAnalysts said rare earth supply outside China "
     "remained thin.", "RE CM"),
    ("pw-re-06", "Carmaker designs motor free of rare earth magnets",
     "A German carmaker unveiled an electric motor that needs no rare earth magnets, cutting its "
     "reliance on Chinese neodymium and dysprosium.\n\nThe design uses copper windings in the "
     "rotor instead of permanent magnets.", "RE CM"),
    ("pw-re-07", "Greenland halts rare earth project over uranium concerns",
     "Greenland's parliament voted to ban uranium mining, effectively halting the Kvanefjeld rare "
     "earths project, which would have produced uranium as a by-product.\n\nThe developer said it "
     "would seek arbitration.", "RE CM"),
    ("pw-re-08", "Recycler recovers rare earths from old hard drives",
     "A start-up said it can recover 95 percent of the neodymium and dysprosium from scrapped hard "
     "drives and wind turbine magnets.\n\nIt plans a plant processing 2,000 tonnes of magnet scrap "
     "a year, easing Europe's reliance on imported rare earths.", "RE CM"),
    ("pw-re-09", "Brazil clay deposit draws rare earth investors",
     "An ionic clay deposit in Brazil rich in heavy rare earth elements has attracted investment "
     "from Japanese and U.S. groups.\n\nIonic clays are cheaper to process than hard rock ores and "
     "are the main source of dysprosium.", "RE CM"),
    ("pw-re-10", "Japan stockpiles rare earths to avoid repeat of 2010 cutoff",
     "Japan's state resources agency is building a stockpile of rare earths and funding mines in "
     "Australia, officials said, to avoid a repeat of China's 2010 halt to shipments.\n\nJapan's "
     "reliance on China for rare earths has fallen to about 60 percent.", "RE CM"),
    ("pw-re-11", "China bans export of rare earth magnet technology",
     "China banned the export of technology to make rare earth magnets and to extract and "
     "separate rare earths, adding them to its catalogue of restricted technologies.\n\nWestern "
     "magnet makers said the curbs would slow efforts to build supply chains outside China.",
     "RE CM EC"),
    ("pw-re-12", "Estonian plant expands rare earth oxide output",
     "Neo Performance Materials will expand its Sillamae plant in Estonia, Europe's only "
     "commercial rare earths separation facility.\n\nThe plant will also supply a new magnet "
     "factory in Narva.", "RE CM"),
    ("pw-re-13", "Terbium shortage squeezes defence suppliers",
     "A shortage of terbium has doubled prices for some defence suppliers, which use the rare "
     "earth metal in magnets for guidance systems.\n\nSuppliers are asking governments to release "
     "stockpiles.", "RE CM"),
    ("pw-re-14", "Vietnam jails rare earth executives over illegal exports",
     "A Vietnamese court jailed six executives of a rare earth company for illegally exporting "
     "ore.\n\nVietnam holds one of the world's largest rare earth reserves but has struggled to "
     "develop them.", "RE CM"),
    ("pw-re-n01", "Astronauts capture rare Earth image from the Moon",
     "Astronauts on the lunar mission captured a rare Earth-rise photograph as the capsule "
     "rounded the Moon.\n\nNASA said the crew were in good health and would splash down on "
     "Thursday.", ""),
    ("pw-re-n02", "Chef reopens steak house with wood-fired oven",
     "The steaks are served rare. Earth ovens dug in the garden are used for slow-cooked lamb at "
     "weekends.\n\nThe restaurant seats 60 and opens for dinner from Tuesday.", ""),
    ("pw-re-n03", "Rural Electrification Executive (REE) extends grid",
     "The Rural Electrification Executive (REE) connected 40,000 homes to the grid last year.\n\n"
     "REE said it would add solar mini-grids in remote villages.", ""),
    ("pw-re-n04", "Nobel prize for superconductivity pioneers",
     "The physics prize went to three scientists whose work led to high-temperature "
     "superconductors.\n\nTheir early materials, such as yttrium barium copper oxide, carry "
     "current without resistance when cooled with liquid nitrogen.\n\nThe committee praised "
     "decades of patient laboratory work.", ""),
    ("pw-re-n05", "Lithium price slump hits Australian miners",
     "Lithium prices fell to a four-year low, forcing Australian miners to cut output and delay "
     "expansions.\n\nSpodumene concentrate fetched 750 dollars a tonne, down 85 percent from its "
     "peak, as battery makers ran down stocks.", "CM"),
    ("pw-re-n06", "Congo cobalt exports suspended to support prices",
     "The Democratic Republic of Congo suspended cobalt exports for four months to curb a supply "
     "glut that drove prices to nine-year lows.\n\nCongo mines about 70 percent of the world's "
     "cobalt, a battery metal.", "CM EC"),
    ("pw-re-n07", "Magnet fishing craze turns up wartime relics",
     "Hobbyists using strong magnets to fish canals have pulled up bicycles, safes and a "
     "wartime grenade, police said.\n\nOfficials urged magnet fishers to report finds.", ""),
    ("pw-re-n08", "Gold miner raises output forecast",
     "A gold miner raised its output forecast after a richer ore zone was found at its main "
     "mine.\n\nThe company also reported higher copper and silver by-product sales.", ""),
    ("pw-re-n09", "China factory output beats forecasts",
     "China's industrial output rose 6 percent in the year to May, beating forecasts, as steel, "
     "cement and car production picked up.\n\nRetail sales grew 4 percent. Output of non-ferrous "
     "metals, including rare earths, edged up.", ""),
    ("pw-re-n10", "School magnet programme expands",
     "The district's magnet schools will add 500 places for science and arts.\n\nParents said "
     "places at the magnet high school remained scarce.", ""),
    ("pw-re-n11", "Phone recycling drive recovers gold and copper",
     "A phone recycling drive collected 40,000 old handsets, from which a refiner recovered gold, "
     "silver and copper.\n\nOrganisers said most old phones sit unused in drawers.", ""),
    ("pw-re-n12", "Graphite anode plant planned in Sweden",
     "A company plans a graphite anode plant in northern Sweden to supply European battery "
     "makers.\n\nGraphite, listed by the EU as a critical raw material, is now mostly processed "
     "in China.", "CM"),
    # ---------------------------------------------------------------- export-controls
    ("pw-ec-01", "Netherlands widens licence rule for chip lithography tools",
     "The Dutch government said exporters will need a licence to ship more types of deep "
     "ultraviolet lithography machines, widening controls that mainly affect ASML's sales to "
     "China.\n\nThe rules take effect next month.", "EC SC"),
    ("pw-ec-02", "U.S. adds drone makers to Entity List",
     "The Commerce Department added eleven Chinese drone and component makers to the Entity "
     "List, barring U.S. suppliers from selling to them without a licence.\n\nThe department said "
     "the firms supplied parts used by Russia's military.", "EC"),
    ("pw-ec-03", "China to require export permits for graphite",
     "China will require export permits for some graphite products from December, citing "
     "national security.\n\nGraphite is used in electric vehicle battery anodes, and China "
     "refines over 90 percent of it.", "EC CM"),
    ("pw-ec-04", "Japan restricts exports of 23 chipmaking tool types",
     "Japan will restrict exports of 23 types of semiconductor manufacturing equipment, "
     "including cleaning and etching tools.\n\nShipments to most countries will need approval "
     "from the trade ministry.", "EC SC"),
    ("pw-ec-05", "EU bans exports of dual-use goods to Russia in new package",
     "The European Union adopted a sanctions package banning exports of dual-use goods, "
     "including machine tools and electronic components, to Russia.\n\nCompanies must also stop "
     "subsidiaries in third countries from re-exporting controlled items.", "EC"),
    ("pw-ec-06", "Exporter fined for shipping controlled oscilloscopes to Iran",
     "An electronics distributor agreed to pay 3 million dollars to settle charges that it "
     "shipped controlled oscilloscopes to Iran without export licences.\n\nThe Bureau of Industry "
     "and Security said the items could be used in nuclear programmes.", "EC"),
    ("pw-ec-07", "Chipmaker designs slower processor to meet export limits",
     "The chipmaker said it had designed a slower data centre processor for China that falls "
     "below the performance thresholds of U.S. export controls.\n\nIts previous model was "
     "barred from sale to Chinese customers last year.", "EC SC"),
    ("pw-ec-08", "Commerce revises foreign direct product rule",
     "The Commerce Department revised the foreign direct product rule so that foreign-made "
     "equipment containing U.S. technology needs a licence to ship to listed Chinese fabs.\n\n"
     "Allies were given time to align their own export controls.", "EC SC"),
    ("pw-ec-09", "Britain suspends some arms export licences to Israel",
     "Britain suspended 30 of 350 arms export licences to Israel after a review found a risk "
     "the items could be used in breaches of humanitarian law.\n\nThe licences cover parts for "
     "fighter jets, helicopters and drones.", "EC"),
    ("pw-ec-10", "Germany blocks machine tool shipment to China over military fears",
     "Germany's economy ministry blocked the export of precision machine tools to a Chinese firm "
     "after intelligence services warned the buyer supplied the military.\n\nSuch denials of "
     "export licences are rare.", "EC"),
    ("pw-ec-11", "Wassenaar members add quantum computing items to control lists",
     "Several members of the Wassenaar Arrangement added quantum computers and parts to their "
     "national export control lists.\n\nExporters of cryogenic equipment will need licences for "
     "most destinations.", "EC"),
    ("pw-ec-12", "China bans gallium, germanium and antimony exports to U.S.",
     "China banned exports of gallium, germanium and antimony to the United States, escalating "
     "its curbs on minerals used in chips and weapons.\n\nThe commerce ministry said dual-use "
     "items would be strictly reviewed.", "EC CM"),
    ("pw-ec-13", "Taiwan adds Huawei and SMIC to export control list",
     "Taiwan added Huawei and chipmaker SMIC to its strategic high-tech commodities entity list, "
     "so Taiwanese firms need permits to ship to them.\n\nThe move aligns Taiwan with U.S. export "
     "controls on China's chip industry.", "EC SC"),
    ("pw-ec-14", "South Korea tightens screening of battery technology exports",
     "South Korea designated cathode and anode technology as national core technologies, so "
     "exports of the know-how need government approval.\n\nThe rule aims to stop leaks of battery "
     "technology to foreign rivals.", "EC"),
    ("pw-ec-n01", "Exporters say tight cost control protects margins",
     "Small exporters said tight control of costs had protected margins despite weaker overseas "
     "sales.\n\nA survey found 60 percent expect exports to grow next year.", ""),
    ("pw-ec-n02", "Export credit agency backs cruise ship order",
     "The export credit agency will guarantee loans for a 1.2 billion euro cruise ship order at "
     "a local yard.\n\nThe yard employs 3,000 people.", ""),
    ("pw-ec-n03", "Sprinter banned for four years over doping",
     "The sprinter was banned for four years after testing positive for a banned steroid.\n\n"
     "His lawyer said he would appeal to the Court of Arbitration for Sport.", ""),
    ("pw-ec-n04", "Country bans beef imports after disease outbreak",
     "The agriculture ministry banned imports of beef from three countries after an outbreak of "
     "foot-and-mouth disease.\n\nExporters in the affected countries said the import ban broke "
     "trade rules and would complain to the WTO.", "TT"),
    ("pw-ec-n05", "Port strike halts coffee exports",
     "A strike at the main port halted coffee exports for a fourth day, exporters said.\n\nAbout "
     "200 containers are waiting to be loaded.", ""),
    ("pw-ec-n06", "Wine exports to China rise for third year",
     "Wine exports to China rose 18 percent last year to 300 million dollars, the industry body "
     "said.\n\nRed wine made up most of the shipments.", ""),
    ("pw-ec-n07", "Press embargo broken on budget leak",
     "A newspaper broke the press embargo on the budget speech, publishing details an hour "
     "early.\n\nThe finance ministry said it would review how embargoed copies are handed out.",
     ""),
    ("pw-ec-n08", "University technology transfer office spins out five firms",
     "The university's technology transfer office spun out five start-ups last year, licensing "
     "patents on batteries and medical devices.\n\nThe office earned 4 million in royalties.", ""),
    ("pw-ec-n09", "City opens dual-use path for cyclists and walkers",
     "The city opened a 12 km dual-use path for cyclists and walkers along the river.\n\nThe path "
     "cost 8 million.", ""),
    ("pw-ec-n10", "Database update fixes entity list bug",
     "The software update fixes a bug where the entity list in the customer database showed "
     "duplicate records.\n\nUsers should restart the app after installing it.", ""),
    ("pw-ec-n11", "Steel exports fall as demand weakens",
     "Steel exports fell 9 percent in the first half as demand in Europe weakened and prices "
     "slid.\n\nMills are cutting shifts to limit stocks.", ""),
    ("pw-ec-n12", "Historians recall 1973 oil embargo",
     "Fifty years after the oil embargo, historians recall queues at petrol stations and "
     "Sunday driving bans.\n\nThe embargo reshaped energy policy in importing countries.", ""),
    # ---------------------------------------------------------------- semiconductors
    ("pw-sc-01", "Samsung begins mass production of new HBM memory",
     "Samsung Electronics began mass production of its latest high-bandwidth memory chips, used "
     "in data centre accelerators.\n\nThe company aims to win back share from SK Hynix in the "
     "fast-growing memory segment.", "SC"),
    ("pw-sc-02", "Intel delays Ohio factory to next decade",
     "Intel pushed back completion of its Ohio chip factory to 2030 as it cuts spending.\n\nThe "
     "company said it would slow construction to match demand for its foundry business.", "SC"),
    ("pw-sc-03", "Infineon cuts guidance as auto chip demand slows",
     "Infineon cut its revenue forecast, saying carmakers were ordering fewer power "
     "semiconductors as electric vehicle sales slow.\n\nThe German chipmaker will cut 1,400 "
     "jobs.", "SC"),
    ("pw-sc-04", "Rapidus starts 2-nanometre pilot line",
     "Japan's Rapidus began operating a pilot line for 2-nanometre chips at its Hokkaido plant, "
     "backed by government subsidies.\n\nIt aims to start mass production in 2027 using "
     "extreme ultraviolet lithography.", "SC"),
    ("pw-sc-05", "Texas Instruments opens new wafer fab",
     "Texas Instruments opened a 300-millimetre wafer fab in Texas that will make analog and "
     "embedded chips.\n\nThe plant received funding under the CHIPS Act.", "SC"),
    ("pw-sc-06", "Applied Materials warns China rules will dent sales",
     "Applied Materials said new U.S. rules would cut its sales of chipmaking equipment to China "
     "by about 400 million dollars.\n\nThe toolmaker's shares fell 6 percent.", "SC EC"),
    ("pw-sc-07", "EU approves subsidy for Dresden chip plant",
     "The European Commission approved 5 billion euros of German state aid for a TSMC-led chip "
     "plant in Dresden under the European Chips Act.\n\nThe fab will make chips for carmakers.",
     "SC"),
    ("pw-sc-08", "India approves Tata semiconductor fab",
     "India's cabinet approved Tata Electronics' plan for the country's first large "
     "semiconductor fabrication plant, in Gujarat.\n\nThe government will cover half the 11 "
     "billion dollar cost.", "SC"),
    ("pw-sc-09", "Wolfspeed files for bankruptcy protection",
     "Wolfspeed, a maker of silicon carbide chips for electric cars and chargers, filed for "
     "bankruptcy protection to cut its debt.\n\nThe chipmaker said its factories would keep "
     "running.", "SC"),
    ("pw-sc-10", "Kioxia shares jump on debut",
     "Shares of Kioxia, the Japanese maker of NAND flash memory chips, jumped 40 percent on "
     "their debut in Tokyo.\n\nThe company is the world's third-largest flash memory maker.",
     "SC"),
    ("pw-sc-11", "Microchip Technology cuts jobs as inventory glut persists",
     "Microchip Technology said it would cut 2,000 jobs and close a wafer plant in Arizona as "
     "customers work through excess chip inventories.\n\nThe microcontroller maker forecast "
     "lower sales.", "SC"),
    ("pw-sc-12", "Drought threatens Taiwan's chip fabs",
     "Taiwan's worst drought in decades is threatening water supplies to chip fabs, which use "
     "huge volumes of ultra-pure water to clean wafers.\n\nTSMC has trucked in water to its "
     "plants.", "SC"),
    ("pw-sc-13", "Arm and Qualcomm clash in court over chip licence",
     "Arm and Qualcomm faced off in court over whether Qualcomm's laptop processors breach "
     "Arm's chip design licence.\n\nThe outcome could affect the smartphone chip market.", "SC"),
    ("pw-sc-14", "Global chip sales rise 20 percent",
     "Global semiconductor sales rose 20 percent in the second quarter, the industry association "
     "said, led by memory and logic chips for servers.\n\nSales in China rose most.", "SC"),
    ("pw-sc-n01", "Poker room tightens rules on chip counts",
     "The casino's poker room now requires players to keep chips in clear stacks.\n\nTournament "
     "directors said chip counts will be posted every hour.", ""),
    ("pw-sc-n02", "Cookie maker recalls chocolate chip biscuits",
     "A cookie maker recalled chocolate chip biscuits after finding traces of nuts.\n\nCustomers "
     "can return packs for a refund.", ""),
    ("pw-sc-n03", "Biomass plant switches to local wood chips",
     "The biomass power plant will burn wood chips from local forests instead of imported "
     "pellets.\n\nThe switch will cut shipping costs.", ""),
    ("pw-sc-n04", "Pet microchipping becomes compulsory for cats",
     "Owners must microchip their cats by June under new rules, as already required for "
     "dogs.\n\nVets said a microchip costs about 20 pounds to fit.", ""),
    ("pw-sc-n05", "Card fraud rises despite chip and PIN",
     "Card fraud rose 8 percent last year despite chip and PIN cards, as criminals moved online."
     "\n\nBanks are rolling out new checks for online payments.", ""),
    ("pw-sc-n06", "Golfer chips in for eagle to win title",
     "She chipped in from 30 yards for an eagle on the 16th to win the title by two "
     "shots.\n\nThe chip shot was the highlight of a round of 66.", ""),
    ("pw-sc-n07", "Stocks close higher in broad rally",
     "Stocks closed higher in a broad rally led by banks, energy companies and retailers.\n\n"
     "Bond yields eased and the dollar slipped. Semiconductor stocks rose along with the rest of "
     "the market, and oil climbed 1 percent.\n\nInvestors await jobs data on Friday.", ""),
    ("pw-sc-n08", "Fish and chips prices rise as cod costs soar",
     "The price of fish and chips has risen 20 percent in a year as cod and potato costs soar, "
     "shop owners say.\n\nSome shops are switching to pollock.", ""),
    ("pw-sc-n09", "Blue-chip art sales slump at auction",
     "Sales of blue-chip art fell at the spring auctions, with several works by famous painters "
     "failing to sell.\n\nDealers blamed higher interest rates.", ""),
    ("pw-sc-n10", "Potato crisps maker buys rival",
     "The snack maker agreed to buy a rival crisps brand for 300 million pounds.\n\nThe deal "
     "adds potato chips and popcorn to its range.", ""),
    ("pw-sc-n11", "Silicon Valley home prices hit record",
     "Median home prices in Silicon Valley hit a record 2 million dollars, driven by tech "
     "wages.\n\nRents also rose.", ""),
    ("pw-sc-n12", "Union says wage deal is only a bargaining chip",
     "The union said the offer was a bargaining chip ahead of the pension talks.\n\nMembers "
     "will vote on strikes next week.", ""),
    # ---------------------------------------------------------------- telecom
    ("pw-tc-01", "BT to cut jobs as fibre rollout nears end",
     "BT will cut up to 55,000 jobs by 2030 as its fibre broadband rollout nears completion and "
     "automation reduces the need for engineers.\n\nThe telecoms group said its network now "
     "reaches 13 million homes.", "TC"),
    ("pw-tc-02", "Verizon agrees to buy Frontier for fibre network",
     "Verizon agreed to buy Frontier Communications for 20 billion dollars, adding 2 million "
     "fibre customers.\n\nThe wireless carrier wants to bundle home broadband with mobile "
     "plans.", "TC"),
    ("pw-tc-03", "Orange wins most spectrum in French 5G auction",
     "Orange won the largest share of airwaves in France's 5G spectrum auction, paying 854 "
     "million euros.\n\nThe telephone company said it would launch 5G service in 15 cities by "
     "year end.", "TC"),
    ("pw-tc-04", "Ericsson cuts jobs as network equipment demand falls",
     "Ericsson will cut 1,200 jobs in Sweden as mobile operators slow spending on 5G network "
     "equipment.\n\nThe company's sales of radio gear fell 15 percent.", "TC"),
    ("pw-tc-05", "Subsea cable cuts disrupt internet in West Africa",
     "Damage to four subsea cables disrupted internet and phone services in a dozen West African "
     "countries.\n\nOperators rerouted traffic, and a repair ship was sent to the site.", "TC"),
    ("pw-tc-06", "FCC restores net neutrality rules for broadband providers",
     "The Federal Communications Commission voted to restore net neutrality rules, classifying "
     "broadband providers as common carriers.\n\nTelecom companies said they would challenge the "
     "rules in court.", "TC"),
    ("pw-tc-07", "Rural broadband subsidy runs out of money",
     "A programme that helped 23 million low-income households pay for broadband ran out of "
     "money.\n\nInternet providers said many customers would drop their service.", "TC"),
    ("pw-tc-08", "Nigeria orders operators to bar unregistered SIM cards",
     "Nigeria's telecoms regulator ordered mobile operators to bar lines not linked to national "
     "identity numbers.\n\nMTN and Airtel said millions of subscribers could be cut off.", "TC"),
    ("pw-tc-09", "T-Mobile launches satellite texting with Starlink",
     "T-Mobile launched a service letting phones send texts via Starlink satellites where there "
     "is no cell tower coverage.\n\nThe carrier said it would add data service next year.", "TC"),
    ("pw-tc-10", "Telefonica sells Argentine unit",
     "Telefonica agreed to sell its Argentine unit for 1.2 billion dollars as the Spanish telecom "
     "group retreats from Latin America.\n\nThe unit has 18 million mobile customers.", "TC"),
    ("pw-tc-11", "Nokia wins network contract from Indian operator",
     "Nokia won a multi-year contract to supply 4G and 5G radio equipment to Bharti Airtel.\n\n"
     "The Finnish network equipment maker said the deal would cover 22 states.", "TC"),
    ("pw-tc-12", "Phone network outage blocks emergency calls",
     "A nationwide outage at the largest phone company blocked emergency calls for nine "
     "hours.\n\nThe regulator said it would investigate the operator's network failure.", "TC"),
    ("pw-tc-13", "Ofcom fines operator over 999 call failure",
     "Ofcom fined a mobile network operator 17.5 million pounds after a software fault stopped "
     "999 calls connecting.\n\nThe regulator said telecoms firms must test their networks.",
     "TC"),
    ("pw-tc-14", "Airtel Africa profit rises on data and mobile money",
     "Airtel Africa reported a 20 percent rise in profit as data use and mobile money grew across "
     "its 14 markets.\n\nThe operator added 10 million subscribers.", "TC"),
    ("pw-tc-n01", "FCC fines TV station over indecent broadcast",
     "The FCC fined a television station 300,000 dollars for airing indecent material during a "
     "news broadcast.\n\nThe station said the clip was shown by mistake.", ""),
    ("pw-tc-n02", "Autism spectrum services expand",
     "The health service will expand diagnosis for children on the autism spectrum.\n\nWaiting "
     "lists have grown to two years.", ""),
    ("pw-tc-n03", "Huawei-backed car brand doubles sales",
     "Aito, the car brand backed by Huawei, doubled sales of its electric SUVs in May.\n\nThe "
     "brand's cars are built by Seres in Chongqing.", ""),
    ("pw-tc-n04", "Poll shows governing party ahead",
     "A telephone poll of 1,000 voters showed the governing party ahead by four points.\n\nThe "
     "election is in October.", ""),
    ("pw-tc-n05", "Markets: stocks edge higher",
     "Stocks edged higher, with gains in banks and utilities offset by losses in miners and a "
     "telecom stock that missed forecasts.\n\nThe dollar was steady. Oil fell.\n\nInvestors "
     "await central bank minutes.", ""),
    ("pw-tc-n06", "Radio station sold to media group",
     "A local radio station was sold to a national media group for 12 million dollars.\n\nThe "
     "station's morning show will keep its hosts.", ""),
    ("pw-tc-n07", "Nokia Arena hosts ice hockey final",
     "The Nokia Arena in Tampere hosted the ice hockey final before 13,000 fans.\n\nThe home "
     "side won in overtime.", ""),
    ("pw-tc-n08", "Court jails fraudster who posed as phone company",
     "A man who cold-called pensioners pretending to be from their bank was jailed for five "
     "years.\n\nPolice said he stole 800,000 pounds. He used a mobile phone bought with cash.", ""),
    ("pw-tc-n09", "Mobile home park residents fight rent rises",
     "Residents of a mobile home park protested against rent rises of 30 percent.\n\nThe park's "
     "owner said costs had risen.", ""),
    ("pw-tc-n10", "Satellite TV broadcaster loses football rights",
     "A satellite television broadcaster lost the rights to show league football to a streaming "
     "service.\n\nIts shares fell 9 percent.", ""),
    ("pw-tc-n11", "Power cut in city centre",
     "A power cut left 20,000 homes in the city centre without electricity for three hours.\n\n"
     "Traffic lights failed and the utility blamed a fault at a substation.", ""),
    ("pw-tc-n12", "Hotel chain renovates rooms, adds faster Wi-Fi",
     "The hotel chain will renovate 4,000 rooms and add faster Wi-Fi and broadband-based TV.\n\n"
     "Room rates will rise 5 percent after the works. The chain also plans three new resorts.",
     ""),
    # ---------------------------------------------------------------- trade-tariffs, critical minerals
    ("pw-tt-01", "Malaysia raises export duty on crude palm oil",
     "Malaysia raised the export duty on crude palm oil to 10 percent for June, the customs "
     "department said.\n\nThe duty is set each month from a reference price.", "TT"),
    ("pw-tt-02", "U.S. imposes tariffs on steel and aluminium from allies",
     "The United States imposed 25 percent tariffs on steel and 10 percent on aluminium from the "
     "EU, Canada and Mexico under Section 232.\n\nThe EU said it would retaliate.", "TT"),
    ("pw-tt-03", "Coffee producers fail to agree export quotas",
     "Coffee producing and consuming countries failed to agree new export quotas at the "
     "International Coffee Organization, leaving the market without quota controls.\n\nBrazil "
     "refused a smaller share of the quota.", "TT"),
    ("pw-tt-n01", "Sugar imports under quota rose last week, USDA says",
     "Sugar imports entering under the tariff-rate quota rose to 22,000 tonnes last week, USDA "
     "data showed.\n\nImports for the year now total 1.1 million tonnes.", ""),
    ("pw-tt-n02", "Coffee prices fall on Brazil harvest",
     "Arabica coffee futures fell 3 percent as Brazil's harvest advanced in good weather.\n\n"
     "Exporters were selling actively.", ""),
    ("pw-tt-n03", "Swiss capital exports rise in January",
     "Swiss capital exports rose to 5 billion francs in January as investors bought foreign "
     "bonds, the central bank said.\n\nNew foreign bond issues in francs were strong.", ""),
    ("pw-cm-01", "Government to sell surplus tin from strategic stockpile",
     "The government will sell 3,000 tonnes of tin from the national defense stockpile over the "
     "year, the stockpile agency said.\n\nProducers fear the sales will depress prices.", "CM"),
    ("pw-cm-n01", "Platinum jewellery demand falls in China",
     "Demand for platinum jewellery in China fell 20 percent as young buyers chose gold, a "
     "council of producers said.\n\nPlatinum prices were steady.", ""),
    ("pw-cm-n02", "Artist's cobalt blue paintings fetch record",
     "A series of cobalt blue paintings fetched a record at auction.\n\nThe artist mixed her own "
     "pigments.", ""),
]


# Round 3 (written for this project): more positives where the dev set was thin (artificial
# intelligence, telecom, trade policy, export controls) and more traps of the kinds the issue
# names (chips as food or stocks, utility tariffs, "AI" as a name, routine metal prices).
PROJECT_WRITTEN_R3 = [
    # ---------------------------------------------------------------- artificial-intelligence
    ("r3-ai-01", "Insurer uses AI to settle car claims in minutes",
     "An insurer said an AI system now assesses photos of damaged cars and settles simple claims "
     "in minutes.\n\nThe model was trained on two million past claims; adjusters review any "
     "payout above 5,000 euros.", "AI"),
    ("r3-ai-02", "Court fines lawyer who filed brief written by chatbot",
     "A federal judge fined a lawyer who filed a brief citing cases invented by a chatbot.\n\n"
     "The judge said lawyers using generative AI tools must check every citation the software "
     "produces.", "AI"),
    ("r3-ai-03", "Google folds research units into single AI lab",
     "Google merged its Brain team with DeepMind to form a single artificial intelligence lab, "
     "aiming to speed up work on its Gemini models.\n\nThe combined unit employs about 5,000 "
     "researchers.", "AI"),
    ("r3-ai-04", "Teachers get guidance on students using AI for homework",
     "The education ministry issued guidance on pupils using AI chatbots for homework, saying "
     "schools may allow them for research but not for graded essays.\n\nTeachers' unions asked "
     "for training on spotting machine-written work.", "AI"),
    ("r3-ai-05", "Weather service adopts machine learning forecasts",
     "The national weather service began publishing forecasts from a machine learning model "
     "alongside its physics-based runs.\n\nThe AI model produces a ten-day forecast in under a "
     "minute on a single processor.", "AI"),
    ("r3-ai-06", "Actors' union strikes deal on digital replicas",
     "The actors' union reached a deal with studios that requires consent and payment before an "
     "actor's voice or likeness is recreated with artificial intelligence.\n\nThe union called "
     "the AI protections the strongest in the industry.", "AI"),
    ("r3-ai-07", "Chip designer's stock soars on demand for AI servers",
     "Shares of a server maker rose 15 percent after it said orders for machines built to train "
     "AI models had tripled.\n\nThe company expects sales of AI servers to reach 20 billion "
     "dollars this year.", "AI"),
    ("r3-ai-08", "Researchers show neural network that designs antibiotics",
     "Researchers used a neural network to screen 100 million molecules and found a new "
     "antibiotic that kills drug-resistant bacteria in mice.\n\nThe deep learning model picked "
     "candidates no chemist had considered.", "AI"),
    ("r3-ai-09", "Senators propose licensing regime for frontier AI models",
     "Two senators proposed that developers of the most powerful AI models obtain a federal "
     "licence and submit to safety testing.\n\nIndustry groups said the plan could entrench big "
     "AI companies.", "AI"),
    ("r3-ai-10", "Translation firm replaces freelancers with language models",
     "A translation agency said large language models now produce first drafts of most jobs, and "
     "it has cut work for 300 freelancers.\n\nHuman editors still check legal and medical "
     "texts.", "AI"),
    ("r3-ai-11", "Anthropic raises funds at higher valuation",
     "Anthropic, the maker of the Claude chatbot, raised 13 billion dollars from investors, "
     "more than doubling its valuation.\n\nThe AI start-up said the money would pay for "
     "computing capacity and safety research.", "AI"),
    ("r3-ai-12", "Police trial of facial recognition draws criticism",
     "A police force's trial of live facial recognition cameras drew criticism after the AI "
     "system misidentified several people.\n\nCampaigners said the computer vision software "
     "was less accurate for darker-skinned faces.", "AI"),
    ("r3-ai-n01", "AI Group lifts annual dividend",
     "Insurance holding company AI Group raised its annual dividend by 6 percent after a strong "
     "year in its motor business.\n\nThe shares rose 2 percent.", ""),
    ("r3-ai-n02", "Vet service expands cattle breeding programme",
     "The state veterinary service will expand its AI programme for cattle, offering farmers "
     "semen from high-yield bulls at a subsidised price.\n\nAbout 12,000 cows were inseminated "
     "last year.", ""),
    ("r3-ai-n03", "Human rights group says detainees tortured",
     "Amnesty International said detainees held after the protests were beaten and denied "
     "lawyers.\n\nAI called for an independent inquiry; the government denied the claims.", ""),
    ("r3-ai-n04", "Artificial sweetener linked to heart risk in study",
     "A study of 4,000 adults linked an artificial sweetener to a higher risk of blood clots."
     "\n\nResearchers said more work was needed before changing dietary advice.", ""),
    ("r3-ai-n05", "Airline reports record passenger numbers",
     "Air India carried a record 5 million passengers in the quarter as it added flights to "
     "Europe and North America.\n\nThe airline's AI 101 service to New York was its busiest "
     "route.", ""),
    ("r3-ai-n06", "Carmaker's profit falls on weak China sales",
     "The carmaker's quarterly profit fell 30 percent as sales in China slumped and price cuts "
     "squeezed margins.\n\nIt kept its full-year forecast. The company said new models, some "
     "with AI voice assistants, would reach showrooms in the autumn.\n\nThe shares fell 4 "
     "percent in Frankfurt.", ""),
    # ---------------------------------------------------------------- telecom
    ("r3-tc-01", "Deutsche Telekom raises forecast on U.S. mobile growth",
     "Deutsche Telekom raised its profit forecast after its T-Mobile US unit added more mobile "
     "subscribers than expected.\n\nThe telecoms group also said its German fibre rollout was "
     "ahead of plan.", "TC"),
    ("r3-tc-02", "Regulator blocks merger of two mobile carriers",
     "The competition regulator blocked the merger of the country's second and third mobile "
     "carriers, saying it would raise prices for phone users.\n\nThe operators said they would "
     "appeal.", "TC"),
    ("r3-tc-03", "Operators switch off 3G networks",
     "Britain's mobile network operators completed the switch-off of their 3G networks, freeing "
     "spectrum for 4G and 5G services.\n\nCustomers with old handsets were offered cheap "
     "replacements.", "TC"),
    ("r3-tc-04", "Telecom equipment maker wins Saudi 5G contract",
     "ZTE won a contract to build part of a Saudi operator's 5G network, including 4,000 base "
     "stations.\n\nThe Chinese telecom equipment maker beat Nokia and Ericsson.", "TC"),
    ("r3-tc-05", "Government to auction rural broadband contracts",
     "The government will auction contracts worth 5 billion pounds to bring gigabit broadband to "
     "rural homes.\n\nSmaller internet providers say the lots favour the biggest telephone "
     "companies.", "TC"),
    ("r3-tc-06", "Satellite operator signs deal to connect phones directly",
     "A satellite operator signed a deal with a mobile carrier to connect ordinary phones "
     "directly to satellites in areas with no cell tower.\n\nThe service will start with text "
     "messages.", "TC"),
    ("r3-tc-n01", "Phone case maker's sales jump",
     "A maker of phone cases and chargers said sales rose 25 percent in the holiday quarter."
     "\n\nIt will open ten stores in shopping centres.", ""),
    ("r3-tc-n02", "Broadcasting union calls strike at public radio",
     "Journalists at the public radio broadcaster will strike on Friday over pay.\n\nNews "
     "bulletins will be replaced by music.", ""),
    ("r3-tc-n03", "Light spectrum study shows how plants grow",
     "Biologists studied how plants respond to different parts of the light spectrum, finding "
     "that far-red light speeds flowering.\n\nGreenhouse growers may adjust their lamps.", ""),
    ("r3-tc-n04", "Town hall hosts mobile library",
     "A mobile library will visit ten villages each week from March.\n\nThe van carries 3,000 "
     "books.", ""),
    # ---------------------------------------------------------------- trade-tariffs
    ("r3-tt-01", "Canada imposes surtax on Chinese steel and aluminium",
     "Canada will impose a 25 percent surtax on steel and aluminium imports from China, matching "
     "U.S. tariffs.\n\nBeijing said it would launch an anti-dumping investigation into Canadian "
     "canola in response.", "TT"),
    ("r3-tt-02", "WTO panel rules against U.S. solar tariffs",
     "A World Trade Organization panel ruled that U.S. safeguard tariffs on solar panels broke "
     "trade rules.\n\nWashington said it would appeal the ruling.", "TT"),
    ("r3-tt-03", "EU and Mercosur conclude trade agreement",
     "The European Union and the Mercosur bloc concluded a trade agreement that will remove "
     "tariffs on most goods over 15 years.\n\nFrench farmers protested against the deal.", "TT"),
    ("r3-tt-04", "China's trade surplus hits record as exports surge",
     "China's trade surplus rose to a record 104 billion dollars in the month as exports grew "
     "12 percent and imports fell.\n\nEconomists said exporters were rushing shipments ahead "
     "of new tariffs.", "TT"),
    ("r3-tt-05", "India cuts import duty on smartphones parts",
     "India cut the import duty on some smartphone components to 10 percent to help local "
     "assembly.\n\nThe finance ministry said the customs duties change takes effect at once.",
     "TT"),
    ("r3-tt-06", "U.K. and India sign free trade deal",
     "Britain and India signed a free trade deal cutting tariffs on whisky, cars and "
     "textiles.\n\nBilateral trade is expected to rise by 25 billion pounds a year.", "TT"),
    ("r3-tt-n01", "Water tariffs to rise 8 percent",
     "Household water tariffs will rise 8 percent from April, the regulator said, to pay for "
     "new reservoirs and pipes.\n\nBills will average 480 pounds a year.", ""),
    ("r3-tt-n02", "Shop lifts prices of crisps and chips",
     "A supermarket chain raised the price of its own-brand crisps and frozen chips, citing "
     "potato costs after a poor harvest.\n\nThe chain said other snacks would stay the same "
     "price.", ""),
    ("r3-tt-n03", "Heat pump owners get cheaper electricity tariff",
     "An energy supplier launched a cheaper electricity tariff for heat pump owners, with lower "
     "rates overnight.\n\nThe tariff saves a typical home 150 pounds a year.", ""),
    ("r3-tt-n04", "Blue-chip index ends at record high",
     "The blue-chip index closed at a record high, led by banks and miners, as investors bet on "
     "lower interest rates.\n\nThe currency was steady against the dollar.", ""),
    ("r3-tt-n05", "Football club sells striker in record deal",
     "The club sold its striker for a record 120 million euros after a season of 30 "
     "goals.\n\nThe transfer window closes on Friday.", ""),
    # ---------------------------------------------------------------- export controls, minerals
    ("r3-ec-01", "U.S. curbs exports of advanced AI chips to Middle East",
     "The U.S. Commerce Department said exports of advanced AI chips to several Middle East "
     "countries will need a licence, extending export controls beyond China.\n\nChipmakers "
     "said the rule would cost them sales.", "EC SC"),  # r14: "AI chips" as the product only (blind 2026 set)
    ("r3-ec-02", "China adds U.S. defence firms to unreliable entity list",
     "China added 28 U.S. defence companies to its export control list, banning exports of "
     "dual-use items to them.\n\nThe commerce ministry said the move protects national "
     "security.", "EC"),
    ("r3-ec-03", "Exporter charged with smuggling rifle scopes to Russia",
     "Prosecutors charged a company owner with exporting rifle scopes and night-vision gear to "
     "Russia without the required export licences.\n\nThe items are controlled under U.S. "
     "export rules.", "EC"),
    ("r3-ec-n01", "Exports of cheese rise on strong demand",
     "Cheese exports rose 14 percent as demand from Asia grew, the dairy board said.\n\n"
     "Butter exports fell.", ""),
    ("r3-cm-01", "EU picks 47 strategic projects for critical raw materials",
     "The European Commission selected 47 mining and refining projects for lithium, nickel, "
     "cobalt and graphite as strategic under its Critical Raw Materials Act.\n\nThe projects "
     "get faster permits.", "CM"),
    ("r3-cm-n01", "Silver climbs with gold as dollar dips",
     "Silver rose 2 percent and gold gained 1 percent as the dollar dipped after weak U.S. "
     "jobs data.\n\nCopper was flat on the London Metal Exchange.", ""),
    ("r3-cm-n02", "Jeweller reports higher sales of gold chains",
     "A jewellery chain said sales of gold chains and rings rose 9 percent in the quarter "
     "despite record gold prices.\n\nIt will open 15 stores.", ""),
]

RELABEL = {
    "T1": re.compile(r"CU+R+ENT ACCOUNT|CURRENT (PAYMENTS|DEFICIT|SURPLUS)|PAYMENTS (GAP|DEFICIT|SURPLUS|BALANCE)"
                     r"|BALANCE OF PAYMENTS|CAPITAL (EXPORT|FLOW|OUTFLOW|INFLOW)"),
    "T1_keep": re.compile(r"TRADE|TARIFF|DUTY|DUTIES|QUOTA|IMPORT"),
    "T2": re.compile(r"TARIFF|\bDUT(Y|IES)\b|DUMPING|COUNTERVAIL|(IMPORT|EXPORT)S? (QUOTA|BAN|CURB|LEVY"
                     r"|LEVIES|RESTRICTION|CONTROL|TAX)|QUOTA (TALKS|ACCORD|PACT|AGREEMENT|SYSTEM|CUT|DEAL)"
                     r"|\bGATT\b|TRADE (PACT|TALKS|ACCORD|AGREEMENT|BILL|WAR|DISPUTE|ROW|SANCTION|CURB"
                     r"|BARRIER|LAW|POLIC)|PROTECTIONIS|RETALIAT|\bLEVY\b|\bLEVIES\b|\bQUOTAS?\b"),
    "C1": re.compile(r"PLATINUM.*(FIND|MINE|DISCOVER)|STOCKPILE"),
    "T3": re.compile(r"TRADE (SURPLUS|DEFICIT|GAP|BALANCE|SHORTFALL)|BALANCE OF TRADE"),
    "T4": re.compile(r"TRADE (CREDIT|LINES?)\b"),
    "T6": re.compile(r"YEUTTER|TRADE COMPLAINT|SECTION 301|OILS TAX|OILS?( AND |/)FATS TAX|FATS AND OILS TAX"
                     r"|VEG OILS? TAX|SOY OIL TAX|EC OIL TAX"),
    "T7_filter": re.compile(r"\bGDP\b|\bGNP\b|GROWTH|ECONOMY|ECONOMIC|\bJOBS\b|UNEMPLOY|INFLATION|DOLLAR|\bYEN\b"
                            r"|CURRENC|EXCHANGE RAT|INTEREST RATE|\bDEBT\b|BUDGET|\bG-?[567]\b|MONETARY|\bRATES?\b"),
    "T7_keep": re.compile(r"TRADE|EXPORT|IMPORT|TARIFF|\bDUT(Y|IES)\b|QUOTA|GATT|DUMPING|PROTECTION|SURPLUS|DEFICIT"
                          r"|BARRIER|SANCTION|BOYCOTT|EMBARGO|LEVY|LEVIES|RETALIAT|YEUTTER|COUNTERVAIL|CHIP"
                          r"|SEMICONDUCTOR|TEXTILE|\bICO\b|COFFEE|PACT|ACCORD|AGREEMENT|TALKS"),
}
# T6: title matches read; left out: the trade representative on exchange rates (2025, 4882).
T6_NOT = {2025, 4882}
# T7: Reuters `trade` docs whose title is about growth, currency, debt or jobs and names no trade
# instrument (T7_filter and not T7_keep: 30 docs). Each lead was read; these are judged negative
# because the story's subject is not trade (the reason per doc). The other 12 keep their label:
# their lead makes trade the subject (a lower dollar or a revaluation to cut a trade deficit or
# surplus, Congress and Japan's surplus, deregulating trade) or leaves it unclear.
T7_MACRO = {
    47: "Brazil's anti-inflation plan at home",
    2618: "U.S. payroll jobs report",
    3532: "Japanese minister on the yen's rise",
    5278: "Egypt's military debt to the Soviet Union",
    5458: "Brazil's foreign debt crisis",
    6406: "New Zealand economic forecast",
    6593: "German growth forecast",
    6954: "Indonesia's options after the oil price fall",
    8153: "Japan GNP forecast",
    8158: "Burma's debt service ratio",
    8173: "French GDP forecast",
    8189: "Baker on exchange-rate targets",
    8671: "Japan's monthly economic report",
    8746: "U.S. growth outlook",
    9751: "Australian growth forecast",
    9897: "Australian growth forecast (repeat)",
    10807: "Hong Kong currency dealers on the G-6",
    14770: "Bundesbank on the dollar",
}
# T2 title matches read and judged not trade policy: weekly EC sugar levy tables (3228, 12117),
# OPEC output quotas (4039, 4129), Brazil's debt "retaliation" (5098), a domestic Dutch grain
# levy (9907), a coffee price outlook (1312), weekly sugar-quota import figures (105), EC steel
# production quotas (4215) and OPEC output quotas again (6348).
T2_NOT = {1312, 3228, 12117, 4039, 4129, 5098, 9907, 105, 4215, 6348}
# T5: of the 31 docs whose title names ICO or coffee talks/pact/agreement, those without QUOTA in
# the title (T2 takes those) that are about negotiating the export-quota agreement; left out as
# not about the talks: board meetings and attendance (4349, 9654), price support (7406), market
# discussion (11866), meeting agenda (10100).
T5_ICO_TALKS = {42, 75, 754, 875, 1085, 1207, 1579, 1715, 2553, 3034, 8105, 10876, 10902}


def _relabel(d: dict, labels: list[str]) -> list[str]:
    """Apply rules T1-T7, C1 (module docstring) to one Reuters doc's labels; returns rule names."""
    title, applied = d["title"], []
    if "trade-tariffs" in labels and RELABEL["T1"].search(title) and not RELABEL["T1_keep"].search(title):
        labels.remove("trade-tariffs")
        applied.append("T1")
    if ("trade-tariffs" not in labels and "trade" not in d["topics"] and RELABEL["T2"].search(title)
            and d["newid"] not in T2_NOT):
        labels.append("trade-tariffs")
        applied.append("T2")
    if "trade-tariffs" not in labels and RELABEL["T3"].search(title):
        labels.append("trade-tariffs")
        applied.append("T3")
    if "trade-tariffs" not in labels and d["newid"] in T5_ICO_TALKS:
        labels.append("trade-tariffs")
        applied.append("T5")
    if "trade-tariffs" in labels and RELABEL["T4"].search(title):
        labels.remove("trade-tariffs")
        applied.append("T4")
    if ("trade-tariffs" not in labels and RELABEL["T6"].search(title) and d["newid"] not in T6_NOT):
        labels.append("trade-tariffs")
        applied.append("T6")
    if "trade-tariffs" in labels and d["newid"] in T7_MACRO:
        assert RELABEL["T7_filter"].search(title) and not RELABEL["T7_keep"].search(title), d["newid"]
        labels.remove("trade-tariffs")
        applied.append("T7")
    if "critical-minerals" not in labels and RELABEL["C1"].search(title):
        labels.append("critical-minerals")
        applied.append("C1")
    return applied


def split_of(row_id: str) -> str:
    """Fixed dev/held-out split by a hash of the id (30% held out)."""
    return "heldout" if int(hashlib.sha1(row_id.encode("utf-8")).hexdigest(), 16) % 10 < 3 else "dev"


def _reuters_rows() -> list[dict]:
    nets = {t: re.compile(rx, re.I) for t, rx in CANDIDATE_NETS.items()}
    docs = [json.loads(line) for line in REUTERS.open(encoding="utf-8")]
    docs = [d for d in docs if d["has_topics"] == "YES"]
    candidates = {t: sorted(d["newid"] for d in docs if nets[t].search(d["title"] + "\n" + d["body"]))
                  for t in nets}
    cand_sets = {t: set(v) for t, v in candidates.items()}
    rows = []
    for d in docs:
        nid = d["newid"]
        labels, judged = [], ["trade-tariffs", "critical-minerals"]
        if "trade" in d["topics"]:
            labels.append("trade-tariffs")
        if "strategic-metal" in d["topics"]:
            labels.append("critical-minerals")
        for topic in ("semiconductors", "export-controls", "telecom", "rare-earths",
                      "artificial-intelligence"):
            if nid not in cand_sets[topic]:
                judged.append(topic)  # outside the keyword net: negative
                continue
            mark = HAND_LABELS[topic].get(nid)
            if mark is None and topic == "telecom":
                continue  # telecom candidates were sampled, not all labelled
            if mark is None:
                raise SystemExit(f"newid {nid} is a {topic} candidate without a hand label")
            if mark == "?":
                continue
            judged.append(topic)
            if mark == "Y":
                labels.append(topic)
        relabelled = _relabel(d, labels)
        row = {"id": f"reuters-{nid}", "title": d["title"], "text": d["body"],
               "labels": sorted(labels), "judged": sorted(judged), "source": "reuters"}
        if relabelled:
            row["relabel"] = relabelled
        rows.append(row)
    return rows


CODES = {"RE": "rare-earths", "CM": "critical-minerals", "SC": "semiconductors", "EC": "export-controls",
         "TT": "trade-tariffs", "AI": "artificial-intelligence", "TC": "telecom"}


def _handwritten_rows() -> list[dict]:
    rows = [{"id": i, "title": t, "text": x, "labels": sorted(labels), "judged": sorted(NAMED),
             "source": "handwritten"} for i, t, x, labels in HANDWRITTEN]
    rows += [{"id": i, "title": t, "text": x, "labels": sorted(CODES[c] for c in codes.split()),
              "judged": sorted(NAMED), "source": "project-written"}
             for i, t, x, codes in PROJECT_WRITTEN + PROJECT_WRITTEN_R3]
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out_dir = Path(argv[0]) if argv else Path("/tmp")
    repo = Path(__file__).resolve().parent.parent
    if out_dir.resolve() == repo or repo in out_dir.resolve().parents:
        raise SystemExit("refusing to write the dev set inside the repository")
    rows = _handwritten_rows()
    if REUTERS.exists():
        rows += _reuters_rows()
    else:
        print(f"note: {REUTERS} not found; writing the hand-written part only", file=sys.stderr)
    for row in rows:
        row["split"] = split_of(row["id"])
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "topics_devset.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {t: sum(t in r["labels"] for r in rows) for t in NAMED}
    print(f"wrote {len(rows)} rows to {out}; positives per topic: {counts}")
    for split in ("dev", "heldout"):
        part = [r for r in rows if r["split"] == split]
        print(f"  {split}: {len(part)} rows, positives {({t: sum(t in r['labels'] for r in part) for t in NAMED})}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
