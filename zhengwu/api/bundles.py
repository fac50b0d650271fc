"""`/api/v1/bundles/`: 一件事 — the list, one bundle with its questions and members, and the guidance
(answers → the members that apply and one deduplicated material list). Public, like the guides."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.fields import EnumField
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.api.views import ERROR_404, PublicEndpoint, _code_parameter
from zhengwu.bundles import choices as bc
from zhengwu.bundles.selectors import bundle_get, bundle_list
from zhengwu.bundles.services import bundle_guidance
from zhengwu.catalog import choices as cc

TAG_BUNDLES = "一件事"


class BundleOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="选项编号（回答时使用）")
    key = serializers.CharField(
        source="full_key", help_text="选项标识“问题标识.选项标识”，事项的适用条件按它引用"
    )
    label = serializers.CharField(help_text="选项文字")


class BundleQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="问题编号（回答时作为键）")
    key = serializers.CharField(help_text="问题标识")
    text = serializers.CharField(help_text="问题")
    kind = EnumField(bc.BundleQuestionKind, help_text="题型：单选或多选")
    help = serializers.CharField(help_text="填写说明")
    options = BundleOptionSerializer(many=True, source="options.all", help_text="选项")


class BundleMemberSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(source="item.implementation_code", help_text="事项实施编码")
    name = serializers.CharField(source="item.name", help_text="事项名称")
    department = serializers.CharField(source="item.department.name", help_text="实施主体")
    stage = serializers.IntegerField(help_text="阶段：同一阶段并联办理，后一阶段在前一阶段全部准予许可后开始")
    order = serializers.IntegerField(help_text="序号")
    condition = serializers.CharField(help_text="适用条件（选项标识）；空为必办")


class BundleBriefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="一件事编码")
    name = serializers.CharField(help_text="名称")
    region = serializers.CharField(source="region.name", help_text="所属区划")
    members = BundleMemberSerializer(many=True, source="members.all", help_text="包含的事项")


class BundleDetailSerializer(BundleBriefSerializer):
    description = serializers.CharField(help_text="说明")
    questions = BundleQuestionSerializer(many=True, source="questions.all", help_text="选择适用事项的问题")


class BundleGuidanceRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True),
        allow_empty=True,
        help_text='问题编号 → 所选选项编号列表，如 {"3": [7]}',
    )


class MergedMaterialSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="材料名称")
    form = EnumField(cc.MaterialForm, help_text="材料形式")
    necessity = EnumField(cc.Necessity, help_text="必要性（多个事项要求不同时取最严格者）")
    copies = serializers.IntegerField(help_text="纸质份数（取最大值）")
    items = serializers.ListField(child=serializers.CharField(), help_text="需要该材料的事项名称")
    shared = serializers.BooleanField(help_text="是否为多个事项共用（只需提交一次）")


class BundleGuidanceSerializer(serializers.Serializer):
    complete = serializers.BooleanField(help_text="是否已回答全部单选题")
    unanswered = serializers.ListField(child=serializers.IntegerField(), help_text="未回答的单选题编号")
    members = BundleMemberSerializer(many=True, help_text="按回答需要办理的事项，按阶段和序号排列")
    materials = MergedMaterialSerializer(many=True, help_text="合并去重后的申请材料清单")


class BundleListView(PublicEndpoint, APIView):
    @extend_schema(
        tags=[TAG_BUNDLES],
        summary="一件事列表",
        description="已启用的一件事及其包含的事项。",
        responses={200: BundleBriefSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(BundleBriefSerializer(bundle_list(), many=True).data)


class BundleDetailView(PublicEndpoint, APIView):
    @extend_schema(
        tags=[TAG_BUNDLES],
        summary="一件事详情",
        description="一件事的说明、包含的事项（阶段、适用条件）和选择适用事项的问题。",
        parameters=[_code_parameter("一件事编码")],
        responses={200: BundleDetailSerializer, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(BundleDetailSerializer(bundle_get(code)).data)


class BundleGuidanceView(PublicEndpoint, APIView):
    @extend_schema(
        tags=[TAG_BUNDLES],
        summary="一件事导办：适用事项和合并材料清单",
        description="提交对一件事问题的回答，返回需要办理的事项和合并去重后的材料清单（同名同形式的材料只列一次，"
        "注明需要它的全部事项）。问题或选项编号无效时返回 400，`fields` 的键为 `answers.<问题编号>`。",
        parameters=[_code_parameter("一件事编码")],
        request=BundleGuidanceRequestSerializer,
        responses={
            200: BundleGuidanceSerializer,
            400: OpenApiResponse(ErrorSerializer, description="回答有误"),
            404: ERROR_404,
        },
    )
    def post(self, request: Request, code: str) -> Response:
        bundle = bundle_get(code)
        payload = BundleGuidanceRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        guidance = bundle_guidance(bundle=bundle, answers=payload.validated_data["answers"])
        data = {
            "complete": guidance.complete,
            "unanswered": [q.pk for q in guidance.unanswered],
            "members": guidance.members,
            "materials": guidance.materials,
        }
        return Response(BundleGuidanceSerializer(data).data)
