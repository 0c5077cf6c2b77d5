"""Certification rule engine: catalogue data, county rule sets, typed evidence, decisions (no database)."""

import copy
import json

import pytest

from countybridge.talent.certification import (
    CERTIFIED,
    INCOMPLETE,
    MANUAL_REVIEW,
    NOT_ELIGIBLE,
    ApplicationError,
    RuleSetError,
    evaluate,
    load_catalogue,
    load_county_rulesets,
    load_municipal_ruleset,
    parse_ruleset,
    shipped_ruleset_data,
    validate_ruleset,
)

JIANYANG, DAYI = "510185", "510129"
ALL_DOCS = [
    "id_document",
    "degree_certificate",
    "award_certificate",
    "programme_letter",
    "employment_contract",
    "social_insurance_record",
    "title_certificate",
    "employer_licence",
]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue("2023")


@pytest.fixture(scope="module")
def counties(catalogue):
    return load_county_rulesets(catalogue)


def _ruleset(rules, *, county=JIANYANG, delegations=None, **extra):
    return {
        "id": f"test-{county}",
        "scope": "county",
        "county": county,
        "catalogue_version": "2023",
        "rules": rules,
        "delegations": delegations or [],
        **extra,
    }


def _rule(rule_id, item, criteria, documents=("id_document",)):
    return {"id": rule_id, "item": item, "criteria": criteria, "documents": list(documents)}


def _app(evidence, documents=ALL_DOCS, **extra):
    return {
        "county": JIANYANG,
        "as_of": "2024-06-01",
        "evidence": evidence,
        "documents": list(documents),
        **extra,
    }


# --- catalogue as data -------------------------------------------------------------------------------


def test_catalogue_has_the_seen_items_and_only_descriptions_for_c_to_f(catalogue):
    a_items = catalogue.items_of_class("A")
    assert [i.item_no for i in a_items] == list(range(1, 11))
    assert [i.key for i in a_items if i.is_equivalent_clause] == ["2023-A-10"]
    assert catalogue.items["2023-A-10"].text == "相当于上述层次的人才"
    assert len([i for i in catalogue.items_of_class("B") if i.field == "sci_tech"]) == 9
    assert catalogue.items["2023-B-key_industry-01"].text_complete is False
    for cls in "CDEF":
        rows = catalogue.items_of_class(cls)
        assert [r.kind for r in rows] == ["class_description"], "no invented item lists for C–F"
    assert all(i.catalogue_version == "2023" for i in catalogue.items.values())
    assert "博士研究生" in catalogue.items["2023-D-desc"].text


def test_shipped_rule_sets_are_valid_and_counties_only_hold_classes_a_to_c(catalogue, counties):
    assert set(counties) == {JIANYANG, DAYI}
    for ruleset in counties.values():
        assert {r.cls for r in ruleset.rules} <= {"A", "B", "C"}
    assert {r.cls for r in load_municipal_ruleset(catalogue).rules} == {"D", "E", "F"}
    json.dumps(shipped_ruleset_data())  # JSON-able, editable without code


# --- per county ---------------------------------------------------------------------------------------

SECOND_PRIZE_FIRST_COMPLETER = {
    "degree": "博士",
    "awards": [{"code": "natural_science_2nd", "rank": 1, "year": 2021}],
    "annual_income": "约30万",  # unreadable as a number
}


def test_same_applicant_is_b_in_jianyang_and_manual_review_in_dayi(catalogue, counties):
    jianyang = evaluate(_app(SECOND_PRIZE_FIRST_COMPLETER), counties[JIANYANG], catalogue)
    assert jianyang.decision == CERTIFIED
    assert jianyang.certified_class == "B"
    assert jianyang.item.key == "2023-B-sci_tech-07"
    assert jianyang.rule_id == "JY-B-ST-07"
    assert [p.outcome for p in jianyang.predicates] == ["fail", "pass"]

    dayi = evaluate(_app(SECOND_PRIZE_FIRST_COMPLETER, county=DAYI), counties[DAYI], catalogue)
    assert dayi.decision == MANUAL_REVIEW
    assert dayi.candidate_class == "B" and dayi.fallback_class == "D"
    assert dayi.rule_id == "DY-B-ST-07"
    income = [p for p in dayi.predicates if p.field == "annual_income"][0]
    assert income.outcome == "ambiguous" and income.actual == {"unreadable": "约30万"}
    assert ("clarify", "annual_income") in {(r.kind, r.code) for r in dayi.evidence_required}


