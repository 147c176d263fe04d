"""`exemplars schema`: the field rules (exemplars/schema.py) as JSON Schema, for editors' tools, or as the
Markdown table of the contribution guide."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..fsutil import write_atomic
from ..library import load_library
from ..schema import CONTRACTS, json_schema, markdown_table
from .common import EXIT_OK, UsageError, library_root


def register(commands) -> None:
    schema = commands.add("schema", help="导出字段规范（JSON Schema 或 Markdown 表格）")
    schema.add_argument("--kind", choices=sorted(CONTRACTS), default="story", help="哪类文件（默认 story）")
    schema.add_argument("--format", choices=("json", "markdown"), default="json")
    schema.add_argument("-o", "--output", type=Path, help="写入文件（默认输出到终端）")
    schema.set_defaults(handler=cmd_schema)


def cmd_schema(args) -> int:
    contract = CONTRACTS[args.kind]
    if args.format == "markdown":
        text = markdown_table(contract) + "\n"
    else:
        refs = None
        if args.kind in ("story", "lesson"):
            try:
                refs = sorted(load_library(library_root(args)).method_refs)
            except UsageError:
                refs = None
        text = json.dumps(json_schema(contract, refs), ensure_ascii=False, indent=2) + "\n"
    if args.output:
        try:  # temp file + rename: an interrupted or failed write never leaves half a file
            write_atomic(args.output, text.encode("utf-8"))
        except OSError as exc:
            raise UsageError(f"无法写入 {args.output}：{exc.strerror or exc}") from None
        print(f"已写入 {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK
