"""Sizing ratios for synthetic demo institutions, with where each comes from (shared/facts/)."""

# Hospitals: Chengdu had 744 hospitals in 2022 for 20.94 M residents (chengdu.md § 6) ≈ 3.55 per 100,000.
HOSPITALS_PER_100K = 3.55
# Beds: national 7.23 per 1,000 (2023 NHC bulletin, chengdu.md § 6); about 85% of them in hospitals.
BEDS_PER_1000 = 7.23 * 0.85
# Schools per 1,000 residents and pupils per school: Chengdu 2021 bulletin (education.md § 4).
SCHOOLS = {
    # stage: (schools per 1,000 residents, average pupils per school)
    "kindergarten": (2773 / 20_937.757, 649_700 / 2773),
    "primary": (642 / 20_937.757, 1740),
    "junior": (475 / 20_937.757, 980),
    "senior": (170 / 20_937.757, 225_100 / 170),
    "vocational": (87 / 20_937.757, 182_000 / 87),
}
# Village clinics per town (synthetic: no county figure found); one township health centre per town and one
# community health service centre per street (乡镇卫生院 / 社区卫生服务中心 pattern).
VILLAGE_CLINICS_PER_TOWN = 6
EMPLOYERS_PER_100K = 4.0
PARKS_PER_COUNTY = 2
PEOPLE_PER_COUNTY = 150

CLINICAL_DEPARTMENTS = [
    "内科",
    "外科",
    "妇产科",
    "儿科",
    "急诊科",
    "中医科",
    "精神科",
    "康复医学科",
    "检验科",
    "医学影像科",
]
INDUSTRIES = [
    "食品饮料",
    "装备制造",
    "新材料",
    "生物医药",
    "文旅康养",
    "现代农业",
    "电子信息",
    "航空航天",
    "新能源",
]
DEPARTMENTS = [
    ("卫生健康局", "health"),
    ("教育局", "education"),
    ("人力资源和社会保障局", "hr"),
    ("组织部", "organisation"),
    ("疾病预防控制中心", "cdc"),
]
CITY_DEPARTMENTS = [
    ("成都市卫生健康委员会", "health"),
    ("成都市教育局", "education"),
    ("成都市人力资源和社会保障局", "hr"),
    ("中共成都市委组织部", "organisation"),
    ("成都市疾病预防控制中心", "cdc"),
]
