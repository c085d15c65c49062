"""Every page renders for an admin, without inline script or style (CSP)."""

from __future__ import annotations

from django.urls import reverse

from tests.web.conftest import assert_csp_clean


def test_pages_render(login, admin_a, started, crm):
    client = login(admin_a)
    from vendorvet.web.assessments.models import Answer

    answer = Answer.all_tenants.filter(assessment=started).first()
    for url in [reverse("assessments:list"), reverse("assessments:start"),
                reverse("assessments:start") + f"?integration={crm.pk}", started.get_absolute_url(),
                reverse("assessments:decision", args=[started.pk]), reverse("assessments:rubric"),
                reverse("assessments:certifications"), reverse("assessments:vendor_certifications", args=[crm.vendor_id]),
                reverse("assessments:integration_panel", args=[crm.pk])]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode())
    assert answer.requirement_id.encode() in client.get(started.get_absolute_url()).content


def test_german_pages(login, admin_a, started):
    client = login(admin_a)
    client.cookies["django_language"] = "de"
    page = client.get(started.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Bewertung von Acme CRM" in page and "Antwort speichern" in page and "Punktzahl" in page
    import html

    from vendorvet.engine.scoring_review import requirement_name

    # the deduction names the requirement by its German text, not its id: 10 points × tier-2 factor 1.5
    assert f"„{requirement_name('cert.recognised', 'de')}“ unbekannt: −15" in html.unescape(page)
    rubric = client.get(reverse("assessments:rubric"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "18 Monate" in rubric and "„unbekannt“ zählt wie „nicht erfüllt“" in rubric