def test_same_applicant_certified_in_one_county_equivalent_review_in_another(catalogue):
    evidence = {"programmes": ["nsfc_excellent_young"], "degree": "bachelor"}
    maps_item = _ruleset(
        [
            _rule(
                "X-B4",
                "2023-B-sci_tech-04",
                {"field": "programmes", "op": "any_in", "value": ["nsfc_excellent_young"]},
            )
        ]
    )
    via_clause = _ruleset(
        [
            _rule(
                "Y-A10",
                "2023-A-10",
                {"field": "programmes", "op": "any_in", "value": ["nsfc_excellent_young"]},
            )
        ],
        county=DAYI,
    )
    first = evaluate(_app(evidence), maps_item, catalogue)
    second = evaluate(_app(evidence, county=DAYI), via_clause, catalogue)
    assert (first.decision, first.certified_class) == (CERTIFIED, "B")
    assert (second.decision, second.candidate_class, second.fallback_class) == (MANUAL_REVIEW, "A", "F")
    assert second.reasons[0][0] == "equivalent_clause"


# --- equivalent clause --------------------------------------------------------------------------------


def test_claiming_the_equivalent_clause_goes_to_manual_review_with_fallback(catalogue, counties):
    evidence = {"programmes": ["nsfc_distinguished_young"], "degree": "doctorate"}
    decision = evaluate(_app(evidence, claimed_item="2023-A-10"), counties[JIANYANG], catalogue)
    assert decision.decision == MANUAL_REVIEW
    assert decision.item.is_equivalent_clause
    assert decision.candidate_class == "A" and decision.fallback_class == "B"
    assert decision.reasons[0][0] == "claimed_equivalent_clause"
    # Without the claim the same evidence is certified B automatically.
    plain = evaluate(_app(evidence), counties[JIANYANG], catalogue)
    assert (plain.decision, plain.certified_class) == (CERTIFIED, "B")


def test_equivalent_clause_alone_never_certifies(catalogue):
    ruleset = _ruleset([_rule("EQ", "2023-A-10", {"field": "annual_income", "op": ">=", "value": 5_000_000})])
    decision = evaluate(_app({"annual_income": "800万"}), ruleset, catalogue)
    assert decision.decision == MANUAL_REVIEW
    assert decision.certified_class is None and decision.candidate_class == "A"


def test_claiming_a_class_described_only_goes_to_review(catalogue, counties):
    # "相应的专业技术和技能人才" (class E by title) has no rule: an officer decides.
    decision = evaluate(
        _app({"professional_title": "正高级"}, claimed_item="2023-E-desc"), counties[JIANYANG], catalogue
    )
    assert decision.decision == MANUAL_REVIEW
    assert decision.reasons[0][0] == "claimed_class_description"


# --- typed comparisons ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("income", "outcome"),
    [
        ("120000", "pass"),
        (120000, "pass"),
        ("12万", "pass"),
        ("120,000元", "pass"),
        ("8000", "fail"),
        ("十二万", "ambiguous"),
    ],
)
def test_income_is_compared_as_a_number_not_as_text(catalogue, income, outcome):
    ruleset = _ruleset([_rule("INC", "2023-C-desc", {"field": "annual_income", "op": ">=", "value": 9000})])
    decision = evaluate(_app({"annual_income": income}), ruleset, catalogue)
    assert decision.rules[0].predicates[0].outcome == outcome
    if outcome == "pass":
        assert (decision.decision, decision.certified_class) == (CERTIFIED, "C")


def test_ordinals_compare_by_rank_and_accept_chinese_labels(catalogue):
    ruleset = _ruleset(
        [
            _rule(
                "T",
                "2023-C-desc",
                {
                    "all": [
                        {"field": "degree", "op": ">=", "value": "master"},
                        {"field": "professional_title", "op": ">=", "value": "senior"},
                        {"field": "age", "op": "<=", "value": 45},
                    ]
                },
            )
        ]
    )
    ok = evaluate(
        _app({"degree": "博士研究生", "professional_title": "正高级", "age": "45"}), ruleset, catalogue
    )
    assert ok.certified_class == "C"
    low = evaluate(_app({"degree": "博士", "professional_title": "副高", "age": 40}), ruleset, catalogue)
    assert low.rules[0].status == "failed"
    assert low.certified_class == "D"  # municipal degree rule
    old = evaluate(_app({"degree": "博士", "professional_title": "正高", "age": "46"}), ruleset, catalogue)
    assert [p.outcome for p in old.rules[0].predicates] == ["pass", "pass", "fail"]


