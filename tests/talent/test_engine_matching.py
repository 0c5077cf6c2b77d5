"""Matching engine (talent ↔ position): hard filters, explanations, ranking, segmentation, bad input.

Pure computation: no database. Small hand-made data, plus one small synthetic set for cross-checks.
"""

import pytest

from countybridge.talent.matching import (
    Degree,
    MatchIndex,
    MatchingInputError,
    Position,
    Talent,
    Title,
    Weights,
)
from countybridge.talent.matching.synthetic import generate, meets_requirements, precision_at_k
from countybridge.talent.matching.text import terms

JIANYANG, DAYI, JINJIANG = "510185", "510129", "510104"


def _talent(id, **kw):
    base = dict(
        degree="本科", major="计算机科学与技术", title="中级", years_experience=5, county_code=JIANYANG
    )
    base.update(kw)
    return Talent(id=id, **base)


def _position(id, **kw):
    base = dict(min_degree="本科", min_title="初级", min_years=0, county_code=JIANYANG)
    base.update(kw)
    return Position(id=id, **base)


EMBEDDED = "负责物联网终端嵌入式软件开发，熟悉单片机、嵌入式Linux驱动开发"


@pytest.fixture(scope="module")
def talents():
    return [
        _talent("embedded", skills_text="五年嵌入式Linux驱动开发经验，熟悉单片机编程和物联网网关"),
        _talent(
            "nurse",
            major="护理学",
            degree="大专",
            title="初级",
            skills_text="内科临床护理，静脉治疗，急救护理",
        ),
        _talent("java", major="软件工程", skills_text="Java后端开发，Spring微服务，MySQL数据库"),
        _talent(
            "junior", years_experience="2", skills_text="单片机编程，嵌入式软件开发", county_code=JINJIANG
        ),
        _talent("paired", skills_text="嵌入式软件开发，单片机", county_code=JINJIANG),
    ]


@pytest.fixture(scope="module")
def index(talents):
    positions = [
        _position("emb", name="嵌入式软件工程师", responsibilities_text=EMBEDDED, majors=("计算机类",)),
        _position(
            "icu", name="ICU护士", min_degree="大专", majors=("护理学",), skills_text="重症监护护理，急救护理"
        ),
    ]
    return MatchIndex.build(talents, positions, pairings=[(JIANYANG, JINJIANG)])


# -- hard requirements ----------------------------------------------------------------------------------


def test_years_are_compared_as_numbers_not_text(talents):
    # As text "2" >= "12" and "13" < "2"; typed, 2 < 12 <= 13.
    people = [
        _talent("two", years_experience="2", skills_text="嵌入式"),
        _talent("thirteen", years_experience="13", skills_text="嵌入式"),
    ]
    ix = MatchIndex.build(people, [])
    result = ix.rank_talents(_position("p", min_years="12", skills_text="嵌入式"), include_excluded=True)
    assert result.ids == ["thirteen"]
    assert [(e.id, [c.code for c in e.failed]) for e in result.excluded] == [("two", ["years"])]
    assert result.excluded[0].failed[0].required == "≥12" and result.excluded[0].failed[0].actual == "2"


def test_degree_and_title_are_ordered_levels(index):
    position = _position("p", min_degree="硕士", min_title="副高级", responsibilities_text=EMBEDDED)
    result = index.rank_talents(position, include_excluded=True)
    assert result.matches == ()
    failed = {e.id: {c.code for c in e.failed} for e in result.excluded}
    assert failed["embedded"] == {"degree", "title"}  # 本科 < 硕士, 中级 < 副高级
    assert result.excluded_by_requirement["degree"] == 5 and result.eligible_count == 0
    assert Degree.DOCTOR > Degree.MASTER > Degree.BACHELOR > Degree.ASSOCIATE > Degree.NONE
    assert Title.SENIOR > Title.ASSOCIATE_SENIOR > Title.INTERMEDIATE > Title.JUNIOR > Title.NONE


def test_major_family_admits_computer_science_for_software_engineering(talents):
    ix = MatchIndex.build(talents, [])
    ask = dict(responsibilities_text=EMBEDDED)
    by_family = ix.rank_talents(_position("a", majors=("计算机类",), **ask))
    related = ix.rank_talents(_position("b", majors=("软件工程",), accept_related_majors=True, **ask))
    strict = ix.rank_talents(_position("c", majors=("软件工程",), **ask), include_excluded=True)
    assert "embedded" in by_family.ids and "embedded" in related.ids  # 计算机科学与技术 ∈ 计算机类
    assert "embedded" not in strict.ids
    assert {c.code for e in strict.excluded if e.id == "embedded" for c in e.failed} == {"major"}
    assert "nurse" not in by_family.ids  # 护理学 is not in 计算机类
    named = next(m for m in related if m.id == "java").explanation.components
    admitted = next(m for m in related if m.id == "embedded").explanation.components
    assert {c.name: c.value for c in named}["major"] == 1.0  # named in the list beats admitted by family
    assert {c.name: c.value for c in admitted}["major"] == 0.6


