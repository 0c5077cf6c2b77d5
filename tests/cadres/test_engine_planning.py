"""Cadre-exchange planning engine: each rule on a hand-checkable round, the optimum against brute force,
the checker on hand-broken plans, and bad input. Pure: no database."""

import datetime as dt
import itertools

import pytest
from ortools.sat.python import cp_model

from countybridge.cadres.planning import (
    Cadre,
    CurrentPost,
    PlanningInputError,
    Position,
    RuleSet,
    check_plan,
    default_ruleset,
    explain_pair,
    generate_round,
    plan_exchange,
)
from countybridge.cadres.planning.eligibility import Context, must_move_reasons
from countybridge.cadres.planning.fit import fit_components
from countybridge.cadres.planning.lp import relax
from countybridge.cadres.planning.model import add_months, index_round

AS_OF = dt.date(2025, 3, 1)
RULES = default_ruleset()


def pos(pid, *, unit=None, kind="municipal", region="510100", level="处级副职", chief=False, function="general",
        team=None, up=None, req=(), pref=(), open=True):  # fmt: skip
    return Position(pid, unit or f"u-{pid}", kind, region, level, chief, function, team, up, frozenset(req),
                    frozenset(pref), open)  # fmt: skip


def cadre(cid, post, *, years=5.0, terms=1, level="处级副职", age=45, home="510131", grassroots=5.0,
          fields=("grassroots",), at_level=6.0, posts_at_level=2, grades=("称职",) * 3, relatives=(), worked=20):  # fmt: skip
    return Cadre(cid, add_months(AS_OF, -(age * 12 + 6)), home, add_months(AS_OF, -worked * 12), grassroots,
                 frozenset(fields), CurrentPost(post, add_months(AS_OF, -round(years * 12)), terms), level,
                 at_level, 3.0, posts_at_level, 2, grades, 80, tuple(relatives))  # fmt: skip


def county(pid, region="510129", **kw):
    return pos(pid, kind="county", region=region, **kw)


def home(*pids, **kw):
    """Closed posts that cadres hold now."""
    return [pos(p, open=False, **kw) for p in pids]


def plan(cadres, positions, rules=RULES, **kw):
    result = plan_exchange(cadres, positions, rules, as_of=AS_OF, time_limit_s=10, workers=2, **kw)
    assert result.check.violations == (), [v.message_en for v in result.check.violations]
    return result


def moves(result):
    return {m.cadre_id: m.to_position_id for m in result.moves}


def codes(findings):
    return {f.code for f in findings}


def why(cid, pid, cadres, positions, rules=RULES):
    return explain_pair(cid, pid, cadres, positions, rules, as_of=AS_OF)


def test_ten_year_cadre_moves_before_a_better_fit():
    posts = home("ha", "hb") + [pos("t", pref=("industry",))]
    a = cadre("a", "ha", years=11, fields=("grassroots",))
    b = cadre("b", "hb", years=5, fields=("industry",))
    assert moves(plan([b], posts)) == {"b": "t"}  # on fit alone b wins the post
    result = plan([a, b], posts)
    assert moves(result) == {"a": "t"}
    binding = result.move_of("a").binding[0]
    assert (
        binding.code == "tenure_10y_exchange" and "第五条" in binding.article and "11" in binding.message_en
    )
    assert result.must_move[0].moved and result.check.unmet == ()


def test_must_move_without_eligible_post_is_reported_not_hidden():
    posts = home("ha") + [pos("t", req=("finance",))]
    result = plan([cadre("a", "ha", years=11)], posts)
    assert result.moves == ()
    outcome = result.must_move[0]
    assert not outcome.moved and outcome.why_not[0].code == "no_eligible_post"
    assert "required_fields" in outcome.why_not[0].message_en
    assert codes(result.check.unmet) == {"tenure_10y_exchange"} and result.check.violations == ()


