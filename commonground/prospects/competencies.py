"""What each partnering competency area means, shown beside its 1–5 scale.

In the order of ``models.DIMENSIONS`` (score_1 … score_4 of a self-assessment).
"""

from django.utils.translation import gettext_lazy as _

from .models import AssessmentKind

DESCRIPTORS = {
    AssessmentKind.PERSON: [
        _(
            "Open to other sectors and humble about your own; ready to give up some "
            "independence, take measured risks, try new things and work for the whole."
        ),
        _(
            "Knows how your own sector and the others work: their culture, interests, "
            "drivers, resources, capacity and legal limits."
        ),
        _(
            "Sees with others' eyes, builds networks and trust, negotiates on interests, "
            "and can facilitate, communicate, coach and mediate."
        ),
        _(
            "Knows how partnerships are built and run: the phases, the principles, "
            "governance, agreements, reviews, moving on, trust and power, and when not "
            "to partner at all."
        ),
    ],
    AssessmentKind.ORGANISATION: [
        _(
            "The leaders back partnering, and the strategy says why and where the "
            "organisation works with others."
        ),
        _(
            "Finance, legal, procurement and reporting routines can carry shared work "
            "with other organisations."
        ),
        _("The people who partner have the training, time and backing to do it well."),
        _(
            "The organisation values working with others, shares credit and learns from "
            "other sectors."
        ),
    ],
}
