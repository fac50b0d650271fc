"""`/api/v1/`: read endpoints of the public catalogue and directory, the staff endpoints, tokens.

Views translate HTTP into selector calls and results into JSON; they hold no rule. Lists are
validated by the FilterSets in `zhengwu.api.filtersets`; an object is fetched through its selector
(or permission choke point), whose `NotFound` the exception handler renders as a 404.
"""

from __future__ import annotations

import functools

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api import schema_docs
from zhengwu.api import serializers as s
from zhengwu.api.cases import STAFF
from zhengwu.api.filtersets import DepartmentFilter, RegionFilter
from zhengwu.catalog.choices import VersionStatus
from zhengwu.catalog.filtersets import PublicItemFilter, StaffItemFilter
from zhengwu.catalog.selectors import (
    item_get_for_user,
    item_list_for_user,
    item_public_get,
    item_public_list,
    version_with_children,
)
from zhengwu.common.errors import NotFound
from zhengwu.common.ratelimit import SharedRateThrottle
from zhengwu.organization.selectors import department_public_list, region_list, sees_everything

TAG_REGIONS = "行政区划"
TAG_DEPARTMENTS = "部门"
TAG_ITEMS = "政务服务事项"
TAG_STAFF = "工作人员"
TAG_AUTH = "认证"

ERROR_400 = OpenApiResponse(s.ErrorSerializer, description="输入有误（如筛选参数取值无效）")
ERROR_401 = OpenApiResponse(s.ErrorSerializer, description="未登录或令牌无效")
ERROR_403 = OpenApiResponse(s.ErrorSerializer, description="非工作人员账号（如网上办事账号）")
ERROR_404 = OpenApiResponse(s.ErrorSerializer, description="对象不存在、尚未发布或不在数据范围内")


class PublicEndpoint:
    """Public reference data: no authentication is read (a stale token cannot break a public read)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]


def _code_parameter(description: str) -> OpenApiParameter:
    return OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, description=description)


# ---------------------------------------------------------------------------------------------
# Regions


class RegionListView(PublicEndpoint, generics.ListAPIView):
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter

    def get_queryset(self) -> QuerySet:
        return region_list()

    @extend_schema(
        tags=[TAG_REGIONS],
        summary="行政区划列表",
        description="公开的行政区划（GB/T 2260 及功能区），按路径排序。"
        "`parent` 给出上级区划代码时返回其下各级区划，可与 `level` 组合，如某市的全部县级区划。",
        responses={200: s.RegionSerializer(many=True), 400: ERROR_400},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RegionDetailView(PublicEndpoint, APIView):
    @extend_schema(
        tags=[TAG_REGIONS],
        summary="行政区划详情",
        description="按区划代码查询一个行政区划。",
        parameters=[_code_parameter("区划代码")],
        responses={200: s.RegionSerializer, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        region = region_list().filter(code=code).first()
        if region is None:
            raise NotFound("行政区划不存在。")
        return Response(s.RegionSerializer(region).data)


# ---------------------------------------------------------------------------------------------
# Departments


class DepartmentListView(PublicEndpoint, generics.ListAPIView):
    serializer_class = s.DepartmentSerializer
    filterset_class = DepartmentFilter

    def get_queryset(self) -> QuerySet:
        return department_public_list()

    @extend_schema(
        tags=[TAG_DEPARTMENTS],
        summary="部门名录",
        description="启用中的部门：名称、所属区划、类型、咨询与投诉电话、地址，均为公开信息。"
        "`region` 给出区划代码时包含其下级区划的部门。",
        responses={200: s.DepartmentSerializer(many=True), 400: ERROR_400},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ---------------------------------------------------------------------------------------------
# Items (public)


class ItemListView(PublicEndpoint, generics.ListAPIView):
    serializer_class = s.ItemListSerializer
    filterset_class = PublicItemFilter

    def get_queryset(self) -> QuerySet:
        return item_public_list()

    @extend_schema(
        tags=[TAG_ITEMS],
        summary="政务服务事项列表",
        description="已发布的事项（在用或暂停办理），草稿从不出现。"
        "`visits=zero` 为零跑动，`visits=at_most_one` 为最多跑一次；`depth` 为网办深度下限。",
        responses={200: s.ItemListSerializer(many=True), 400: ERROR_400},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ItemDetailView(PublicEndpoint, APIView):
    @extend_schema(
        tags=[TAG_ITEMS],
        summary="政务服务事项详情（办事指南）",
        description="按实施编码查询已发布事项的现行版本：全部要素及设定依据、申请材料、办理环节、"
        "收费项目、常见问题。字典值同时给出取值与中文名称（如 `case_kind` 与 `case_kind_label`）。",
        parameters=[_code_parameter("实施编码")],
        responses={200: s.ItemDetailSerializer, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(s.ItemDetailSerializer(item_public_get(code)).data)


# ---------------------------------------------------------------------------------------------
# Staff


class MeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        tags=[TAG_STAFF],
        summary="当前工作人员",
        description="令牌或会话登录的工作人员：用户名、姓名、角色、所在部门与数据范围。手机号码已脱敏。",
        responses={200: s.MeSerializer, 401: ERROR_401},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        context = {
            "sees_everything": sees_everything(user),
            "scopes": user.scopes.select_related("region", "department"),
        }
        return Response(s.MeSerializer(user, context=context).data)


class StaffItemListView(generics.ListAPIView):
    """Staff only, like every `/staff/` endpoint: a citizen's 网上办事 account gets 403 (`IsStaff`)."""

    permission_classes = STAFF
    serializer_class = s.StaffItemListSerializer
    filterset_class = StaffItemFilter

    def get_queryset(self) -> QuerySet:
        return item_list_for_user(user=self.request.user)

    @extend_schema(
        tags=[TAG_STAFF],
        summary="数据范围内的事项（含草稿）",
        description="当前工作人员数据范围内各部门的全部事项，包括未发布的草稿和已取消的事项。",
        responses={
            200: s.StaffItemListSerializer(many=True),
            400: ERROR_400,
            401: ERROR_401,
            403: ERROR_403,
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class StaffItemDetailView(APIView):
    permission_classes = STAFF

    @extend_schema(
        tags=[TAG_STAFF],
        summary="数据范围内的事项详情（含草稿）",
        description="现行版本与草稿版本的全部要素。事项不在数据范围内时与不存在一样返回 404。",
        parameters=[_code_parameter("实施编码")],
        responses={200: s.StaffItemDetailSerializer, 401: ERROR_401, 403: ERROR_403, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        item = item_get_for_user(user=request.user, implementation_code=code)
        draft_id = next((v.id for v in item.versions.all() if v.status == VersionStatus.DRAFT), None)
        context = {
            "current": version_with_children(item.current_version_id) if item.current_version_id else None,
            "draft": version_with_children(draft_id) if draft_id else None,
        }
        return Response(s.StaffItemDetailSerializer(item, context=context).data)


# ---------------------------------------------------------------------------------------------
# Tokens (the views are in zhengwu/api/tokens.py)


class TokenThrottle(SharedRateThrottle):
    """At most 10 attempts a minute from one address: passwords cannot be guessed through the API.
    Counted across server processes."""

    scope = "auth_token"
    rate = "10/min"


# ---------------------------------------------------------------------------------------------
# Documentation


@functools.lru_cache(maxsize=1)
def _schema_document() -> dict:
    return schema_docs.document(SchemaGenerator().get_schema(request=None, public=True))


@require_GET
def docs_page(request: HttpRequest) -> HttpResponse:
    """The API reference as a server-rendered Chinese page (no JavaScript, works offline)."""
    return render(request, "api/docs.html", _schema_document())


@csrf_exempt  # it changes nothing; without this a POST or DELETE got the HTML CSRF page (403), not this 404
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Unknown addresses under /api/ answer in the API's error format, not with an HTML page."""
    return JsonResponse(
        NotFound("接口地址不存在，请查看 /api/docs/。").as_dict(),
        status=404,
        json_dumps_params={"ensure_ascii": False},
    )
