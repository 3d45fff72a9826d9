"""Permission matrix rows for the method app."""

from __future__ import annotations

from commonground.core.testing import Row, World
from commonground.method import rules as m

from .factories import DesignElementRecordFactory, GlossaryTermFactory, ProblemCycleFactory


def rows(world: World) -> list[Row]:
    slug = {"slug": world.partnership.slug}
    p = world.partnership
    cycle = ProblemCycleFactory(partnership=p)
    term = GlossaryTermFactory(partnership=p)
    DesignElementRecordFactory(partnership=p, element="resources", version=1)

    def fresh_term() -> dict:
        # Deleting is destructive: each request gets a term of its own.
        return {**slug, "pk": GlossaryTermFactory(partnership=p).pk}

    item = "prepare.trigger.trigger-shared"
    element_payload = {"base_version": 0, "text": "We aim for less waste.", "status": "draft"}
    return [
        Row("method_global:guide", {}, "public"),
        Row("method:lifecycle", slug, m.VIEW),
        Row("method:phase", {**slug, "phase": "prepare"}, m.VIEW),
        Row(
            "method:tick",
            {**slug, "phase": "prepare"},
            m.WORK,
            method="post",
            data={"item": item, "ticked": "on"},
        ),
        Row(
            "method:step_note",
            {**slug, "phase": "prepare"},
            m.WORK,
            method="post",
            data={"step": "prepare.trigger", "text": "x"},
        ),
        # Phase moves with incomplete input: the permission answer comes first, nothing moves.
        Row("method:phase_complete", slug, m.MOVE_PHASE, method="post", data={"note": "Moving on"}),
        Row("method:phase_reopen", slug, m.MOVE_PHASE, method="post", data={}),
        Row("method:phase_send_back", slug, m.MOVE_PHASE, method="post", data={}),
        Row("method:review", {**slug, "phase": "prepare"}, m.REVIEW),
        Row("method:elements", slug, m.VIEW),
        Row("method:element", {**slug, "code": "shared_vision"}, m.VIEW),
        Row("method:element_edit", {**slug, "code": "shared_vision"}, m.EDIT_ELEMENTS),
        Row("method:element_history", {**slug, "code": "resources"}, m.VIEW),
        Row("method:profile", slug, m.VIEW),
        Row("method:profile_edit", slug, m.WORK),
        Row("method:trust_add", slug, m.WORK, method="post", data={}),
        Row("method:problems", slug, m.VIEW),
        Row("method:problem_add", slug, m.WORK),
        Row("method:problem_edit", {**slug, "pk": cycle.pk}, m.WORK),
        Row("method:spectrum", slug, m.VIEW),
        Row("method:spectrum_rate", slug, m.RATE),
        Row("method:glossary", slug, m.VIEW),
        Row("method:glossary_seed", slug, m.GLOSSARY, method="post"),
        Row("method:glossary_add", slug, m.GLOSSARY),
        Row("method:glossary_edit", {**slug, "pk": term.pk}, m.GLOSSARY),
        Row("method:glossary_delete", fresh_term, m.GLOSSARY, method="post"),
        Row("method:charter", slug, m.VIEW),
        Row("method:charter_pdf", slug, m.VIEW),
        Row("api:method_progress", slug, m.VIEW, api=True),
        Row("api:method_tick", slug, m.WORK, api=True, method="post", data={"item": item}),
        Row("api:method_elements", slug, m.VIEW, api=True),
        Row("api:method_element", {**slug, "code": "shared_vision"}, m.VIEW, api=True),
        Row(
            "api:method_element_save",
            {**slug, "code": "shared_vision"},
            m.EDIT_ELEMENTS,
            api=True,
            method="put",
            data=element_payload,
        ),
        Row("api:method_profile", slug, m.VIEW, api=True),
    ]
