"""Issue 10, the request path: what is now computed once per process still answers as before, per response."""

from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from identity_registry.middleware import ContentSecurityPolicyMiddleware

HEADER = "Content-Security-Policy"


def _through(middleware_class, response: HttpResponse, path: str = "/api/v1/patients/search/") -> HttpResponse:
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda r: response)
    middleware.process_request(request)
    return middleware.process_response(request, response)


def test_issue10_every_answer_gets_the_policy_django_csp_would_give(client):
    answered = client.get("/healthz")
    assert answered[HEADER] == _through(CSPMiddleware, HttpResponse())[HEADER]
    assert "default-src 'self'" in answered[HEADER]
    assert "frame-ancestors 'none'" in answered[HEADER]


def test_issue10_a_response_that_changes_the_policy_keeps_its_change():
    response = HttpResponse()
    response._csp_update = {"img-src": ["https://cartes.example.org"]}
    changed = _through(ContentSecurityPolicyMiddleware, response)
    assert "https://cartes.example.org" in changed[HEADER]
    assert _through(ContentSecurityPolicyMiddleware, HttpResponse())[HEADER] != changed[HEADER]


def test_issue10_a_page_that_used_the_nonce_gets_django_csp_s_own_policy():
    request = RequestFactory().get("/admin/")
    middleware = ContentSecurityPolicyMiddleware(lambda r: HttpResponse())
    middleware.process_request(request)
    str(request.csp_nonce)  # a template asked for it
    ours = middleware.process_response(request, HttpResponse())[HEADER]
    assert ours == CSPMiddleware(lambda r: HttpResponse()).process_response(request, HttpResponse())[HEADER]