def test_third_consecutive_term_is_refused():
    rules = RULES.without("tenure_10y_exchange")
    posts = [pos("own", open=True), pos("t")]
    second_term_done = cadre("a", "own", years=10.5, terms=2)
    ctx = Context(AS_OF, rules.active(AS_OF), index_round([second_term_done], posts))
    assert codes(must_move_reasons(second_term_done, ctx)) == {"term_limit"}
    refused = why("a", "own", [second_term_done], posts, rules)
    assert refused[0].code == "term_limit" and "第六条" in refused[0].article
    report = check_plan([("a", "own")], [second_term_done], posts, rules, as_of=AS_OF)
    assert "term_limit" in codes(report.violations)
    assert moves(plan([second_term_done], posts, rules)) == {"a": "t"}
    first_term = cadre("b", "own", years=4, terms=1)
    ctx = Context(AS_OF, rules.active(AS_OF), index_round([first_term], posts))
    assert must_move_reasons(first_term, ctx) == []
    assert why("b", "own", [first_term], posts, rules)[0].code == "same_post"


@pytest.mark.parametrize(
    ("now", "target", "kw", "expected"),
    [
        ("处级副职", "处级正职", {"at_level": 1.5}, {"promotion_deputy_to_chief"}),
        ("处级副职", "处级正职", {"at_level": 2.5}, set()),
        ("科级正职", "处级副职", {"at_level": 2.0}, {"promotion_chief_to_upper_deputy"}),
        ("科级正职", "处级副职", {"at_level": 3.5}, set()),
        ("科级正职", "处级副职", {"worked": 4, "at_level": 3.5, "years": 3.5}, {"promotion_work_years"}),
        ("科级正职", "处级副职", {"grassroots": 1.5, "at_level": 3.5}, {"promotion_grassroots"}),
        ("科级正职", "处级副职", {"posts_at_level": 1, "at_level": 3.5}, {"promotion_posts_below"}),
        ("科级副职", "处级副职", {}, {"promotion_step", "promotion_posts_below"}),
        ("科级副职", "处级正职", {}, {"no_skip_two_levels", "promotion_step", "promotion_posts_below"}),
        (
            "科级正职",
            "处级副职",
            {"at_level": 3.5, "grades": ("称职", "基本称职", "优秀")},
            {"promotion_assessment"},
        ),
        ("处级正职", "处级副职", {}, {"no_demotion"}),
        ("处级副职", "处级副职", {"at_level": 15}, {"level_tenure_cap"}),
    ],
)
def test_promotion_and_level_rules(now, target, kw, expected):
    posts = home("h", level=now) + [pos("t", level=target)]
    c = cadre("a", "h", level=now, **kw)
    found = why("a", "t", [c], posts)
    assert codes(found) == expected
    assert all(f.article for f in found)
    assert moves(plan([c], posts)) == ({} if expected else {"a": "t"})


def test_home_region_bars_county_chief_posts_only():
    c = cadre("a", "h", home="510185")
    posts = home("h") + [
        county("sec", "510185", chief=True, function="party_committee"),
        county("dep", "510185", function="government"),
        county("other", chief=True, function="party_committee"),
        pos("dist", kind="district", region="510104", chief=True, function="court"),
    ]
    found = why("a", "sec", [c], posts)
    assert codes(found) == {"home_region_avoidance"} and "任职回避暂行规定》(2006) 第五条" in found[0].article
    assert all(why("a", p, [c], posts) == [] for p in ("dep", "other", "dist"))


def test_relatives_in_listed_classes_kept_apart_unlisted_allowed():
    posts = home("ha") + [pos("hb", unit="bureau", open=False), pos("t", unit="bureau")]
    b = cadre("b", "hb", years=1)  # cannot move: under the minimum tenure
    spouse = cadre("a", "ha", relatives=[("b", "spouse")])
    found = why("a", "t", [spouse, b], posts)
    assert found[0].code == "kinship_avoidance" and "第七十四条" in found[0].article
    assert moves(plan([spouse, b], posts)) == {}
    second_cousin = cadre("a", "ha", relatives=[("b", "cousin_second")])
    assert moves(plan([second_cousin, b], posts)) == {"a": "t"}


