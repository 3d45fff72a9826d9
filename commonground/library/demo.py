"""Demo: a data room at every access level, case studies and lessons, milestones."""

from __future__ import annotations

import io
import struct
import zlib
from typing import Any

from commonground.core.demo import DemoContext
from commonground.partnerships.models import WorkingGroup

from . import services
from .uploads import bytes_upload


def png_bytes(
    width: int, height: int, colour: tuple[int, int, int], stripe: tuple[int, int, int]
) -> bytes:
    """A small valid PNG: a coloured picture with a stripe, made without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b""
    for y in range(height):
        rgb = stripe if height // 3 <= y < 2 * height // 3 else colour
        rows += b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def csv_bytes(rows: list[list[Any]]) -> bytes:
    return "\n".join(",".join(str(c) for c in row) for row in rows).encode() + b"\n"


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def docx_bytes(title: str, paragraphs: list[str]) -> bytes:
    from docx import Document as Docx

    d = Docx()
    d.add_heading(title, 1)
    for para in paragraphs:
        d.add_paragraph(para)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


WASTE_ROWS = [["month", "district", "tonnes_residual", "tonnes_reused"]] + [
    [f"2026-{m:02d}", d, 410 + m * 3 + i * 17, 22 + m * 2 + i * 3]
    for m in range(1, 10)
    for i, d in enumerate(["Alna", "Grünerløkka", "Gamle Oslo"])
]

TEXTILE_ROWS = [["sample", "district", "kg_total", "kg_textile", "share_textile"]] + [
    [f"S{i:03d}", ["Alna", "Furuset"][i % 2], 100 + i, 6 + i % 5, round((6 + i % 5) / (100 + i), 3)]
    for i in range(1, 25)
]


def build(ctx: DemoContext) -> None:
    p = ctx.partnership
    o, pe = ctx.orgs, ctx.people
    group = WorkingGroup.objects.filter(partnership=p).order_by("id").first()
    if group is None:
        group = WorkingGroup.objects.create(
            partnership=p,
            name="Materials and data group",
            slug="materials-data",
            remit="Material flows, testing and the shared fact base.",
            lead=pe["per"],
        )
        group.members.set([pe[k] for k in ("per", "lin", "anne", "sofie", "erik")])

    def doc(
        filename: str,
        data: bytes,
        title: str,
        owner: str,
        uploader: str,
        access: str = "all",
        **kw: Any,
    ) -> Any:
        named = kw.pop("named", [])
        return services.document_upload(
            actor=pe[uploader],
            partnership=p,
            upload=bytes_upload(filename, data),
            title=title,
            owner_organisation=o[owner],
            access_level=access,
            working_group=group if access == "group" else None,
            organisations=[o[k] for k in named],
            **kw,
        )

    text = (
        b"Partnership charter (working draft)\n\nShared vision: keep materials in use in Fjordvik.\n"
        b"Principles: open books, equal voice, decisions recorded in the register.\n"
    )
    doc(
        "charter.txt",
        text,
        "Partnership charter",
        "city",
        "tor",
        tags="governance, charter",
        purpose="The agreed basis of the partnership.",
        confidentiality="open",
        end_rule="archive",
        is_public=True,
        permitted_uses="Any use; please cite the partnership.",
    )
    doc(
        "waste-flows-2026.csv",
        csv_bytes(WASTE_ROWS),
        "Monthly waste and reuse by district",
        "waste",
        "anne",
        tags="data, waste, fact base",
        kind="dataset",
        purpose="The shared fact base for the reuse-hub decision.",
        confidentiality="internal",
        permitted_uses="Analysis within the partnership; no publication of district figures.",
        retention="Until the partnership ends",
        end_rule="return",
    )
    doc(
        "textile-picking-analysis.csv",
        csv_bytes(TEXTILE_ROWS),
        "Textile picking analysis, Alna",
        "uni",
        "lin",
        "group",
        tags="data, textiles, survey",
        kind="dataset",
        purpose="Baseline for the textile indicator.",
        confidentiality="confidential",
        permitted_uses="Working-group analysis only.",
        retention="5 years",
        end_rule="delete",
    )
    doc(
        "timber-grading.xlsx",
        xlsx_bytes([["beam", "length_m", "grade"], ["B1", 4.2, "C24"], ["B2", 3.6, "C18"]]),
        "Reclaimed timber grading results",
        "uni",
        "per",
        "group",
        tags="timber, testing",
        kind="dataset",
        purpose="Decide which beams can be reused structurally.",
        confidentiality="internal",
        end_rule="archive",
    )
    doc(
        "supplier-prices.csv",
        csv_bytes([["item", "price_nok"], ["door", 1200], ["window", 2100]]),
        "Reclaimed material prices",
        "builder",
        "erik",
        "orgs",
        named=["builder", "city"],
        tags="prices, procurement",
        kind="dataset",
        purpose="Benchmark for the city's circular procurement.",
        confidentiality="restricted",
        permitted_uses="Procurement planning by the city only.",
        retention="2 years",
        end_rule="return",
    )
    doc(
        "budget-2027.xlsx",
        xlsx_bytes([["line", "nok"], ["Hub rent", 450000], ["Staff", 900000]]),
        "Draft budget 2027",
        "city",
        "tor",
        "managers",
        tags="budget, finance",
        kind="dataset",
        purpose="Budget planning by the backbone team.",
        confidentiality="confidential",
        end_rule="archive",
    )
    doc(
        "funder-feedback.docx",
        docx_bytes("Funder feedback", ["The fund asks for quarterly indicator updates."]),
        "Feedback from the Nordic fund",
        "foundation",
        "henrik",
        "managers",
        tags="funding, feedback",
        purpose="Follow-up of the grant conditions.",
        confidentiality="confidential",
        end_rule="delete",
    )
    doc(
        "hub-site-options.docx",
        docx_bytes("Reuse hub sites", ["Three options in Tøyen, Alna and Sagene."]),
        "Reuse hub site options",
        "waste",
        "lars",
        tags="hubs, sites",
        purpose="Input for choosing the first hub.",
        confidentiality="internal",
        end_rule="archive",
    )
    doc(
        "repair-cafe-visitors.csv",
        csv_bytes(
            [["month", "visitors", "items_fixed"], ["2026-05", 140, 96], ["2026-06", 162, 120]]
        ),
        "Repair café visitors and items fixed",
        "reuse",
        "nora",
        tags="repair, data",
        kind="dataset",
        purpose="Evidence for the repair indicator.",
        confidentiality="open",
        is_public=True,
        end_rule="archive",
    )
    doc(
        "resident-interviews.txt",
        b"Summary of 24 resident interviews (names removed).\nMain barrier: no place to store items.\n",
        "Resident interviews: summary",
        "residents",
        "fatima",
        "orgs",
        named=["residents", "house", "reuse"],
        tags="residents, interviews",
        purpose="Understand why people do not reuse.",
        confidentiality="restricted",
        permitted_uses="Design of the hubs; never quoted by name.",
        retention="Until the hubs open",
        end_rule="delete",
    )
    doc(
        "hub-sketch.png",
        png_bytes(96, 64, (15, 118, 110), (240, 200, 80)),
        "Sketch of the Tøyen reuse hub",
        "house",
        "hanne",
        tags="hubs, photo",
        purpose="Show residents what the hub could look like.",
        confidentiality="open",
        is_public=True,
        end_rule="archive",
    )
    doc(
        "sorting-line.png",
        png_bytes(80, 60, (60, 90, 160), (220, 220, 220)),
        "Photo: textile sorting line",
        "textile",
        "maja",
        tags="textiles, photo",
        purpose="Communication material.",
        confidentiality="open",
        is_public=True,
        end_rule="return",
    )
    doc(
        "legal-memo.txt",
        b"Legal memo: reuse of building components and product liability.\n",
        "Legal memo on reuse liability",
        "city",
        "ragnhild",
        "managers",
        tags="legal, reuse",
        purpose="Clarify liability before the doors and windows pilot.",
        confidentiality="confidential",
        end_rule="archive",
    )
    doc(
        "indicator-baseline.csv",
        csv_bytes(
            [
                ["indicator", "baseline", "target"],
                ["tonnes reused", 310, 2000],
                ["people trained", 0, 60],
            ]
        ),
        "Indicator baselines",
        "city",
        "tor",
        tags="indicators, fact base",
        kind="dataset",
        purpose="The agreed starting point of each indicator.",
        confidentiality="internal",
        end_rule="archive",
    )
    minutes = doc(
        "minutes-kickoff.txt",
        b"Kick-off minutes, version 1.\n",
        "Kick-off meeting notes",
        "library",
        "oskar",
        tags="meeting, notes",
        purpose="Record of the kick-off.",
        confidentiality="internal",
        end_rule="archive",
    )
    services.document_add_version(
        actor=pe["oskar"],
        document=minutes,
        upload=bytes_upload(
            "minutes-kickoff-v2.txt", b"Kick-off minutes, version 2 (corrected).\n"
        ),
        note="Corrected the list of attendees.",
    )
    for key in ("amina", "lars", "per"):
        services.download_record(actor=pe[key], version=minutes.versions.first())

    for case in CASES:
        case = dict(case)  # CASES is module-level: leave it whole for the next build
        services.case_create(actor=pe[case.pop("by")], partnership=p, **case)

    for days, title, desc, public in MILESTONES:
        services.milestone_create(
            actor=pe["oskar"],
            partnership=p,
            date=ctx.days_ago(days),
            title=title,
            description=desc,
            is_public=public,
        )


CASES: list[dict[str, Any]] = [
    {
        "by": "nora",
        "kind": "case",
        "title": "Repair cafés that outgrew the church hall",
        "summary": "Twelve repair cafés doubled their visitors once they moved into library branches.",
        "context": "Volunteer-run cafés had no storage and moved every month.",
        "what_worked": "Library branches gave a fixed place, opening hours people knew, and storage.",
        "what_did_not": "Evening opening needed paid staff the library did not have.",
        "sector_mix": "civil society, knowledge, public",
        "outcomes": "2,600 items fixed in a year; 40 new volunteers.",
        "tags": "repair, libraries",
        "shared": True,
        "is_public": True,
    },
    {
        "by": "erik",
        "kind": "case",
        "title": "Reclaimed doors in a school renovation",
        "summary": "180 doors were taken out, tested and put back in the same school.",
        "context": "A 1960s school was being renovated under a tight budget.",
        "what_worked": "Testing fire doors early with the university lab.",
        "what_did_not": "Storage during the works cost more than planned.",
        "sector_mix": "private, knowledge, public",
        "outcomes": "Saved 14 tonnes of CO2e and NOK 300,000.",
        "tags": "construction, reuse",
        "shared": True,
        "is_public": True,
    },
    {
        "by": "maja",
        "kind": "lesson",
        "title": "Collection bags need a pick-up promise",
        "summary": "Households used textile bags only when told the exact pick-up day.",
        "what_worked": "SMS reminders the evening before.",
        "what_did_not": "Leaflets alone.",
        "sector_mix": "private, public",
        "tags": "textiles, communication",
        "source": "Quarterly review",
    },
    {
        "by": "per",
        "kind": "lesson",
        "title": "Agree data formats before collecting",
        "summary": "Two months were lost converting waste data between three formats.",
        "what_worked": "A one-page data dictionary agreed in the working group.",
        "what_did_not": "Each partner exporting 'what they had'.",
        "sector_mix": "public, knowledge",
        "tags": "data, fact base",
        "source": "Working-group meeting",
        "is_public": True,
    },
    {
        "by": "hanne",
        "kind": "case",
        "title": "A community fridge run by neighbours",
        "summary": "A shared fridge in Tøyen saves around 80 kg of food a week.",
        "context": "Grocers had surplus but no one to collect it daily.",
        "what_worked": "A rota of 20 neighbours and a cargo bike.",
        "what_did_not": "Food-safety paperwork was hard for volunteers.",
        "sector_mix": "civil society, residents, private",
        "outcomes": "4 tonnes of food redistributed in a year.",
        "tags": "food, neighbourhood",
        "shared": True,
        "is_public": True,
    },
    {
        "by": "tor",
        "kind": "lesson",
        "title": "Small grants unlock volunteer time",
        "summary": "NOK 5,000 micro-grants to repair cafés brought more hours than a paid coordinator.",
        "sector_mix": "public, civil society, funder",
        "tags": "funding, volunteers",
        "source": "Milestone review",
    },
    {
        "by": "fatima",
        "kind": "lesson",
        "title": "Meet residents where they already are",
        "summary": "Interviews at the mosque and the football club reached people surveys never did.",
        "what_worked": "Short conversations in the residents' own languages.",
        "sector_mix": "residents, civil society",
        "tags": "residents, engagement",
        "is_public": True,
    },
    {
        "by": "lars",
        "kind": "case",
        "title": "Turning a reuse station into a hub",
        "summary": "The Haraldrud station now sells reusable items alongside waste reception.",
        "context": "Good items were being crushed at the station.",
        "what_worked": "A separate reuse container staffed by trainees.",
        "what_did_not": "Pricing: residents expected items for free.",
        "sector_mix": "public, civil society",
        "outcomes": "120 tonnes diverted; 8 trainees in jobs.",
        "tags": "reuse, jobs",
        "shared": True,
    },
    {
        "by": "henrik",
        "kind": "lesson",
        "title": "Report against few indicators, often",
        "summary": "The fund preferred four indicators every quarter to twenty once a year.",
        "sector_mix": "funder, public",
        "tags": "indicators, reporting",
        "source": "Funder dialogue",
    },
    {
        "by": "eva",
        "kind": "case",
        "title": "A tool library with a library card",
        "summary": "Lending tools with the ordinary library card removed every barrier to borrowing.",
        "what_worked": "Using the existing loan system; no new sign-up.",
        "what_did_not": "Large tools needed a car to carry them home.",
        "sector_mix": "knowledge, civil society",
        "outcomes": "1,100 loans in the first six months.",
        "tags": "sharing, libraries",
        "shared": True,
        "is_public": True,
    },
]

MILESTONES = [
    (
        400,
        "The city and the waste company start talking",
        "A crisis over the landfill contract.",
        True,
    ),
    (360, "Partnership launched", "Eleven organisations sign the letter of intent.", True),
    (300, "Shared fact base agreed", "Waste flows and baselines adopted.", False),
    (240, "Nordic fund grant awarded", "NOK 6 million over three years.", True),
    (180, "First repair cafés in library branches", "Four branches open on Thursdays.", True),
    (120, "Doors and windows pilot starts", "180 doors at a school renovation.", True),
    (60, "Milestone review", "Partners review progress against the four objectives.", False),
    (20, "Site chosen for the first reuse hub", "Tøyen, in the old fire station.", True),
]