def test_award_ranks_pick_the_class(catalogue, counties):
    first = evaluate(
        _app({"awards": [{"code": "tech_invention_1st", "rank": 1}]}), counties[JIANYANG], catalogue
    )
    assert (first.certified_class, first.rule_id) == ("A", "JY-A-08")
    third = evaluate(
        _app({"awards": [{"code": "tech_invention_1st", "rank": "3"}]}), counties[JIANYANG], catalogue
    )
    assert (third.certified_class, third.rule_id) == ("B", "JY-B-ST-07")
    sixth = evaluate(
        _app({"awards": [{"code": "tech_invention_1st", "rank": 6}]}), counties[JIANYANG], catalogue
    )
    assert sixth.decision == NOT_ELIGIBLE


def test_degree_rules_decide_d_to_f(catalogue, counties):
    expected = {"doctorate": "D", "硕士研究生": "E", "本科": "F"}
    for degree, cls in expected.items():
        decision = evaluate(_app({"degree": degree}), counties[JIANYANG], catalogue)
        assert (decision.decision, decision.certified_class, decision.ruleset_id) == (
            CERTIFIED,
            cls,
            "municipal-2023-v1",
        )
    assert evaluate(_app({"degree": "大专"}), counties[JIANYANG], catalogue).decision == NOT_ELIGIBLE


# --- evidence still required ------------------------------------------------------------------------


def test_missing_documents_are_listed_and_block_certification(catalogue, counties):
    evidence = {"programmes": ["nsfc_excellent_young"], "degree": "doctorate"}
    decision = evaluate(
        _app(evidence, documents=["id_document", "degree_certificate"]), counties[JIANYANG], catalogue
    )
    assert decision.decision == INCOMPLETE
    assert decision.candidate_class == "B" and decision.fallback_class == "D"
    required = {(r.kind, r.code) for r in decision.evidence_required}
    assert required == {("document", "programme_letter"), ("document", "employment_contract")}
    labels = {r.code: (r.zh, r.en) for r in decision.evidence_required}
    assert labels["programme_letter"] == ("人才计划入选文件", "Programme selection letter")


def test_claimed_item_lists_the_missing_fields(catalogue, counties):
    decision = evaluate(
        _app({"awards": ["natural_science_2nd"]}, claimed_item="2023-B-sci_tech-07"),
        counties[JIANYANG],
        catalogue,
    )
    assert decision.decision == INCOMPLETE
    assert decision.reasons[0][0] == "claimed_item_open"
    assert ("field", "awards") in {(r.kind, r.code) for r in decision.evidence_required}  # the completer rank


def test_ambiguous_higher_class_sends_a_certifiable_lower_class_to_review(catalogue):
    ruleset = _ruleset(
        [
            _rule("B", "2023-B-sci_tech-09", {"field": "annual_income", "op": ">=", "value": 1_000_000}),
            _rule("C", "2023-C-desc", {"field": "professional_title", "op": ">=", "value": "senior"}),
        ]
    )
    decision = evaluate(
        _app({"annual_income": "一百万左右", "professional_title": "正高级"}), ruleset, catalogue
    )
    assert (decision.decision, decision.candidate_class, decision.fallback_class) == (MANUAL_REVIEW, "B", "C")


# --- delegated quotas ---------------------------------------------------------------------------------


def test_delegated_c_quota_is_reported_for_the_park_only(catalogue, counties):
    evidence = {"awards": ["provincial_outstanding_talent"]}
    in_park = evaluate(_app(evidence, park_id="demo-park-510185"), counties[JIANYANG], catalogue)
    assert in_park.certified_class == "C"
    assert in_park.quota is not None and (in_park.quota.delegation_id, in_park.quota.quota) == (
        "JY-DLG-01",
        5,
    )
    elsewhere = evaluate(_app(evidence, park_id="another-park"), counties[JIANYANG], catalogue)
    assert elsewhere.quota is None
    expired = evaluate(
        _app(evidence, park_id="demo-park-510185", as_of="2025-03-01"), counties[JIANYANG], catalogue
    )
    assert expired.quota is None
    b_class = evaluate(
        _app({"programmes": ["nsfc_excellent_young"]}, park_id="demo-park-510185"),
        counties[JIANYANG],
        catalogue,
    )
    assert b_class.certified_class == "B" and b_class.quota is None


