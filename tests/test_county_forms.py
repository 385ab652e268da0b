"""The county statistics bureau's forms as they really come, written here in several variants:
several value groups side by side under merged two-row headers, and sections with subtotals.
Expected totals are worked out from the rows the tests write."""
import io

import pytest
from conftest import csv_bytes, refuse_in_check_lane, xls_bytes, xlsx_bytes

from lakou_metrics.ingest.clean import clean_workbook
from lakou_metrics.ingest.read import read_workbook

# (name, 规上, 本月, 1-3月累计, 上年同期累计) in 千元; sales and exports are other figures.
FIRMS = [("卓尔五金", True, 1200, 3300, 3000), ("石普铝业", True, 2100, 6000, 5000),
         ("浙南油茶", False, 300, 900, 1000), ("龙山果业", False, 150, 420, 400)]


def grouped_rows(firms=FIRMS, groups=("工业总产值", "工业销售产值", "出口交货值")):
    """Title, unit row, a two-row header with each group merged over 本月|1-3月累计|上年同期累计."""
    top = ["序号", "企业名称"]
    sub = [None, None]
    for g in groups:
        top += [g, None, None]
        sub += ["本月", "1-3月累计", "上年同期累计"]
    rows = [["腊口镇工业企业主要指标快报（2024年1-3月）"], ["单位：千元"], top, sub]
    for i, (name, _, month, ytd, prior) in enumerate(firms, 1):
        row = [i, name]
        for group in groups:
            # Sales and exports are smaller, different figures: they must never be read as output.
            factor = 1.0 if "总产值" in group else 0.93 if "销售" in group else 0.2
            row += [round(month * factor), round(ytd * factor), round(prior * factor)]
        rows.append(row)
    return rows


def merges(groups=3):
    cells = ["A3:A4", "B3:B4"]
    for k in range(groups):
        first = 3 + 3 * k
        cells.append(f"{_col(first)}3:{_col(first + 2)}3")
    return {"快报": cells}


def _col(n: int) -> str:
    return "ABCDEFGHIJKLMNOP"[n - 1]


def cleaned(data: bytes, name: str):
    return clean_workbook(read_workbook(data, name))


def totals(result):
    out = result.output
    ytd = out[(out.first_month == 1) & (out.last_month == 3)]
    march = out[(out.first_month == 3) & (out.last_month == 3)]
    return ytd.value_10k.sum(), ytd.prior_10k.sum(), march.value_10k.sum()


@pytest.mark.parametrize("groups", [
    pytest.param(("工业总产值", "工业销售产值", "出口交货值"), id="output first"),
    pytest.param(("工业销售产值", "工业总产值", "出口交货值"), id="output in the middle"),
    pytest.param(("出口交货值", "工业销售产值", "工业总产值（千元）"), id="output last, unit in header"),
])
def test_several_value_groups_take_output_only(groups):
    result = cleaned(xlsx_bytes({"快报": grouped_rows(groups=groups)}, merges=merges()), "快报.xlsx")
    value, prior, march = totals(result)
    # 千元 → 万元 is ÷ 10
    assert value == pytest.approx(sum(f[3] for f in FIRMS) / 10)
    assert prior == pytest.approx(sum(f[4] for f in FIRMS) / 10)
    assert march == pytest.approx(sum(f[2] for f in FIRMS) / 10)
    (report,) = result.sheets
    assert set(report.unused) == {"工业销售产值", "出口交货值"}
    assert any("其他指标" in w.reason and "工业销售产值" in w.reason for w in result.warnings)


def test_several_value_groups_in_an_old_xls_without_merges():
    # Old WPS files often repeat nothing and merge nothing: the group name over its first column only.
    result = cleaned(xls_bytes(grouped_rows(), sheet="快报"), "快报.xls")
    assert totals(result)[0] == pytest.approx(sum(f[3] for f in FIRMS) / 10)


