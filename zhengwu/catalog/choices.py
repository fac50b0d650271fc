"""Dictionaries of the catalogue. The keys are ours; labels are the fixed Chinese terms (DOMAIN §2)."""

from django.db import models


class ItemTypeGroup(models.TextChoices):
    ON_APPLICATION = "on_application", "依申请行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"
    NOT_ON_APPLICATION = "not_on_application", "非依申请行政权力"


class ExerciseLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCE = "province", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"
    VILLAGE = "village", "村级"


class PowerSource(models.TextChoices):
    STATUTORY = "statutory", "法定本级行使"
    DELEGATED = "delegated", "上级下放"
    ENTRUSTED = "entrusted", "上级委托"


class LifecycleStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    SUSPENDED = "suspended", "暂停办理"
    CANCELLED = "cancelled", "已取消"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    RETIRED = "retired", "已停用"


class CaseKind(models.TextChoices):
    IMMEDIATE = "immediate", "即办件"
    PROMISED = "promised", "承诺件"
    REFERRED_UP = "referred_up", "上报件"
    JOINT = "joint", "联办件"


class LimitUnit(models.TextChoices):
    WORKING_DAY = "working_day", "工作日"
    NATURAL_DAY = "natural_day", "自然日"
    HOUR = "hour", "小时"
    IMMEDIATE = "immediate", "即办"


class OnlineDepth(models.IntegerChoices):
    DISCLOSURE = 1, "一级：事项公开"
    PRE_REVIEW = 2, "二级：在线预审"
    ONLINE_APPLY = 3, "三级：在线申办"
    FULLY_ONLINE = 4, "四级：全程网办"


class ResultType(models.TextChoices):
    LICENSE = "license", "证照"
    APPROVAL_DOCUMENT = "approval_document", "批文"
    FILING = "filing", "备案凭证"
    OTHER = "other", "其他"


class DeliveryMode(models.TextChoices):
    WINDOW = "window", "窗口领取"
    MAIL = "mail", "邮政寄递"
    ELECTRONIC = "electronic", "电子送达"


class LegalBasisLevel(models.TextChoices):
    LAW = "law", "法律"
    ADMIN_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    RULE = "rule", "规章"
    NORMATIVE = "normative", "规范性文件"


class MaterialType(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    ORIGINAL_AND_COPY = "original_and_copy", "原件和复印件"
    ELECTRONIC = "electronic", "电子材料"


class MaterialForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    BOTH = "both", "纸质和电子"


class Necessity(models.TextChoices):
    REQUIRED = "required", "必要"
    CONDITIONAL = "conditional", "非必要（按情形提交）"
    DEFERRABLE = "deferrable", "容缺可后补"


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", "申请人自备"
    GOVERNMENT = "government", "政府部门核发"
    INTERMEDIARY = "intermediary", "中介机构出具"
    OTHER = "other", "其他"


class EvidenceLevel(models.TextChoices):
    A = "A", "A：实施机关核发，直接使用"
    B = "B", "B：窗口人员核验"
    C = "C", "C：申请人上传，核验原件"
    D = "D", "D：申请人承诺提供"


class SpecialProcedure(models.TextChoices):
    """The procedures whose time is excluded from the statutory clock (行政许可法 §45)."""

    HEARING = "hearing", "听证"
    TENDER = "tender", "招标"
    AUCTION = "auction", "拍卖"
    INSPECTION = "inspection", "检验"
    TESTING = "testing", "检测"
    QUARANTINE = "quarantine", "检疫"
    APPRAISAL = "appraisal", "鉴定"
    EXPERT_REVIEW = "expert_review", "专家评审"


class LicenseRelation(models.TextChoices):
    NONE = "", "不涉及"
    PRE = "pre", "前置审批"
    POST = "post", "后置审批"


class ReformMode(models.TextChoices):
    """证照分离 reform modes for business licences."""

    NONE = "", "不涉及"
    CANCEL_APPROVAL = "cancel_approval", "直接取消审批"
    APPROVAL_TO_FILING = "approval_to_filing", "审批改为备案"
    COMMITMENT = "commitment", "实行告知承诺"
    OPTIMIZE = "optimize", "优化审批服务"


class Operation(models.TextChoices):
    ADD = "add", "新增"
    CHANGE = "change", "变更"
    PUBLISH = "publish", "发布"
    SPLIT = "split", "拆分"
    MERGE = "merge", "合并"
    SUSPEND = "suspend", "暂停"
    RESUME = "resume", "恢复办理"
    CANCEL = "cancel", "取消"
    IMPORT = "import", "导入"