def test_two_movable_relatives_never_end_in_one_unit_or_line():
    # t1 and t2 share a unit and both want industry; t3 reports to t1
    posts = home("ha", "hb") + [pos("t1", unit="bureau", pref=("industry",)),
                                pos("t2", unit="bureau", pref=("industry",)), pos("t3", up="t1")]  # fmt: skip
    b = cadre("b", "hb", fields=("industry",))
    strangers = [cadre("a", "ha", fields=("industry",), relatives=[("b", "cousin_second")]), b]
    assert set(moves(plan(strangers, posts)).values()) == {"t1", "t2"}
    siblings = [cadre("a", "ha", fields=("industry",), relatives=[("b", "sibling")]), b]
    assert set(moves(plan(siblings, posts)).values()) == {"t2", "t3"}
    report = check_plan([("a", "t1"), ("b", "t3")], siblings, posts, RULES, as_of=AS_OF)
    assert (
        codes(report.violations) == {"kinship_avoidance"} and "直接上下级" in report.violations[0].message_zh
    )


def test_sensitive_function_under_a_relative_who_leads():
    # b is the government chief; the audit bureau reports to a deputy who reports to b (not a direct line)
    posts = home("ha") + [
        county("zz", level="处级正职", chief=True, function="government", open=False),
        county("fz", function="government", up="zz", open=False),
        county("audit", chief=True, function="audit", up="fz"),
        county("edu", chief=True, function="education", up="fz"),
    ]
    b = cadre("b", "zz", level="处级正职", years=1)
    a = cadre("a", "ha", relatives=[("b", "child")])
    assert codes(why("a", "audit", [a, b], posts)) == {"kinship_sensitive_function"}
    assert why("a", "edu", [a, b], posts) == []


def test_team_share_cap_per_batch():
    seats = [pos(f"s{i}", team="T", open=False) for i in range(6)]
    targets = [pos(f"t{i}", pref=("grassroots",)) for i in range(6)]
    team = [cadre(f"c{i}", f"s{i}") for i in range(4)]
    result = plan(team, seats + targets)
    assert len(result.moves) == 2  # 6 seats × 1/3
    assert all("team_batch_cap" in codes(m.binding) for m in result.moves)
    report = check_plan([(f"c{i}", f"t{i}") for i in range(3)], team, seats + targets, RULES, as_of=AS_OF)
    assert codes(report.violations) == {"team_batch_cap"} and "1/3" in report.violations[0].article


def test_minimum_tenure_and_age_limit():
    posts = home("h1", "h2", "h3", "h4") + [pos(f"t{i}") for i in range(4)]
    people = [cadre("new", "h1", years=2.9), cadre("settled", "h2", years=3.1), cadre("old", "h3", age=56),
              cadre("at55", "h4", age=55)]  # fmt: skip
    result = plan(people, posts)
    assert set(moves(result)) == {"settled", "at55"}
    assert result.blocked_cadres == {"min_tenure_before_move": 1, "age_limit": 1}
    assert why("new", "t0", people, posts)[0].code == "min_tenure_before_move"
    assert why("old", "t0", people, posts)[0].code == "age_limit"
    report = check_plan([("new", "t0"), ("old", "t1")], people, posts, RULES, as_of=AS_OF)
    assert codes(report.violations) == {"min_tenure_before_move", "age_limit"}


def _balance_round():
    posts = home("k1", "k2", kind="county", region="510129") + home("m1") + [
        pos("M1", pref=("industry",)), pos("M2", pref=("industry",)),
        county("K1", "510131", req=("agriculture",)),
    ]  # fmt: skip
    people = [cadre("k1", "k1", fields=("industry",)), cadre("k2", "k2", fields=("industry",)),
              cadre("m1", "m1", fields=("agriculture",))]  # fmt: skip
    return people, posts


def _local(code, **params):
    return {"code": code, "article": "本地设置", "params": params, "effective_from": "2024-01-01"}


def test_balance_rules():
    people, posts = _balance_round()
    assert len(plan(people, posts).moves) == 3  # two county→city, one city→county: within the default
    share = RULES.with_rules(_local("balance_county_inflow", min_share_pct=50))
    result = plan(people, posts, share)
    assert len(result.moves) == 2 and moves(result)["m1"] == "K1"
    broken = check_plan([("k1", "M1"), ("k2", "M2"), ("m1", "K1")], people, posts, share, as_of=AS_OF)
    assert codes(broken.violations) == {"balance_county_inflow"}
    even = RULES.with_rules(_local("balance_directions", max_difference=0, max_difference_pct=0))
    assert len(plan(people, posts, even).moves) == 2


