import random
from decimal import Decimal

import pytest

from commonground.core.testing import count_queries
from commonground.organisations.models import Organisation, lon_strip
from commonground.organisations.tests.factories import OrganisationFactory, TagFactory
from commonground.prospects import selectors
from commonground.prospects.geo import bounding_box, haversine_km
from commonground.prospects.selectors import DirectoryQuery

from .factories import NeedFactory


def test_haversine_and_bounding_box():
    # Oslo to Bergen is about 305 km.
    assert 300 < haversine_km(59.9139, 10.7522, 60.3913, 5.3221) < 310
    assert haversine_km(59.9, 10.7, 59.9, 10.7) == 0
    min_lat, max_lat, min_lon, max_lon = bounding_box(59.9, 10.7, 10)
    assert min_lat < 59.9 < max_lat and min_lon < 10.7 < max_lon
    # The box contains the circle: a point 10 km due east is inside it.
    assert max_lon - 10.7 >= 10 / 111.32


@pytest.mark.django_db
def test_directory_filters():
    legal = TagFactory(slug="legal-x", name="Legal", category="legal")
    need = TagFactory(slug="need-x", name="Space", category="assets")
    a = OrganisationFactory(
        name="Alpha Legal", sector="private", latitude=Decimal("59.91"), longitude=Decimal("10.75")
    )
    a.offers.set([legal])
    b = OrganisationFactory(
        name="Beta Civic", sector="civil", latitude=Decimal("59.95"), longitude=Decimal("10.75")
    )
    b.needs.set([need])
    OrganisationFactory(
        name="Gamma Far", sector="civil", latitude=Decimal("60.39"), longitude=Decimal("5.32")
    )

    def names(**kw):
        return [o.name for o in selectors.directory_search(DirectoryQuery(**kw))]

    assert names(text="beta") == ["Beta Civic"]
    assert names(sector="civil") == ["Beta Civic", "Gamma Far"]
    assert names(offers="legal-x") == ["Alpha Legal"]
    assert names(needs="need-x") == ["Beta Civic"]
    assert names(category="legal") == ["Alpha Legal"]
    # Within 10 km of Alpha: Alpha (0 km), then Beta (4.4 km), nearest first.
    q = DirectoryQuery(lat=59.91, lon=10.75, radius_km=10)
    orgs = list(selectors.directory_search(q))
    assert [o.name for o in orgs] == ["Alpha Legal", "Beta Civic"]
    kept, dropped = selectors.with_distances(orgs, q)
    assert dropped == 0 and kept[1].distance_km == pytest.approx(4.4, abs=0.1)
    # A tight radius: Beta is inside the box's corner only if outside the circle.
    q2 = DirectoryQuery(lat=59.91, lon=10.75, radius_km=4)
    assert [o.name for o in selectors.directory_search(q2)] == ["Alpha Legal"]


@pytest.mark.django_db
def test_place_names_and_coordinates_resolve():
    OrganisationFactory(place_name="Tøyen", latitude=Decimal("59.9"), longitude=Decimal("10.7"))
    OrganisationFactory(place_name="tøyen", latitude=Decimal("59.92"), longitude=Decimal("10.78"))
    centre = selectors.place_centre("Tøyen")
    assert centre is not None
    lat, lon = centre
    assert lat == pytest.approx(59.91) and lon == pytest.approx(10.74)
    assert selectors.place_centre("59.5, 10.1") == (59.5, 10.1)
    assert selectors.place_centre("Nowhere") is None


@pytest.mark.django_db
def test_directory_page_unknown_place_is_a_clear_error(client_for):
    response = client_for("representative").get("/prospects/directory/?place=Atlantis")
    assert response.status_code == 200
    assert "No organisation in the directory is located at this place" in response.content.decode()


@pytest.mark.django_db
def test_directory_count_stops_at_the_cap_and_says_so(client_for, monkeypatch):
    for i in range(6):
        OrganisationFactory(
            name=f"Capped {i}", latitude=Decimal("59.91"), longitude=Decimal(f"10.7{i}")
        )
    monkeypatch.setattr(selectors, "COUNT_CAP", 4)
    client = client_for("representative")
    for params in ({"q": "Capped"}, {"place": "59.91, 10.70", "radius": "50"}):
        response = client.get("/prospects/directory/", params)
        page = response.context["page"]
        assert (page.paginator.count, page.paginator.is_capped) == (4, True)
        body = response.content.decode()
        assert "More than 4 organisations" in body
        # The page itself is complete (one page of 25 holds the first four).
        assert len(response.context["orgs"]) == 4
    # Nearest first, from the ids of the index.
    names = [o.name for o in response.context["orgs"]]
    assert names == ["Capped 0", "Capped 1", "Capped 2", "Capped 3"]
    # Under the cap, the exact count.
    response = client.get("/prospects/directory/", {"q": "Capped 5"})
    assert response.context["page"].paginator.is_capped is False
    assert "1 organisation" in response.content.decode()


