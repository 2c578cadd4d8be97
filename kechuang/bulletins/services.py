"""Writes of bulletins: generate a draft from the statistics, edit its text, publish, copy.

A draft is generated from a template and a snapshot of the figures; its paragraphs can be
edited (placeholders keep the numbers bound to the snapshot); publishing gives it an issue
number and makes it read-only. Every write records an audit event.
"""

from __future__ import annotations

import copy
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kechuang.core.audit import record_event
from kechuang.core.exceptions import Conflict, NotInScope, RoleNotAllowed, ValidationFailed
from kechuang.core.scoping import STAFF_ROLES, Roles, division_in_scope, object_in_scope
from kechuang.regions.models import Division, Zone

from .catalog import DEFAULT_TEMPLATE, TEMPLATES, text_problems
from .compose import Composer
from .formatting import FormatError, parse_period
from .models import Bulletin, BulletinStatus
from .sources import Place, Source, StatsSource, snapshot_values, take_snapshot

PUBLISH_ATTEMPTS = 3


def _require_staff(actor) -> None:
    if not (actor.is_superuser or actor.role in STAFF_ROLES):
        raise RoleNotAllowed("只有科技局、园区工作人员可以编写简报")


def _require_in_scope(actor, bulletin: Bulletin) -> None:
    _require_staff(actor)
    if not object_in_scope(bulletin, actor):
        raise NotInScope("简报不存在")


def _locked_draft(actor, bulletin: Bulletin) -> Bulletin:
    """The bulletin's row, locked for the rest of the transaction; it must be a draft."""
    _require_in_scope(actor, bulletin)
    current = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    if current.status != BulletinStatus.DRAFT:
        raise Conflict("已发布的简报不能修改；如需修改，请复制为新草稿", code="published")
    return current


def resolve_place(*, actor, division_code: str = "", zone: Zone | None = None) -> Place:
    """The division or zone a bulletin is about, checked against ``actor``'s scope (``None``:
    the system, e.g. the command line, unlimited)."""
    system = actor is None
    if zone is not None:
        if not system and not object_in_scope(zone, actor):
            raise NotInScope("园区不存在或不在您的管辖范围内", field="zone")
        division_code = zone.division_code
    elif not system and actor.role == Roles.ZONE and not actor.is_superuser:
        raise NotInScope("园区工作人员只能编写本园区的简报", field="zone")
    division = Division.objects.filter(code=division_code).first()
    if division is None:
        raise ValidationFailed(f"未知的行政区划代码 {division_code}", field="division_code")
    if not system and zone is None and not division_in_scope(actor, division.code):
        raise NotInScope(f"行政区划 {division_code} 不在您的管辖范围内", field="division_code")
    return Place(division, zone)


def issuer_for(place: Place) -> str:
    """The body that issues the bulletin: 淮南市科学技术局, 安徽省科学技术厅, a zone's 管委会."""
    if place.zone is not None:
        return f"{place.zone.name}管委会"
    suffix = "科学技术厅" if place.division.level == "province" else "科学技术局"
    return f"{place.division.name}{suffix}"


def child_indicators(body: dict) -> list[str]:
    keys = []
    for section in body.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("kind") == "table":
                keys += [c["indicator"] for c in block.get("columns", [])]
            elif block.get("kind") == "chart":
                keys.append(block["indicator"])
    return list(dict.fromkeys(keys))


def snapshot_for(source: Source, *, place: Place, period: str, body: dict) -> dict:
    return take_snapshot(
        source, place=place, period=period, child_indicators=child_indicators(body)
    )