def section_rows(heading_in_serial=False, scale_column=False):
    """A report in sections: headings, 规上/规下 subtotals, a 其中 line per sector and the town total."""
    header = ["序号", "企业名称"] + (["是否规上"] if scale_column else []) + ["本月", "1-3月累计", "上年同期累计"]
    rows = [["腊口镇工业产值快报 2024年1-3月 单位：千元"], header]

    def heading(number, text):
        return [number, text] if heading_in_serial else [None, f"{number}{text}"]

    def firm(i, name, above, month, ytd, prior):
        return [i, name] + (["是" if above else "否"] if scale_column else []) + [month, ytd, prior]

    def subtotal(label, firms):
        return [None, label] + ([None] if scale_column else []) + [sum(f[c] for f in firms) for c in (2, 3, 4)]

    above = [f for f in FIRMS if f[1]]
    below = [f for f in FIRMS if not f[1]]
    rows.append(heading("一、", "规模以上工业企业"))
    rows += [firm(i, *f) for i, f in enumerate(above, 1)]
    rows.append(subtotal("规上小计", above))
    rows.append(heading("二、", "规模以下工业企业"))
    rows += [firm(i, *f) for i, f in enumerate(below, 1)]
    rows.append(subtotal("规下小计", below))
    rows.append(subtotal("其中：五金行业小计", [FIRMS[0]]))
    rows.append(subtotal("全镇合计", FIRMS))
    rows.append(["填报人：小王", None, "日期：2024-04-10"])
    return rows


@pytest.mark.parametrize("variant", [
    pytest.param({}, id="headings in the name column"),
    pytest.param({"heading_in_serial": True}, id="numbering in the serial column"),
    pytest.param({"scale_column": True}, id="with a 规上 column"),
])
def test_sections_count_enterprises_once_and_set_the_scale(variant):
    result = cleaned(xlsx_bytes({"快报": section_rows(**variant)}), "分段.xlsx")
    value, prior, _ = totals(result)
    assert value == pytest.approx(sum(f[3] for f in FIRMS) / 10)  # not doubled by the subtotals
    assert prior == pytest.approx(sum(f[4] for f in FIRMS) / 10)
    names = set(result.output.name)
    assert names == {f[0] for f in FIRMS}
    flags = dict(zip(result.output.name, result.output.above_scale))
    assert flags == {f[0]: f[1] for f in FIRMS}


def test_sections_in_a_csv():
    rows = [[c if c is not None else "" for c in r] for r in section_rows()]
    result = cleaned(csv_bytes(rows, "gbk"), "快报2024年1-3月.csv")
    assert totals(result)[0] == pytest.approx(sum(f[3] for f in FIRMS) / 10)
    assert dict(zip(result.output.name, result.output.above_scale)) == {f[0]: f[1] for f in FIRMS}


@pytest.mark.libreoffice
@pytest.mark.parametrize("target", ["xlsx", "xls"])
def test_a_county_form_saved_by_libreoffice(tmp_path, target):
    """The same form with value groups and sections, written by LibreOffice Calc (its own XML,
    shared strings and merge records), as towns using LibreOffice or WPS send it."""
    import shutil
    import subprocess

    refuse_in_check_lane("LibreOffice Calc", "libreoffice")
    soffice = shutil.which("soffice")
    assert soffice, "make test installs libreoffice-calc-nogui (scripts/ensure-test-tools.sh)"
    rows = grouped_rows()[:4] + [[None, "一、规模以上工业企业"]] + grouped_rows([f for f in FIRMS if f[1]])[4:] + \
        [[None, "规上小计"] + [None] * 9, [None, "二、规模以下工业企业"]] + grouped_rows([f for f in FIRMS if not f[1]])[4:] + \
        [[None, "全镇合计"] + [1] * 9]
    source = tmp_path / "openpyxl.xlsx"
    source.write_bytes(xlsx_bytes({"快报": rows}, merges=merges()))
    out = tmp_path / "lo"
    done = subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97"}[target],
                           "--outdir", str(out), str(source)], capture_output=True, text=True, timeout=180)
    converted = out / f"openpyxl.{target}"
    assert converted.exists(), done.stderr
    data = converted.read_bytes()
    if target == "xlsx":
        import zipfile
        assert b"LibreOffice" in zipfile.ZipFile(io.BytesIO(data)).read("docProps/app.xml")
    result = cleaned(data, f"快报.{target}")
    value, prior, march = totals(result)
    assert value == pytest.approx(sum(f[3] for f in FIRMS) / 10)
    assert prior == pytest.approx(sum(f[4] for f in FIRMS) / 10)
    assert dict(zip(result.output.name, result.output.above_scale)) == {f[0]: f[1] for f in FIRMS}