def _seed(n: int, start: int, tags: list) -> None:
    """Bulk-insert ``n`` organisations, each offering one of ``tags``."""
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Seeded {i:05d}",
                slug=f"seeded-{i:05d}",
                sector=SECTORS[i % 4],
                place_name="Seedville",
                latitude=LATS[i % 100],
                longitude=LONS[i % 97],
            )
            for i in range(start, start + n)
        ],
        batch_size=2500,
    )
    if orgs and orgs[0].pk is None:  # a database that does not return ids
        orgs = list(Organisation.objects.filter(slug__startswith="seeded-").order_by("id"))[start:]
    Organisation.offers.through.objects.bulk_create(
        [
            Organisation.offers.through(organisation_id=o.pk, tag_id=tags[i % len(tags)].pk)
            for i, o in enumerate(orgs)
        ],
        batch_size=5000,
    )


SECTORS = ["public", "private", "civil", "knowledge"]
LATS = [Decimal("59.90") + Decimal(i) / 1000 for i in range(100)]
LONS = [Decimal("10.70") + Decimal(i) / 1000 for i in range(97)]


@pytest.mark.slow
@pytest.mark.django_db
def test_directory_and_recommendations_are_bounded_at_20000_organisations(world, client_for):
    tags = [
        TagFactory(slug="s-legal", name="Legal help", category="legal"),
        TagFactory(slug="s-data", name="Data", category="data"),
        TagFactory(slug="s-space", name="Space", category="assets"),
    ]
    NeedFactory(partnership=world.partnership, category="legal")
    NeedFactory(partnership=world.partnership, category="data")
    for o in (world.organisation, world.second_organisation):
        o.latitude, o.longitude = Decimal("59.91"), Decimal("10.75")
        o.save()
    client = client_for("manager")
    slug = world.partnership.slug
    urls = [
        "/prospects/directory/",
        "/prospects/directory/?q=Seeded+0&sector=civil",
        "/prospects/directory/?offers=s-legal&place=Seedville&radius=5",
        f"/p/{slug}/prospects/recommendations/",
        "/api/prospects/directory?q=Seeded&lat=59.9&lon=10.7&radius_km=3",
        f"/api/prospects/{slug}/recommendations",
    ]

    def measure() -> list[int]:
        counts = []
        for url in urls:
            n, _sql, response = count_queries(lambda url=url: client.get(url))  # type: ignore[misc]
            assert response.status_code == 200, url
            counts.append(n)
        return counts

    _seed(200, 0, tags)
    small = measure()
    _seed(19800, 200, tags)
    assert Organisation.objects.count() >= 20000
    large = measure()
    # Bounded by query counts, not by time: timings belong to `make bench`.
    assert small == large, f"query counts grew: {small} -> {large}"
    assert max(large) <= 15
    page = client.get(f"/p/{slug}/prospects/recommendations/").content.decode()
    assert "Legal help" in page and "no partner has it yet" in page


@pytest.mark.django_db
def test_directory_htmx_request_gets_only_the_results(client_for):
    OrganisationFactory(name="Htmx Org")
    response = client_for("representative").get(
        "/prospects/directory/?q=Htmx", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "Htmx Org" in html


@pytest.mark.django_db
def test_nearest_first_pages_match_a_full_sort_however_dense(monkeypatch):
    """directory_page sorts only a box around the centre that holds the page: every
    page must equal the same page of a sort over every organisation in the radius,
    with a dense cluster near the centre and sparse ones further out."""
    _dense_centre_sparse_surroundings()
    asked = _spy_on_nearest_radius(monkeypatch)
    for sector in ("", "civil"):
        q = DirectoryQuery(lat=59.91, lon=10.75, radius_km=12, sector=sector)
        full = list(selectors.directory_search(q).values_list("pk", flat=True))
        assert len(full) > 100
        for number in (1, 2, 5):
            page, found = selectors.directory_page(q, number, 20)
            assert page.number == number and list(page.object_list) == [o.pk for o in found]
            assert [o.pk for o in found] == full[(number - 1) * 20 : number * 20]
    # The dense cluster lets the first page sort a box far smaller than the radius,
    # and a deeper page needs a larger box.
    assert asked[0] is not None and asked[0] < 1
    assert asked[2] is None or asked[2] > asked[0]


@pytest.mark.django_db
def test_api_nearest_first_pages_match_a_full_sort_and_count_the_whole_radius(
    monkeypatch, client_for
):
    _dense_centre_sparse_surroundings()
    asked = _spy_on_nearest_radius(monkeypatch)
    client = client_for("representative")
    for sector in ("", "civil"):
        q = DirectoryQuery(lat=59.91, lon=10.75, radius_km=12, sector=sector)
        full = list(selectors.directory_search(q).values_list("slug", flat=True))
        for number in (1, 3):
            response = client.get(
                "/api/prospects/directory",
                {"lat": 59.91, "lon": 10.75, "radius_km": 12, "sector": sector, "page": number},
            )
            assert response.status_code == 200
            body = response.json()
            assert body["count"] == len(full)
            assert [o["slug"] for o in body["items"]] == full[(number - 1) * 50 : number * 50]
    assert asked and asked[0] is not None and asked[0] < 12  # the first page sorted a smaller box
    # a page past the end is empty, with the count still right
    response = client.get(
        "/api/prospects/directory", {"lat": 59.91, "lon": 10.75, "radius_km": 12, "page": 99}
    )
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] == 260
    # with search text the ranking is by relevance: no narrowing
    asked.clear()
    response = client.get(
        "/api/prospects/directory", {"q": "Near", "lat": 59.91, "lon": 10.75, "radius_km": 12}
    )
    assert response.status_code == 200 and response.json()["count"] == 260 and not asked


