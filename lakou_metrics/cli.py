"""Command line: import files, print the summary, load the sample, undo an import.

Exit codes:
  0  done: every file imported (or identical to what is stored, so unchanged);
  1  refused: a file's problems, an unknown --town, a store that cannot take the change (on
     stderr, in Chinese); nothing of that file is stored;
  2  wrong usage (an unknown option, a --period or --through that cannot be read);
  3  an unexpected internal error (never a traceback on the terminal; it goes to a log file);
  4  `import` only: a file has figures a person must confirm (preview.list_confirmations: a 1-N月
     figure typed as the month, a likely unit slip of output or electricity, a big 同比/环比 swing),
     listed on stderr; that file is not stored until the command is run again with --confirmed.
`import` checks and stores each file on its own, in the order given: a file that passes is
stored even when another is refused or waits for confirmation. With several files the code is 1
when any was refused, else 4 when any waits for confirmation, else 0. `--dry-run` stores nothing
and exits with the code the import would give.

Output piped into a reader that stops early (`| head`) ends quietly: the rest of the output is
dropped, the work itself (every file of an import) is finished.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import secrets
import sys
import traceback
import warnings
from pathlib import Path

from . import importing, store
from .compute.report import load_year_to_date, summary_json
from .domain import labels
from .domain.periods import Period, parse_period, parse_through
from .domain.text import strip_invisible
from .ingest.errors import ImportRefused
from .preview import (
    Confirmation,
    count_confirmations,
    describe_divergences,
    group_confirmations,
    list_confirmations,
    preview_bytes,
)
from .settings import (
    load_electricity_settings,
    load_evaluation_settings,
    load_preview_swing,
    load_project_settings,
    load_timezone,
    load_unit_slip_ratio,
    load_warning_settings,
    town_today,
)

SAMPLE_TOWN = "腊口镇"  # the town data/sample/ is made for (scripts/make_sample_data.py)
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "data" / "sample"
# The order matters only for what a reader of the history sees first: register, then data.
SAMPLE_ORDER = ("企业名录", "逐月", "1-3月", "1-6月", "1-9月", "目标", "对比", "重点项目")


_ARGPARSE_MESSAGES = (  # argparse's English, as staff should read it
    (re.compile(r"the following arguments are required: (.+)"), "缺少参数：{0}"),
    (re.compile(r"argument (\S+): invalid int value: '(.*)'"), "参数 {0} 应为整数，而不是“{1}”"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面缺少取值"),
    (re.compile(r"argument (\S+): invalid choice: '(.*?)'.*"), "没有“{1}”这个命令"),
    (re.compile(r"unrecognized arguments: (.+)"), "无法识别的参数：{0}"),
)


class _Parser(argparse.ArgumentParser):
    """argparse that explains usage errors in Chinese and exits 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        for pattern, text in _ARGPARSE_MESSAGES:
            match = pattern.fullmatch(message)
            if match:
                message = text.format(*match.groups())
                break
        print(f"用法错误：{message}。查看帮助：python -m lakou_metrics -h", file=sys.stderr)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m lakou_metrics", description="腊口镇工业经济数据：导入、汇总、示例数据")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    imp = commands.add_parser("import", help="导入企业产值表、目标表、企业名录、重点项目、对比乡镇、"
                                             "亩均评价数据或用电量表（.xlsx/.xls/.csv）")
    imp.add_argument("files", nargs="+", metavar="文件")
    _store_options(imp)
    imp.add_argument("--period", metavar="期间",
                     help="指定数据期间，如 2024Q1、2024M04，或年度数据的年份 2023（覆盖表内识别的期间）")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不保存")
    imp.add_argument("--confirmed", action="store_true",
                     help="已核对须确认的数值（可能填错单位、把1-N月累计填成当月、波动大），照常导入")
    imp.add_argument("--who", metavar="姓名", help=WHO_HELP)
    _new_town_option(imp)

    summ = commands.add_parser("summary", help="某年截至某期的累计指标")
    summ.add_argument("--year", type=int, required=True, metavar="年份")
    summ.add_argument("--through", required=True, metavar="期间", help="Q1..Q4 或 M01..M12")
    _store_options(summ)
    summ.add_argument("--json", action="store_true", help="输出 JSON（金额单位万元，增速为小数）")

    init = commands.add_parser("init", help="创建数据库；--sample 在数据库为空时加载示例数据")
    init.add_argument("--sample", action="store_true")
    init.add_argument("--county", action="store_true",
                      help="与 --sample 同用：另加两个乡镇的示例数据（县域版，多个乡镇共用一个数据库）")
    _store_options(init)
    _new_town_option(init)

    undo = commands.add_parser("undo", help="撤销一次导入，恢复到导入前")
    undo.add_argument("import_id", type=int, metavar="导入编号")
    _store_options(undo)
    undo.add_argument("--who", metavar="姓名", help=WHO_HELP)

    hist = commands.add_parser("history", help="导入历史")
    _store_options(hist)

    commands.add_parser("passcode", help="为工作人员口令生成散列值（写入 .streamlit/secrets.toml）")

    evaluate = commands.add_parser("evaluate", help="亩均效益评价：某年每家企业的指标、得分和分类（A/B/C/D/不定）")
    evaluate.add_argument("--year", type=int, required=True, metavar="年份", help="评价年度，如 2023")
    _store_options(evaluate)
    evaluate.add_argument("--json", action="store_true",
                          help="输出 JSON（指标值、基准值按显示单位，研发经费占比为百分数；得分两位小数）")

    brief = commands.add_parser("briefing", help="生成工业经济运行情况分析（.docx，可另存图表 PNG）")
    brief.add_argument("--year", type=int, required=True, metavar="年份")
    brief.add_argument("--through", required=True, metavar="期间", help="Q1..Q4 或 M01..M12")
    brief.add_argument("--out", required=True, metavar="文件", help="输出的 .docx 文件")
    brief.add_argument("--png", metavar="文件夹", help="把图表另存为 PNG 的文件夹")
    brief.add_argument("--image", metavar="文件", help="另存一张适合手机查看的长图（PNG，约1080像素宽）")
    _store_options(brief)
    return parser


