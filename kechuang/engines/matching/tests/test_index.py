import numpy as np
import pytest

from kechuang.engines.matching import Document, Hit, Index, MatchingError, highlight


def doc(i, title, body="", keywords="", **attrs):
    return Document(id=i, fields={"title": title, "body": body, "keywords": keywords}, attrs=attrs)


@pytest.fixture(scope="module")
def small():
    return Index.build(
        [
            doc(
                1,
                "碳纤维复合材料模压成型",
                "汽车轻量化结构件批量生产",
                "碳纤维；复合材料",
                field="新材料",
                region="340421",
                status="published",
            ),
            doc(
                2,
                "锂离子电池正极材料",
                "高镍三元正极包覆改性提高循环寿命",
                "正极材料",
                field="新能源",
                region="340102",
                status="published",
            ),
            doc(
                3,
                "液压支架电液控制系统",
                "综采工作面跟机自动移架",
                "液压支架",
                field="先进制造",
                region="340421",
                status="draft",
            ),
            doc(
                4,
                "碳纤维电热膜",
                "家居地暖发热体",
                "碳纤维；电热膜",
                field="新材料",
                region="340104",
                status="published",
            ),
        ]
    )


def ids(hits):
    return [h.id for h in hits]


def test_ranking_puts_the_answer_first(small):
    hits = small.search("汽车碳纤维复合材料轻量化成型")
    assert hits[0].id == 1
    assert 4 in ids(hits)  # shares 碳纤维 only
    assert hits[0].score > hits[-1].score
    assert small.search("正极材料循环寿命")[0].id == 2


def test_only_documents_sharing_a_term_are_returned(small):
    assert ids(small.search("液压支架")) == [3]


def test_matched_terms_are_the_shared_query_tokens_in_query_order(small):
    hit = small.search("复合材料 汽车 电池 碳纤维")[0]
    assert hit.id == 1
    assert hit.matched_terms == ["复合材料", "汽车", "碳纤维"]


def test_title_weighs_more_than_body():
    index = Index.build([doc(1, "热泵", "余热回收"), doc(2, "余热回收", "热泵")])
    assert index.search("热泵")[0].id == 1
    flat = Index.build(
        [doc(1, "热泵", "余热回收"), doc(2, "余热回收", "热泵")], field_weights={"title": 1}
    )
    assert flat.search("热泵")[0].score == pytest.approx(flat.search("热泵")[1].score)


def test_filters_by_set_string_and_region_prefix(small):
    assert ids(small.search("碳纤维", filters={"field": {"新材料"}})) == [1, 4] or set(
        ids(small.search("碳纤维", filters={"field": {"新材料"}}))
    ) == {1, 4}
    assert ids(small.search("碳纤维", filters={"region": "3404"})) == [1]
    assert set(ids(small.search("碳纤维", filters={"region": {"340421", "340104"}}))) == {1, 4}
    assert ids(small.search("液压支架", filters={"status": {"published"}})) == []
    assert ids(small.search("液压支架", filters={"status": "draft"})) == [3]
    assert ids(small.search("碳纤维", filters={"field": set()})) == []
    assert ids(small.search("碳纤维", filters={"colour": "red"})) == []
    assert set(ids(small.search("碳纤维", filters={"field": None}))) == {1, 4}


def test_a_filter_keeps_top_k_even_deep_in_the_ranking():
    docs = [
        doc(i, f"碳纤维复合材料 碳纤维 第{i}号", "碳纤维", field="新材料") for i in range(1, 1000)
    ]
    docs.append(doc(5000, "钛合金", "碳纤维", field="航空航天"))
    index = Index.build(docs)
    unfiltered = index.search("碳纤维", k=1000)
    assert ids(unfiltered).index(5000) >= 500
    hits = index.search("碳纤维", k=10, filters={"field": {"航空航天"}})
    assert ids(hits) == [5000]
    hits = index.search("碳纤维", k=10, filters={"field": {"新材料"}})
    assert len(hits) == 10 and 5000 not in ids(hits)


def test_multi_valued_attributes():
    index = Index.build(
        [
            doc(1, "专家甲", "电池", field=["新能源", "新材料"]),
            doc(2, "专家乙", "电池", field="先进制造"),
        ]
    )
    assert ids(index.search("电池", filters={"field": "新材料"})) == [1]
    assert ids(index.search("电池", filters={"field": {"先进制造", "新能源"}})) in ([1, 2], [2, 1])