def _spy_on_nearest_radius(monkeypatch) -> list:
    """Record the radius ``_nearest_radius`` chooses on each call (None: the whole)."""
    asked: list = []
    real = selectors._nearest_radius

    def spy(q, needed):
        asked.append(real(q, needed))
        return asked[-1]

    monkeypatch.setattr(selectors, "_nearest_radius", spy)
    return asked


def _dense_centre_sparse_surroundings() -> None:
    rng = random.Random(7)
    orgs = []
    for i in range(260):
        spread = 0.004 if i < 120 else 0.08  # ~0.4 km, then ~9 km
        lat = 59.91 + rng.uniform(-spread, spread)
        lon = 10.75 + rng.uniform(-2 * spread, 2 * spread)
        orgs.append(
            Organisation(
                name=f"Near {i:03d}",
                slug=f"near-{i:03d}",
                sector="civil" if i % 3 else "private",
                latitude=Decimal(f"{lat:.6f}"),
                longitude=Decimal(f"{lon:.6f}"),
                lon_strip=lon_strip(f"{lon:.6f}"),
            )
        )
    Organisation.objects.bulk_create(orgs)


@pytest.mark.django_db
def test_longitude_strip_follows_every_save():
    org = OrganisationFactory(latitude=Decimal("59.9"), longitude=Decimal("10.75"))
    assert org.lon_strip == 537
    org.longitude = Decimal("-0.01")
    org.save(update_fields=["longitude"])
    org.refresh_from_db()
    assert org.lon_strip == -1  # floored, not truncated towards zero
    org.longitude = None
    org.save()
    org.refresh_from_db()
    assert org.lon_strip is None
    # A directory search near the new place finds it only through the right strip.
    org.latitude, org.longitude = Decimal("51.5"), Decimal("-0.12")
    org.save()
    q = DirectoryQuery(lat=51.5, lon=-0.121, radius_km=1)
    assert list(selectors.directory_search(q)) == [org]


@pytest.mark.django_db
@pytest.mark.parametrize("radius", ["0", "2001", "far", "-5"])
def test_directory_refuses_a_bad_radius_and_keeps_what_was_typed(client_for, radius):
    OrganisationFactory(
        name="Kept Org", place_name="Tøyen", latitude=Decimal("59.9"), longitude=Decimal("10.7")
    )
    response = client_for("representative").get(
        "/prospects/directory/", {"place": "59.91, 10.75", "radius": radius}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in html
    assert 'value="59.91, 10.75"' in html and f'value="{radius}"' in html
    # Nothing is sorted by a distance that was refused.
    assert "nearest first" not in html


@pytest.mark.django_db
def test_directory_rows_show_tags_sector_and_a_localised_distance(client_for):
    a, b = TagFactory(name="Ann's <data>"), TagFactory(name="Bikes")
    org = OrganisationFactory(
        name="Near Org",
        sector="civil",
        place_name="",
        latitude=Decimal("59.91"),
        longitude=Decimal("10.80"),
    )
    org.offers.set([b, a])
    client = client_for("representative")
    page = client.get("/prospects/directory/?place=59.91,10.75&radius=10").content.decode()
    # the offers by name, escaped as a Django template escapes; no needs, no place
    assert '<td class="small">Ann&#x27;s &lt;data&gt;, Bikes</td>' in page
    assert '<td class="small">—</td>' in page and "<td>—</td>" in page
    assert f'<a href="/organisations/{org.slug}/">Near Org</a>' in page
    assert "<td>Civil society / non-profit</td>" in page
    assert '<td class="nowrap">2.8 km</td>' in page
    nb = client.get(
        "/prospects/directory/?place=59.91,10.75&radius=10", HTTP_ACCEPT_LANGUAGE="nb"
    ).content.decode()
    assert '<td class="nowrap">2,8 km</td>' in nb


@pytest.mark.django_db
def test_directory_form_takes_tags_by_slug_and_words_an_unknown_one_as_before():
    from django import forms

    from commonground.prospects.forms import DirectorySearchForm

    TagFactory(slug="legal-x", name="Legal")
    query = DirectorySearchForm({"offers": "legal-x"}).query()
    assert (query.offers, query.needs) == ("legal-x", "")
    unknown = DirectorySearchForm({"needs": "nowhere"})
    assert not unknown.is_valid()
    expected = str(forms.ModelChoiceField.default_error_messages["invalid_choice"])
    assert unknown.errors["needs"] == [expected]
    menu = str(DirectorySearchForm()["offers"])
    assert '<option value="" selected>Anything</option>' in menu
    assert '<option value="legal-x">Legal</option>' in menu
