"""Chinese by default, English by the switch; the home page's map data and labels."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

import countybridge

LOCALE_DIR = Path(countybridge.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_compiled_catalogue_is_committed_next_to_its_source():
    """Tests and `make demo` must not need GNU gettext: the .mo is in the repository."""
    po, mo = LOCALE_DIR / "django.po", LOCALE_DIR / "django.mo"
    assert po.is_file() and mo.is_file()
    assert mo.stat().st_size > 10_000


def test_every_message_is_translated():
    entries, untranslated = 0, []
    current: dict[str, str] = {}
    text = (LOCALE_DIR / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    for block in text.split("\n\n")[1:]:
        if block.lstrip().startswith("#~"):
            continue  # obsolete entry
        current = {"msgid": "", "msgstr": ""}
        key = None
        for line in block.splitlines():
            if line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
                key = "msgid" if line.startswith("msgid ") else "msgstr"
                current[key] += json.loads(line.split(" ", 1)[1])
            elif line.startswith('"') and key:
                current[key] += json.loads(line)
        if current["msgid"]:
            entries += 1
            if not current["msgstr"]:
                untranslated.append(current["msgid"])
    assert entries > 200
    assert untranslated == []


def test_chinese_is_the_default_even_for_an_english_browser(client, db):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "成都八个县市新城概览" in body and "首页" in body
    assert "Chengdu's eight county cities at a glance" not in body


def test_english_after_the_switch(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body
    assert "Chengdu&#x27;s eight county cities at a glance" in body or "Chengdu's eight county cities" in body
    assert "Jianyang City" in body  # county names follow the language
    assert "Chenghua District" in body  # and so do the paired districts
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "成都八个县市新城概览" in client.get(reverse("home")).content.decode()


def test_pager_and_model_choices_are_translated(client, make_user):
    client.force_login(make_user("city_admin"))
    body = client.get(reverse("core:organisation_list")).content.decode()
    assert "第 1 页" in body
    assert "机构" in body


def _map_data(response) -> dict:
    body = response.content.decode()
    start = body.index('<script id="map-data" type="application/json">') + len(
        '<script id="map-data" type="application/json">'
    )
    return json.loads(body[start : body.index("</script>", start)])


def test_home_map_data_has_the_eight_county_cities_with_links(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    data = _map_data(response)
    county_cities = [r for r in data["regions"] if r["county_city"]]
    assert data["county_cities"] == 8 and len(county_cities) == 8
    assert {r["label"] for r in county_cities} == {
        "简阳市",
        "都江堰市",
        "彭州市",
        "邛崃市",
        "崇州市",
        "金堂县",
        "大邑县",
        "蒲江县",
    }
    assert all(r["url"] == reverse("core:region_detail", args=[r["code"]]) for r in county_cities)
    assert all(r["value"] for r in county_cities)
    others = [r for r in data["regions"] if not r["county_city"]]
    assert len(others) == 12 and all("url" not in r and r["value"] is None for r in others)
    # the map outline names must match the outline file, or a district would stay blank
    assert "新津县" in {r["name"] for r in others}


def test_home_assets_are_local_and_csp_allows_them(client, db):
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in body
    assert "/static/vendor/echarts-maps/chengdu.js" in body
    assert "http://" not in body.split("<main>")[0] and "https://" not in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("synthetic, shown", [(True, True), (False, False)])
def test_synthetic_label_follows_the_data(client, make_org, synthetic, shown):
    make_org("510185", is_synthetic=synthetic)
    body = client.get(reverse("home")).content.decode()
    assert ('<span class="synthetic">合成数据</span>' in body) is shown
    assert "5,518,312" in body  # census total of the eight county cities, never labelled synthetic


def test_county_table_links_to_region_pages(client, db):
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("core:region_detail", args=["510185"])}"' in body


def test_unknown_module_is_404_bilingual(client, db):
    response = client.get(reverse("module", args=["astrology"]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "未找到" in body and "No such page" in body


@pytest.mark.parametrize(
    "role, links", [(None, True), ("county_officer", True), ("auditor", False), ("public", False)]
)
def test_map_links_only_where_the_region_page_would_open(client, make_user, role, links):
    if role:
        client.force_login(make_user(role, county="510185" if role == "county_officer" else None))
    response = client.get(reverse("home"))
    data = _map_data(response)
    county_cities = [r for r in data["regions"] if r["county_city"]]
    assert all(("url" in r) is links for r in county_cities)
    assert (f'href="{reverse("core:region_detail", args=["510185"])}"' in response.content.decode()) is links