def test_empty_index_empty_query_and_stop_words_give_empty_results(small):
    empty = Index.build([])
    assert empty.search("碳纤维") == []
    assert len(empty) == 0
    assert small.search("") == []
    assert small.search(None) == []
    assert small.search("的了和与我们希望，。") == []
    assert small.search("碳纤维", k=0) == []
    blank = Index.build([doc(1, "", "的了")])
    assert blank.search("碳纤维") == []


def test_bad_input_is_reported():
    with pytest.raises(MatchingError, match="重复"):
        Index.build([doc(1, "a"), doc(1, "b")])
    with pytest.raises(MatchingError, match="第 2 个"):
        Index.build([doc(1, "a"), {"id": 2}])
    with pytest.raises(MatchingError, match="不是整数"):
        Index.build([Document(id="7", fields={"title": "x"})])
    with pytest.raises(MatchingError, match="k 必须"):
        Index.build([doc(1, "碳纤维")]).search("碳纤维", k=-1)
    with pytest.raises(MatchingError, match="权重"):
        Index(field_weights={"title": 1.5})


def test_incremental_add_update_remove_are_visible():
    index = Index.build([doc(1, "碳纤维复合材料"), doc(2, "锂离子电池正极"), doc(3, "液压支架")])
    index.add([doc(10, "碳纤维自行车架", field="新材料")])
    assert 10 in ids(index.search("碳纤维"))
    assert ids(index.search("碳纤维", filters={"field": "新材料"})) == [10]
    with pytest.raises(MatchingError, match="已在索引中"):
        index.add([doc(1, "重复")])
    index.update([doc(1, "钛合金紧固件")])
    assert 1 not in ids(index.search("碳纤维"))
    assert ids(index.search("钛合金")) == [1]
    index.update([doc(10, "石墨烯涂料")])
    assert ids(index.search("碳纤维")) == []
    assert ids(index.search("石墨烯")) == [10]
    assert index.remove([2, 10, 999]) == 2
    assert index.search("锂离子电池") == [] and index.search("石墨烯") == []
    assert len(index) == 2
    assert index.search("钛合金")[0].matched_terms == ["钛合金"]


def test_delta_scores_are_comparable_with_base_scores():
    docs = [doc(i, f"文档{i}", "碳纤维 复合材料" if i % 2 else "钛合金") for i in range(1, 41)]
    built = Index.build(docs)
    grown = Index.build(docs[:-1])
    grown.add([docs[-1]])
    a = {h.id: h.score for h in built.search("钛合金", k=50)}
    b = {h.id: h.score for h in grown.search("钛合金", k=50)}
    assert set(a) == set(b)
    assert b[40] == pytest.approx(a[40], rel=0.05)


def test_persistence_round_trip_with_mmap(tmp_path, small):
    small.save(tmp_path / "idx")
    for mmap in (True, False):
        loaded = Index.load(tmp_path / "idx", mmap=mmap)
        for query, filters in (
            ("碳纤维复合材料", None),
            ("碳纤维", {"region": "3404"}),
            ("电池", {"field": {"新能源"}}),
        ):
            assert loaded.search(query, filters=filters) == small.search(query, filters=filters)
    loaded = Index.load(tmp_path / "idx", mmap=True)
    assert isinstance(loaded._data, np.memmap)


def test_saved_delta_and_tombstones_survive_a_round_trip(tmp_path):
    index = Index.build([doc(1, "碳纤维"), doc(2, "钛合金")])
    index.add([doc(3, "碳纤维复合材料")])
    index.remove([2])
    index.save(tmp_path / "a")
    loaded = Index.load(tmp_path / "a")
    assert loaded.search("碳纤维") == index.search("碳纤维")
    assert loaded.search("钛合金") == []
    # saving the loaded index elsewhere links its base and keeps the changes
    loaded.remove([1])
    loaded.save(tmp_path / "b")
    again = Index.load(tmp_path / "b")
    assert ids(again.search("碳纤维")) == [3]
    assert ids(Index.load(tmp_path / "a").search("碳纤维")) == ids(index.search("碳纤维"))


