"""Demo conversations: a dozen threads across the partnership and its working groups."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from commonground.core.demo import DemoContext
from commonground.partnerships.models import WorkingGroup

from . import services
from .models import Post, PostKind, Thread

# group (None = whole partnership, else a name part), title, author, opening post, replies
THREADS: list[tuple[str | None, str, str, str, list[tuple[str, str]]]] = [
    (
        None,
        "Welcome: how we talk here",
        "ali",
        (
            "Welcome to the conversations space. Please read the ground rules above before you "
            "post. Short posts, one point each; say where a fact comes from; and if you need "
            "something from someone, make it a request to them."
        ),
        [
            (
                "ingrid",
                (
                    "Thank you, Ali. I suggest we keep decisions out of threads: when a "
                    "thread is ready, turn it into a proposal so everyone can vote."
                ),
            ),
            (
                "fatima",
                (
                    "Good. Could we also agree that residents who are not online hear "
                    "about important threads at the monthly café?"
                ),
            ),
            ("tor", "Yes, I will add a standing item for that to the network meeting."),
        ],
    ),
    (
        "Building",
        "Where should the second reclaimed-materials store go?",
        "erik",
        (
            "The Økern store is full from May. We need a second site for doors, windows and "
            "timber. Candidates so far: the old bus depot at Alnabru and the harbour shed at "
            "Sjursøya. See #meeting-1 for the last discussion."
        ),
        [
            (
                "thomas",
                "From the site side: Alnabru has level access for trucks, Sjursøya needs a ramp.",
            ),
            (
                "ragnhild",
                (
                    "The municipality owns the Alnabru depot; a lease of up to three "
                    "years can be granted without a council vote."
                ),
            ),
            (
                "lars",
                (
                    "Sjursøya is closer to the waste company's sorting line, which saves "
                    "two truck trips a week."
                ),
            ),
            ("sofie", "Storage must be dry: old windows crack when they freeze wet."),
        ],
    ),
    (
        "Building",
        "Testing reclaimed steel beams",
        "per",
        (
            "The university lab can test load capacity of reclaimed steel beams. Each test "
            "costs about NOK 4 000. Which beams should we test first?"
        ),
        [
            (
                "erik",
                "The 24 beams from the Bryn school demolition; they are the most uniform batch.",
            ),
            ("lin", "We need the original drawings if they exist. Does anyone have them?"),
            ("thomas", "I think the city archive has them, but I have not seen them myself."),
        ],
    ),
    (
        "Textiles",
        "Repair café volunteers for the spring",
        "maja",
        (
            "We have repair cafés planned in Sagene, Grünerløkka and Tøyen this spring, and "
            "need at least four volunteers for each evening."
        ),
        [
            ("olav", "I can do every Sagene evening."),
            ("jonas", "Our shop staff can cover Grünerløkka twice."),
            ("eva", "The library branches can host and advertise them."),
        ],
    ),
    (
        "Textiles",
        "Sorting donated clothes: what is worth repairing?",
        "jonas",
        (
            "We receive about 300 kg of donated clothes a week. Roughly how much of it can be "
            "repaired and resold, and how much goes to fibre recycling?"
        ),
        [
            ("maja", "In our shop about a third is sold as it is, a fifth after repair."),
            ("nora", "The reuse centre sees much the same pattern."),
        ],
    ),
    (
        None,
        "Waste figures for the baseline",
        "anne",
        (
            "For the baseline we need last year's collected volumes per fraction. I will post "
            "the figures from our system here, each as a fact with its source."
        ),
        [
            ("lars", "Please use the audited annual report, not the monthly dashboard."),
            (
                "amina",
                (
                    "And link to the spreadsheet in the data room (#document-1) so others "
                    "can check it."
                ),
            ),
        ],
    ),
    (
        None,
        "Communicating the partnership to residents",
        "eva",
        (
            "How do we explain what the partnership does to people who are not part of it? "
            "The libraries can put up an exhibition in the autumn."
        ),
        [
            ("fatima", "Use examples people know: the repair café, the reuse station."),
            ("sindre", "The city's communication team can help with a simple leaflet."),
            ("henrik", "The foundation would like its support mentioned, briefly."),
        ],
    ),
    (
        None,
        "Measuring reuse: which indicators?",
        "per",
        (
            "We track tonnes reused, but that favours heavy materials. Should we add the number "
            "of items repaired and the number of people reached? See #indicator-1."
        ),
        [
            ("anne", "Items repaired is easy to count at the cafés."),
            ("hanne", "People reached is harder; we should not count the same person twice."),
            ("oskar", "I can record it at each event if we agree a simple form."),
        ],
    ),
    (
        None,
        "Funding for the reuse hubs next year",
        "henrik",
        (
            "The foundation's call opens in August. What would we ask for, and who writes the "
            "application?"
        ),
        [
            ("tor", "Staff time for the hub coordinator is the main gap."),
            ("nora", "And a van. We borrow one every week now."),
        ],
    ),
    (
        "Building",
        "Safety rules at the collection points",
        "thomas",
        (
            "After the near-miss with the glass panes last month we should write down simple "
            "safety rules for volunteers at the collection points."
        ),
        [
            ("sofie", "Gloves and boots for everyone, no exceptions."),
            ("erik", "And no lifting of windows alone; always two people."),
        ],
    ),
    (
        "Textiles",
        "Shared tools library for repairs",
        "nora",
        (
            "Several partners own sewing machines and tools that stand idle most of the week. "
            "Could we lend them between us?"
        ),
        [
            ("eva", "The libraries already lend tools; we can add sewing machines."),
            ("maja", "We can lend two overlock machines."),
        ],
    ),
    (
        None,
        "Agenda wishes for the next network meeting",
        "ingrid",
        "What should we discuss at the next network meeting? Reply with one item each.",
        [
            ("amina", "The second store location."),
            ("lars", "The baseline figures, once agreed."),
            ("hanne", "How housing tenants can drop off furniture."),
        ],
    ),
]

# Short replies to give every thread some life (chosen with the seeded random generator).
FILLERS = [
    "Agreed.",
    "Thanks, that helps.",
    "I will check with my colleagues and come back.",
    "Could you say where that figure comes from?",
    "Good point; I had not thought of that.",
    "Let us bring this to the working group next week.",
    "I can help with this.",
    "Do we know what it would cost?",
    "We tried something similar two years ago; it worked when one person owned it.",
    "Can we keep this short and decide at the meeting?",
    "I read it differently: the problem is time, not money.",
    "+1 to the previous post.",
]

PARTICIPANTS = [
    "ingrid", "tor", "amina", "lars", "kari", "erik", "sofie", "maja", "jonas", "nora",
    "ali", "hanne", "per", "lin", "eva", "oskar", "henrik", "fatima", "olav", "sindre",
    "anne", "thomas", "ragnhild",
]  # fmt: skip


def _group(p: Any, part: str | None) -> Any:
    if part is None:
        return None
    return WorkingGroup.objects.filter(partnership=p, name__icontains=part).first()


def _refs(p: Any) -> dict[str, str]:
    """Real record numbers for the #links in the demo text (plain text if none exist)."""
    from commonground.library.models import Document
    from commonground.meetings.models import Meeting
    from commonground.results.models import Indicator

    found = {
        "#meeting-1": Meeting.objects.filter(partnership=p).order_by("starts_at").first(),
        "#indicator-1": Indicator.objects.filter(partnership=p).order_by("pk").first(),
        "#document-1": Document.objects.filter(partnership=p, access_level="all")
        .order_by("pk")
        .first(),
    }
    return {key: f"#{key[1:].split('-')[0]}-{obj.pk}" if obj else "" for key, obj in found.items()}