def test_any_major_and_trailing_zhuanye_are_accepted(talents):
    ix = MatchIndex.build(
        talents + [_talent("suffix", major="计算机科学与技术专业", skills_text="单片机")], []
    )
    anyone = ix.rank_talents(_position("a", min_degree="大专", skills_text="单片机 护理"), k=20)
    assert {"embedded", "nurse", "suffix"} <= set(anyone.ids)
    named = ix.rank_talents(_position("b", majors="计算机科学与技术、电子信息工程", skills_text="单片机"))
    assert "suffix" in named.ids


def test_vectorised_filter_agrees_with_reference_rule():
    data = generate(600, 40, seed=7)
    ix = MatchIndex.build(data.talents, data.positions)
    for p in data.positions:
        mask = ix.eligible_talents(p)
        expected = [meets_requirements(t, p) for t in data.talents]
        assert mask.tolist() == expected, p.id
    talent = data.talents[0]
    assert ix.eligible_positions(talent).tolist() == [meets_requirements(talent, p) for p in data.positions]


# -- scoring and explanations ---------------------------------------------------------------------------


def test_relevant_talent_ranks_above_irrelevant_one(index):
    result = index.rank_talents("emb", k=10)
    assert result.ids[0] == "embedded"
    assert result.ids[-1] == "java"  # shares only the word 开发 with the position
    assert "nurse" not in result.ids  # fails the major anyway
    nurses = index.rank_talents("icu")
    assert nurses.ids == ["nurse"]


def test_explanation_lists_requirements_terms_and_components(index):
    match = index.rank_talents("emb", k=1, explain=True).matches[0]
    e = match.explanation
    assert [(c.code, c.passed) for c in e.requirements] == [
        ("degree", True),
        ("title", True),
        ("years", True),
        ("major", True),
    ]
    assert {c.code: c.required for c in e.requirements}["major"] == "计算机类"
    matched = [t.term for t in e.matched_terms]
    assert {"嵌入式", "单片机", "驱动"} <= set(matched)
    assert all(t.bm25 > 0 for t in e.matched_terms)
    assert [t.bm25 for t in e.matched_terms] == sorted((t.bm25 for t in e.matched_terms), reverse=True)
    assert sum(t.bm25 for t in e.matched_terms) == pytest.approx(e.text_bm25, rel=1e-5)
    assert e.text_normalised == 1.0  # the best eligible candidate
    assert sum(c.contribution for c in e.components) == pytest.approx(match.score)
    assert sum(c.weight for c in e.components) == pytest.approx(1.0)
    assert index.rank_talents("emb", explain=False).matches[0].explanation is None


def test_same_county_and_paired_district_bonus(index):
    result = index.rank_talents("emb", k=10)
    location = {m.id: {c.name: c.value for c in m.explanation.components}["location"] for m in result}
    assert location["embedded"] == 1.0  # 简阳 position, 简阳 talent
    assert location["paired"] == pytest.approx(0.6)  # 锦江 is paired with 简阳 here


def test_weights_are_configurable(index):
    text_only = Weights(text=1, major=0, degree=0, title=0, experience=0, location=0, field=0, salary=0)
    result = index.rank_talents("emb", weights=text_only)
    for m in result:
        assert m.score == pytest.approx(m.explanation.text_normalised)
    with pytest.raises(ValueError, match="weights.text"):
        Weights(text=-1)


def test_within_limits_candidates_to_a_scope(index):
    full = index.rank_talents("emb", include_excluded=True)
    scoped = index.rank_talents(
        "emb", within=["paired", "junior", "nurse", "no-such-id"], include_excluded=True
    )
    assert set(scoped.ids) == {"paired", "junior"} and "embedded" in full.ids
    assert scoped.excluded_count == 1 and scoped.excluded_by_requirement["major"] == 1  # the nurse only
    mask = index.eligible_talents("emb") & False
    assert index.rank_talents("emb", within=mask).matches == ()
    with pytest.raises(ValueError, match="within"):
        index.rank_talents("emb", within=mask[:2])


