from django.db import models

from zhengwu.domain.hotline_flow import ACTION_LABELS, STATUS_LABELS
from zhengwu.domain.sla import CATEGORY_LABELS, URGENCY_LABELS

TicketStatus = models.TextChoices(
    "TicketStatus", [(s.name, (s.value, label)) for s, label in STATUS_LABELS.items()]
)
TicketAction = models.TextChoices(
    "TicketAction",
    [(a.name, (a.value, label)) for a, label in ACTION_LABELS.items()]
    + [("CREATE", ("create", "受理登记")), ("EXTENSION_EXPIRED", ("extension_expired", "延期申请失效"))]
    + [("PUBLISH_FAQ", ("publish_faq", "公开为常见问题")), ("UPLOAD", ("upload", "上传附件"))],
)
Category = models.TextChoices(
    "Category", [(c.name, (c.value, label)) for c, label in CATEGORY_LABELS.items()]
)
Urgency = models.TextChoices("Urgency", [(u.name, (u.value, label)) for u, label in URGENCY_LABELS.items()])


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    WEB = "web", "网站"
    MAILBOX = "mailbox", "市长信箱"
    API = "api", "接口"


class ReturnReason(models.TextChoices):
    NOT_OUR_DUTY = "not_our_duty", "非本单位职责（须注明依据）"
    INCOMPLETE = "incomplete", "诉求信息不全"
    DUPLICATE = "duplicate", "重复工单"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class ExtensionState(models.TextChoices):
    NONE = "", "无"
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class ChaseLevel(models.TextChoices):
    NONE = "none", "无"
    AUTOMATIC = "automatic", "系统催办"
    WRITTEN = "written", "书面督办"
