"""Chinese texts for every diagnostic code: `CATALOGUE` (what is wrong, what to do) and `TITLES` (a short title
per code, for the README's code table and `exemplars codes`). Placeholders such as {allowed} or {value} are filled in
by the rule that reports the problem (check.py, the *_rules.py modules, load.py).

Codes are stable: editors search for them and CI logs quote them. Add new codes; never reuse or rename one.
"""

from __future__ import annotations

from .personal import mask_numbers

CATALOGUE: dict[str, tuple[str, str]] = {  # code → (message, hint)
    # --- the file itself -------------------------------------------------------------------------
    "E-FILE-EMPTY": ("文件是空的", "删除该文件，或用 `exemplars new` 重新生成故事模板"),
    "E-FILE-BINARY": (
        "文件不是文本（含有二进制内容）",
        "故事必须是 UTF-8 编码的 Markdown 文本；图片等请放到别处并在正文中引用",
    ),
    "E-FILE-TOO-LARGE": ("文件太大（{size}），超过上限 {limit}", "一个故事应在数千字以内；请检查是否误粘贴了大段内容"),
    "E-FILE-ENCODING": (
        "文件不是 UTF-8 编码{guess}，第一个无法识别的字节在第 {at} 行",
        "用编辑器“另存为 UTF-8”，或运行 `iconv -f GBK -t UTF-8 原文件 > 新文件` 转换后替换",
    ),
    "E-FILE-UTF16": (
        "文件是 UTF-16 编码（{variant}；记事本里叫“Unicode”或“Unicode big endian”），不是 UTF-8",
        "用记事本打开，选“另存为”，把下方的“编码”改成 UTF-8 后保存；"
        "WPS/Word 请“另存为”纯文本并选 UTF-8（Unicode (UTF-8)）；"
        "或运行 `iconv -f UTF-16 -t UTF-8 原文件 > 新文件` 转换后替换",
    ),
    "E-FILE-NAME": (
        "`{name}` 不会被当作 {folder}/ 的内容读取和发布：{why}",
        "把文件改名为 `{target}`（扩展名必须是小写的 .md）。"
        "Windows 资源管理器默认隐藏扩展名：先在“查看”中勾选“文件扩展名”再改名",
    ),
    "E-FILE-WORD": (
        "`{name}` 是 Word/WPS 等文字处理软件的文档（{suffix}），网站无法读取，不会发布",
        "把文档移出 {folder}/，再运行 `exemplars import 文档.docx` 把它导入为故事草稿（.doc、"
        ".wps 先在 Word/WPS 中另存为 .docx）；"
        "或用 `exemplars new` 生成故事文件，把 Word 里的正文复制进去",
    ),
    "W-FILE-IGNORED": (
        "`{name}` 不是 Markdown 文件（{suffix}），不会读取也不会发布",
        "{folder}/ 中只放 .md 文件和正文引用的图片；如果这是故事，改名为 .md，否则把它移出 {folder}/",
    ),
    "W-PATH-NOT-CHECKED": (
        "没有检查这个文件：{reason}",
        "故事、方法和课程是 stories/、methods/、lessons/ 中扩展名为 .md 的文件",
    ),
    "E-FILE-READ": ("无法读取文件：{error}", "检查文件权限，或它是否被其他程序占用"),
    "E-PATH-SYMLINK": ("这是指向仓库之外（{target}）的符号链接，已拒绝读取", "把文件本身放进仓库，不要用符号链接"),
    # --- front matter ------------------------------------------------------------------------------
    "E-FM-MISSING": (
        "缺少文件头（front matter）：文件第一行必须是 `---`",
        "在文件开头加上以 `---` 开始、以 `---` 结束的 YAML 文件头，可用 `exemplars new` 生成模板",
    ),
    "E-FM-UNCLOSED": (
        "文件头没有结束：第 1 行的 `---` 之后找不到结束的 `---`",
        "在最后一个字段之后、正文之前单独加一行 `---`",
    ),
    "E-FM-NOT-MAPPING": (
        "文件头必须是“字段: 值”的列表，这里却是{found}",
        "每行写成 `字段名: 值` 的形式，例如 `title: 标题`",
    ),
    "E-YAML-SYNTAX": (
        "文件头的 YAML 语法有误：{problem}",
        "检查这一行及上一行：冒号后要有空格，含冒号或 # 的值要加引号，列表项以“- ”开头且缩进一致",
    ),
    "E-YAML-TAG": ("文件头使用了不允许的 YAML 标签 `{tag}`", "去掉以 `!` 开头的标签，只写普通的文字、数字、列表"),
    "E-YAML-ALIAS": (
        "文件头的 YAML 锚点/别名展开后过大（超过 {limit} 个节点），已拒绝",
        "不要在文件头中使用 `&锚点` 和 `*别名`，直接写出值",
    ),
    "E-YAML-DEPTH": ("文件头嵌套层级过深", "文件头只需要一两层结构，请检查括号和缩进"),
    "E-YAML-DUPKEY": ("字段 `{key}` 重复出现，第一次在第 {first} 行", "只保留一个 `{key}`，把内容合并到一处"),
    "W-YAML-COMMENT": (
        "“ #”之后的“{comment}”被当成了注释，没有算进值里：值只剩“{value}”",
        "如果它是内容，请给整个值加引号，写成 `{quoted}`；如果是注释，请把它移到单独的一行",
    ),
    "E-YAML-KEY-TYPE": ("字段名必须是文字，这里是 `{key}`", "把字段名改成文档中列出的名称"),
    # --- fields --------------------------------------------------------------------------------------
    "E-FIELD-MISSING": ("缺少必填字段 `{field}`（{label}）", "添加一行 `{field}: {example}`"),
    "W-FIELD-MISSING": ("草稿还缺少字段 `{field}`（{label}）", "送审前添加一行 `{field}: {example}`"),
    "E-FIELD-EMPTY": ("字段 `{field}`（{label}）不能为空", "填写内容，例如 `{field}: {example}`"),
    "E-FIELD-TYPE": ("字段 `{field}` 应为{expected}，实际是{found}", "改成例如 `{field}: {example}`"),
    "E-FIELD-UNKNOWN": ("未知字段 `{field}`{suggestion}", "删除该字段，或改成文档列出的字段名"),
    "E-FIELD-CHOICE": (
        "字段 `{field}` 的值 `{value}` 无效{suggestion}",
        "可选值：{choices}；文件里只写英文值，括号里是它的中文名称",
    ),
    "E-ID-FORMAT": (
        "`{field}` 的值 `{value}` 不是合法的标识",
        "只能用小写英文字母、数字和单个连字符，例如 `{example}`",
    ),
    "E-ID-DUPLICATE": ("{what} `{value}` 与 {other} 重复", "故事和课程的 id（及旧 id）在全库必须唯一，请改用别的 id"),
    "E-DATE-INVALID": ("`{field}` 的值 `{value}` 不是有效日期", "按 YYYY-MM-DD 写，例如 `{field}: 2019-06-12`"),
    "E-URL-SCHEME": (
        "来源链接 `{value}` 不是 http 或 https 地址",
        "写完整网址，例如 `https://www.example.gov.cn/…`，或删去 url 只保留 title",
    ),
    "E-TEXT-TOO-LONG": (
        "`{field}`（{label}）有 {length} 个字，超过上限 {limit} 个字",
        "删减到上限以内：一行标题或摘要只写最要紧的事，细节放进正文",
    ),
    "E-TEXT-NEWLINE": ("`{field}` 只能写一行文字", "把多行内容合并成一行"),
    "E-PLACEHOLDER": ("`{field}` 还是模板里的占位内容“{value}”", "送审或发布前必须替换为真实内容"),
    "W-PLACEHOLDER": ("草稿的 `{field}` 还是占位内容“{value}”", "送审前替换为真实内容"),
    # --- references ----------------------------------------------------------------------------------
    "E-METHOD-UNKNOWN": (
        "未知的群众工作方法 `{value}`{suggestion}",
        "写 methods/ 中某个方法的 id、名称或别名；现有方法：{choices}",
    ),
    "E-METHOD-DUPLICATE": ("方法 `{value}` 在 methods 中重复列出", "删去重复的一项"),
    "E-METHOD-NAME-CLASH": ("方法的{what} `{value}` 与 {other} 冲突", "方法的 id、名称和别名在所有方法中必须唯一"),
    "E-REGION-PROVINCE": (
        "地区的第一级 `{value}` 不是省级行政区的全称{suggestion}",
        "第一级须为 34 个省级行政区之一的全称，例如 `浙江省/湖州市/安吉县`",
    ),
    "E-REGION-FORMAT": (
        "地区 `{value}` 格式不对：{problem}",
        "用 `/` 分隔各级，不留空级和空格，例如 `浙江省/湖州市/安吉县`",
    ),
    "W-REGION-SPELLING": (
        "地区 `{value}` 与库中已有的 `{other}` 像是同一地方的两种写法（见 {where}）",
        "统一成一种写法，否则两种写法会各自生成一个浏览页",
    ),
    "E-RELATED-UNKNOWN": (
        "相关故事 `{value}` 不存在{suggestion}",
        "写库中某个故事的 id；故事改过 id 的，旧 id 须留在它的 aliases 中",
    ),
    "E-RELATED-SELF": ("故事不能把自己列为相关故事", "删去这一项"),
    # --- lessons and citations --------------------------------------------------------------------------
    "E-LESSON-STORY-UNKNOWN": (
        "课程引用的故事 `{value}` 不存在{suggestion}",
        "写库中某个故事的 id；故事改过 id 的，旧 id 须留在它的 aliases 中（用 `exemplars mv` 改 id 会自动保留）",
    ),
    "E-LESSON-STORY-DUPLICATE": ("故事 `{value}` 在 stories 中重复列出", "每个故事只列一次，按讲授顺序排列"),
    "E-CITE-UNKNOWN": (
        "正文中的引用 `{written}`：{what} `{value}` 不存在{suggestion}",
        "写成 `[[story:故事id]]` 或 `[[lesson:课程id]]`，"
        "id 须是库中现有的 id 或旧 id；改 id 请用 `exemplars mv`，旧 id 会自动保留",
    ),
    "E-LINK-PAGE-UNKNOWN": (
        "链接 `{target}` 指向的{what} `{value}` 不存在{suggestion}",
        "改成现有{what}的网址，或改用 `[[story:故事id]]` 引用；改名时旧 id 须留在 aliases 中",
    ),
    "W-CITE-ALIAS": (
        "`{value}` 是{what}的旧标识，它现在的标识是 `{current}`",
        "旧标识仍然有效（旧网址会跳转），但请改写成 `{current}`；`exemplars mv` 改 id 时会自动改写全部引用",
    ),
    "E-CITE-UNPUBLISHED": (
        "{source}引用了{status_label}（{status}）状态的{what} `{value}`",
        "公开页面只能引用已发布的内容："
        "等该{what}发布后再发布本文件（先把 status 改回 review 或 draft），或改引用已发布的{what}",
    ),
    "W-CITE-WITHDRAWN": (
        "引用的故事 `{value}` 已撤回（withdrawn），页面上只剩撤回说明",
        "换用其他故事，或删去这条引用",
    ),
    # --- exemplars mv ------------------------------------------------------------------------------------
    "E-MV-ID-FORMAT": ("新标识 `{value}` 不合法", "只能用小写英文字母、数字和单个连字符，例如 `yucun-yishihui-2019`"),
    "E-MV-SAME": ("新旧标识相同（`{value}`），没有可改的", "写一个与现在不同的新标识"),
    "E-MV-UNKNOWN": (
        "找不到标识为 `{value}` 的故事或课程{suggestion}",
        "写故事或课程现在的 id：`exemplars mv 旧id 新id`",
    ),
    "E-MV-OLD-IS-ALIAS": (
        "`{value}` 是{what} `{current}` 的旧标识，不是它现在的标识",
        "要改 id，请运行 `exemplars mv {current} 新id`",
    ),
    "E-MV-AMBIGUOUS": (
        "标识 `{value}` 同时是多个文件的 id：{files}",
        "先按 `exemplars check` 的 E-ID-DUPLICATE 提示让 id 唯一，再改名",
    ),
    "E-MV-TAKEN": (
        "新标识 `{value}` 已被 {other} 使用",
        "换一个全库没有用过的新标识（旧标识也算用过：旧网址要继续跳转到原来的页面）",
    ),
    "E-MV-TARGET-EXISTS": ("要改名成的文件 {file} 已经存在", "先处理那个文件（它的 id 是否写错了？），再改名"),
    "E-MV-FILE-UNREADABLE": (
        "{file} 的文件头有错误，无法安全修改",
        "先运行 `exemplars check {file}` 修正文件头，再改名",
    ),
    "E-MV-ALIASES-FORMAT": (
        "{file} 的 aliases 写法无法自动追加旧标识",
        "把 aliases 写成每行一项的列表（`  - 旧id`）或一行的 `[a, b]`，提交后重试",
    ),
    "E-MV-EDIT-FAILED": (
        "无法在 {file} 第 {line} 行安全地改写 `{value}`，没有写入任何文件",
        "这一处写法特殊（多行或带引号的值？）：改成普通写法并提交后重试，或手动修改",
    ),
    "E-MV-NOT-GIT": (
        "{file} 不在 git 仓库中",
        "`exemplars mv` 只在 git 仓库中运行，这样它的每一处改动都能用 `git diff` 查看、用 git 撤销",
    ),
    "E-MV-DIRTY": (
        "这些要改动的文件有尚未提交的修改：{files}",
        "先提交（git commit）或撤销这些修改再运行，这样改名的改动可以单独查看和撤销",
    ),
    "E-MV-GIT": ("git 命令失败：{error}", "检查仓库状态（`git status`），解决后重试"),
    # --- review ---------------------------------------------------------------------------------------
    "E-REVIEW-MISSING": (
        "已发布（published）的故事缺少审核人 `reviewed_by`",
        "发布前须由作者以外的编辑审核：添加一行 `reviewed_by: 审核人姓名`；尚未审核的请把 status 改回 review",
    ),
    "E-REVIEW-SELF": (
        "审核人 `{reviewer}` 就是作者本人",
        "发布的故事须由作者以外的另一位编辑审核：把 `reviewed_by` 改为审核人的姓名",
    ),
    "W-PUBLISHED-MISSING": (
        "已发布（published）的故事没有填写发布日期 `published`",
        "审核人发布时添加一行 `published: 发布当天的日期`（如 `published: 2024-03-15`）；"
        "不填时订阅按 `updated`（没有则按 `date`）排列，新发布的往事会排到订阅后面，订阅者可能注意不到",
    ),
    "E-PUBLISHED-BEFORE-DATE": (
        "发布日期 `published: {value}` 早于事情发生的日期 `date: {date}`",
        "`published` 写故事在本站发布的那一天，不会早于 `date`：检查是否把两个日期写反或写错了年份",
    ),
    # --- cautionary cases ---------------------------------------------------------------------------
    "E-CAUTIONARY-REGION": (
        "反面典型的地区 `{value}` 细到了地市级以下；反面典型只能写到{allowed}",
        "改成 `region: {cut}`；县、乡（镇）、村在正文中也写成“某县”“某镇”“某村”",
    ),
    "W-CAUTIONARY-REGION": (
        "草稿的地区 `{value}` 细到了地市级以下；反面典型只能写到{allowed}",
        "送审前改成 `region: {cut}`；县、乡（镇）、村在正文中也写成“某县”“某镇”“某村”",
    ),
    "E-CAUTIONARY-NAME": (
        "反面典型的 `{field}` 中有疑似真实姓名“{value}”",
        "人名一律匿名：改成“{anonymous}”这样的写法",
    ),
    "W-CAUTIONARY-NAME": ("草稿的 `{field}` 中有疑似真实姓名“{value}”", "送审前匿名：改成“{anonymous}”这样的写法"),
    # --- body ------------------------------------------------------------------------------------------
    "E-BODY-EMPTY": (
        "{status_label}（{status}）的{what}正文是空的：文件头结束的 `---` 之后没有文字",
        "在 `---` 之后写正文；还没写好的，请把 status 改回 draft",
    ),
    "W-BODY-EMPTY": ("草稿的正文还是空的", "送审前在文件头结束的 `---` 之后写好正文"),
    "E-HTML-SCRIPT": ("正文含有 `<script>` 脚本", "删除脚本；故事正文只写文字、图片和链接"),
    "E-HTML-FRAME": ("正文含有 `<{tag}>` 嵌入内容", "删除它；需要引用外部内容时写普通链接"),
    "E-HTML-EVENT": ("正文含有事件属性 `{attr}`", "删除该属性；正文不允许内嵌脚本"),
    "E-HTML-JSURL": ("正文含有 `javascript:` 链接", "改成普通的 http/https 链接，或删除"),
    "E-PII-IDCARD": (
        "{where}含有疑似居民身份证号 `{value}`",
        "删除或打码（如 3301**********1234）；公开网站不得刊登个人证件号码",
    ),
    "E-PII-MOBILE": ("{where}含有疑似手机号码 `{value}`", "删除或打码（如 138****5678）；公开网站不得刊登个人联系方式"),
    "E-SITE-URL": (
        "mkdocs.yml 的 site_url 为{value}，不是完整的 http(s) 网址",
        "订阅源、故事目录 stories.json 和二维码里的链接都要用网站的完整地址：写成 site_url: https://你的域名/",
    ),
    "E-LINK-MISSING": ("链接指向的文件 `{target}` 不存在", "检查路径拼写（相对于本文件所在目录），或删去该链接"),
    # --- images --------------------------------------------------------------------------------------
    "E-IMAGE-MISSING": (
        "{where}引用的图片 `{value}` 不存在{suggestion}",
        "把图片放进仓库的 media/ 文件夹（或故事文件旁边）并检查路径拼写："
        "`cover` 写从仓库根目录起的路径（如 `cover: media/yucun.jpg`），"
        "图片在故事旁边时只写文件名；正文中的图片写相对于本文件的路径（如 `![说明](../../media/yucun.jpg)`）",
    ),
    "E-IMAGE-OUTSIDE": (
        "{where}引用的图片 `{value}` 在故事库之外（路径用 `..` 或 `/` 走出了仓库）",
        "把图片复制到仓库的 media/ 文件夹，再引用仓库里的这一份",
    ),
    "E-IMAGE-FORMAT": (
        "{where}引用的 `{value}` 不是 JPEG、PNG 或 WebP 图片，而是{found}",
        "用看图或修图软件把它“另存为”JPG 或 PNG 后替换（苹果手机照片可在“设置 > 相机 > 格式”中选“兼容性最佳”）；"
        "只改扩展名不会改变文件内容",
    ),
    "E-IMAGE-READ": ("{where}引用的图片 `{value}` 无法读取：{error}", "检查文件权限，或它是否被其他程序占用"),
    "E-IMAGE-TOO-LARGE": (
        "{where}引用的图片 `{value}` 有 {size}，超过上限 {limit}",
        "用修图软件把图片缩小（长边 3000 像素以内足够）或压缩后再放进仓库；网站会自动生成适合手机的小图",
    ),
    "E-IMAGE-DIMENSIONS": (
        "{where}引用的图片 `{value}` 尺寸为 {width}×{height} 像素，"
        "不在 {low}–{high} 像素之间（总计不超过 {megapixels} 百万像素）",
        "换一张清晰的原图，或用修图软件把过大的图片缩小到长边 3000 像素左右",
    ),
    # --- guesses left by `exemplars import` ----------------------------------------------------------
    "W-GUESSED": (
        "草稿的 `{field}` 是导入 Word 文档时从正文猜出的（“{value}”），还没有核实",
        "对照原材料核实或改正 `{field}`，然后从 `guessed` 中删掉这一项（全部核实后删掉整行 `guessed`）",
    ),
    "E-GUESSED": (
        "`{field}` 是导入 Word 文档时猜出的（“{value}”），送审或发布前还没有核实",
        "对照原材料核实或改正 `{field}`，然后从 `guessed` 中删掉这一项（全部核实后删掉整行 `guessed`）",
    ),
    # --- `exemplars import`: files that cannot be imported (nothing is written) ------------------------
    "E-IMPORT-DOC": (
        "这是旧版 Word 文档（.doc，二进制格式），无法导入",
        "用 Word 或 WPS 打开它，选“文件 → 另存为”，保存类型选“Word 文档 (*.docx)”，再导入新的 .docx 文件",
    ),
    "E-IMPORT-WPS": (
        "这是 WPS 文字的专有格式（.wps），无法导入",
        "用 WPS 打开它，选“文件 → 另存为”，文件类型选“Microsoft Word 文件 (*.docx)”，再导入新的 .docx 文件",
    ),
    "E-IMPORT-ENCRYPTED": (
        "文档设置了打开密码（已加密），无法读取",
        "在 Word 或 WPS 中输入密码打开，在“文件 → 信息 → 保护文档”（WPS："
        "“文件 → 文档加密”）中清除密码，另存为 .docx 后再导入",
    ),
    "E-IMPORT-CORRUPT": (
        "文档已损坏（.docx 压缩包不完整或内容无法解析），无法导入",
        "用 Word 或 WPS 打开并“另存为”一份新的 .docx；打不开时向提供材料的人重新要一份",
    ),
    "E-IMPORT-NOT-WORD": (
        "这不是 Word 文档（{found}），只能导入 .docx 文件",
        "用 WPS 或 Word 打开原材料（PDF、RTF 等），选“文件 → 另存为”，保存为 Word 文档 (*.docx) 后再导入；"
        "并确认选中的是文档本身，而不是改了扩展名的其他文件",
    ),
    "E-IMPORT-READ": ("无法读取文件：{reason}", "检查文件是否存在、权限是否允许读取，或它是否被其他程序占用"),
    "E-IMPORT-WRITE": (
        "无法写入 `{target}`：{reason}；这个文档没有导入，已写出的图片也已删除",
        "检查故事库文件夹的写入权限和磁盘空间，然后重新导入",
    ),
    "E-IMPORT-ID-TAKEN": (
        "由标题生成的标识 `{story_id}` 已被 {holder} 使用，这个文档没有导入",
        "如果这份材料已经导入过，直接编辑 {holder}；否则用 --id 为它指定另一个标识，例如 --id {story_id}-2",
    ),
    "E-IMPORT-EXISTS": (
        "要写入的 `{target}` 已存在，没有覆盖它，这个文档没有导入",
        "先处理已有的文件（它可能是上次导入的结果），或用 --id 为这个文档指定另一个标识",
    ),
}