def test_party_and_government_chiefs_of_one_place_do_not_move_together():
    chiefs_posts = [county(p, level="处级正职", chief=True, function=f, open=False)
                    for p, f in (("sj", "party_committee"), ("zz", "government"))]  # fmt: skip
    posts = chiefs_posts + [pos("t1", level="处级正职"), pos("t2", level="处级正职")]
    chiefs = [cadre(c, c, level="处级正职", years=11) for c in ("sj", "zz")]
    result = plan(chiefs, posts)
    assert len(result.moves) == 1
    stayed = next(m for m in result.must_move if not m.moved)
    assert "chiefs_not_together" in codes(stayed.why_not)


def test_optimum_equals_brute_force():
    # a must move; a and b share a 3-seat team (one move); b and c are spouses and t1, t2 one unit;
    # t3 is a county Party chief post in a's home region; h3 only frees up if c moves
    posts = home("h1", "h2", "h5", kind="county", region="510129", team="T") + [
        pos("h3", open=True), pos("h4", open=False), pos("t1", unit="bureau", pref=("industry", "finance")),
        pos("t2", unit="bureau", level="处级正职", pref=("law",)),
        county("t3", "510121", chief=True, function="party_committee", pref=("grassroots",)),
    ]  # fmt: skip
    people = [
        cadre("a", "h1", years=11, fields=("finance",), home="510121"),
        cadre("b", "h2", fields=("industry", "finance"), relatives=[("c", "spouse")]),
        cadre("c", "h3", fields=("law", "grassroots"), at_level=3),
        cadre("d", "h4", fields=("grassroots",), grassroots=9),
    ]
    result = plan(people, posts)
    ctx = Context(AS_OF, RULES.active(AS_OF), index_round(people, posts))
    open_ids = [p.id for p in posts if p.open]
    best = None
    for choice in itertools.product([None, *open_ids], repeat=len(people)):
        trial = [(c.id, p) for c, p in zip(people, choice, strict=True) if p is not None]
        if not check_plan(trial, people, posts, RULES, as_of=AS_OF).ok:
            continue
        fit = 0
        for cid, pid in trial:
            c = ctx.index.cadres[cid]
            fit += sum(fit_components(c, ctx.index.positions[pid], ctx.current(c), AS_OF).values())
        key = (sum(1 for cid, _ in trial if cid == "a"), fit)
        best = key if best is None or key > best else best
    assert result.status == "OPTIMAL" and result.gap == 0
    assert (int(result.move_of("a") is not None), result.objective) == best


def test_checker_flags_hand_broken_plan_with_articles():
    posts = home("ha", "hb") + [county("sec", "510185", chief=True, function="party_committee"),
                                pos("closed", open=False), pos("hb2", open=True)]  # fmt: skip
    people = [cadre("a", "ha", home="510185"), cadre("b", "hb2"), cadre("c", "hb", years=1)]
    broken = [("a", "sec"), ("c", "sec"), ("a", "closed"), ("a", "hb2")]  # b stays in hb2
    report = check_plan(broken, people, posts, RULES, as_of=AS_OF)
    assert {"home_region_avoidance", "position_capacity", "one_move_per_cadre", "position_not_open",
            "position_occupied", "min_tenure_before_move"} <= codes(report.violations)  # fmt: skip
    rule = next(v for v in report.violations if v.code == "home_region_avoidance")
    assert rule.article == "《党政领导干部任职回避暂行规定》(2006) 第五条" and "成长地" in rule.message_zh
    with pytest.raises(PlanningInputError):
        check_plan([("a", "nowhere")], people, posts, RULES, as_of=AS_OF)


def test_explanations_and_recorded_exclusions():
    posts = home("ha") + [county("t", pref=("grassroots",)), pos("x", req=("law",))]
    result = plan([cadre("a", "ha")], posts, record_exclusions=True)
    move = result.move_of("a")
    assert move.kind == "lateral" and move.fit == sum(move.components.values()) > 0
    assert set(move.components) == {"fields", "assessment", "grassroots", "training", "development"}
    assert {"min_tenure_before_move", "age_limit"} <= codes(move.checked)
    assert codes(result.exclusions[("a", "x")]) == {"required_fields"}


