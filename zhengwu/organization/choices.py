from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "市级"
    COUNTY = 3, "县级"
    TOWNSHIP = 4, "乡级"
    VILLAGE = 5, "村级"


class DepartmentKind(models.TextChoices):
    APPROVAL_BUREAU = "approval_bureau", "行政审批服务局"
    DEPARTMENT = "department", "职能部门"
    GOVERNMENT = "government", "人民政府"
    OTHER = "other", "其他单位"


class WindowType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", "综合受理窗口"
    SPECIAL = "special", "专区窗口"
    SELF_SERVICE = "self_service", "自助服务区"


class Role(models.TextChoices):
    WINDOW_CLERK = "window_clerk", "窗口受理员"
    APPROVER = "approver", "审批人员"
    DEPT_HEAD = "dept_head", "部门负责人"
    SUPERVISOR = "supervisor", "监管员"
    ASSESSOR = "assessor", "考核员"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"


# 三权分立: no account may hold two of these.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    LEGAL_PERSON = "legal_person", "法人及其他组织"
