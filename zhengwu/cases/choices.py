from django.db import models

from zhengwu.domain.case_flow import ACTION_LABELS, STATUS_LABELS, Action, Status
from zhengwu.domain.deadlines import LEVEL_LABELS, SEGMENT_LABELS, Level, SegmentKind

CaseStatus = models.TextChoices("CaseStatus", [(s.name, (s.value, STATUS_LABELS[s])) for s in Status])
CaseAction = models.TextChoices(
    "CaseAction",
    [(a.name, (a.value, ACTION_LABELS[a])) for a in Action]
    + [
        ("SUBMIT_MATERIALS", ("upload", "上传材料")),
        ("REPROJECT", ("calendar_reprojected", "工作日历调整")),
        ("CARD", ("card_issued", "亮牌")),
        ("CERT_REVOKE", ("certificate_revoked", "证照注销")),
        ("POST_CHECK", ("post_check", "告知承诺核查")),
        ("SAVE_DRAFT", ("save_draft", "保存草稿")),
        ("MATERIALS_CHECK", ("materials_check", "材料核验")),
        ("PAUSE_RENOTIFY", ("pause_renotify", "重新书面告知暂停期限")),
    ],
)
WarningLevel = models.TextChoices("WarningLevel", [(lv.name, (lv.value, LEVEL_LABELS[lv])) for lv in Level])
SegmentType = models.TextChoices("SegmentType", [(k.name, (k.value, SEGMENT_LABELS[k])) for k in SegmentKind])


class Channel(models.TextChoices):
    ONLINE = "online", "网上申报"
    WINDOW = "window", "窗口受理"
    SELF_SERVICE = "self_service", "自助终端"
    MAIL = "mail", "邮寄申请"


class ClockKind(models.TextChoices):
    INTAKE = "intake", "受理时限"
    STATUTORY = "statutory", "法定时限"
    PROMISED = "promised", "承诺时限"
    STEP = "step", "环节时限"
    IMMEDIATE = "immediate", "即办时限"
    CERTIFICATE = "certificate", "制证送达时限"
    DEFICIENCY = "deficiency", "容缺补齐时限"
    POST_CHECK = "post_check", "告知承诺核查时限"


class ClockStatus(models.TextChoices):
    RUNNING = "running", "计时中"
    PAUSED = "paused", "已暂停"
    STOPPED = "stopped", "已停止"


class MaterialStatus(models.TextChoices):
    PENDING = "pending", "待核验"
    RECEIVED = "received", "已收取"
    MISSING = "missing", "缺少"
    FAULTY = "faulty", "不符合要求"
    DEFERRED = "deferred", "容缺后补"
    NOT_APPLICABLE = "not_applicable", "不适用"


class StepStatus(models.TextChoices):
    WAITING = "waiting", "未开始"
    ACTIVE = "active", "办理中"
    PASSED = "passed", "已通过"


class Delivery(models.TextChoices):
    WINDOW = "window", "窗口领取"
    MAIL = "mail", "邮寄送达"
    ELECTRONIC = "electronic", "电子送达"


class PauseReason(models.TextChoices):
    """§45 procedures (excluded) and the admin list of 中止 reasons (suspended)."""

    HEARING = "hearing", "听证"
    TENDER = "tender", "招标"
    AUCTION = "auction", "拍卖"
    INSPECTION = "inspection", "检验"
    TESTING = "testing", "检测"
    QUARANTINE = "quarantine", "检疫"
    APPRAISAL = "appraisal", "鉴定"
    EXPERT_REVIEW = "expert_review", "专家评审"
    APPLICANT_REQUEST = "applicant_request", "申请人书面申请中止"
    LITIGATION = "litigation", "待决诉讼或行政复议"
    FORCE_MAJEURE = "force_majeure", "不可抗力"
    OTHER_BODY = "other_body", "须待其他机关决定"


EXCLUDED_REASONS = frozenset(
    {"hearing", "tender", "auction", "inspection", "testing", "quarantine", "appraisal", "expert_review"}
)


class PostCheckResult(models.TextChoices):
    PENDING = "", "待核查"
    CONFIRMED = "confirmed", "承诺属实"
    FALSE = "false", "虚假承诺"
