"""The sign-off's words (签字, reopening, 组长审核, 已修改): the core's errors, the documents' signature
block, the CLI's arguments and the app's dialogs."""

from __future__ import annotations

SIGNOFF: dict[str, tuple[str, str]] = {
    # the core's refusals
    "err.signoff.no_inspectors": ("{id}: 签字需要至少一名检查人的姓名", "{id}: a sign-off needs at least one inspector's name"),
    "err.signoff.no_reason": ("{id}: 重新打开需要说明原因", "{id}: reopening needs a reason"),
    "err.signoff.too_many": ("检查人最多 {most} 名", "at most {most} inspectors"),
    "err.signoff.review_unfinished": ("{id}: 检查尚未签字完成,不能审核", "{id}: not signed off yet: nothing to review"),
    "err.signoff.no_reviewer": ("{id}: 审核需要审核人姓名", "{id}: a review needs the reviewer's name"),
}
SIGNOFF.update({
    # the CLI
    "signoff.cmd.review": ("记录组长审核(审核人、时间、意见)", "record the team leader's review (who, when, comments)"),
    "signoff.arg.inspectors": ("签字的检查人姓名,逗号分隔,如 \"张三,李四\"(至少一名)",
                               "the inspectors who sign, comma-separated, e.g. \"A,B\" (at least one)"),
    "signoff.arg.received_by": ("接收检查意见的支部代表(被检查单位负责人)", "the branch representative who received the findings"),
    "signoff.arg.reason": ("重新打开的原因(必填,记入修改记录)", "why it is reopened (required; kept in the audit trail)"),
    "signoff.arg.by": ("审核人姓名", "the reviewer's name"),
    "signoff.arg.comment": ("审核意见", "the review's comments"),
    "signoff.need_inspectors": ("finish: 请用 --inspectors \"张三,李四\" 给出至少一名检查人的姓名",
                                "finish: give at least one inspector's name with --inspectors \"A,B\""),
    "signoff.need_reason": ("reopen: 请用 --reason 说明重新打开的原因", "reopen: give the reason with --reason"),
    "signoff.signed": ("检查人: {names}  接收人: {receiver}  签字时间: {when}",
                       "inspectors: {names}  received by: {receiver}  signed: {when}"),
    "signoff.reviewed": ("{id} 已审核: {by} {when}", "{id} reviewed by {by} at {when}"),
})
SIGNOFF.update({
    # the documents' signature block (core/export/signature.py)
    "doc.signoff.inspectors": ("检查人员:{names}　　签名:", "Inspectors: {names}    Signature: "),
    "doc.signoff.person": ("{label}{name}　　签名:", "{label}{name}    Signature: "),
    "doc.signoff.head": ("被检查单位负责人(接收人):", "Head of the branch (received by): "),
    "doc.signoff.heading": ("签字", "Sign-off"),
    "doc.signoff.col.signers": ("检查人员(签字)", "Signed by"),
    "doc.signoff.col.received": ("接收人", "Received by"),
    "doc.signoff.col.signed": ("签字日期", "Signed on"),
    "doc.signoff.col.review": ("组长审核", "Review"),
    "doc.signoff.col.amended": ("已修改", "Amended"),
    "doc.signoff.names_unknown": ("(签字时未记录姓名)", "(names not recorded at sign-off)"),
    "doc.signoff.date": ("签字日期:{date}", "Signed on {date}"),
    "doc.signoff.date_blank": ("日期:____________", "Date: ____________"),
    "doc.signoff.reviewed": ("审核:{name}　{date}", "Reviewed by {name} on {date}"),
    "doc.signoff.comment": ("审核意见:{comment}", "Review comments: {comment}"),
    "doc.signoff.amended": ("已修改:签字后于 {date} 修改", "Amended on {date}, after the sign-off"),
})
SIGNOFF.update({
    # the app: the sign-off and reopen dialogs (app/screens/finish_dialog.py), the summary's line
    "signoff.dialog.title": ("签字完成检查", "Sign off the inspection"),
    "signoff.dialog.intro": ("{branch}:签字后检查记录不能再修改(整改情况仍可登记);打印的考评表和整改通知书上印出以下姓名,留出手写签名处。",
                             "{branch}: once signed off the record cannot be changed (rectifications can still be followed up); "
                             "the score sheet and the notice print these names beside a line to sign on."),
    "signoff.field.inspectors": ("检查人员:", "Inspectors:"),
    "signoff.field.received": ("支部接收人:", "Received by:"),
    "signoff.field.days": ("整改期限/天:", "Notice, days:"),
    "signoff.field.issuer": ("下发单位:", "Issued by:"),
    "signoff.dialog.inspectors_hint": ("签字的检查人,如 张三、李四(至少一名)", "the inspectors who sign, separated by commas (at least one)"),
    "signoff.dialog.received_hint": ("被检查单位负责人或签收人(可留空,手写)", "the branch's head or representative (may be left blank)"),
    "signoff.dialog.days_hint": ("自通知之日起的天数", "days from the notice date"),
    "signoff.dialog.issuer_hint": ("如 中共XX县委组织部(可留空)", "the organisation issuing the notice (may be left blank)"),
    "signoff.dialog.keys": ("回车 下一项 · 最后一项回车签字 · Esc 取消", "Enter next · last Enter signs · Esc cancels"),
    "signoff.dialog.sign": ("签字完成", "Sign off"),
    "signoff.dialog.need_inspectors": ("请填写至少一名检查人的姓名", "give at least one inspector's name"),
    "signoff.dialog.bad_days": ("整改期限应为 0–{most} 的整数天", "the notice period is a whole number of days, 0–{most}"),
    "signoff.reopen.title": ("重新打开检查", "Reopen the inspection"),
    "signoff.reopen.intro": ("已签字的检查重新打开后可以修改;原因记入修改记录,修改后的文书注明“已修改”。",
                             "A signed-off inspection can be changed once reopened; the reason goes in the audit trail "
                             "and documents printed after a change say it was amended."),
    "signoff.reopen.hint": ("重新打开的原因(必填)", "why it is reopened (required)"),
    "signoff.reopen.keys": ("回车 重新打开 · Esc 取消", "Enter reopens · Esc cancels"),
    "signoff.reopen.ok": ("重新打开", "Reopen"),
    "signoff.reopen.need_reason": ("请说明重新打开的原因", "give the reason for reopening"),
    "signoff.sum.signed": ("已签字:检查人员 {names} · 接收人 {receiver} · {when}", "Signed off by {names} · received by {receiver} · {when}"),
    "signoff.sum.unknown": ("已签字(签字时未记录姓名)", "Signed off (names not recorded at sign-off)"),
    "signoff.sum.reviewed": ("组长审核:{name} · {when}{comment}", "Reviewed by {name} · {when}{comment}"),
    "signoff.sum.amended": ("已修改:签字后于 {when} 修改", "Amended on {when}, after the sign-off"),
})
