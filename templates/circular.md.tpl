{{! ============================================================================ }}
{{! 通报的群聊文字（企业微信 markdown）。修改后重新生成通报即生效，无需改代码。         }}
{{! 企业微信只支持：# 标题、**加粗**、<font color="info|comment|warning">彩色</font>、> 引用。 }}
{{! 不支持表格和列表。超长时机器人自动按字节拆分为多条（群机器人 4096 字节，应用 2048 字节）。 }}
{{! 占位符的写法和可用数据见 templates/circular.README.md。                             }}
{{! ============================================================================ }}
# {{periodLabel}}经开区培育工作进展情况通报
{{#isSample}}
<font color="comment">{{sampleNote}}</font>
{{/isSample}}
> {{docNumber}}　{{issuer}}
> 数据截至 {{builtAtText}}，时间进度 {{expectedPct}}

**报送情况**：应报送 {{totals.zones}} 个经开区，已报送 {{totals.submitted}} 个（其中逾期 {{totals.late}} 个），未报送 <font color="warning">{{totals.missing}}</font> 个。
{{#notSubmittedAll}}
<font color="warning">未报送</font>：{{names}}。
{{/notSubmittedAll}}
{{#lateAll}}
<font color="comment">逾期报送</font>：{{names}}。
{{/lateAll}}
{{#groups}}

## {{label}}（{{zoneCount}}个）
{{#headline}}
**{{label}}**：累计 {{totalText}}，为全年目标 {{targetText}} 的 <font color="{{statusColor}}">{{completion}}</font>，{{statusLabel}}。{{#yoy}}同比{{text}}（据{{zoneCount}}个经开区报送数推算）。{{/yoy}}
{{#ranked}}
{{rank}}. **{{zoneName}}**（{{prefecture}}）{{valueText}}，完成率 <font color="{{statusColor}}">{{completion}}</font>，{{statusLabel}}{{#hasYoy}}，同比{{yoyText}}{{/hasYoy}}{{#grade}}，{{grade}}{{/grade}}
{{/ranked}}
{{/headline}}
{{^headline}}
已报送 {{submittedCount}} 个，未报送 {{missingCount}} 个。
{{/headline}}
{{#onTrack}}
<font color="info">进度正常或超额完成</font>（{{count}}个）：{{names}}
{{/onTrack}}
{{#behind}}
<font color="warning">进度滞后</font>（{{count}}个）：{{names}}
{{/behind}}
{{#severelyBehind}}
<font color="warning">其中严重滞后</font>（{{count}}个）：{{names}}
{{/severelyBehind}}
{{#zeroValue}}
<font color="warning">业绩为0</font>：{{names}}
{{/zeroValue}}
{{#atRisk}}
<font color="warning">完成率低于{{atRiskBelowPct}}、存在调出名单风险</font>：{{names}}
{{/atRisk}}
{{#notSubmitted}}
<font color="comment">未报送</font>（{{count}}个）：{{names}}
{{/notSubmitted}}
{{#quotas}}
**{{label}}**：合计 {{totalText}}，{{metCount}} 个已完成全年目标{{#behind}}；进度滞后：{{names}}{{/behind}}{{#zero}}；为0：{{names}}{{/zero}}
{{/quotas}}
{{#hasGrades}}
**等次**{{#gradesProvisional}}（暂定）{{/gradesProvisional}}：{{gradeRule}}
{{#grades}}
> {{grade}}（{{count}}个）：{{names}}
{{/grades}}
{{#gradesProvisional}}
> {{note}}
{{/gradesProvisional}}
{{/hasGrades}}
{{/groups}}

请各市（州）商务局督促进度滞后、未报送的经开区抓紧整改。详见附件 Word、Excel 版。
> {{issuer}}　{{dateText}}