def test_decision_is_json_able(catalogue, counties):
    decision = evaluate(_app(SECOND_PRIZE_FIRST_COMPLETER, county=DAYI), counties[DAYI], catalogue)
    data = json.loads(json.dumps(decision.to_dict(), ensure_ascii=False))
    assert data["decision"] == MANUAL_REVIEW and data["item"]["key"] == "2023-B-sci_tech-07"


# --- validation ---------------------------------------------------------------------------------------


def test_rule_set_validation_lists_every_problem_in_both_languages(catalogue):
    bad = _ruleset(
        [
            _rule("R1", "2023-B-sci_tech-04", {"field": "salary", "op": ">=", "value": 1}),
            _rule("R2", "2023-B-sci_tech-04", {"field": "degree", "op": "contains", "value": "doctorate"}),
            _rule("R3", "2023-C-desc", {"field": "annual_income", "op": ">=", "value": "9000"}),
            _rule("R4", "2023-C-desc", {"field": "awards", "op": "any_in", "value": ["oscar"]}),
            _rule("R5", "2023-D-desc", {"field": "degree", "op": ">=", "value": "doctorate"}),
            _rule("R5", "2023-Z-99", {"any": []}, documents=["selfie"]),
            _rule("R7", "2023-C-desc", {"field": "age", "op": "<=", "value": 45, "rank_max": 1}),
        ],
        delegations=[{"id": "D1", "holder_kind": "school", "holder_id": "x", "class": "B", "quota": 0}],
        catalogue_version="2019",
    )
    with pytest.raises(RuleSetError) as info:
        parse_ruleset(bad, catalogue)
    codes = [p.code for p in info.value.problems]
    for code in (
        "unknown_field",
        "wrong_operator",
        "type_mismatch",
        "unknown_code",
        "class_not_delegated",
        "unknown_item",
        "duplicate",
        "version_mismatch",
    ):
        assert code in codes, code
    fields = {p.field for p in info.value.problems}
    assert {
        "rules[0].criteria.field",
        "rules[1].criteria.op",
        "rules[2].criteria.value",
        "delegations[0].quota",
    } <= fields
    message = str(info.value)
    assert "未知的证据字段" in message and "Unknown evidence field" in message
    assert "县市只能认定A–C类人才" in message and "A county may only certify classes A to C" in message
    assert validate_ruleset(bad, catalogue) == info.value.problems


def test_local_codes_extend_a_list_but_not_a_ranked_scale(catalogue):
    ruleset = _ruleset(
        [_rule("L", "2023-C-desc", {"field": "awards", "op": "any_in", "value": ["jianyang_craftsman"]})],
        codes={"awards": {"jianyang_craftsman": {"zh": "简阳工匠", "en": "Jianyang craftsman"}}},
    )
    decision = evaluate(_app({"awards": ["简阳工匠"]}), ruleset, catalogue)
    assert decision.certified_class == "C"
    bad = copy.deepcopy(ruleset)
    bad["codes"] = {"degree": {"postdoc": {"zh": "博士后", "en": "Postdoc"}}}
    assert "ordered" in [p.code for p in validate_ruleset(bad, catalogue)]


@pytest.mark.parametrize(
    ("application", "code"),
    [
        ({"evidence": ["degree"]}, "type_mismatch"),
        ({"evidence": {}, "claimed_item": "2023-A-99"}, "unknown_item"),
        ({"evidence": {}, "as_of": "2024-13-01"}, "bad_date"),
        ({"evidence": {}, "county": DAYI}, "wrong_county"),
        ({"evidence": {}, "as_of": "2023-06-01"}, "not_in_force"),
    ],
)
def test_bad_application_gives_a_bilingual_error(catalogue, counties, application, code):
    with pytest.raises(ApplicationError) as info:
        evaluate(application, counties[JIANYANG], catalogue)
    assert info.value.problems[0].code == code
    assert " / " in str(info.value)


def test_unknown_evidence_is_a_warning_not_a_crash(catalogue, counties):
    decision = evaluate(
        _app({"degree": "doctorate", "hobby": "chess", "awards": ["某市青年奖"]}),
        counties[JIANYANG],
        catalogue,
    )
    assert decision.certified_class == "D"
    assert {w[0] for w in decision.warnings} == {"unknown_evidence_field", "unrecognised_code"}