def test_load_rejects_an_incomplete_directory(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(MatchingError, match="meta.json"):
        Index.load(tmp_path / "x")


def test_progress_is_reported_and_ends_at_total():
    calls = []
    Index.build(
        [doc(i, f"碳纤维 {i}") for i in range(12_000)], progress=lambda d, t: calls.append((d, t))
    )
    assert calls[-1][0] == calls[-1][1]
    assert len(calls) > 3
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))


def test_highlight_marks_terms_and_escapes_html():
    text = "高强度碳纤维<script>复合材料 ＰＬＣ"
    out = highlight(text, ["碳纤维", "复合材料", "plc", "碳纤维复合材料"])
    assert out == "高强度<mark>碳纤维</mark>&lt;script&gt;<mark>复合材料</mark> <mark>ＰＬＣ</mark>"
    assert highlight("a<b", []) == "a&lt;b"
    assert highlight("", ["x"]) == ""
    assert (
        highlight("碳纤维复合材料", ["碳纤维", "碳纤维复合材料"]) == "<mark>碳纤维复合材料</mark>"
    )


def test_hit_keeps_its_bm25_score():
    hit = Hit(id=1, score=2.5, matched_terms=["a"])
    assert hit.bm25_score == 2.5


def test_maxscore_pruning_returns_the_exhaustivetop_k():
    rng = np.random.default_rng(7)
    common = ["技术", "系统", "生产", "设备", "材料", "控制"]
    rare = [
        "碳纤维",
        "钛合金",
        "石墨烯",
        "液压支架",
        "锂离子电池",
        "热泵",
        "瓦斯",
        "秸秆",
        "疫苗",
        "光伏",
    ]
    docs = []
    for i in range(30_000):
        words = list(rng.choice(common, 12)) + list(rng.choice(rare, int(rng.integers(0, 3))))
        docs.append(Document(id=i, fields={"body": " ".join(words)}, attrs={"field": f"f{i % 7}"}))
    index = Index.build(docs)
    for _ in range(30):
        query = list(rng.choice(common, 4)) + list(rng.choice(rare, 2))
        for filters in (None, {"field": {"f3"}}):
            fast = index.search_tokens(query, k=10, filters=filters)
            slow = index.search_tokens(query, k=10, filters=filters, exhaustive=True)
            assert [round(h.score, 4) for h in fast] == [round(h.score, 4) for h in slow]
            assert {h.id for h in fast if h.score > fast[-1].score} == {
                h.id for h in slow if h.score > slow[-1].score
            }


@pytest.mark.parametrize("method", ["lucene", "robertson", "atire"])
def test_vectorised_build_equals_bm25s_own_build(method):
    rng = np.random.default_rng(3)
    vocab = [
        "碳纤维",
        "钛合金",
        "石墨烯",
        "液压支架",
        "热泵",
        "瓦斯",
        "秸秆",
        "疫苗",
        "光伏",
        "系统",
        "技术",
    ]
    docs = [
        Document(
            id=i,
            fields={
                "title": " ".join(rng.choice(vocab, 3)),
                "body": " ".join(rng.choice(vocab, int(rng.integers(0, 15)))),
            },
        )
        for i in range(500)
    ]
    fast = Index.build(docs, method=method)
    slow = Index.build(docs, method=method, vectorised_build=False)
    assert fast._vocab == slow._vocab
    np.testing.assert_array_equal(fast._indptr, slow._indptr)
    np.testing.assert_array_equal(fast._indices, slow._indices)
    np.testing.assert_allclose(fast._data, slow._data, rtol=1e-5)


def test_top_k_selection_is_exact():
    from kechuang.engines.matching.bm25 import top_k

    rng = np.random.default_rng(11)
    for n in (5, 100, 5_000, 200_000):
        for values in (rng.random(n).astype(np.float32), rng.integers(0, 3, n).astype(np.float32)):
            k = 10
            got = np.sort(values[top_k(values, k)])
            want = np.sort(values)[-k:] if n > k else np.sort(values)
            np.testing.assert_array_equal(got, want)


def test_a_document_without_the_attribute_never_passes_its_filter():
    index = Index.build(
        [doc(1, "碳纤维", field="新材料"), doc(2, "碳纤维"), doc(3, "碳纤维", region="3404")]
    )
    assert ids(index.search("碳纤维", filters={"field": {"新材料"}})) == [1]
    assert ids(index.search("碳纤维", filters={"region": "34"})) == [3]
