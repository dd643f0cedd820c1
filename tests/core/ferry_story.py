"""The invented story the extraction review tests (rules v47 and v48) set inside their page templates."""

PARAS = [
    "The county council voted on Tuesday to close the old ferry landing at Marsh End, ending a service that has "
    "run in some form since the eighteen-fifties.",
    "Councillors said the landing's timber deck had rotted beyond repair and that a new one would cost more than "
    "the ferry earns in a decade, according to the engineers' report.",
    "Residents of the far bank, who use the ferry to reach the market town, told the meeting that the road bridge "
    "upstream adds forty minutes to every trip.",
    "The council said it would ask the regional transport board to pay for a shuttle bus, and would decide on the "
    "landing's future use next spring.",
]
BODY = "".join(f"<p>{p}</p>" for p in PARAS)
TITLE = "Council votes to close Marsh End ferry landing"
