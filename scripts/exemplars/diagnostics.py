"""A Diagnostic is data; printers turn a list of them into text, JSON or GitHub annotations."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum

from .messages import render


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # POSIX path relative to the library root
    line: int  # 1-based; 1 when the problem concerns the whole file
    code: str  # stable English id, e.g. E-METHOD-UNKNOWN
    severity: Severity
    message: str  # Chinese: what is wrong
    hint: str = ""  # Chinese: what to do

    @classmethod
    def make(cls, code: str, path: str, line: int | None, severity: Severity | None = None, **args) -> "Diagnostic":
        """Build a diagnostic from the message catalogue; severity defaults from the code's prefix."""
        message, hint = render(code, **args)
        if severity is None:
            severity = Severity.WARNING if code.startswith("W-") else Severity.ERROR
        return cls(path=path, line=max(1, line or 1), code=code, severity=severity, message=message, hint=hint)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def as_text(self) -> str:
        tail = f"（{self.hint}）" if self.hint else ""
        return f"{self.path}:{self.line}: {self.severity.label} {self.code}: {self.message}{tail}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def as_github(self) -> str:
        # GitHub workflow commands: properties and data need %, CR, LF (and , : in properties) escaped.
        def prop(value: str) -> str:
            return (
                value.replace("%", "%25")
                .replace("\r", "%0D")
                .replace("\n", "%0A")
                .replace(":", "%3A")
                .replace(",", "%2C")
            )

        def data(value: str) -> str:
            return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        level = "error" if self.is_error else "warning"
        tail = f"（{self.hint}）" if self.hint else ""
        return f"::{level} file={prop(self.path)},line={self.line},title={prop(self.code)}::{data(self.message + tail)}"


def sort_key(diag: Diagnostic) -> tuple:
    return (diag.path, diag.line, diag.code, diag.message)


def format_diagnostics(diags: list[Diagnostic], fmt: str) -> str:
    diags = sorted(diags, key=sort_key)
    if fmt == "json":
        return json.dumps([d.as_dict() for d in diags], ensure_ascii=False, indent=2)
    if fmt == "github":
        return "\n".join(d.as_github() for d in diags)
    return "\n".join(d.as_text() for d in diags)


def summary_line(diags: list[Diagnostic], files: int) -> str:
    errors = sum(1 for d in diags if d.is_error)
    warnings = len(diags) - errors
    if not diags:
        return f"检查了 {files} 个文件，没有发现问题。"
    verdict = "未通过" if errors else "通过（有警告）"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。{verdict}"
