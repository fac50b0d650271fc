"""The audit actions: dotted English codes, each with its Chinese label for the viewer and exports.

A family (`case.`, `catalog.`) covers every operation of that app; `label()` falls back to the family's
label plus the operation code for one not listed here.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    "auth.login": "登录成功",
    "auth.login_failed": "登录失败",
    "auth.locked": "账号锁定",
    "auth.logout": "退出登录",
    "auth.password_changed": "修改密码",
    "auth.mfa_failed": "动态口令验证失败",
    "auth.mfa_enrolled": "绑定动态口令设备",
    "auth.sessions_ended": "结束会话",
    "auth.token_created": "创建接口令牌",
    "auth.token_revoked": "吊销接口令牌",
    "access.denied": "越权访问被拒绝",
    "pii.reveal": "查看完整个人信息",
    "role.change": "角色变更",
    "scope.change": "数据范围变更",
    "user.deactivate": "停用账号",
    "export": "数据导出",
    "config.change": "配置变更",
    "calendar.change": "工作日历变更",
    "assessment.publish": "发布考核结果",
    "assessment.entry_approve": "审核通过手工录入",
    "assessment.entry_reject": "退回手工录入",
    "backup.create": "创建备份",
    "backup.restore": "恢复备份",
    "audit.purge": "清理过期审计记录",
}

FAMILIES: dict[str, str] = {
    "auth": "账号安全",
    "access": "访问控制",
    "case": "办件",
    "catalog": "事项目录",
    "pii": "个人信息",
    "role": "角色",
    "scope": "数据范围",
    "user": "账号",
    "assessment": "考核",
    "calendar": "工作日历",
    "config": "配置",
    "backup": "备份",
    "audit": "审计",
}


def _operation_labels(family: str) -> dict[str, str]:
    if family == "case":
        from zhengwu.domain.case_flow import ACTION_LABELS

        return {str(code): text for code, text in ACTION_LABELS.items()}
    if family == "catalog":
        from zhengwu.catalog.choices import Operation

        return {str(code): str(text) for code, text in Operation.choices}
    return {}


def label(action: str) -> str:
    """The Chinese label of an action code, e.g. `case.accept` → `办件：受理`."""
    if action in LABELS:
        return LABELS[action]
    family, _, operation = action.partition(".")
    operation = _operation_labels(family).get(operation, operation)
    if family in FAMILIES and operation:
        return f"{FAMILIES[family]}：{operation}"
    return action
