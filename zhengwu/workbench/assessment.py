"""考核 in the workbench: schemes (list, upload, detail), runs (run, ranking page, publish, re-run,
the 考核计分表 download, a printable report) and manual entries (enter with evidence, approve or send
back by a second person).

Open to 考核员, 监管员 and 系统管理员 (and a superuser); others get 403. Units, runs and entries are
limited to the viewer's data scope by `zhengwu.assessment.selectors`. Views hold no rule: they parse
the form, call a service or selector and render; a `DomainError` is shown on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.assessment import excel, permissions, selectors, services
from zhengwu.assessment.choices import EntryStatus, EvaluationStatus, UnitKind
from zhengwu.assessment.models import Evaluation, Scheme
from zhengwu.audit.services import record_export
from zhengwu.common import clock, filestore
from zhengwu.common.errors import DomainError, NotFound
from zhengwu.domain import scoring
from zhengwu.workbench.access import may_open, staff_required

CASE_NUMBER = re.compile(r"[0-9A-Z]{6}-\d{8}-\d{6}")
EVIDENCE_FILE = re.compile(r"佐证#(\d+) ")
EVIDENCE_SHOWN = 12  # evidence refs shown before "展开全部"
# The manual entry kind that feeds each rule kind (the inverse of scoring.MANUAL_FEEDS).
ENTRY_KIND_FOR = {rule_kind: entry_kind for entry_kind, rule_kind in scoring.MANUAL_FEEDS.items()}


def assessor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff with an assessment role; anybody else gets 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not permissions.can_view(request.user):
            return render(request, "workbench/assessment/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


def _evaluation_or_404(request: HttpRequest, pk: int) -> Evaluation:
    try:
        return selectors.evaluation_get_for_user(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from error


# -- home: runs and the run form ----------------------------------------------------------------------


def _run_context(request: HttpRequest) -> dict[str, Any]:
    services.schemes_ensure_shipped()
    return {
        "schemes": list(selectors.scheme_list(user=request.user)),
        "unit_kinds": UnitKind.choices,
        "default_period": str(clock.today().year),
    }


@never_cache
@require_GET
@assessor_required
def home(request: HttpRequest) -> HttpResponse:
    context = _run_context(request)
    context["evaluations"] = selectors.evaluation_list(user=request.user)
    return render(request, "workbench/assessment/home.html", context)


@require_POST
@assessor_required
def run(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("scheme") or "").strip()
    version = (request.POST.get("version") or "").strip() or None
    period = (request.POST.get("period") or "").strip()
    unit_kind = (request.POST.get("units") or UnitKind.REGION).strip()
    services.schemes_ensure_shipped()
    try:
        scheme = selectors.scheme_get(user=request.user, code=code, version=version)
        evaluation = services.evaluation_run(
            scheme=scheme, period=period, unit_kind=unit_kind, actor=request.user
        )
    except DomainError as error:
        context = _run_context(request)
        context.update(
            evaluations=selectors.evaluation_list(user=request.user),
            error=error,
            form={"scheme": code, "period": period, "units": unit_kind},
        )
        return render(request, "workbench/assessment/home.html", context, status=error.status_code)
    messages.success(request, "已完成计算（草稿）。核对无误后可发布。")
    return redirect("workbench:assessment_evaluation", evaluation.pk)


# -- schemes --------------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@assessor_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    services.schemes_ensure_shipped()
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = request.POST.get("text") or ""
        try:
            if upload is not None:
                if upload.size > services.MAX_SCHEME_BYTES:
                    raise DomainError(
                        "invalid_scheme", "考核方案文件过大（上限 512 KB）。", {"scheme": ["文件过大"]}
                    )
                try:
                    text = upload.read().decode("utf-8")
                except UnicodeDecodeError:
                    raise DomainError(
                        "invalid_scheme",
                        "考核方案文件须为 UTF-8 编码的 YAML 文本。",
                        {"scheme": ["编码错误"]},
                    ) from None
            if not text.strip():
                raise DomainError(
                    "invalid_scheme", "请选择 YAML 文件或粘贴方案内容。", {"scheme": ["内容为空"]}
                )
            scheme = services.scheme_import(text=text, actor=request.user)
        except DomainError as error_:
            error = error_
        else:
            messages.success(request, f"已保存考核方案“{scheme.name}”版本 {scheme.version}。")
            return redirect(
                reverse("workbench:assessment_scheme_detail", args=[scheme.code])
                + f"?version={scheme.version}"
            )
    schemes = selectors.scheme_list(user=request.user, include_inactive=True)
    text = request.POST.get("text", "")
    if request.method == "GET" and request.GET.get("edit"):
        # 修改方案: start from a version's YAML; saving it makes the next version (never in place).
        try:
            base = selectors.scheme_get(
                user=request.user, code=request.GET["edit"], version=request.GET.get("version") or None
            )
        except NotFound as error_:
            raise Http404(error_.message) from error_
        text = base.source_text
    context = {"schemes": schemes, "error": error, "text": text}
    return render(
        request, "workbench/assessment/schemes.html", context, status=error.status_code if error else 200
    )


def _rule_view(rule: dict[str, Any]) -> dict[str, Any]:
    kind = scoring.RuleKind(rule["kind"])
    params = []
    for key, label in (
        ("per", "每次"),
        ("min", "下限"),
        ("max", "上限"),
        ("cap", "累计封顶"),
        ("target", "目标"),
        ("direction", "方向"),
        ("out_of", "外部细则满分"),
        ("share", "占本项比例"),
    ):
        if rule.get(key) is not None:
            params.append(f"{label} {rule[key]}")
    for band in rule.get("bands", []):
        bound = band.get("at_least", band.get("at_most"))
        params.append(f"{'≥' if 'at_least' in band else '≤'} {bound} 得 {band['share']}")
    if rule.get("linear"):
        params.append(f"每差 {rule['linear']['step']} 扣 {rule['linear']['points']} 分")
    if rule.get("tiers"):
        params.append("等次：" + "、".join(f"{k} {v}" for k, v in rule["tiers"].items()))
    return {
        **rule,
        "kind_label": scoring.RULE_KIND_LABELS[kind],
        "source_label": scoring.FACT_KEYS.get(rule["source"], rule["source"]),
        "params": "；".join(params),
    }


@never_cache
@require_GET
@assessor_required
def scheme_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        scheme = selectors.scheme_get(
            user=request.user, code=code, version=request.GET.get("version") or None
        )
    except NotFound as error:
        raise Http404(error.message) from error
    parsed = scheme.parsed
    types = parsed["unit_types"]
    categories = [
        {
            **category,
            "points_list": [category["points"].get(t, "—") for t in types],
            "items": [
                {
                    **item,
                    "points_list": [item["points"].get(t, "—") for t in types],
                    "rules": [_rule_view(r) for r in item["rules"]],
                }
                for item in category["items"]
            ],
        }
        for category in parsed["categories"]
    ]
    extras = [{**item, "rules": [_rule_view(r) for r in item["rules"]]} for item in parsed["extras"]]
    context = {
        "scheme": scheme,
        "parsed": parsed,
        "types": types,
        "categories": categories,
        "extras": extras,
        "versions": selectors.scheme_versions(code),
        "unit_kinds": UnitKind.choices,
        "default_period": str(clock.today().year),
    }
    return render(request, "workbench/assessment/scheme_detail.html", context)


# -- an evaluation ----------------------------------------------------------------------------------


def _evidence(refs: list[str], *, case_links: bool) -> list[dict[str, str]]:
    """Evidence references with a link where the viewer may follow it: a case number links to the case
    only for a role that may open case screens (not a 考核员, who sees the number as text)."""
    out = []
    for ref in refs:
        url = ""
        if CASE_NUMBER.fullmatch(ref):
            url = reverse("workbench:case_detail", args=[ref]) if case_links else ""
        elif match := EVIDENCE_FILE.match(ref):
            url = reverse("workbench:assessment_evidence", args=[int(match.group(1))])
        out.append({"text": ref, "url": url})
    return out


def _unit_views(
    results: dict[str, Any], rules: dict[str, Any], *, case_links: bool = True
) -> list[dict[str, Any]]:
    labels = {
        (item["code"], rule["code"]): rule.get("label")
        or scoring.RULE_KIND_LABELS[scoring.RuleKind(rule["kind"])]
        for category in [*rules["categories"], {"items": rules["extras"]}]
        for item in category["items"]
        for rule in item["rules"]
    }
    units = []
    for unit in results["units"]:
        items = []
        for item in unit["items"]:
            adjustments = [
                {
                    **a,
                    "label": labels.get((item["item"], a["rule"]), ""),
                    "evidence_shown": _evidence(a["evidence"][:EVIDENCE_SHOWN], case_links=case_links),
                    "evidence_more": _evidence(a["evidence"][EVIDENCE_SHOWN:], case_links=case_links),
                    "negative": Decimal(a["points"]) < 0,
                }
                for a in item["deductions"]
            ]
            items.append({**item, "adjustments": adjustments})
        units.append({**unit, "item_views": items})
    return units


def _chart(results: dict[str, Any]) -> dict[str, Any]:
    ranked = [u for u in results["units"] if u["rank"] is not None]
    return {
        "scale": results["scale"],
        "rows": [
            {"name": u["name"], "total": u["total"], "rank": u["rank"], "recommended": u["recommended"]}
            for u in ranked
        ],
    }


def _evaluation_context(request: HttpRequest, evaluation: Evaluation) -> dict[str, Any]:
    results = evaluation.results
    case_links = may_open(request.user, "workbench:case_detail")
    units = _unit_views(results, evaluation.rules, case_links=case_links)
    item_heads = [
        {"code": i["code"], "name": i["name"]} for c in evaluation.rules["categories"] for i in c["items"]
    ] + [{"code": i["code"], "name": i["name"]} for i in evaluation.rules["extras"]]
    for unit in units:
        by_code = {i["item"]: i for i in unit["items"]}
        unit["row"] = [by_code.get(h["code"]) for h in item_heads]
    return {
        "evaluation": evaluation,
        "results": results,
        "units": units,
        "ranked": [u for u in units if u["rank"] is not None],
        "vetoed": [u for u in units if u["vetoed"]],
        "unrated": [u for u in units if u["unrated"] and not u["vetoed"]],
        "recommended": [u for u in units if u["recommended"]],
        "item_heads": item_heads,
        "chart": _chart(results),
        "changes": [c for c in evaluation.comparison if c.get("changed")],
        "unchanged": sum(1 for c in evaluation.comparison if not c.get("changed")),
        "can_publish": permissions.can_publish(request.user) and evaluation.status == EvaluationStatus.DRAFT,
        "notes": evaluation.data_notes,
    }


@never_cache
@require_GET
@assessor_required
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    return render(request, "workbench/assessment/evaluation.html", _evaluation_context(request, evaluation))


@never_cache
@require_GET
@assessor_required
def evaluation_print(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    return render(request, "workbench/assessment/print.html", _evaluation_context(request, evaluation))


@require_POST
@assessor_required
def evaluation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    try:
        services.evaluation_publish(evaluation=evaluation, actor=request.user, now=clock.now())
    except DomainError as error:
        context = _evaluation_context(request, evaluation)
        context["error"] = error
        return render(request, "workbench/assessment/evaluation.html", context, status=error.status_code)
    messages.success(request, "考核结果已发布，结果与规则集一同冻结。")
    return redirect("workbench:assessment_evaluation", evaluation.pk)


@require_POST
@assessor_required
def evaluation_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    try:
        rerun = services.evaluation_rerun(evaluation=evaluation, actor=request.user)
    except DomainError as error:
        context = _evaluation_context(request, evaluation)
        context["error"] = error
        return render(request, "workbench/assessment/evaluation.html", context, status=error.status_code)
    changed = sum(1 for c in rerun.comparison if c.get("changed"))
    messages.success(request, f"已重新计算（草稿），与上次相比 {changed} 个单位有变化。")
    return redirect("workbench:assessment_evaluation", rerun.pk)


@never_cache
@require_GET
@assessor_required
def evaluation_scoresheet(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation = _evaluation_or_404(request, pk)
    data = {**evaluation.results, "rules": evaluation.rules}
    response = HttpResponse(
        excel.scoresheet(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, excel.filename(data))
    response["X-Content-Type-Options"] = "nosniff"
    record_export(request, "考核评分表", obj=evaluation)
    return response


# -- manual entries ---------------------------------------------------------------------------------


def _manual_rules(scheme: Scheme | None) -> list[dict[str, str]]:
    """The rules of the scheme a person may enter for: value "item|rule", with what to fill in."""
    if scheme is None:
        return []
    parsed = services.scheme_of(scheme)
    options = []
    for _category, item in parsed.items():
        for rule in item.rules:
            if rule.source != scoring.MANUAL:
                continue
            kind = ENTRY_KIND_FOR[rule.kind]
            detail = []
            if rule.per is not None:
                detail.append(f"每次 {rule.per.normalize():f} 分")
            if rule.min is not None and rule.max is not None:
                detail.append(f"分值 {rule.min.normalize():f} 至 {rule.max.normalize():f}")
            if rule.tiers:
                detail.append("等次 " + "、".join(name for name, _ in rule.tiers))
            options.append(
                {
                    "value": f"{item.code}|{rule.code}",
                    "label": f"{item.code}. {item.name} — {rule.label or scoring.RULE_KIND_LABELS[rule.kind]}"
                    f"（{scoring.MANUAL_KIND_LABELS[kind]}{'，' + '，'.join(detail) if detail else ''}）",
                }
            )
    return options


def _entries_context(request: HttpRequest, scheme_code: str, status: str) -> dict[str, Any]:
    services.schemes_ensure_shipped()
    schemes = list(selectors.scheme_list(user=request.user))
    chosen = next((s for s in schemes if s.code == scheme_code), schemes[0] if schemes else None)
    user = request.user
    entries = selectors.manual_entry_list(user=user, status=status)
    return {
        "schemes": schemes,
        "scheme": chosen,
        "rules": _manual_rules(chosen),
        "units": [
            *(
                {"value": f"region:{u.pk}", "label": u.name}
                for u in selectors.assessed_units(user=user, kind=UnitKind.REGION)
            ),
            *(
                {"value": f"department:{u.pk}", "label": u.name}
                for u in selectors.assessed_units(user=user, kind=UnitKind.DEPARTMENT)
            ),
        ],
        "entries": entries,
        "statuses": EntryStatus.choices,
        "status": status,
        "can_enter": permissions.can_enter(user),
        "default_period": str(clock.today().year),
        "form": {},
    }


@never_cache
@require_http_methods(["GET", "POST"])
@assessor_required
def entry_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    status = status if status in EntryStatus.values else ""
    scheme_code = request.POST.get("scheme") or request.GET.get("scheme") or ""
    if request.method == "GET":
        return render(
            request, "workbench/assessment/entries.html", _entries_context(request, scheme_code, status)
        )
    services.schemes_ensure_shipped()
    post = request.POST
    form = {
        key: post.get(key, "")
        for key in ("scheme", "period", "unit", "rule", "count", "points", "tier", "reason")
    }
    try:
        unit_kind, _, unit_id = form["unit"].partition(":")
        item_code, _, rule_code = form["rule"].partition("|")
        scheme = selectors.scheme_get(user=request.user, code=form["scheme"])
        rule = services.scheme_of(scheme).item(item_code)
        found = next((r for r in rule.rules if r.code == rule_code), None) if rule else None
        if not unit_id.isdecimal() or found is None or found.kind not in ENTRY_KIND_FOR:
            raise DomainError(
                "invalid", "请选择参评单位和考核规则。", {"unit": ["请选择"], "rule": ["请选择"]}
            )
        count_text = form["count"].strip() or "1"
        if not count_text.isdecimal():
            raise DomainError("invalid", "次数须为正整数。", {"count": ["次数须为正整数。"]})
        files = [services.Upload(f.name, f.read()) for f in request.FILES.getlist("files")]
        entry = services.manual_entry_create(
            scheme_code=scheme.code,
            period=form["period"],
            unit_kind=unit_kind,
            unit_id=int(unit_id),
            item_code=item_code,
            rule_code=rule_code,
            kind=ENTRY_KIND_FOR[found.kind],
            count=int(count_text),
            points=form["points"] or None,
            tier=form["tier"].strip(),
            reason=form["reason"],
            files=files,
            actor=request.user,
        )
    except DomainError as error:
        context = _entries_context(request, scheme_code, status)
        context.update(error=error, form=form)
        return render(request, "workbench/assessment/entries.html", context, status=error.status_code)
    messages.success(
        request, f"已录入“{entry.unit_name}”考核项 {entry.item_code}，待另一名考核员或监管员审核。"
    )
    return redirect(reverse("workbench:assessment_entries") + f"?scheme={entry.scheme_code}")


@require_POST
@assessor_required
def entry_review(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = selectors.manual_entry_get_for_user(request.user, pk)
    except NotFound as error:
        raise Http404(error.message) from error
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            services.manual_entry_approve(entry=entry, actor=request.user, note=note, now=clock.now())
            messages.success(request, f"已审核通过“{entry.unit_name}”考核项 {entry.item_code} 的录入。")
        elif decision == "reject":
            services.manual_entry_reject(entry=entry, actor=request.user, note=note, now=clock.now())
            messages.success(request, f"已退回“{entry.unit_name}”考核项 {entry.item_code} 的录入。")
        else:
            raise DomainError("invalid", "请选择通过或退回。")
    except DomainError as error:
        context = _entries_context(request, entry.scheme_code, "")
        context["error"] = error
        return render(request, "workbench/assessment/entries.html", context, status=error.status_code)
    return redirect(reverse("workbench:assessment_entries") + f"?scheme={entry.scheme_code}")


@never_cache
@require_GET
@assessor_required
def evidence_file(request: HttpRequest, file_id: int) -> HttpResponse:
    try:
        stored = selectors.evidence_file_get_for_user(request.user, file_id)
    except NotFound as error:
        raise Http404(error.message) from error
    try:
        return filestore.download_response(
            key=stored.storage_key, filename=stored.original_name, mime=stored.mime
        )
    except (FileNotFoundError, ValueError) as error:
        raise Http404("文件已不在存储中，请联系系统管理员。") from error
