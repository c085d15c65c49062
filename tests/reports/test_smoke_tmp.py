import pytest, time
from tests.conftest import acting

pytestmark = pytest.mark.django_db

def test_smoke(tenant_a, assessor_a, admin_a, tmp_path):
    from tests.reports.world import build_review
    t = time.time(); integration, assessment = build_review(tenant_a, assessor_a, admin_a, evidence=50); print("world", time.time() - t)
    from vendorvet.web.reports import audit_pack, pdf, documents
    with acting(tenant_a, admin_a, role="admin"):
        for i in range(3):
            t = time.time(); data, rows = audit_pack.build(integration, "de", "x"); print("build", time.time() - t)
            t = time.time(); html, d, g = pdf.render_html("reports/print/audit_pack.html", data, "de", documents.branding()); print("html", time.time() - t)
            t = time.time()
            printed = pdf.render_pdf("reports/print/audit_pack.html", data, "de", documents.branding(), "x.pdf")
            print("pdf", time.time() - t)
        open("/tmp/pdf15_audit.pdf", "wb").write(printed.pdf)
