"""The scoring block the small test taxonomies share (one copy; each fixture varies a value or two)."""


def scoring(lead_paragraphs: int = 1, max_repeats: int = 3, tail: float = 0.5, tail_fraction: float = 0.7) -> str:
    return ("scoring:\n"
            f"  zone_weights: {{title: 2.0, lead: 1.5, body: 1.0, tail: {tail}}}\n"
            f"  lead_paragraphs: {lead_paragraphs}\n"
            "  lead_min_words: 3\n"
            f"  tail_fraction: {tail_fraction}\n"
            "  repeat_decay: 0.5\n"
            f"  max_repeats: {max_repeats}\n")
