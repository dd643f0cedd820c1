"""Scraper junk and page layouts: renders an Article as raw scraped text or as a full HTML page."""

import html
import json

NAV_MENUS = [
    ["Home", "World", "Business", "Markets", "Technology", "Politics", "Sport", "Opinion"],
    ["News", "UK", "US", "Asia", "Money", "Tech", "Science", "Health", "Culture"],
    ["Latest", "Economy", "Companies", "Energy", "Climate", "Lifestyle", "Video", "Podcasts"],
]
SHARE = ["Share on Facebook", "Share on X", "Share on LinkedIn", "Share on WhatsApp", "Email", "Copy link"]
COOKIE = [
    "We use cookies to give you the best experience on our website. By continuing to browse, you agree to our use of cookies.",
    "This site uses cookies and similar technologies to personalise content and ads and to analyse our traffic. You can change your choices at any time.",
    "We and our partners store and access information on your device to measure audiences and improve our services.",
]
COOKIE_BUTTONS = ["Accept all", "Reject all", "Manage preferences", "Cookie settings"]
NEWSLETTER = [
    ("Get the Morning Briefing", "Sign up for free to receive the day's biggest stories in your inbox before breakfast."),
    ("Never miss a story", "Our editors pick the most important news every evening. Subscribe to the newsletter."),
    ("Markets in your inbox", "The week's moves explained in five minutes, every Friday."),
]
USERS = ["kestrel_77", "Margaret H.", "dbrowne", "NorthernLight", "tom_the_builder", "sceptic2019",
         "lindaK", "Old Harry", "quietobserver", "paulo.r", "Anon1234", "jen_from_leeds"]
COMMENTS = [
    "Finally someone is saying it. This has been obvious for years.",
    "Does anyone actually believe these numbers? I certainly don't.",
    "My brother works in this industry and says it is much worse than reported.",
    "Great article, thanks for explaining it so clearly.",
    "Another day, another promise that will be forgotten by spring.",
    "Who is going to pay for all this? We are, of course.",
    "I remember when this paper used to do proper investigative journalism.",
    "The comments here are more informative than the article.",
    "Interesting, but the headline is misleading. Read to the end.",
    "Same story every winter. Nothing ever changes.",
]
COMMENT_TIMES = ["2 hours ago", "5 hours ago", "Yesterday at 18:40", "1 day ago", "3 hours ago", "34 minutes ago"]
AUTHORS = ["Staff reporter", "Wire staff", "Our correspondent", "Business desk", "Sports desk"]
FOOTER_LINKS = ["About us", "Contact", "Careers", "Privacy policy", "Terms of use", "Advertise with us"]
AD_LINES = ["ad-image", "Advertisement", "ADVERTISEMENT", "Story continues below advertisement"]


def teaser(article, width: int = 100) -> list:
    """Headline line plus the lead cut at `width` characters, ending in '...', as on the seed's tail."""
    lead = article.lead()
    return [article.title, lead[:width].rstrip() + "..."]


def _byline(rng, date_label):
    return [f"By {rng.choice(AUTHORS)}", f"{date_label} \u00b7 {rng.randint(2, 9)} min read"]


def _comments(rng, date_label):
    lines = [f"Comments ({rng.randint(3, 48)})"]
    for _ in range(rng.randint(2, 4)):
        when = rng.choice(COMMENT_TIMES + [f"{date_label}, {rng.randint(6, 22):02d}:{rng.randint(0, 59):02d}"])
        lines += [f"{rng.choice(USERS)} \u00b7 {when}", rng.choice(COMMENTS), "Reply \u00b7 Report"]
    lines.append("Load more comments")
    return lines


def render_text(article, rng, site: dict, others: list, date_label: str, with_title: bool = True) -> str:
    """Scraped plain text in one of the site styles: seed, portal, community, wire."""
    style = site["style"]
    body = article.gold_blocks("text")
    sf = article.standfirst
    lines = []
    if style == "seed":
        if with_title:
            lines.append(article.title)
        lines += [sf, sf, AD_LINES[0] + "\n" + body[0]]
        for b in body[1:]:
            lines.append(b)
            if rng.random() < 0.08:
                lines.append("ad-image")
        lines += [f"Image: Title: {article.caption}", "Opinion", "View All"]
        for other in others[: rng.randint(2, 4)]:
            lines += teaser(other)
    elif style == "portal":
        lines += ["Skip to content"] + rng.choice(NAV_MENUS) + ["Subscribe", "Sign in"]
        lines.append(" \u203a ".join(["Home", article.section.capitalize()]))
        if with_title:
            lines.append(article.title)
        lines.append(sf)
        lines += _byline(rng, date_label)
        lines += rng.sample(SHARE, 3)
        for i, b in enumerate(body):
            lines.append(b)
            if i == 2:
                lines.append(rng.choice(AD_LINES[1:]))
        head, pitch = rng.choice(NEWSLETTER)
        lines += [head, pitch, "Enter your email address", "Sign up"]
        lines.append("Related stories")
        lines += [o.lead() for o in others[:3]]
        lines.append("Tags: " + ", ".join(article.tags))
        lines.append(f"\u00a9 2026 {site['name']}. All rights reserved.")
    elif style == "community":
        lines += [rng.choice(COOKIE), " ".join(rng.sample(COOKIE_BUTTONS, 2))]
        lines += rng.choice(NAV_MENUS)[:5]
        if with_title:
            lines.append(article.title)
        lines.append(sf)
        lines.append(f"By {rng.choice(AUTHORS)} | {date_label}")
        lines += body
        lines.append(f"Image: {article.caption}")
        lines += ["Share this article"] + rng.sample(SHARE, 2)
        lines += _comments(rng, date_label)
        lines.append(" | ".join(rng.sample(FOOTER_LINKS, 4)))
        lines.append(f"Copyright \u00a9 2026 {site['name']} Ltd. All rights reserved.")
    else:  # wire: nearly clean, standfirst repeated on top
        if with_title:
            lines.append(article.title)
        lines += [sf] + body
    return site.get("sep", "\n\n").join(lines)


