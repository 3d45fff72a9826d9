from __future__ import annotations

from typing import Any

from commonground.library import services
from commonground.library.models import CaseStudy, Document
from commonground.library.uploads import bytes_upload


def make_document(
    partnership: Any,
    owner: Any,
    *,
    actor: Any = None,
    access_level: str = "all",
    title: str = "Waste data",
    filename: str = "data.csv",
    content: bytes = b"a,b\n1,2\n",
    **kw: Any,
) -> Document:
    return services.document_upload(
        actor=actor,
        partnership=partnership,
        upload=bytes_upload(filename, content),
        title=title,
        owner_organisation=owner,
        purpose="Testing",
        access_level=access_level,
        **kw,
    )


def make_case(partnership: Any, *, actor: Any = None, **kw: Any) -> CaseStudy:
    fields = {"title": "Repair cafés", "summary": "What we learned."} | kw
    return services.case_create(actor=actor, partnership=partnership, **fields)