@pytest.mark.parametrize(
    ("people", "posts", "code"),
    [
        ([cadre("a", "h", relatives=[("b", "neighbour")])], home("h"), "unknown_kinship"),
        ([cadre("a", "h")], [pos("h", level="股级")], "unknown_level"),
        ([cadre("a", "h", level="副部级")], home("h"), "unknown_level"),
        ([cadre("a", "h", grades=("良好",))], home("h"), "unknown_assessment"),
        ([cadre("a", "h")], [pos("h", function="organization")], "unknown_function"),
        ([cadre("a", "missing")], home("h"), "unknown_position"),
        ([cadre("a", "h"), cadre("b", "h")], home("h"), "shared_post"),
        ([cadre("a", "h", home="5101")], home("h"), "region_code"),
        ([cadre("a", "h")], [pos("h", up="x", open=False), pos("x", up="h")], "reporting_cycle"),
    ],
)
def test_bad_input_raises_bilingual_value_error(people, posts, code):
    with pytest.raises(ValueError) as caught:
        plan_exchange(people, posts, RULES, as_of=AS_OF)
    err = caught.value
    assert isinstance(err, PlanningInputError) and err.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message_zh)
    assert any(ch.isascii() and ch.isalpha() for ch in err.message_en)
    assert str(err) == f"{err.message_zh} / {err.message_en}"


@pytest.mark.parametrize(
    ("code", "params", "extra", "expected"),
    [
        ("no_such_rule", {}, {}, "unknown_rule"),
        ("age_limit", {"max_age": "55"}, {}, "rule_params"),
        ("age_limit", {}, {}, "rule_params"),
        ("age_limit", {"max_age": 55}, {"article": ""}, "rule_article"),
        ("kinship_avoidance", {"classes": ["friend"], "scopes": []}, {}, "rule_params"),
        ("age_limit", {"max_age": 55}, {"effective_from": "soon"}, "rule_date"),
    ],
)
def test_bad_rule_data_is_refused(code, params, extra, expected):
    with pytest.raises(PlanningInputError) as caught:
        RuleSet.from_dicts([_local(code, **params) | extra])
    assert caught.value.code == expected


def test_rules_follow_their_effective_dates():
    assert all(r.article and r.effective_from for r in RULES.rules)
    active = RULES.active(dt.date(2023, 6, 1))
    assert "tenure_10y_exchange" in active and "age_limit" not in active  # local settings start in 2024
    later = RULES.with_rules(_local("age_limit", max_age=50) | {"effective_from": "2026-01-01"})
    assert (
        "age_limit" not in later.active(AS_OF)
        and later.active(dt.date(2026, 2, 1))["age_limit"].params["max_age"] == 50
    )
    twice = RuleSet(RULES.rules + RuleSet.from_dicts([_local("age_limit", max_age=50)]).rules)
    with pytest.raises(PlanningInputError):
        twice.active(AS_OF)


def test_lp_relaxation_bounds_a_model_with_negated_literals():
    m = cp_model.CpModel()
    x, y, z = (m.new_bool_var(n) for n in "xyz")
    m.add(x + y <= 1)
    m.add(z <= 1 - x)  # written with a negated literal
    m.maximize(3 * x + 4 * y + 2 * z)
    assert relax(m).bound == pytest.approx(6.0)


def test_synthetic_round_is_reproducible_and_plans_cleanly():
    first, again = generate_round(150, 40, seed=7), generate_round(150, 40, seed=7)
    assert first == again and first.open_positions == 40 and len(first.cadres) == 150
    result = plan(first.cadres, first.positions, max_pairs=300, keep_per_side=5, bound_unpruned=True)
    assert result.model_pairs < result.eligible_pairs
    assert result.unpruned_bound is not None and result.unpruned_bound >= result.objective - 1e-6
    assert result.best_bound >= result.objective and result.moves
    assert all(m.moved or m.why_not for m in result.must_move)