WHO_HELP = "记入导入历史的操作人姓名（默认运行命令的系统账号）；按 --town 的乡镇工作人员对待"
DB_HELP = "数据库：SQLite 文件路径，或 PostgreSQL 地址 postgresql+psycopg://…（默认 $LAKOU_DB 或 data/lakou.db）"


def _store_options(parser: argparse.ArgumentParser) -> None:
    """--db and --town, on every command that opens the store."""
    parser.add_argument("--db", metavar="路径", help=DB_HELP)
    parser.add_argument("--town", metavar="乡镇", help="乡镇（默认 $LAKOU_TOWN 或腊口镇；县域版一个数据库有多个乡镇）；"
                                       "须是数据库中已有的乡镇或本镇")


def _new_town_option(parser: argparse.ArgumentParser) -> None:
    """--new-town, on the commands that can add a town to the database (its first import)."""
    parser.add_argument("--new-town", action="store_true", help="--town 是数据库中还没有的乡镇时，确认新建它")


class _UnknownTown(Exception):
    """--town names a town the database does not hold (the message is for the person)."""


def _open_store(args):
    """The database (--db) as the engine of --town (else the home town). A --town the database
    does not hold and that is not the home town is refused (_UnknownTown) before anything is
    written, unless --new-town allows its first import to add it."""
    town = None if args.town is None else (strip_invisible(args.town).strip() or None)
    if args.town is not None and town is None:
        raise _UnknownTown(labels.CLI_BLANK_TOWN)
    if (town or store.home_town()) == store.COUNTY:
        raise _UnknownTown(labels.CLI_COUNTY_IS_NO_TOWN.format(county=store.COUNTY))
    engine = store.open_database(args.db, town=town)
    if town is not None and town != store.home_town() and not getattr(args, "new_town", False):
        held = store.list_towns(engine)
        if town not in held:
            hint = labels.CLI_NEW_TOWN_HINT if hasattr(args, "new_town") else ""
            raise _UnknownTown(labels.CLI_UNKNOWN_TOWN.format(town=town, towns="、".join(held) or "—") + hint)
    return engine


def _shell_operator(args, engine) -> store.Operator:
    """Who runs the command: the server account running it, acting for the town it opens
    (--town, else the home town), recorded under --who when given."""
    return store.Operator.shell_account(store.town_of(engine), args.who)


