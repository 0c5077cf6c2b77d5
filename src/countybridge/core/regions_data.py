"""Chengdu's divisions as sourced in shared/facts/chengdu.md: codes, names, 2020 census, seats, code history,
functional zones and the pairings found. Township rows come from the NBS 2023 list shipped by the npm
package `china-division` (installed from the lock file), read by `services.regions_load`."""

import datetime as dt

CITY = ("510100", "成都市", "Chengdu", 20_937_757)

# code, name_zh, name_en, kind, 2020 census, is_county_city, (lon, lat GCJ-02), terrain, name in the outlines
DIVISIONS = [
    ("510104", "锦江区", "Jinjiang District", "区", 902_933, False, None, "", "锦江区"),
    ("510105", "青羊区", "Qingyang District", "区", 955_954, False, None, "", "青羊区"),
    ("510106", "金牛区", "Jinniu District", "区", 1_265_398, False, None, "", "金牛区"),
    ("510107", "武侯区", "Wuhou District", "区", 1_855_186, False, None, "", "武侯区"),
    ("510108", "成华区", "Chenghua District", "区", 1_381_894, False, None, "", "成华区"),
    ("510112", "龙泉驿区", "Longquanyi District", "区", 1_346_210, False, None, "", "龙泉驿区"),
    ("510113", "青白江区", "Qingbaijiang District", "区", 490_091, False, None, "", "青白江区"),
    ("510114", "新都区", "Xindu District", "区", 1_558_466, False, None, "", "新都区"),
    ("510115", "温江区", "Wenjiang District", "区", 967_868, False, None, "", "温江区"),
    ("510116", "双流区", "Shuangliu District", "区", 2_659_829, False, None, "", "双流区"),
    ("510117", "郫都区", "Pidu District", "区", 1_672_025, False, None, "", "郫都区"),
    ("510118", "新津区", "Xinjin District", "区", 363_591, False, None, "", "新津县"),
    ("510121", "金堂县", "Jintang County", "县", 800_371, True, (104.4121, 30.8620), "hilly", "金堂县"),
    ("510129", "大邑县", "Dayi County", "县", 515_962, True, (103.5207, 30.5876), "mountain", "大邑县"),
    (
        "510131",
        "蒲江县",
        "Pujiang County",
        "县",
        255_563,
        True,
        (103.5063, 30.1968),
        "shallow hills",
        "蒲江县",
    ),
    (
        "510181",
        "都江堰市",
        "Dujiangyan City",
        "县级市",
        710_056,
        True,
        (103.6466, 30.9884),
        "mountain+plain",
        "都江堰市",
    ),
    (
        "510182",
        "彭州市",
        "Pengzhou City",
        "县级市",
        780_399,
        True,
        (103.9581, 30.9902),
        "mountain+plain",
        "彭州市",
    ),
    (
        "510183",
        "邛崃市",
        "Qionglai City",
        "县级市",
        602_973,
        True,
        (103.4644, 30.4103),
        "mountain+plain",
        "邛崃市",
    ),
    (
        "510184",
        "崇州市",
        "Chongzhou City",
        "县级市",
        735_723,
        True,
        (103.6729, 30.6302),
        "mountain+plain",
        "崇州市",
    ),
    ("510185", "简阳市", "Jianyang City", "县级市", 1_117_265, True, (104.5472, 30.4115), "hilly", "简阳市"),
]
COUNTY_CITY_CODES = [row[0] for row in DIVISIONS if row[5]]