def _with_refs(text: str, refs: dict[str, str]) -> str:
    for key, value in refs.items():
        text = text.replace(key, value or "the records")
    return text


def build(ctx: DemoContext) -> None:
    p = ctx.partnership
    people = ctx.people
    rng = ctx.rng
    services.ground_rules_save(
        actor=people["ingrid"], partnership=p, text=services.ground_rules_text(p)
    )
    refs = _refs(p)
    now = timezone.now()
    threads: list[Thread] = []
    for i, (part, title, author, opening, replies) in enumerate(THREADS):
        thread = services.thread_create(
            actor=people[author],
            partnership=p,
            title=title,
            body=_with_refs(opening, refs),
            working_group=_group(p, part),
            accept_rules=True,
        )
        posts = list(thread.posts.all())
        for who, text in replies:
            posts.append(
                services.post_create(
                    actor=people[who], thread=thread, body=_with_refs(text, refs), accept_rules=True
                )
            )
        for _n in range(rng.randint(4, 7)):
            who = rng.choice(PARTICIPANTS)
            quote = rng.choice(posts) if rng.random() < 0.3 else None
            posts.append(
                services.post_create(
                    actor=people[who],
                    thread=thread,
                    body=rng.choice(FILLERS),
                    quote=quote,
                    accept_rules=True,
                )
            )
        # Spread the posts over the past weeks (the newest thread most recently).
        start = now - datetime.timedelta(days=40 - 3 * i)
        for n, post in enumerate(posts):
            Post.objects.filter(pk=post.pk).update(
                created_at=start + datetime.timedelta(hours=7 * n + rng.randint(0, 5))
            )
        last = Post.objects.filter(thread=thread).order_by("-created_at").first()
        Thread.objects.filter(pk=thread.pk).update(
            last_post_at=last.created_at if last else None, created_at=start
        )
        threads.append(thread)

    # A few reactions.
    kinds = ["agree", "agree", "thanks", "question"]
    for post in Post.objects.filter(thread__partnership=p).order_by("pk")[::3]:
        for who in rng.sample(PARTICIPANTS, rng.randint(0, 3)):
            services.reaction_toggle(actor=people[who], post=post, kind=rng.choice(kinds))

    ali, tor = people["ali"], people["tor"]
    welcome, store, steel, _cafe, sorting, figures = threads[:6]
    services.thread_set(actor=ali, thread=welcome, pinned=True)

    # Facts with their sources; two agreed into the fact base, one still open.
    for who, text, agree in (
        (
            "anne",
            (
                "Households in the city delivered 41 200 tonnes of residual waste last year "
                "(source: the waste company's audited annual report, p. 12)."
            ),
            True,
        ),
        (
            "lars",
            (
                "Reuse stations received 3 150 tonnes of items fit for reuse last year "
                "(source: annual report, table 4)."
            ),
            True,
        ),
        (
            "anne",
            (
                "About 18 % of bulky waste could have been reused (source: pick analysis, "
                "autumn sample of 200 loads)."
            ),
            False,
        ),
    ):
        post = services.post_create(
            actor=people[who], thread=figures, body=text, kind=PostKind.FACT, accept_rules=True
        )
        if agree:
            services.fact_agree(actor=ali, post=post)
    services.post_create(
        actor=people["hanne"],
        thread=figures,
        body="My reading: the reuse share is low because people do not know about the stations.",
        kind=PostKind.INTERPRETATION,
        accept_rules=True,
    )

    # A hidden post with its reason.
    rumour = services.post_create(
        actor=people["olav"],
        thread=sorting,
        body="I heard the textile shop sells the best donations abroad for profit.",
        accept_rules=True,
    )
    services.post_hide(
        actor=ali,
        post=rumour,
        reason="A rumour about a partner who is not in the thread; please ask them directly.",
    )

    # An open request, and one answered.
    services.post_create(
        actor=people["lin"],
        thread=steel,
        body="Could you look for the original drawings of the Bryn school in the city archive?",
        addressee=people["ragnhild"],
        accept_rules=True,
    )
    question = services.post_create(
        actor=people["sofie"],
        thread=store,
        body="Can you confirm the lease terms for the Alnabru depot in writing?",
        addressee=people["ragnhild"],
        accept_rules=True,
    )
    answer = services.post_create(
        actor=people["ragnhild"],
        thread=store,
        body="Confirmed: up to three years, renewable, decided by the property agency.",
        accept_rules=True,
    )
    services.request_answer(actor=people["ragnhild"], post=question, answer_post=answer)

    # From talk to action.
    proposal_post = services.post_create(
        actor=tor,
        thread=store,
        body="I propose we lease the Alnabru depot for two years as the second store.",
        accept_rules=True,
    )
    services.post_to_proposal(
        actor=tor, post=proposal_post, title="Lease the Alnabru depot as the second store"
    )
    action_post = next(p for p in steel.posts.all() if "drawings" in p.body)
    services.post_to_action(
        actor=tor, post=action_post, title="Find the Bryn school drawings", owner=people["lin"]
    )
    ctx.log.append(
        f"conversations: {Thread.objects.filter(partnership=p).count()} threads, "
        f"{Post.objects.filter(thread__partnership=p).count()} posts"
    )
