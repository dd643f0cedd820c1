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
     Hand-labelled: semiconductors 100 candidates, export-controls 29, telecom 36 of 185 (random
     sample, seed 7), rare-earths 2, artificial-intelligence 1.
2. Hand-written articles (this file, written for this project): traps named in the brief
   (potato chips, blue-chip stocks, electricity tariffs, "AI" as a name, chips in a sports story,
   a gold price report) and modern positives for each named topic. Fully labelled, all 7 judged.
"""
from __future__ import annotations

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
               r"|mobile phone|wireless",
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
     ["export-controls", "semiconductors", "artificial-intelligence"]),
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
        rows.append({"id": f"reuters-{nid}", "title": d["title"], "text": d["body"],
                     "labels": sorted(labels), "judged": sorted(judged), "source": "reuters"})
    return rows


def _handwritten_rows() -> list[dict]:
    return [{"id": i, "title": t, "text": x, "labels": sorted(labels), "judged": sorted(NAMED),
             "source": "handwritten"} for i, t, x, labels in HANDWRITTEN]


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
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "topics_devset.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {t: sum(t in r["labels"] for r in rows) for t in NAMED}
    print(f"wrote {len(rows)} rows to {out}; positives per topic: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