# Former codes: code, name_zh, name_en, valid_from, valid_to (exclusive), successor code.
# Dates are the first list that shows the change; where only the year is known, 1 January of that year.
HISTORY = [
    ("510102", "东城区", "Dongcheng District (former)", None, dt.date(1990, 1, 1), "510104"),
    ("510103", "西城区", "Xicheng District (former)", None, dt.date(1990, 1, 1), "510105"),
    ("510111", "金牛区", "Jinniu District (former code)", None, dt.date(1990, 1, 1), "510106"),
    ("510127", "灌县", "Guan County", None, dt.date(1988, 1, 1), "510181"),
    ("510126", "彭县", "Peng County", None, dt.date(1993, 1, 1), "510182"),
    ("510128", "崇庆县", "Chongqing County", None, dt.date(1994, 1, 1), "510184"),
    ("510130", "邛崃县", "Qionglai County", None, dt.date(1994, 1, 1), "510183"),
    ("510125", "新都县", "Xindu County", None, dt.date(2001, 1, 1), "510114"),
    ("510123", "温江县", "Wenjiang County", None, dt.date(2002, 1, 1), "510115"),
    ("510122", "双流县", "Shuangliu County", None, dt.date(2015, 12, 3), "510116"),
    ("510124", "郫县", "Pi County", None, dt.date(2016, 12, 5), "510117"),
    ("510132", "新津县", "Xinjin County", None, dt.date(2020, 6, 18), "510118"),
    # 简阳: 511027/512424 → 511082 → 513902 → 512081 (资阳, 2000–2016) → 510180 (briefly, 2016-05) → 510185
    ("512081", "简阳市", "Jianyang City (Ziyang code)", dt.date(2000, 1, 1), dt.date(2016, 5, 1), "510185"),
    ("510180", "简阳市", "Jianyang City (2016-05 list)", dt.date(2016, 5, 1), dt.date(2016, 9, 1), "510185"),
    ("513902", "简阳市", "Jianyang City (Neijiang code)", None, dt.date(2000, 1, 1), "512081"),
    ("511082", "简阳市", "Jianyang City (earlier code)", None, None, "513902"),
    ("511027", "简阳县", "Jianyang County", None, None, "511082"),
    ("512424", "简阳县", "Jianyang County (Ziyang prefecture)", None, None, "511082"),
]
# When the current codes took effect, where the facts give it.
VALID_FROM = {
    "510118": dt.date(2020, 6, 18),
    "510116": dt.date(2015, 12, 3),
    "510117": dt.date(2016, 12, 5),
    "510185": dt.date(2016, 9, 1),
}

# Townships managed by 东部新区 (all inside 简阳市).
EASTERN_NEW_AREA_TOWNSHIPS = [
    "三岔",
    "石盘",
    "养马",
    "贾家",
    "丹景",
    "福田",
    "玉成",
    "草池",
    "石板凳",
    "高明",
    "武庙",
    "壮溪",
    "海螺",
    "董家埂",
    "芦葭",
]
ZONES = [
    (
        "eastern-new-area",
        "成都东部新区",
        "Chengdu Eastern New Area",
        ["510185"],
        "川府函〔2020〕84号; 2020 pop. 37.9万 [3P]",
    ),
    (
        "hi-tech-zone",
        "成都高新区",
        "Chengdu Hi-tech Zone",
        ["510107", "510116", "510117"],
        "高新南区: 武侯区 510107061–064 and 1 street of 双流区; 高新西区: 2 streets of 郫都区",
    ),
    (
        "tianfu-new-area",
        "四川天府新区成都直管区",
        "Tianfu New Area (Chengdu)",
        ["510116"],
        "华阳、籍田、煎茶、太平、万安、新兴、兴隆 … streets of 双流区",
    ),
]

# (district, county city, status, description, source, since)
PAIRINGS = [
    (
        "510105",
        "510184",
        "known",
        "结对联动 青崇合作 (6 areas incl. 公共服务资源扩容下沉)",
        "newspaper excerpt [U date]",
        None,
    ),
    (
        "510105",
        "510131",
        "known",
        "青蒲对流 (education branch, culture, medical cooperation)",
        "青羊文明网 [S13]",
        dt.date(2005, 1, 1),
    ),
    (
        "510107",
        "510183",
        "known",
        "产业协同发展战略合作协议 (羊安产业新城)",
        "新华网 2018-05-25 [S14]",
        dt.date(2018, 5, 25),
    ),
    ("510104", "510121", "known", "圈层融合 产业倍增 行动宣言", "[S15]", None),
    (
        "510106",
        "510182",
        "known",
        "listed among 彭州's regional-cooperation partners",
        "彭州市发改局 [S17]",
        None,
    ),
    # No pairing found for 简阳, 都江堰 or 大邑: demo pairings, labelled illustrative.
    ("510108", "510185", "illustrative", "demo pairing", "", None),
    ("510115", "510181", "illustrative", "demo pairing", "", None),
    ("510107", "510129", "illustrative", "demo pairing", "", None),
]
