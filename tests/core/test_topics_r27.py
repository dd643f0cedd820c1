"""Taxonomy r27: AI as compute capacity is chip demand; an office AI tool named once is no AI story."""
import pytest

from pipelines.core.topics import TopicMatcher, load_taxonomy
from tests.core.topic_checks import assert_tagged_alike


@pytest.fixture(scope="module")
def matcher():
    return TopicMatcher(load_taxonomy())


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
]


@pytest.mark.parametrize("title,text,topic,tagged", R27_TRAPS)
def test_r27_leaves_ordinary_news_alone(matcher, title, text, topic, tagged):
    assert_tagged_alike(matcher, title, text, topic, tagged)


def test_r27_version(matcher):
    assert int(load_taxonomy().version.split("-r")[1]) >= 27
