{{! ================================================================================== }}
{{! 通报 Word 版（GB/T 9704-2012 党政机关公文格式）的正文模板。修改后重新生成通报即生效。        }}
{{! 每行一段，行首标记决定格式（标记后须有一个空格）：                                          }}
{{!   @ 发文机关标志（红色小标宋，居中）     ~~~ 红色分隔线        ^ 居中一行（如发文字号）      }}
{{!   = 标题（二号方正小标宋简体，居中）     < 顶格一行（如主送机关）   ! 顶格黑体（如“附件”）    }}
{{!   # 一级标题（黑体，自动编号“一、”）    ## 二级标题（楷体，自动编号“（一）”）                }}
{{!   ### 三级标题（仿宋，自动编号“1.”）    #### 四级标题（仿宋，自动编号“（1）”）              }}
{{!   > 右对齐一行（署名、成文日期）         --- 另起一节（--- 横向：横向页面，用于附件表格）     }}
{{!   [[表格 类别代码]] 插入该类别的分区明细表     其他行：正文段落（三号仿宋，首行缩进两字）    }}
{{!   [[图表 类别代码]] 插入该类别的图表（完成率、总量），自动编号“图1”并加图题                 }}
{{! 占位符的写法和可用数据见 templates/circular.README.md。                                     }}
{{! ================================================================================== }}
@ {{issuer}}
^ {{docNumber}}
~~~
= 关于{{periodLabel}}经开区培育工作进展情况的通报
{{#isSample}}
^ {{sampleNote}}
{{/isSample}}
< {{addressee}}：
根据全省经开区培育工作安排，各市（州）商务局按季度报送经开区培育工作进展情况。现将{{periodLabel}}有关情况通报如下。
# 报送情况
截至{{builtAtText}}，全省应报送{{totals.zones}}个经开区，已报送{{totals.submitted}}个，其中逾期报送{{totals.late}}个；未报送{{totals.missing}}个{{#notSubmittedAll}}（{{names}}）{{/notSubmittedAll}}。本季度时间进度为{{expectedPct}}。
{{#groups}}
# {{label}}进展情况
{{#headline}}
## {{label}}完成情况
{{zoneCount}}个经开区中，已报送{{reportedCount}}个，累计完成{{label}}{{totalText}}，为全年目标{{targetText}}的{{completion}}，{{statusLabel}}。{{#yoy}}据{{zoneCount}}个经开区报送的同比增速推算，同比{{text}}。{{/yoy}}
{{#top}}
{{zoneName}}（{{prefecture}}）累计{{valueText}}，完成全年目标的{{completion}}，列第{{rank}}位。
{{/top}}
[[图表 {{code}}]]
{{/headline}}
{{^headline}}
已报送{{submittedCount}}个，未报送{{missingCount}}个。
{{/headline}}
{{#onTrack}}
进度正常或超额完成的有{{count}}个：{{names}}。
{{/onTrack}}
{{#behind}}
进度滞后的有{{count}}个：{{names}}。
{{/behind}}
{{#severelyBehind}}
其中严重滞后（低于时间进度一半）的有{{count}}个：{{names}}。
{{/severelyBehind}}
{{#zeroValue}}
业绩为0的有：{{names}}。
{{/zeroValue}}
{{#atRisk}}
完成率低于{{atRiskBelowPct}}、存在调出名单风险的有：{{names}}。
{{/atRisk}}
{{#notSubmitted}}
未报送的有{{count}}个：{{names}}。
{{/notSubmitted}}
{{#late}}
逾期报送的有{{count}}个：{{names}}。
{{/late}}
{{#quotas}}
## {{label}}
合计{{totalText}}，{{metCount}}个经开区已完成全年目标。{{#behind}}进度滞后的有：{{names}}。{{/behind}}{{#zero}}为0的有：{{names}}。{{/zero}}
{{/quotas}}
{{#hasGrades}}
## 等次情况
{{gradeRule}}
{{#grades}}
{{grade}}（{{count}}个）：{{names}}。
{{/grades}}
{{#gradesProvisional}}
{{note}}
{{/gradesProvisional}}
{{/hasGrades}}
{{/groups}}
# 下步工作要求
## 加快推进进度
请各市（州）商务局对照年度目标和时间进度，督促进度滞后、业绩为0的经开区分析原因、制定措施、抓紧整改。
## 按时报送数据
请未报送、逾期报送的市（州）按要求及时、准确报送经开区培育工作进展情况。
{{#hasTables}}
附件：{{attachmentNames}}
{{/hasTables}}
> {{issuer}}
> {{dateText}}
{{#tables}}
--- 横向
! {{mark}}
= {{title}}
{{#isSample}}
^ {{sampleNote}}
{{/isSample}}
[[表格 {{code}}]]
{{/tables}}