def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _article_html(article, rng):
    parts = []
    for kind, text in article.blocks:
        if kind == "li":
            if not parts or parts[-1] != "</ul>":
                parts.append("<ul>")
            else:
                parts.pop()
            parts += [f"<li>{_e(text)}</li>", "</ul>"]
        elif kind == "h2":
            parts.append(f"<h2>{_e(text)}</h2>")
        elif kind == "dateline":
            parts.append(f'<p class="dateline">{_e(text)}</p>')
        else:
            parts.append(f"<p>{_e(text)}</p>")
    if len(parts) > 3:
        parts.insert(3, '<div class="ad-slot" data-slot="mid-article"><span>Advertisement</span></div>')
    return "\n".join(parts)


def render_html(article, rng, site: dict, others: list, date_label: str, url: str) -> str:
    """A full page: head with scripts, cookie banner, nav, breadcrumbs, the <article>, related list, comments, footer."""
    menu = rng.choice(NAV_MENUS)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
                     "url": url, "publisher": {"@type": "Organization", "name": site["name"]}})
    nav = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in menu)
    related = "".join(f'<li><a href="/related/{i}">{_e(o.lead())}</a></li>' for i, o in enumerate(others[:3]))
    comments = ""
    if rng.random() < 0.6:
        items = "".join(
            f'<div class="comment"><span class="user">{_e(rng.choice(USERS))}</span> '
            f'<time>{rng.choice(COMMENT_TIMES)}</time><p>{_e(rng.choice(COMMENTS))}</p>'
            f'<a href="#reply">Reply</a></div>'
            for _ in range(rng.randint(2, 4)))
        comments = f'<section class="comments"><h3>Comments</h3>{items}</section>'
    share = "".join(f'<a class="share" href="#">{s}</a>' for s in rng.sample(SHARE, 3))
    head_nl, pitch = rng.choice(NEWSLETTER)
    tags = "".join(f'<a href="/tag/{i}">{_e(t)}</a> ' for i, t in enumerate(article.tags))
    title = _e(article.title)
    if site["style"] == "html-divs":
        top = (f'<div id="top-bar"><a class="skip-link" href="#content">Skip to content</a>'
               f'<div class="menu"><ul>{nav}</ul></div><a href="/subscribe">Subscribe</a> '
               f'<a href="/account">Sign in</a></div>')
    else:
        top = (f'<header class="site-header"><a class="skip" href="#main">Skip to content</a>'
               f'<a class="logo" href="/">{_e(site["name"])}</a><nav><ul>{nav}</ul></nav>'
               f'<a class="btn" href="/subscribe">Subscribe</a><a href="/login">Sign in</a></header>')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {_e(site['name'])}</title>
<meta name="description" content="{html.escape(article.standfirst)}">
<meta property="og:title" content="{html.escape(article.title)}">
<link rel="canonical" href="{html.escape(url)}">
<script type="application/ld+json">{ld}</script>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>.cookie-banner{{position:fixed;bottom:0}} .ad-slot{{min-height:250px}}</style>
</head>
<body>
<div class="cookie-banner"><p>{_e(rng.choice(COOKIE))}</p><button>{rng.choice(COOKIE_BUTTONS)}</button></div>
{top}
<nav class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/{article.section}">{article.section.capitalize()}</a></nav>
<main id="main">
<article>
<h1>{title}</h1>
<p class="standfirst">{_e(article.standfirst)}</p>
<div class="byline">By {rng.choice(AUTHORS)} <time>{date_label}</time></div>
<div class="share-bar">{share}</div>
<figure><img src="/img/{rng.randint(10000, 99999)}.jpg" alt=""><figcaption>{_e(article.caption)}</figcaption></figure>
{_article_html(article, rng)}
<div class="tags">Tags: {tags}</div>
</article>
<aside class="related"><h3>Related stories</h3><ul>{related}</ul></aside>
{comments}
</main>
<div class="newsletter"><h4>{head_nl}</h4><p>{_e(pitch)}</p><input type="email" placeholder="Enter your email"><button>Sign up</button></div>
<footer><ul>{"".join(f"<li>{x}</li>" for x in FOOTER_LINKS)}</ul><p>&copy; 2026 {_e(site['name'])}. All rights reserved.</p></footer>
</body>
</html>
"""


def junk_only_text(rng) -> str:
    """A body with nothing but ad slots and navigation, for planted empty_body records."""
    lines = ["Skip to content"] + rng.choice(NAV_MENUS) + ["ad-image", "Opinion", "View All", "Subscribe", "Sign in"]
    return "\n\n".join(lines)