def bulletin_build(
    *,
    actor,
    period: str,
    division_code: str = "",
    zone: Zone | None = None,
    template: str = DEFAULT_TEMPLATE,
    title: str = "",
    source: Source | None = None,
) -> Bulletin:
    """A bulletin of ``template`` for the division (or zone) and period with a fresh snapshot
    of its figures, not saved (the command line renders it directly). ``actor`` None is the
    system: no scope limit."""
    if template not in TEMPLATES:
        raise ValidationFailed(f"未知的简报模板：{template}", field="template")
    try:
        parse_period(period)
    except FormatError as exc:
        raise ValidationFailed(str(exc), field="period") from None
    place = resolve_place(actor=actor, division_code=division_code, zone=zone)
    spec = TEMPLATES[template]
    body = spec.body()
    snapshot = snapshot_for(source or StatsSource(actor), place=place, period=period, body=body)
    return Bulletin(
        title=(title or Composer(snapshot).plain(spec.title)).strip()[:200],
        issuer=issuer_for(place),
        division_code=place.division.code,
        zone=place.zone,
        period=period,
        template=template,
        series=f"zone-{place.zone.pk}" if place.zone else place.division.code,
        body=body,
        snapshot=snapshot,
        computed_at=datetime.fromisoformat(snapshot["computed_at"]),
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def bulletin_generate(*, actor, period: str, **options) -> Bulletin:
    """A new draft (see :func:`bulletin_build` for the options), saved and audited."""
    _require_staff(actor)
    bulletin = bulletin_build(actor=actor, period=period, **options)
    bulletin.save()
    data = {"division_code": bulletin.division_code, "period": period}
    data["template"] = bulletin.template
    if bulletin.zone is not None:
        data["zone"] = bulletin.zone.name
    record_event(actor=actor, verb="bulletin.generated", obj=bulletin, data=data)
    return bulletin


def paragraph_texts(body: dict) -> dict[str, str]:
    """Paragraph key → its text, in the order of the body."""
    return {
        block["key"]: block.get("text", "")
        for section in body.get("sections", [])
        for block in section.get("blocks", [])
        if block.get("kind") == "paragraph"
    }


@transaction.atomic
def bulletin_update_text(
    *,
    actor,
    bulletin: Bulletin,
    texts: dict[str, str] | None = None,
    title: str | None = None,
    issuer: str | None = None,
) -> Bulletin:
    """Change paragraph texts (by paragraph key), the title or the issuer of a draft.

    A text may use only indicators of the bulletin's snapshot (and the place and period
    names); its numbers therefore stay those of the snapshot, whatever the wording.
    """
    current = _locked_draft(actor, bulletin)
    existing = paragraph_texts(current.body)
    known = set(current.snapshot.get("figures", {}))
    changes: dict[str, str] = {}
    for key, text in (texts or {}).items():
        if key not in existing:
            raise ValidationFailed(f"简报中没有段落 {key}", field=key)
        text = text.replace("\r\n", "\n").strip()
        problems = text_problems(text, known)
        if problems:
            raise ValidationFailed("；".join(problems), field=key)
        if text != existing[key]:
            changes[key] = text
    fields: dict[str, str] = {}
    for name, value in (("title", title), ("issuer", issuer)):
        if value is None:
            continue
        value = value.strip()
        if not value:
            label = Bulletin._meta.get_field(name).verbose_name
            raise ValidationFailed(f"{label}不能为空", field=name)
        if value != getattr(current, name):
            fields[name] = value
    if not changes and not fields:
        return current
    body = copy.deepcopy(current.body)
    for section in body.get("sections", []):
        for block in section.get("blocks", []):
            if block.get("kind") == "paragraph" and block["key"] in changes:
                block["text"] = changes[block["key"]]
    current.body = body
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["created_by", "published_by", "copied_from", "zone"])
    current.save()
    record_event(actor=actor, verb="bulletin.updated", obj=current, data=fields | changes)
    return current


