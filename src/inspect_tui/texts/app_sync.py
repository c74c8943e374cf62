"""The app's sync (issue 15): the home screen's key, palette command and last-sync line."""

APP_SYNC: dict[str, tuple[str, str]] = {
    "home.key.sync": ("同步", "sync"),
    "cmd.sync": ("同步: 与中心服务器交换检查记录", "Sync: exchange sessions with the central server"),
    "home.sync.running": ("同步中… {server}", "syncing… {server}"),
    "home.sync.busy": ("正在同步,完成后再按", "a sync is running: press again when it is done"),
    "home.sync.no_server": (
        "未配置中心服务器:运行 `inspect-tui server use DSN` 或设置环境变量 INSPECT_TUI_SERVER",
        "no central server configured: run `inspect-tui server use DSN` or set INSPECT_TUI_SERVER"),
    "home.sync.done": ("上次同步 {time} · 上传 {pushed} · 下载 {pulled} · 冲突 {conflicts}",
                       "last sync {time} · pushed {pushed} · pulled {pulled} · {conflicts} conflict(s)"),
    "home.sync.refused": (" · 未同步 {refused}", " · {refused} not synced"),
    "home.sync.see": (" · 查看: inspect-tui log {id}", " · see: inspect-tui log {id}"),
    "home.sync.see_more": (" · 查看: inspect-tui log {id}(另有 {more} 个)", " · see: inspect-tui log {id} and {more} more"),
    "home.sync.failed": ("上次同步 {time} 失败: {error}", "last sync {time} failed: {error}"),
}