def test_rank_positions_for_a_talent(index, talents):
    result = index.rank_positions(talents[0], k=5)
    assert result.ids == ["emb"]  # icu needs 护理学
    assert index.rank_positions("nurse").ids == ["icu"]


def test_precision_on_small_labelled_set_beats_chance():
    data = generate(1500, 30, seed=3)
    ix = MatchIndex.build(data.talents, data.positions, pairings=data.pairings)
    scored = [p for p in data.positions if len(data.relevant[p.id]) >= 10]
    mean = sum(precision_at_k(ix.rank_talents(p).ids, data.relevant[p.id]) for p in scored) / len(scored)
    assert mean > 0.7  # 40 specialties: chance is about 0.03


# -- segmentation ----------------------------------------------------------------------------------------


def test_segmentation_keeps_domain_terms_and_drops_stop_words():
    words = terms("负责冷链物流与预制菜研发，熟练掌握PLC编程、工业机器人和机器视觉的应用")
    assert {"冷链", "预制菜", "plc", "工业机器人", "机器视觉"} <= set(words)
    assert not {"负责", "与", "的", "熟练掌握", "和"} & set(words)
    assert "冷" not in words and "链" not in words
    assert terms("Python") == terms("python") == ["python"]
    assert terms("") == [] and terms("，。！的了") == []


# -- empty and bad input ---------------------------------------------------------------------------------


def test_empty_text_or_no_candidates_give_empty_results(index):
    assert len(index.rank_talents(_position("empty"))) == 0
    assert index.rank_talents(_position("stop", skills_text="负责相关工作")).matches == ()
    empty = MatchIndex.build([], [])
    assert empty.rank_talents(_position("p", skills_text="嵌入式")).matches == ()
    assert empty.rank_positions(_talent("t", skills_text="嵌入式")).matches == ()
    blank = MatchIndex.build([_talent("t")], [_position("p")])  # no text anywhere
    assert blank.rank_talents("p").matches == () and blank.rank_positions("t").matches == ()
    assert index.rank_talents("emb", k=0).matches == ()


def test_unknown_degree_raises_bilingual_error():
    with pytest.raises(ValueError) as err:
        Talent(id="x", degree="研究生学历")
    assert "未知学历" in str(err.value) and "Unknown degree" in str(err.value)
    assert isinstance(err.value, MatchingInputError) and err.value.field == "degree"
    with pytest.raises(ValueError, match="职称.*professional title"):
        Position(id="p", min_title="特级")


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"years_experience": "五年"}, "years_experience"),
        ({"years_experience": -1}, "years_experience"),
        ({"years_experience": True}, "years_experience"),
        ({"expected_salary": "nan"}, "expected_salary"),
        ({"skills_text": 42}, "skills_text"),
        ({"id": " "}, "id"),
        ({"id": ["x"]}, "id"),
    ],
)
def test_bad_talent_fields_raise(kwargs, field):
    with pytest.raises(MatchingInputError) as err:
        Talent(**{"id": "x", **kwargs})
    assert err.value.field == field and err.value.message_zh and err.value.message_en
    assert str(err.value) == f"{err.value.message_zh} / {err.value.message_en}"
    assert field == "id" or field not in err.value.message_zh  # the Chinese half names the field in Chinese


def test_bad_index_input_raises(talents):
    with pytest.raises(ValueError, match="重复.*Duplicate"):
        MatchIndex.build([talents[0], talents[0]], [])
    with pytest.raises(ValueError, match="Talent"):
        MatchIndex.build([{"id": 1}], [])
    ix = MatchIndex.build(talents, [])
    with pytest.raises(ValueError, match="未找到岗位.*No such position"):
        ix.rank_talents("missing")
    with pytest.raises(ValueError, match="k"):
        ix.rank_talents(_position("p", skills_text="嵌入式"), k=-1)
    with pytest.raises(ValueError, match="薪酬.*salary_max"):
        Position(id="p", salary_min=9000, salary_max="6000")


def test_synthetic_set_is_seeded_and_labelled():
    a, b = generate(300, 20, seed=11), generate(300, 20, seed=11)
    assert a.talents == b.talents and a.positions == b.positions and a.relevant == b.relevant
    assert a.talents != generate(300, 20, seed=12).talents
    fields = {t.field for t in generate(2000, 0, seed=1).talents}
    assert {"医疗卫生", "教育", "电子信息", "装备制造", "食品饮料", "生物医药", "现代农业", "文旅"} <= fields
    assert any(a.relevant[p.id] for p in a.positions)
    for p in a.positions:
        assert all(a.specialty_of[t] == a.specialty_of[p.id] for t in a.relevant[p.id])
