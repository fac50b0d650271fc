"""`/api/v1/items/{code}/guidance/`: the situation questions of a published item (GET) and the
material list, conditions, fees and limit for one answer set (POST). Public, like the guide.

The result is the same snapshot the portal shows and a printed 一次性告知单 keeps
(`zhengwu.guidance.services.guidance_snapshot`); bad answers are a 400 whose `fields` are keyed
`answers.<question id>`.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.api.fields import EnumField, LabelField
from zhengwu.api.serializers import ErrorSerializer
from zhengwu.api.views import ERROR_404, PublicEndpoint, _code_parameter
from zhengwu.catalog import choices as cc
from zhengwu.common.errors import NotFound
from zhengwu.guidance import choices as gc
from zhengwu.guidance.selectors import GuidanceData, guidance_data, guidance_item_get
from zhengwu.guidance.services import guidance_answer, guidance_snapshot

TAG_GUIDANCE = "智能导办"

# ---------------------------------------------------------------------------------------------
# Serializers


class GuidanceOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="选项编号（回答时使用）")
    key = serializers.CharField(
        source="full_key", help_text="选项标识，形如“问题标识.选项标识”，规则按它引用"
    )
    label = serializers.CharField(help_text="选项文字")


class GuidanceQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="问题编号（回答时作为键）")
    key = serializers.CharField(help_text="问题标识")
    text = serializers.CharField(help_text="问题")
    kind = EnumField(gc.QuestionKind, help_text="题型：单选或多选")
    kind_label = LabelField(gc.QuestionKind, source="kind")
    help = serializers.CharField(help_text="填写说明")
    depends_on = serializers.IntegerField(
        source="depends_on_id",
        allow_null=True,
        help_text="显示条件：选中该编号的选项时才显示本问题；null 为始终显示。未显示问题的回答被忽略",
    )
    options = GuidanceOptionSerializer(many=True, source="options.all", help_text="选项")


class GuidanceQuestionsSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码")
    name = serializers.CharField(help_text="事项名称")
    version = serializers.IntegerField(help_text="现行版本号")
    questions = GuidanceQuestionSerializer(many=True, help_text="办理情形问题，按顺序")


class GuidanceRequestSerializer(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(min_value=1), allow_empty=True),
        allow_empty=True,
        help_text='问题编号 → 所选选项编号列表，如 {"12": [34], "13": [36, 37]}。单选题最多一个选项；'
        "多选题可为空列表（均不涉及）",
    )


class ItemBriefSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="实施编码")
    name = serializers.CharField(help_text="事项名称")
    department = serializers.CharField(help_text="实施主体")
    version = serializers.IntegerField(help_text="版本号")


class ChosenOptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="选项编号")
    key = serializers.CharField(help_text="选项标识")
    label = serializers.CharField(help_text="选项文字")


class AnsweredQuestionSerializer(serializers.Serializer):
    question_id = serializers.IntegerField(help_text="问题编号")
    question_key = serializers.CharField(help_text="问题标识")
    question = serializers.CharField(help_text="问题")
    options = ChosenOptionSerializer(many=True, help_text="所选选项")


class UnansweredSerializer(serializers.Serializer):
    question_id = serializers.IntegerField(help_text="问题编号")
    question = serializers.CharField(help_text="问题")


class GuidanceMaterialSerializer(serializers.Serializer):
    material_id = serializers.IntegerField(help_text="材料编号（事项版本内）")
    name = serializers.CharField(help_text="材料名称")
    material_type_label = serializers.CharField(help_text="材料类型（中文）")
    form = EnumField(cc.MaterialForm, help_text="材料形式")
    form_label = serializers.CharField(help_text="材料形式（中文）")
    copies = serializers.IntegerField(help_text="纸质份数，0 为无需纸质材料")
    necessity = EnumField(cc.Necessity, help_text="必要性")
    necessity_label = serializers.CharField(help_text="必要性（中文）")
    acceptance_standard = serializers.CharField(help_text="受理标准")
    reasons = serializers.ListField(
        child=serializers.CharField(),
        help_text="按情形增加的材料：触发它的回答（“问题：选项”）；常规材料为空",
    )
    template_url = serializers.CharField(help_text="空白表格下载地址；没有时为空")


class GuidanceRouteSerializer(serializers.Serializer):
    implementation_code = serializers.CharField(help_text="应（另行）办理事项的实施编码")
    name = serializers.CharField(help_text="该事项名称；未发布时为空")
    message = serializers.CharField(help_text="提示")


class GuidanceResultSerializer(serializers.Serializer):
    item = ItemBriefSerializer(help_text="事项")
    answers = AnsweredQuestionSerializer(many=True, help_text="生效的回答（未显示问题的回答已忽略）")
    complete = serializers.BooleanField(help_text="是否已回答全部显示的单选题；完整时才能出具一次性告知单")
    unanswered = UnansweredSerializer(many=True, help_text="尚未回答的单选题")
    materials = GuidanceMaterialSerializer(many=True, help_text="需提交的申请材料，按办事指南顺序")
    not_needed = serializers.ListField(child=serializers.CharField(), help_text="按情形免交的常规材料名称")
    acceptance_conditions = serializers.CharField(help_text="受理条件（办事指南原文）")
    conditions = serializers.ListField(child=serializers.CharField(), help_text="按情形增加的办理条件")
    fees = serializers.ListField(child=serializers.CharField(), help_text="收费说明；空列表为不收费")
    promised_limit = serializers.IntegerField(allow_null=True, help_text="承诺办结时限数值")
    promised_limit_text = serializers.CharField(help_text="承诺办结时限文字，如“5个工作日”“当场办结”")
    limit_changed = serializers.BooleanField(help_text="承诺时限是否按情形调整（调整后单位为工作日）")
    legal_limit_text = serializers.CharField(help_text="法定办结时限文字")
    onsite_visits = serializers.IntegerField(help_text="到办事现场次数")
    onsite_reason = serializers.CharField(help_text="必须现场办理原因")
    online_depth = serializers.IntegerField(help_text="网上办理深度 1–4")
    online_depth_label = serializers.CharField(help_text="网上办理深度（中文）")
    online_url = serializers.CharField(help_text="网办地址")
    location = serializers.CharField(help_text="办理地点")
    office_hours = serializers.CharField(help_text="办理时间")
    consult_phone = serializers.CharField(help_text="咨询电话")
    routes = GuidanceRouteSerializer(many=True, help_text="按情形应转办或另行办理的事项")


# ---------------------------------------------------------------------------------------------
# View


def _configured(code: str) -> GuidanceData:
    item = guidance_item_get(code)
    data = guidance_data(item.current_version)
    if not data.configured:
        raise NotFound("本事项暂未梳理办理情形，请查看办事指南。")
    return data


def _with_links(snapshot: dict[str, Any]) -> dict[str, Any]:
    code = snapshot["item"]["implementation_code"]
    materials = [
        {
            **m,
            "template_url": reverse("guidance:material_template", args=[code, m["material_id"]])
            if m["has_template"]
            else "",
        }
        for m in snapshot["materials"]
    ]
    return {**snapshot, "materials": materials}


class ItemGuidanceView(PublicEndpoint, APIView):
    @extend_schema(
        tags=[TAG_GUIDANCE],
        summary="事项的办理情形问题",
        description="已发布事项现行版本的智能导办问题及选项（含编号），用于组织回答。"
        "`depends_on` 不为 null 的问题仅在选中该选项时显示。事项未梳理办理情形时返回 404。",
        parameters=[_code_parameter("实施编码")],
        responses={200: GuidanceQuestionsSerializer, 404: ERROR_404},
    )
    def get(self, request: Request, code: str) -> Response:
        data = _configured(code)
        item = data.version.item
        payload = {
            "implementation_code": item.implementation_code,
            "name": item.name,
            "version": data.version.number,
            "questions": data.questions,
        }
        return Response(GuidanceQuestionsSerializer(payload).data)

    @extend_schema(
        tags=[TAG_GUIDANCE],
        summary="智能导办：按情形生成材料清单",
        description="提交对办理情形问题的回答，返回本情形需提交的申请材料（名称、类型、形式、份数、空白表格）、"
        "按情形增加的办理条件、收费、承诺时限、到现场次数、办理地点，以及应转办的事项。"
        "回答可以不完整（`complete` 为 false 时 `unanswered` 列出未答的单选题）。"
        "问题或选项编号不存在、选项不属于该问题、单选题选了两个选项时返回 400，"
        "`fields` 的键为 `answers.<问题编号>`。",
        parameters=[_code_parameter("实施编码")],
        request=GuidanceRequestSerializer,
        responses={
            200: GuidanceResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="回答有误（问题或选项不存在、单选题多选等）"),
            404: ERROR_404,
        },
        examples=[
            OpenApiExample("回答", value={"answers": {"12": [34], "13": [36, 37]}}, request_only=True),
            OpenApiExample(
                "单选题多选",
                value={
                    "code": "invalid_answers",
                    "message": "回答有误：“经营场所性质”为单选题，只能选择一个选项。",
                    "fields": {"answers.12": ["“经营场所性质”为单选题，只能选择一个选项。"]},
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        body = GuidanceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = _configured(code)
        answer = guidance_answer(version=data.version, answers=body.validated_data["answers"], data=data)
        return Response(GuidanceResultSerializer(_with_links(guidance_snapshot(answer))).data)
