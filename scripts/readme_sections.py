"""The parts of README.md written from the code, so that they cannot drift from it: the command
line (from lakou_metrics.cli.build_parser, the parser `-h` prints) and the settings (from
config/settings.toml: every key, its value as shipped and the comment above it). Each part sits between two
marker comments; `python scripts/readme_sections.py` rewrites them in place, and
tests/test_readme.py fails when the README differs from what this script would write."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from lakou_metrics.cli import build_parser  # noqa: E402

README = ROOT / "README.md"
MARKER = "<!-- {name}：由 scripts/readme_sections.py 生成，请勿手改 -->"
END = "<!-- {name}：生成内容结束 -->"


def _subcommands(parser: argparse.ArgumentParser):
    """(name, help, subparser) of each command, in the parser's order."""
    (action,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    return [(name, helps.get(name, ""), sub) for name, sub in action.choices.items()]


def _usage(prog: str, sub: argparse.ArgumentParser) -> str:
    """One command's usage on one line: positionals first, as people type them, then the options."""
    words = [prog]
    options = []
    for action in sub._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if not action.option_strings:
            name = action.metavar or action.dest
            words.append(f"{name} [{name} ...]" if action.nargs == "+" else name)
            continue
        text = _option(action)
        options.append(text if action.required else f"[{text}]")
    return " ".join(words + options)


def _option(action: argparse.Action) -> str:
    flag = action.option_strings[-1]
    return flag if action.nargs == 0 else f"{flag} {action.metavar or action.dest.upper()}"


def command_line_section() -> str:
    """Every command's usage and what it does with its own options' help, then once the options
    several commands share, as `-h` says them."""
    parser = build_parser()
    commands = _subcommands(parser)
    said: dict[str, list[str]] = {}
    for name, _help, sub in commands:
        for action in sub._actions:
            if action.option_strings and action.help and not isinstance(action, argparse._HelpAction):
                said.setdefault(f"{_option(action)}：{action.help}", []).append(name)
    shared = {line for line, names in said.items() if len(names) > 1}
    lines = ["```"]
    for name, help_text, sub in commands:
        lines += [_usage(f"{parser.prog} {name}", sub), f"    {help_text}"]
        lines += [f"    {line}" for line, names in said.items() if name in names and line not in shared]
        lines.append("")
    lines.append("共用的选项：")
    lines += [f"    {line}（{'、'.join(said[line])}）" for line in said if line in shared]
    lines.append("```")
    return "\n".join(lines)


SETTINGS = ROOT / "config" / "settings.toml"


def _is_code(line: str) -> bool:
    """A commented-out line of settings (a table header or key = value), not words."""
    return line.startswith("[") or "=" in line.split("（")[0]


def settings_section() -> str:
    """A table of every setting of config/settings.toml: the key under its table, the value as
    shipped (which tests/test_readme.py checks is the code's default) and what the comment above it
    says. A comment holds for the keys under it until the next comment."""
    rows = ["| 设置 | 默认值 | 说明 |", "| --- | --- | --- |"]
    table, said, comment, last = "", [], "", None
    for line in SETTINGS.read_text(encoding="utf-8").splitlines()[2:]:  # after the file's own two-line header
        text = line.strip()
        if text.startswith("#"):
            said.append(text.lstrip("# ").strip())
        elif text.startswith("["):
            table = text.strip("[]")
            comment, said = "".join(said) or comment, []
        elif "=" in text:
            key, value = (part.strip() for part in text.split("=", 1))
            comment, said = "".join(said) or comment, []
            shown = "同上" if comment == last else comment.replace("|", "／")
            last = comment
            rows.append(f"| `[{table}] {key}` | `{value}` | {shown} |")
        elif not text:
            continue
    if said:  # an example left commented out at the end (e.g. a county's fixed bases)
        rows.append("")
        words = "".join(line for line in said if not _is_code(line))
        example = "；".join(f"`{line}`" for line in said if _is_code(line))
        rows.append(f"文件末尾另有说明（注释）：{words}{example}")
    return "\n".join(rows)


SECTIONS = {"命令行": command_line_section, "设置": settings_section}


def rewrite(text: str) -> str:
    """`text` (the README) with every generated part written anew."""
    for name, make in SECTIONS.items():
        begin, end = MARKER.format(name=name), END.format(name=name)
        pattern = re.compile(re.escape(begin) + r"\n.*?\n" + re.escape(end), re.S)
        if not pattern.search(text):
            raise SystemExit(f"README.md lacks the markers of {name}: {begin} … {end}")
        text = pattern.sub(lambda _m: f"{begin}\n{make()}\n{end}", text)
    return text


def main() -> None:
    README.write_text(rewrite(README.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
