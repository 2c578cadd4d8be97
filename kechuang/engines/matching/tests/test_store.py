import pytest

from kechuang.engines.matching import Document, Index, IndexStore, MatchingError
from kechuang.engines.matching.store import POINTER


def doc(i, title, **attrs):
    return Document(id=i, fields={"title": title}, attrs=attrs)


def ids(hits):
    return [h.id for h in hits]


def test_nothing_published_yet(tmp_path):
    store = IndexStore(tmp_path / "s")
    assert store.current() is None
    assert store.current_version() is None


def test_publish_switches_the_pointer_and_current_reloads(tmp_path):
    store = IndexStore(tmp_path)
    v1 = store.publish(Index.build([doc(1, "碳纤维")]))
    first = store.current()
    assert ids(first.search("碳纤维")) == [1]
    assert store.current() is first  # cached
    v2 = store.rebuild([doc(1, "钛合金"), doc(2, "碳纤维复合材料")])
    assert v2 > v1
    assert (tmp_path / POINTER).read_text().strip() == v2
    second = store.current()
    assert second is not first
    assert ids(second.search("碳纤维")) == [2]


def test_a_reader_holding_the_old_version_keeps_working(tmp_path):
    store = IndexStore(tmp_path, keep=1)
    store.rebuild([doc(i, f"碳纤维 {i}") for i in range(1, 50)])
    old = store.current()
    before = old.search("碳纤维", k=5)
    old_dir = tmp_path / store.current_version()
    store.rebuild([doc(1, "钛合金")])
    store.rebuild([doc(1, "石墨烯")])
    assert not old_dir.exists()  # cleaned up …
    assert old.search("碳纤维", k=5) == before  # … yet the mapped arrays still answer
    assert ids(store.current().search("石墨烯")) == [1]
    assert len(store.versions()) == 1


def test_a_failed_build_leaves_the_current_version_untouched(tmp_path):
    store = IndexStore(tmp_path)
    version = store.rebuild([doc(1, "碳纤维")])

    def broken():
        yield doc(2, "钛合金")
        raise RuntimeError("数据库连接中断")

    with pytest.raises(RuntimeError):
        store.rebuild(broken())
    with pytest.raises(MatchingError):
        store.rebuild([doc(3, "a"), doc(3, "b")])
    assert store.current_version() == version
    assert ids(store.current().search("碳纤维")) == [1]
    assert not list(tmp_path.glob(".build-*"))


def test_a_failed_save_leaves_no_version(tmp_path, monkeypatch):
    store = IndexStore(tmp_path)
    version = store.rebuild([doc(1, "碳纤维")])
    index = Index.build([doc(2, "钛合金")])

    def fail(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(Index, "save", fail)
    with pytest.raises(OSError):
        store.publish(index)
    assert store.current_version() == version
    assert store.versions() == [version]
    assert not list(tmp_path.glob(".build-*"))


def test_apply_publishes_incremental_changes_seen_by_another_store(tmp_path):
    writer = IndexStore(tmp_path)
    reader = IndexStore(tmp_path)
    writer.rebuild([doc(1, "碳纤维", status="published"), doc(2, "锂离子电池", status="published")])
    assert ids(reader.current().search("碳纤维")) == [1]
    writer.apply(
        add=[doc(3, "碳纤维自行车架", status="published")],
        update=[doc(1, "钛合金", status="published")],
        remove=[2],
    )
    index = reader.current()
    assert ids(index.search("碳纤维")) == [3]
    assert ids(index.search("钛合金", filters={"status": "published"})) == [1]
    assert index.search("锂离子电池") == []
    # base files are shared between versions (hard links), only the changes are written
    old, new = (tmp_path / v for v in writer.versions()[-2:])
    for name in ("data.csc.index.npy", "indices.csc.index.npy", "attr.0.npy", "attrs.json"):
        assert (old / name).stat().st_ino == (new / name).stat().st_ino
    assert (old / "dead.npy").stat().st_ino != (new / "dead.npy").stat().st_ino


def test_apply_on_an_empty_store(tmp_path):
    store = IndexStore(tmp_path)
    store.apply(add=[doc(1, "碳纤维")])
    assert ids(store.current().search("碳纤维")) == [1]


def test_rebuild_reports_progress(tmp_path):
    calls = []
    IndexStore(tmp_path).rebuild(
        [doc(i, "碳纤维") for i in range(10)], progress=lambda d, t: calls.append((d, t))
    )
    assert calls and calls[-1] == (20, 20)


def test_an_index_knows_when_its_tokenizer_changed(tmp_path):
    from kechuang.engines.matching import Tokenizer

    Index.build([doc(1, "碳纤维")]).save(tmp_path / "i")
    assert not Index.load(tmp_path / "i").tokenizer_changed
    assert Index.load(tmp_path / "i", tokenizer=Tokenizer(mode="default")).tokenizer_changed