def _say(text: str) -> None:
    """Print a line to stdout. Once its reader has gone (`| head`), the rest of the output is
    dropped and the work goes on (an import still stores every file)."""
    try:
        print(text)
    except BrokenPipeError:
        _drop_stdout()


def _drop_stdout() -> None:
    """Point stdout at the null device, so nothing more (not even the flush at exit) meets the
    closed pipe and Python prints no "Exception ignored" at a person."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor behind stdout (a test's capture)
        pass


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    # Arithmetic on missing figures yields NaN on purpose (shown as "—"); numpy's warnings about
    # it would print library paths at a person.
    warnings.simplefilter("ignore", RuntimeWarning)
    store.lock_wait_notice.set(lambda: print(labels.STORE_WAITING.format(s=int(store.LOCK_WAIT_SECONDS)),
                                             file=sys.stderr))
    code = _run(args)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    return code


def _run(args) -> int:
    try:
        return COMMANDS[args.command](args)
    except (store.StoreUnavailable, store.NotPermitted, _UnknownTown, ImportRefused) as exc:
        print(str(exc), file=sys.stderr)  # ImportRefused here: a sample file `init` could not load
        return 1
    except BrokenPipeError:  # a reader gone during output not printed through _say
        _drop_stdout()
        return 0
    except Exception:
        log = write_error_log(store.resolve_db_path(getattr(args, "db", None)).parent, traceback.format_exc())
        logging.getLogger(__name__).debug("internal error", exc_info=True)
        where = f"详细信息已写入数据文件夹中的 {log.name}，" if log else ""
        print(f"程序内部错误，未保存任何改动。{where}请联系维护人员。", file=sys.stderr)
        return 3


def _error_log_name() -> str:
    """A name no one can guess in advance: time, process and 32 random bits."""
    return f"lakou-error-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}-{secrets.token_hex(4)}.log"


def write_error_log(folder: Path, text: str) -> Path | None:
    """The details of an internal error in a new file of the data folder (never through a link,
    never over another file); None when it cannot be written."""
    path = folder / _error_log_name()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, flags, 0o600), "w", encoding="utf-8") as out:
            out.write(text)
    except OSError:
        return None
    return path


def _whole_year(text: str) -> Period | None:
    """--period 2023: the whole year (an annual sheet such as the 亩均评价 data), None for other text."""
    m = re.fullmatch(r"((?:19|20|21)\d{2})年?度?", strip_invisible(text).strip())
    return Period.ytd(int(m.group(1)), 12) if m else None


def _cmd_import(args) -> int:
    period = None
    if args.period:
        period = parse_period(args.period) or _whole_year(args.period)
        if period is None:
            print(f"用法错误：--period “{args.period}” 无法识别，应为 2024Q1、2024M04 或 2023（全年）这样的形式",
                  file=sys.stderr)
            return 2
    engine = _open_store(args)
    operator = _shell_operator(args, engine)
    refused = waiting = 0
    for name in args.files:
        try:
            waiting += _import_one(engine, Path(name), args, period, operator)
        except (ImportRefused, store.StoreUnavailable, store.DataChanged) as exc:
            refused += 1
            print(str(exc), file=sys.stderr)
    if waiting:
        print(labels.CLI_HOW_TO_CONFIRM, file=sys.stderr)
    return 1 if refused else 4 if waiting else 0


def _import_one(engine, path: Path, args, period, operator: store.Operator) -> bool:
    """Check one file as the page does (its preview and the figures to confirm), then store it;
    True when it waits for --confirmed instead. A dry run stores nothing."""
    data = importing.read_file(path)
    preview = preview_bytes(engine, data, path.name, period=period, operator=operator,
                            slip_ratio=load_unit_slip_ratio(), swing=load_preview_swing(),
                            divergence_points=load_electricity_settings().divergence_points)
    for line in describe_divergences(preview):  # to check with the enterprise; never holds the import
        print(line, file=sys.stderr)
    items = list_confirmations(preview)
    waits = bool(items) and not args.confirmed
    if waits:
        print(_describe_confirmations(labels.CLI_NEEDS_CONFIRMATION.format(
            file=preview.file, n=len(items), kinds=count_confirmations(items)), items), file=sys.stderr)
    if args.dry_run:
        _say(preview.outcome.describe())
        return waits
    if waits:
        return True
    if preview.status == "unchanged":
        _say(labels.UNCHANGED.format(file=preview.file))
        return False
    # The file as the preview read and cleaned it, stored only if the data is still what the
    # preview (and so the confirmation) was made against.
    outcome = importing.import_bytes(engine, data, path.name, period=period, operator=operator,
                                     expected_version=preview.version, cleaned=preview.cleaned)
    _say(outcome.describe())
    if items:
        _say(_describe_confirmations(labels.CLI_CONFIRMED.format(n=len(items)), items))
    return False


def _describe_confirmations(heading: str, items: list[Confirmation]) -> str:
    lines = [heading]
    for word, group in group_confirmations(items):
        lines.append(f"  {word}：")
        lines += [f"    - {i.describe()}" for i in group]
    return "\n".join(lines)


def _load_year(args, projection: bool = True):
    """(YearToDate, Ledger, Period) for --year/--through, or exit code 2 for a bad --through."""
    try:
        period = parse_through(args.through, args.year)
    except ValueError:
        print(f"用法错误：--through “{args.through}” 应为 Q1..Q4 或 M01..M12", file=sys.stderr)
        return 2
    engine = _open_store(args)
    ytd, ledger = load_year_to_date(engine, period, monthly=args.through.strip().upper().startswith("M"),
                                    settings=load_warning_settings(), project_settings=load_project_settings(),
                                    today=town_today(), projection=projection,
                                    electricity_settings=load_electricity_settings())
    return ytd, ledger, period


def _cmd_summary(args) -> int:
    loaded = _load_year(args, projection=not args.json)  # no town projection in the JSON (targets keep their seasons)
    if loaded == 2:
        return 2
    ytd, _, period = loaded
    data = summary_json(ytd, args.through.upper())
    if args.json:
        # Indented for a person at a terminal; one line for a program (thousands of enterprises).
        _say(json.dumps(data, ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))
        return 0
    if ytd.total.count == 0:
        _say(labels.NO_DATA_FOR_PERIOD.format(year=args.year, through=period.label_in_year()))
        return 0
    from .output.text import describe_summary

    _say(describe_summary(ytd))
    return 0


def _cmd_evaluate(args) -> int:
    """The year's 亩均效益评价 of the town: a table per group (or JSON); a year without data, or bad
    [evaluation] settings, is said in Chinese on stderr with exit code 1."""
    from .compute.evaluation import load_stored_evaluation
    from .output.evaluation import describe_evaluation_table, evaluation_json

    try:
        settings = load_evaluation_settings()
    except ValueError as refused:
        print(str(refused), file=sys.stderr)
        return 1
    engine = _open_store(args)
    evaluation = load_stored_evaluation(engine, args.year, settings)
    if evaluation is None:
        years = store.evaluation_years(engine)
        held = labels.EVALUATION_CLI_YEARS.format(years="、".join(f"{y}年" for y in years)) if years else ""
        print(labels.EVALUATION_CLI_NO_DATA.format(town=store.town_of(engine), year=args.year, years=held),
              file=sys.stderr)
        return 1
    if args.json:
        _say(json.dumps(evaluation_json(evaluation), ensure_ascii=False, indent=2 if sys.stdout.isatty() else None))
    else:
        _say(describe_evaluation_table(evaluation, store.town_of(engine)))
    return 0


def _cmd_init(args) -> int:
    engine = _open_store(args)
    if not args.sample:
        _say(f"数据库已就绪：{store.resolve_db_path(args.db)}")
        return 0
    # The sample is 腊口镇's (its titles say so): it goes to 腊口镇, as a county file would, so an
    # installation of another town never holds another town's rows as its own.
    home = store.for_town(engine, SAMPLE_TOWN)
    if not store.is_empty(store.for_town(engine, store.COUNTY)):  # any town's data: never loaded over it
        _say(labels.SAMPLE_SKIPPED)
        return 0
    files = sorted(SAMPLE_DIR.glob("*.xlsx"),
                   key=lambda p: (next((i for i, k in enumerate(SAMPLE_ORDER) if k in p.name), 99), p.name))
    sample = store.Operator.sample_data()
    for path in files:
        outcome = importing.import_file(home, path, operator=sample)
        _say(outcome.describe().splitlines()[0])
    _say(labels.SAMPLE_LOADED.format(town=SAMPLE_TOWN, n=len(files)))
    if args.county:
        for path in sorted((SAMPLE_DIR / "county").glob("*.xlsx"), key=lambda p: ("目标" in p.name, p.name)):
            town = path.name.split("_")[0]
            outcome = importing.import_file(store.for_town(engine, town), path, operator=sample)
            _say(f"{town}：{outcome.describe().splitlines()[0]}")
    return 0


def _cmd_undo(args) -> int:
    engine = _open_store(args)
    try:
        _say(store.undo_import(engine, args.import_id, operator=_shell_operator(args, engine)))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0


def _cmd_history(args) -> int:
    engine = _open_store(args)
    history = store.list_imports(engine)
    if history.empty:
        _say("还没有导入记录")
    for row in history.itertuples():
        state = "有效" if row.status == "active" else f"已撤销（{row.undone_at}，{row.undone_by}）"
        _say(f"[{row.id}] {row.imported_at} {row.imported_by} 「{row.file_name}」 {row.row_count}条 "
             f"期间：{'、'.join(row.periods) or '—'} {state}")
    return 0


def _cmd_passcode(args) -> int:
    import getpass

    from .passcode import hash_passcode

    first = getpass.getpass("新口令：") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if sys.stdin.isatty() and getpass.getpass("再输入一次：") != first:
        print("两次输入不一致", file=sys.stderr)
        return 1
    if len(first) < 6:
        print("口令至少 6 位", file=sys.stderr)
        return 1
    _say(f'staff_passcode_hash = "{hash_passcode(first)}"')
    print("把上面一行写入 .streamlit/secrets.toml（或设为环境变量 LAKOU_STAFF_PASSCODE_HASH 的值）。", file=sys.stderr)
    return 0


def _cmd_briefing(args) -> int:
    from .output.briefing import build_docx, render_briefing_pngs

    loaded = _load_year(args)
    if loaded == 2:
        return 2
    ytd, ledger, period = loaded
    if ytd.total.count == 0:
        print(labels.NO_DATA_FOR_PERIOD.format(year=args.year, through=period.label_in_year()), file=sys.stderr)
        return 1
    from .compute.evaluation import latest_evaluation_year, load_stored_evaluation

    engine = _open_store(args)
    evaluated = latest_evaluation_year(store.evaluation_years(engine), period.year)
    try:
        evaluation = (None if evaluated is None else
                      load_stored_evaluation(engine, evaluated, load_evaluation_settings()))
    except ValueError as refused:  # [evaluation] of the settings file, refused in Chinese
        print(str(refused), file=sys.stderr)
        return 1
    pngs = render_briefing_pngs(ytd, ledger)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(build_docx(ytd, pngs, town_today(), evaluation))
    _say(f"已生成 {out}")
    if args.png:
        folder = Path(args.png)
        folder.mkdir(parents=True, exist_ok=True)
        for name, png in pngs.items():
            (folder / f"{period.label()}_{name}.png").write_bytes(png)
        _say(f"图表 {len(pngs)} 张已存入 {folder}")
    if args.image:
        from .output.phone_image import render_phone_image

        image = Path(args.image)
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(render_phone_image(ytd, town_today(), _peers(args, ytd, period)))
        _say(f"手机长图已存为 {image}")
    return 0


def _peers(args, ytd, period):
    """The town against its peers as 总览 gives it: the database's other towns when it holds more
    than one, else the entered comparison sheet."""
    from .compute.cockpit import compare_peers
    from .compute.county import load_county

    engine = _open_store(args)
    county = (load_county(engine, period, settings=load_warning_settings(), project_settings=load_project_settings(),
                          today=town_today()) if len(store.list_towns(engine)) > 1 else None)
    return compare_peers(ytd, county, store.load_peer_figures(engine, period.year, period.last),
                         zone=load_timezone())


COMMANDS = {"import": _cmd_import, "summary": _cmd_summary, "init": _cmd_init, "undo": _cmd_undo,
            "history": _cmd_history, "passcode": _cmd_passcode, "briefing": _cmd_briefing,
            "evaluate": _cmd_evaluate}