def _freeze(actor, bulletin: Bulletin):
    """The bulletin's values as a statistics snapshot (IndicatorValue rows)."""
    from kechuang.stats.services import snapshot_create
    from kechuang.stats.values import StatValue

    values = [
        StatValue(
            indicator=v.indicator,
            label=v.label,
            unit=v.unit,
            division=v.division,
            division_name=v.division_name,
            zone=v.zone,
            period=v.period,
            period_label=v.period_label,
            value=v.value,
            records_url=v.records_url,
            definition=v.definition,
            note=v.note,
        )
        for v in snapshot_values(bulletin.snapshot)
    ]
    label = f"简报：{bulletin.title}（{bulletin.issue_year} 年第 {bulletin.issue_number} 期）"
    return snapshot_create(actor=actor, values=values, label=label[:200])


@transaction.atomic
def bulletin_publish(*, actor, bulletin: Bulletin) -> Bulletin:
    """Give the draft the next issue number of its series this year and make it read-only."""
    current = _locked_draft(actor, bulletin)
    # One publication of a series at a time: lock the series' zone or division row.
    if current.zone_id is not None:
        Zone.objects.select_for_update().filter(pk=current.zone_id).first()
    else:
        Division.objects.select_for_update().filter(code=current.division_code).first()
    now = timezone.now()
    year = timezone.localdate(now).year
    for attempt in range(PUBLISH_ATTEMPTS):
        taken = Bulletin.objects.filter(
            series=current.series, issue_year=year, status=BulletinStatus.PUBLISHED
        ).aggregate(last=Max("issue_number"))["last"]
        current.status = BulletinStatus.PUBLISHED
        current.issue_year = year
        current.issue_number = (taken or 0) + 1
        current.published_at = now
        current.published_by = actor if getattr(actor, "pk", None) else None
        try:
            with transaction.atomic():
                current.save()
            break
        except IntegrityError:
            # Another bulletin of the series took the number meanwhile: take the next one.
            if attempt == PUBLISH_ATTEMPTS - 1:
                raise Conflict("期号冲突，请重试发布") from None
    current.stats_snapshot = _freeze(actor, current)
    current.save(update_fields=["stats_snapshot"])
    record_event(
        actor=actor,
        verb="bulletin.published",
        obj=current,
        data={"issue": f"{year} 年第 {current.issue_number} 期"},
    )
    return current


@transaction.atomic
def bulletin_copy(
    *, actor, bulletin: Bulletin, refresh: bool = False, source: Source | None = None
) -> Bulletin:
    """A new draft with the bulletin's text; ``refresh`` takes a new snapshot of the figures
    (the same division, zone and period), else the copy keeps the original's values."""
    _require_in_scope(actor, bulletin)
    bulletin = Bulletin.objects.select_related("zone").get(pk=bulletin.pk)  # as stored now
    snapshot = bulletin.snapshot
    if refresh:
        place = resolve_place(actor=actor, division_code=bulletin.division_code, zone=bulletin.zone)
        snapshot = snapshot_for(
            source or StatsSource(actor), place=place, period=bulletin.period, body=bulletin.body
        )
    new = Bulletin(
        title=bulletin.title,
        issuer=bulletin.issuer,
        division_code=bulletin.division_code,
        zone=bulletin.zone,
        period=bulletin.period,
        template=bulletin.template,
        series=bulletin.series,
        body=copy.deepcopy(bulletin.body),
        snapshot=copy.deepcopy(snapshot),
        computed_at=datetime.fromisoformat(snapshot["computed_at"]),
        created_by=actor if getattr(actor, "pk", None) else None,
        copied_from=bulletin,
    )
    new.save()
    record_event(
        actor=actor,
        verb="bulletin.copied",
        obj=new,
        data={"copied_from": bulletin.pk, "refresh": refresh},
    )
    return new


@transaction.atomic
def bulletin_delete(*, actor, bulletin: Bulletin) -> None:
    """Drafts may be discarded; a published bulletin stays."""
    current = _locked_draft(actor, bulletin)
    record_event(actor=actor, verb="bulletin.deleted", obj=current, data={"period": current.period})
    current.delete()