# One line per code for the README's table and `exemplars codes`.
TITLES: dict[str, str] = {
    "E-FILE-EMPTY": "空文件",
    "E-FILE-BINARY": "不是文本文件",
    "E-FILE-TOO-LARGE": "文件过大",
    "E-FILE-ENCODING": "不是 UTF-8 编码（常见于 GBK）",
    "E-FILE-UTF16": "UTF-16 编码（记事本的“Unicode”）",
    "E-FILE-NAME": "扩展名不对（如 .md.txt、.MD、无扩展名）",
    "E-FILE-WORD": "Word/WPS 文档放进了故事库",
    "W-FILE-IGNORED": "故事库文件夹中的其他文件",
    "W-PATH-NOT-CHECKED": "指定的文件没有检查",
    "E-FILE-READ": "文件无法读取",
    "E-PATH-SYMLINK": "指向仓库外的符号链接",
    "E-FM-MISSING": "缺少文件头",
    "E-FM-UNCLOSED": "文件头没有结束的 ---",
    "E-FM-NOT-MAPPING": "文件头不是“字段: 值”形式",
    "E-YAML-SYNTAX": "YAML 语法错误",
    "E-YAML-TAG": "使用了 YAML 标签（如 !!python/…）",
    "E-YAML-ALIAS": "YAML 别名展开过大",
    "E-YAML-DEPTH": "YAML 嵌套过深",
    "E-YAML-DUPKEY": "字段重复",
    "W-YAML-COMMENT": "值在“ #”处被截断成注释",
    "E-YAML-KEY-TYPE": "字段名不是文字",
    "E-FIELD-MISSING": "缺少必填字段",
    "W-FIELD-MISSING": "草稿缺少内容字段",
    "E-FIELD-EMPTY": "必填字段为空",
    "E-FIELD-TYPE": "字段类型不对",
    "E-FIELD-UNKNOWN": "未知字段",
    "E-FIELD-CHOICE": "取值不在可选范围内",
    "E-ID-FORMAT": "标识格式不对",
    "E-ID-DUPLICATE": "标识或旧标识重复",
    "E-DATE-INVALID": "日期无效",
    "E-URL-SCHEME": "来源链接不是 http(s)",
    "E-TEXT-TOO-LONG": "文字超过长度上限",
    "E-TEXT-NEWLINE": "单行字段写成了多行",
    "E-PLACEHOLDER": "送审/发布的故事或课程仍有占位内容",
    "W-PLACEHOLDER": "草稿仍有占位内容",
    "E-METHOD-UNKNOWN": "未知的方法",
    "E-METHOD-DUPLICATE": "方法重复列出",
    "E-METHOD-NAME-CLASH": "方法的 id、名称、别名冲突",
    "E-REGION-PROVINCE": "地区第一级不是省级全称",
    "E-REGION-FORMAT": "地区格式不对",
    "W-REGION-SPELLING": "同一地方两种写法",
    "E-RELATED-UNKNOWN": "相关故事不存在",
    "E-RELATED-SELF": "相关故事指向自己",
    "E-LESSON-STORY-UNKNOWN": "课程引用的故事不存在",
    "E-LESSON-STORY-DUPLICATE": "课程的 stories 中故事重复",
    "E-CITE-UNKNOWN": "正文引用的故事或课程不存在",
    "E-LINK-PAGE-UNKNOWN": "链接指向的故事或课程页不存在",
    "W-CITE-ALIAS": "引用用的是旧标识",
    "E-CITE-UNPUBLISHED": "公开页面引用了未发布的内容",
    "W-CITE-WITHDRAWN": "引用了已撤回的故事",
    "E-MV-ID-FORMAT": "mv：新标识不合法",
    "E-MV-SAME": "mv：新旧标识相同",
    "E-MV-UNKNOWN": "mv：找不到旧标识",
    "E-MV-OLD-IS-ALIAS": "mv：写的是旧标识",
    "E-MV-AMBIGUOUS": "mv：旧标识属于多个文件",
    "E-MV-TAKEN": "mv：新标识已被占用",
    "E-MV-TARGET-EXISTS": "mv：目标文件已存在",
    "E-MV-FILE-UNREADABLE": "mv：文件头有错误",
    "E-MV-ALIASES-FORMAT": "mv：aliases 写法无法自动追加",
    "E-MV-EDIT-FAILED": "mv：无法安全改写",
    "E-MV-NOT-GIT": "mv：不在 git 仓库中",
    "E-MV-DIRTY": "mv：文件有未提交的修改",
    "E-MV-GIT": "mv：git 命令失败",
    "E-REVIEW-MISSING": "已发布的故事没有审核人",
    "E-REVIEW-SELF": "审核人与作者是同一人",
    "W-PUBLISHED-MISSING": "已发布的故事没有发布日期",
    "E-PUBLISHED-BEFORE-DATE": "发布日期早于发生日期",
    "E-BODY-EMPTY": "送审或发布的正文是空的",
    "W-BODY-EMPTY": "草稿正文是空的",
    "E-CAUTIONARY-REGION": "送审/发布的反面典型地区细于地市级",
    "W-CAUTIONARY-REGION": "反面典型草稿的地区细于地市级",
    "E-CAUTIONARY-NAME": "送审/发布的反面典型标题或摘要有真实姓名",
    "W-CAUTIONARY-NAME": "反面典型草稿的标题或摘要有真实姓名",
    "E-HTML-SCRIPT": "正文含脚本",
    "E-HTML-FRAME": "正文含嵌入框架",
    "E-HTML-EVENT": "正文含事件属性",
    "E-HTML-JSURL": "正文含 javascript: 链接",
    "E-PII-IDCARD": "正文或文件头含身份证号（全角数字、带空格或横线的也算）",
    "E-PII-MOBILE": "正文或文件头含手机号（全角数字、带空格、横线或 +86 的也算）",
    "E-LINK-MISSING": "链接的文件不存在",
    "E-SITE-URL": "site_url 不是完整网址",
    "E-IMAGE-MISSING": "引用的图片不存在",
    "E-IMAGE-OUTSIDE": "引用的图片在故事库之外",
    "E-IMAGE-FORMAT": "图片不是真正的 JPEG/PNG/WebP（如改了扩展名的文件）",
    "E-IMAGE-READ": "引用的图片无法读取",
    "E-IMAGE-TOO-LARGE": "图片文件过大",
    "E-IMAGE-DIMENSIONS": "图片尺寸过小或过大",
    "W-GUESSED": "草稿中导入时猜出、尚未核实的字段",
    "E-GUESSED": "送审/发布的故事仍有导入时猜出、未核实的字段",
    "E-IMPORT-DOC": "导入了旧版 .doc 文档",
    "E-IMPORT-WPS": "导入了 .wps 文档",
    "E-IMPORT-ENCRYPTED": "导入的文档有打开密码",
    "E-IMPORT-CORRUPT": "导入的 .docx 已损坏",
    "E-IMPORT-NOT-WORD": "导入的文件不是 Word 文档",
    "E-IMPORT-READ": "导入的文件无法读取",
    "E-IMPORT-WRITE": "导入的草稿无法写入",
    "E-IMPORT-ID-TAKEN": "导入的文档的标识已被占用",
    "E-IMPORT-EXISTS": "导入的目标文件已存在",
}


