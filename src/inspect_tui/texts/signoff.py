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
