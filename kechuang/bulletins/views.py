"""Pages of work bulletins: list, generate, preview, edit the text, publish, copy, download."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views import View

from kechuang.core.exceptions import ApplicationError
from kechuang.core.scoping import STAFF_ROLES
from kechuang.core.views import (
    Column,
    RoleRequiredMixin,
    ScopedDetailView,
    ScopedListView,
    ServiceFormView,
)
from kechuang.regions.selectors import division_full_name

from . import selectors, services
from .catalog import TEMPLATES
from .filtersets import BulletinFilterSet
from .formatting import format_value, period_label
from .forms import BulletinGenerateForm, BulletinTextForm
from .models import BulletinStatus
from .rendering import FORMATS, document_for, filename_for, render
from .rendering.html import render_fragment

EVENT_LABELS = {
    "bulletin.generated": "生成",
    "bulletin.updated": "修改文字",
    "bulletin.published": "发布",
    "bulletin.copied": "复制",
}


def detail_url(bulletin) -> str:
    return reverse("bulletins:bulletin-detail", args=[bulletin.pk])


def status_badge(bulletin) -> str:
    color = "green" if bulletin.status == BulletinStatus.PUBLISHED else "yellow"
    return format_html(
        '<span class="badge bg-{}-lt">{}</span>', color, bulletin.get_status_display()
    )


def site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


class BulletinObjectMixin:
    """Loads the bulletin from the user's scope (404 when out of scope)."""

    def access_granted(self) -> None:
        self.object = (
            selectors.bulletin_queryset(self.request.user).filter(pk=self.kwargs["pk"]).first()
        )
        if self.object is None:
            raise Http404("简报不存在")


class BulletinListView(ScopedListView):
    read_roles = STAFF_ROLES
    selector = selectors.bulletin_list
    filterset_class = BulletinFilterSet
    filter_fields = ("division", "zone", "period", "status", "template")
    search_fields = ("title",)
    search_placeholder = "标题"
    title = "工作简报"
    detail_url_name = "bulletins:bulletin-detail"
    create_url_name = "bulletins:bulletin-generate"
    create_label = "生成简报"
    paginate_by = 20
    columns = (
        Column("标题", "title", link=True),
        Column("期号", lambda b: b.issue_label if b.issue_number else "—"),
        Column("行政区划", "division_code", kind="division"),
        Column("园区", "zone.name"),
        Column("期间", lambda b: period_label(b.period)),
        Column("状态", status_badge),
        Column("创建人", "created_by"),
        Column("创建时间", "created_at", kind="date"),
        Column("发布时间", "published_at", kind="date"),
    )


class BulletinGenerateView(ServiceFormView):
    form_class = BulletinGenerateForm
    template_name = "bulletins/bulletin_generate.html"
    title = "生成工作简报"
    submit_label = "生成草稿"
    success_message = "已生成草稿：{obj}"
    detail_url_name = "bulletins:bulletin-detail"

    def cancel_url(self):
        return reverse("bulletins:bulletin-list")

    def perform(self, form):
        return services.bulletin_generate(actor=self.request.user, **form.service_data())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["templates"] = TEMPLATES.values()
        return context


class BulletinDetailView(ScopedDetailView):
    """The preview: the bulletin as HTML, every number linking to the records behind it."""

    read_roles = STAFF_ROLES
    selector = selectors.bulletin_queryset
    template_name = "bulletins/bulletin_detail.html"
    show_history = False
    event_labels = EVENT_LABELS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bulletin = self.object
        document = document_for(bulletin)
        context.update(
            document=document,
            document_html=mark_safe(render_fragment(document)),
            formats=FORMATS.values(),
            template_name=getattr(TEMPLATES.get(bulletin.template), "name", bulletin.template),
            period_text=period_label(bulletin.period),
            division_full_name=division_full_name(bulletin.division_code),
        )
        return context


class BulletinEditView(BulletinObjectMixin, ServiceFormView):
    """A textarea per paragraph; placeholders keep the numbers bound to the snapshot."""

    form_class = BulletinTextForm
    template_name = "bulletins/bulletin_edit.html"
    submit_label = "保存"
    success_message = "已保存：{obj}"
    detail_url_name = "bulletins:bulletin-detail"

    @property
    def title(self):
        return f"编辑简报：{self.object}"

    def get(self, request, *args, **kwargs):
        if not self.object.is_draft:
            return self.read_only()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.object.is_draft:
            return self.read_only()
        return super().post(request, *args, **kwargs)

    def read_only(self):
        messages.warning(self.request, "已发布的简报不能修改；如需修改，请复制为新草稿。")
        return HttpResponseRedirect(detail_url(self.object))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["bulletin"] = self.object
        return kwargs

    def cancel_url(self):
        return detail_url(self.object)

    def perform(self, form):
        return services.bulletin_update_text(
            actor=self.request.user,
            bulletin=self.object,
            texts=form.texts(),
            title=form.cleaned_data["title"],
            issuer=form.cleaned_data["issuer"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        document = document_for(self.object)
        rendered = {p.key: p for p in document.paragraphs()} | document.omitted
        form = context["form"]
        context["paragraphs"] = [
            {"field": form[name], "key": key, "rendered": rendered.get(key)}
            for key, name in form.paragraphs
        ]
        context["figures"] = [
            {
                "key": key,
                "label": record.get("label", key),
                "unit": record.get("unit", ""),
                "text": format_value(
                    record.get("value"), None, unit=record.get("unit", ""), label=key
                ).text,
            }
            for key, record in sorted(self.object.snapshot.get("figures", {}).items())
        ]
        context["object"] = self.object
        return context


class BulletinActionView(BulletinObjectMixin, RoleRequiredMixin, View):
    """A button on the preview (POST): runs a service, then returns to a bulletin's page."""

    read_roles = STAFF_ROLES
    http_method_names = ["post"]

    def act(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        try:
            target = self.act()
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(detail_url(self.object))
        return HttpResponseRedirect(target)


class BulletinPublishView(BulletinActionView):
    def act(self):
        bulletin = services.bulletin_publish(actor=self.request.user, bulletin=self.object)
        messages.success(self.request, f"已发布：{bulletin}（{bulletin.issue_label}）")
        return detail_url(bulletin)


class BulletinCopyView(BulletinActionView):
    def act(self):
        refresh = self.request.POST.get("refresh") == "1"
        copy = services.bulletin_copy(
            actor=self.request.user, bulletin=self.object, refresh=refresh
        )
        note = "，数据已按当前登记重新计算" if refresh else ""
        messages.success(self.request, f"已复制为新草稿{note}。")
        return detail_url(copy)


class BulletinDeleteView(BulletinActionView):
    def act(self):
        title = str(self.object)
        services.bulletin_delete(actor=self.request.user, bulletin=self.object)
        messages.success(self.request, f"已删除草稿：{title}")
        return reverse("bulletins:bulletin-list")


class BulletinDownloadView(BulletinObjectMixin, RoleRequiredMixin, View):
    read_roles = STAFF_ROLES

    def get(self, request, *args, **kwargs):
        fmt = kwargs["fmt"]
        if fmt not in FORMATS:
            raise Http404("未知的格式")
        content = render(document_for(self.object), fmt, base_url=site_url(request))
        response = HttpResponse(content, content_type=FORMATS[fmt].content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=filename_for(self.object, fmt)
        )
        return response