def render(code: str, **args: object) -> tuple[str, str]:
    """The (message, hint) for `code`, filled in with `args`. Unknown codes are a programming error."""
    message, hint = CATALOGUE[code]
    args.setdefault("suggestion", "")
    # A message may quote what the editor wrote (an id, a title, a region); a personal number in it is masked,
    # whatever the message, so no log, CI annotation or preview dashboard ever repeats one.
    return mask_numbers(message.format(**args)), mask_numbers(hint.format(**args))


def did_you_mean(candidate: str | None) -> str:
    return f"，是不是 `{candidate}`？" if candidate else ""


def codes_table() -> str:
    """Every diagnostic code as a Markdown table (README, contribution guide, `exemplars codes`)."""
    rows = ["| 代码 | 级别 | 含义 | 怎么改 |", "|---|---|---|---|"]
    for code, (_, hint) in CATALOGUE.items():
        level = "警告" if code.startswith("W-") else "错误"
        generic_hint = hint.format_map(_Generic())
        rows.append(f"| `{code}` | {level} | {TITLES[code]} | {generic_hint.replace('|', '/')} |")
    return "\n".join(rows)


class _Generic(dict):
    """Fills a hint's slots with generic words, for the table of codes."""

    WORDS = {
        "field": "字段名",
        "key": "字段名",
        "example": "示例值",
        "choices": "（见具体提示）",
        "value": "值",
        "what": "故事或课程",
        "current": "现在的标识",
        "file": "文件",
        "date": "发生日期",
        "target": "正确的文件名（如 故事.md）",
        "folder": "stories",
        "quoted": '"整个值"',
        "cut": "省/市",
        "anonymous": "张某某",
        "holder": "已有的故事文件",
        "story_id": "标识",
    }

    def __missing__(self, key: str) -> str:
        return self.WORDS.get(key, key)
