"""The bundle of fact frames: loading, the data version, the fingerprint, Django's cache."""

import pytest
from django.core.cache import cache

from kechuang.core.audit import record_event
from kechuang.core.testing.factories import OrganizationFactory
from kechuang.orgs.models import Organization
from kechuang.stats import data

pytestmark = pytest.mark.django_db


def test_frames_hold_the_registry(region):
    bundle = data.current_bundle()
    frames = bundle.facts.frames
    assert len(frames["organizations"]) == 6
    years = frames["enterprise_years"]
    assert len(years) == 5
    row = years.filter(years["year"] == 2022).row(0, named=True)
    assert row["revenue"] == 200_000  # 2,000.00 yuan in fen
    assert row["division_code"] == "340421" and row["ownership"] == "private"
    assert len(bundle.facts.qualifications) == 7
    assert bundle.years() == [2022, 2023]
    assert bundle.names["340400"] == "淮南市"
    assert bundle.zone_hosts[region["zone"].pk] == "340421"


def test_signals_bump_the_version(region):
    before = data.data_version()
    org = OrganizationFactory()
    assert data.data_version() > before
    before = data._state()
    record_event(actor=None, verb="import.done", obj=org)  # what bulk imports leave behind
    after = data._state()
    assert after[0] == before[0] and after[1] > before[1]  # a check, not a reload


def test_an_audit_event_leads_to_a_check_not_a_reload(region, monkeypatch, settings):
    settings.STATS_FINGERPRINT_SECONDS = 60
    monkeypatch.setattr(type(data.connection), "in_atomic_block", False, raising=False)
    bundle = data.current_bundle()
    assert data.current_bundle() is bundle  # trusted: no check within the minute
    checks = []
    real = data.fingerprint
    monkeypatch.setattr(data, "fingerprint", lambda: checks.append(1) or real())
    assert data.current_bundle() is bundle and not checks
    data.request_check()
    assert data.current_bundle() is bundle and len(checks) == 1  # same data: kept
    data.bump_version()
    assert data.current_bundle() is not bundle  # a watched model changed: reloaded


def test_the_fingerprint_changes_with_bulk_writes(region):
    first = data.fingerprint()
    Organization.objects.bulk_create([OrganizationFactory.build()])
    assert data.fingerprint() != first
    second = data.fingerprint()
    Organization.objects.filter(pk=region["orgs"][0].pk).update(name="改名")  # no updated_at
    assert data.fingerprint() == second  # … which is why signals bump the version too


def test_the_bundle_travels_through_djangos_cache(region):
    bundle = data.current_bundle()
    copy = data.Bundle.loads(bundle.dumps(), bundle.version, bundle.fingerprint)
    for name, frame in bundle.facts.frames.items():
        assert copy.facts.frames[name].equals(frame)
    assert copy.facts.qualifications.equals(bundle.facts.qualifications)
    assert copy.benchmarks == bundle.benchmarks
    assert copy.evaluator.values("2023", ["hnte_count"], ["340400"]) == bundle.evaluator.values(
        "2023", ["hnte_count"], ["340400"]
    )


def test_a_shared_cache_is_used_outside_transactions(region, settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": "/tmp/unused",
        }
    }
    assert data._shared_cache()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not data._shared_cache()
    # Inside a transaction (this test), nothing is written to the cache.
    monkeypatch.setattr(data, "_shared_cache", lambda: True)
    data.forget()
    bundle = data.current_bundle()
    assert cache.get(data.BUNDLE_KEY.format(token=f"{bundle.version}:{bundle.fingerprint}")) is None
