"""The API's frame: OpenAPI and local docs, one error body for 400/401/403/404/422/500, unknown query
parameters refused, pagination, session CSRF. Endpoint behaviour is in the other test_api_* files."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from countybridge.api import api
from countybridge.core.api.errors import validation_details
from countybridge.core.api.strict import allowed_query_names
from tests.support import assert_error as assert_error_body
from tests.support import signed_in

pytestmark = pytest.mark.django_db

CORE_PATHS = [
    "/api/core/regions",
    "/api/core/regions/{code}",
    "/api/core/organisations",
    "/api/core/organisations/{pk}",
    "/api/core/people",
    "/api/core/people/{pk}",
    "/api/core/people/{pk}/reveal",
    "/api/core/pairings",
    "/api/core/pairings/{pk}",
    "/api/core/audit-events",
    "/api/core/api-tokens",
    "/api/core/api-tokens/{prefix}/revoke",
]


def operations():
    """Every (method, concrete path) of the API, path parameters filled with harmless values."""
    fill = {
        "code": "510185",
        "pk": "1",
        "prefix": "deadbeef",
        "job_id": "00000000-0000-0000-0000-000000000000",
    }
    for path, methods in api.get_openapi_schema()["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: fill.get(m.group(1), "1"), path)
        for method in methods:
            yield method, concrete


def call(client, method, path, body=None, **extra):
    kwargs = {"content_type": "application/json", "data": json.dumps(body or {})} if method != "get" else {}
    return getattr(client, method)(path, **kwargs, **extra)


# ---------------------------------------------------------------- schema and docs


def test_openapi_lists_the_core_endpoints():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(CORE_PATHS) <= set(schema["paths"])
    assert {"get", "post"} <= set(schema["paths"]["/api/core/people"])
    assert "patch" in schema["paths"]["/api/core/organisations/{pk}"]
    listed = {p["name"] for p in schema["paths"]["/api/core/organisations"]["get"]["parameters"]}
    assert {"kind", "region", "q", "page", "page_size"} <= listed
    assert {"BearerToken", "SignedInSession"} <= set(schema["components"]["securitySchemes"])


def test_openapi_documents_the_error_body_on_every_operation():
    schema = Client().get("/api/openapi.json").json()
    assert set(schema["components"]["schemas"]["Error"]["properties"]["error"]["required"]) == {
        "code",
        "message_zh",
        "message_en",
        "details",
    }
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert {"400", "401", "403", "404", "422", "500"} <= set(operation["responses"])


def test_docs_load_only_local_assets():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/ninja/") for s in sources), sources
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    for source in sources:  # each asset is really there to be served
        assert finders.find(source.removeprefix("/static/")), source
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp


# ---------------------------------------------------------------- 401


@pytest.mark.parametrize("method,path", list(operations()))
def test_every_operation_refuses_anonymous_with_error_body(method, path):
    error = assert_error_body(call(Client(), method, path), 401, "unauthenticated")
    assert "token" in error["message_en"]


def test_anonymous_write_is_401_not_csrf_403():
    client = Client(enforce_csrf_checks=True)
    assert_error_body(call(client, "post", "/api/core/people", {"id_number": "x"}), 401, "unauthenticated")


def test_malformed_bearer_is_401_even_with_a_session(make_user):
    client = signed_in(make_user("city_admin"), HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error_body(client.get("/api/core/regions"), 401)
    wrong = signed_in(make_user("city_admin"), HTTP_AUTHORIZATION="Bearer cb_deadbeef_wrongsecret")
    assert_error_body(wrong.get("/api/core/regions"), 401)


def test_session_write_needs_csrf_token(make_user):
    client = signed_in(make_user("city_admin"), enforce_csrf_checks=True)
    body = {"kind": "school", "name": "无令牌学校", "region": "510185", "school_stages": ["primary"]}
    assert_error_body(call(client, "post", "/api/core/organisations", body), 403, "csrf_failed")
    assert client.get("/api/core/regions").status_code == 200  # reads need no token


# ---------------------------------------------------------------- 404, 500


def test_unknown_api_path_is_json_404(make_user):
    assert_error_body(Client().get("/api/no/such/thing"), 404, "not_found")
    assert_error_body(signed_in(make_user("city_admin")).get("/api/core/regions/999999"), 404, "not_found")


def test_wrong_method_is_json_405():
    response = Client().put("/api/core/regions")
    assert_error_body(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_server_error_has_error_body_and_no_traceback(make_user, monkeypatch):
    from countybridge.core import selectors

    def boom(**kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(selectors, "region_list", boom)
    response = signed_in(make_user("city_admin")).get("/api/core/regions")
    assert_error_body(response, 500, "server_error")
    assert b"secret internals" not in response.content and b"Traceback" not in response.content


# ---------------------------------------------------------------- unknown parameters (BRIEF § 10, Blaze)


@pytest.mark.parametrize("method,path", [op for op in operations() if op[0] == "get"])
def test_every_get_refuses_unknown_query_parameters(method, path, make_user):
    response = signed_in(make_user("city_admin")).get(path, {"regoin": "510185"})
    if response.status_code == 404:  # detail routes with a made-up id: scope answers first
        return
    error = assert_error_body(response, 400, "unknown_parameter")
    assert error["details"][0]["field"] == "regoin" and error["details"][0]["in"] == "query"
    assert "allowed" in error["details"][0]["message_en"]


def test_misspelt_filter_never_returns_every_row(make_user, make_org):
    make_org("510185")
    make_org("510129")
    client = signed_in(make_user("city_admin"))
    assert_error_body(client.get("/api/core/organisations", {"county": "510185"}), 400, "unknown_parameter")
    assert client.get("/api/core/organisations", {"region": "510185"}).json()["count"] == 1


def test_allowed_names_come_from_the_declared_parameters():
    operation = next(
        op
        for pv in api._get_bound_routers()[1].path_operations.values()
        for op in pv.operations
        if op.view_func.__name__ == "list_organisations"
    )
    assert allowed_query_names(operation) == {"kind", "region", "q", "page", "page_size"}


# ---------------------------------------------------------------- pagination


def test_page_shape_and_bounds(make_user):
    client = signed_in(make_user("city_admin"))
    page = client.get("/api/core/regions", {"level": "township", "page_size": 50, "page": 2}).json()
    assert set(page) == {"items", "count", "page", "page_size", "pages"}
    assert (page["count"], page["page"], page["page_size"], page["pages"]) == (125, 2, 50, 3)
    assert len(page["items"]) == 50
    last = client.get("/api/core/regions", {"level": "township", "page_size": 50, "page": 3}).json()
    assert len(last["items"]) == 25
    assert (
        len(client.get("/api/core/regions", {"level": "township", "page_size": 200}).json()["items"]) == 125
    )


@pytest.mark.parametrize(
    "params,code",
    [
        ({"page": 0}, "greater_than_equal"),
        ({"page": "abc"}, "int_parsing"),
        ({"page_size": 201}, "less_than_equal"),
        ({"page_size": 0}, "greater_than_equal"),
        ({"page": 99}, "page_out_of_range"),
    ],
)
def test_invalid_page_is_422_with_bilingual_detail(params, code, make_user):
    response = signed_in(make_user("city_admin")).get("/api/core/regions", params)
    detail = assert_error_body(response, 422)["details"][0]
    assert detail["code"] == code and detail["in"] == "query"
    assert detail["message_zh"] and detail["message_en"] and detail["message_zh"] != detail["message_en"]


def test_empty_list_is_page_one_of_one(make_user):
    page = signed_in(make_user("city_admin")).get("/api/core/people").json()
    assert page == {"items": [], "count": 0, "page": 1, "page_size": 50, "pages": 1}


# ---------------------------------------------------------------- bilingual wording (pure)


def test_validation_details_translate_pydantic_errors():
    details = validation_details(
        [
            {"type": "missing", "loc": ("body", "payload", "name"), "msg": "Field required"},
            {
                "type": "less_than_equal",
                "loc": ("query", "page_size"),
                "msg": "Input should be ≤ 200",
                "ctx": {"le": 200},
            },
            {
                "type": "value_error",
                "loc": ("body", "payload"),
                "msg": "Value error, 中文说明 / English text",
            },
            {"type": "something_new", "loc": ("path", "pk"), "msg": "Odd"},
        ]
    )
    assert details[0] == {
        "field": "name",
        "in": "body",
        "code": "missing",
        "message_zh": "缺少必填项",
        "message_en": "Field required",
    }
    assert details[1]["message_zh"] == "应不大于 200" and details[1]["field"] == "page_size"
    assert (details[2]["message_zh"], details[2]["message_en"]) == ("中文说明", "English text")
    assert details[3]["message_zh"] == "取值无效" and details[3]["in"] == "path"


def test_chinese_is_sent_as_characters_and_times_with_local_offset(make_user):
    client = signed_in(make_user("city_admin"))
    assert "简阳市".encode() in client.get("/api/core/regions/510185").content
    event = client.get("/api/core/audit-events").json()["items"][0]
    assert event["at"].endswith("+08:00")
