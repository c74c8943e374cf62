"""The words of the central store's report and the app's sync (issue 15)."""

from __future__ import annotations

CENTRAL: dict[str, tuple[str, str]] = {
    "central.report.arg.server": (
        "在中心服务器上汇总(DSN 省略时取 $INSPECT_TUI_SERVER 或用户配置);只汇总本角色有权查看的记录",
        "roll up on the central server (without DSN: $INSPECT_TUI_SERVER or the user config); only the "
        "records this role may read"),
}
