"""Benchmarks of ccrl-kit's speed and memory targets, side by side in one run: each figure
printed beside its limit, with the machine it ran on.

    python bench/run.py            # all targets (a few minutes on 2 cores)
    python bench/run.py cold edit  # one or more of: startup deck linear certificates cold
                                   # edit preview incremental memory

Wall-clock figures are medians of several runs, with their range (the spread between the
fastest and the slowest run). Nothing here is a test: the script prints figures and exits 1
if a limit is not met.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# measured as installed: with its bytecode (pip writes it on install; a first run here does)
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
PY = sys.executable
CCRL = [PY, "-m", "ccrl_kit"]
results: list[tuple[str, str, str, bool]] = []


def timed(cmd: list[str], runs: int = 1, cwd: Path | None = None, env=None,
          cpu: bool = False) -> float:
    """Median wall-clock seconds of ``cmd`` (or CPU seconds, user + system, with ``cpu``: far
    steadier on a shared virtual machine for single-process work)."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        times.append(spent if cpu else time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, figure: str, limit: str, ok: bool) -> None:
    results.append((name, figure, limit, ok))
    print(f"{'ok ' if ok else 'NO '} {name:<46} {figure:>22}   limit {limit}", flush=True)


def startup() -> None:
    base = timed([PY, "-c", "import click"], runs=9, cpu=True)
    ours = timed([*CCRL[:1], "-m", "ccrl_kit", "--help"], runs=9, cpu=True)
    report("start-up: ccrl --help / import click, CPU",
           f"{ours / base:.2f}x ({ours * 1000:.0f} ms)", "1.5x", ours / base <= 1.5)
    code = ("import sys; from ccrl_kit.cli import main\n"
            "for args in (['--help'], ['-C', sys.argv[1], 'list'],\n"
            "             ['-C', sys.argv[1], 'validate']):\n"
            "    try: main(args)\n    except SystemExit: pass\n"
            "print(sorted(m for m in ('pptx', 'typst', 'docx') if m in sys.modules))")
    out = subprocess.run([PY, "-c", code, str(ROOT)], capture_output=True, text=True).stdout
    heavy = out.strip().splitlines()[-1]
    report("start-up: heavy imports in help/list/validate", heavy, "[]", heavy == "[]")


BARE = textwrap.dedent('''
    import json, sys
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.oxml import parse_xml
    from pptx.util import Emu, Pt
    spec = json.load(open(sys.argv[1]))
    prs = Presentation(sys.argv[2])
    layouts = {l.name: l for l in prs.slide_layouts}
    for s in spec:
        slide = prs.slides.add_slide(layouts[s["layout"]])
        for ph in slide.placeholders:
            texts = s["placeholders"].get(str(ph.placeholder_format.idx))
            if texts:
                frame = ph.text_frame
                for i, text in enumerate(texts):
                    p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                    p.add_run().text = text
                    p.runs[0].font.size = Pt(20)
        for box in s["boxes"]:
            shape = slide.shapes.add_textbox(*map(Emu, box["geometry"]))
            shape.text_frame.text = box["text"]
        for xml in s["drawn"]:  # icons, maps, timelines: the same DrawingML, pasted
            slide.shapes._spTree.append(parse_xml(xml))
        for rows in s["tables"]:
            table = slide.shapes.add_table(len(rows), len(rows[0]), 0, 0, Emu(9000000),
                                           Emu(3000000)).table
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
        for chart in s["charts"]:
            data = CategoryChartData()
            data.categories = chart["categories"]
            data.add_series("s", chart["values"])
            slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, 0, 0, Emu(9000000),
                                   Emu(4000000), data)
        slide.notes_slide.notes_text_frame.text = s["notes"]
    prs.save(sys.argv[3])
''')


def _deck_spec(path: Path) -> int:
    """Everything ccrl drew in a deck, as plain data for the bare python-pptx script."""
    code = textwrap.dedent(f'''
        import json
        from lxml import etree
        from pptx import Presentation
        prs = Presentation({str(path)!r})
        spec = []
        def shapes(group):
            for sh in group:
                if sh.shape_type == 6:  # a group: the timeline
                    yield from shapes(sh.shapes)
                else:
                    yield sh
        for s in prs.slides:
            phs = {{str(ph.placeholder_format.idx): [p.text for p in ph.text_frame.paragraphs]
                    for ph in s.placeholders if ph.has_text_frame}}
            others = [sh for sh in shapes(s.shapes) if not sh.is_placeholder]
            spec.append({{
                "layout": s.slide_layout.name, "placeholders": phs,
                "boxes": [{{"geometry": [sh.left, sh.top, sh.width, sh.height],
                            "text": sh.text_frame.text}} for sh in others
                          if sh.has_text_frame and sh.text_frame.text],
                "drawn": [etree.tostring(sh._element).decode() for sh in others
                          if not sh.has_text_frame and not sh.has_chart
                          and not sh.has_table and sh.shape_type != 13],
                "tables": [[[c.text for c in row.cells] for row in sh.table.rows]
                           for sh in others if sh.has_table],
                "charts": [{{"categories": list(sh.chart.plots[0].categories),
                             "values": list(sh.chart.plots[0].series[0].values)}}
                           for sh in others if sh.has_chart],
                "notes": s.notes_slide.notes_text_frame.text if s.has_notes_slide else ""}})
        json.dump(spec, open({str(path.with_suffix(".json"))!r}, "w"))
        print(len(spec))
    ''')
    return int(subprocess.run([PY, "-c", code], capture_output=True, text=True,
                              check=True).stdout)


def deck() -> None:
    """Runs alternate between ccrl and the bare script, so machine noise hits both alike."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        cmd = [*CCRL, "-C", str(ROOT), "build", "-a", "educators", "-f", "pptx", "-j", "1",
               "-o", str(out)]
        deck_path = out / "ccrl-kazakhstan" / "educators" / "en" / "deck.pptx"
        timed(cmd)
        n = _deck_spec(deck_path)
        script = out / "bare.py"
        script.write_text(BARE)
        bare_cmd = [PY, str(script), str(deck_path.with_suffix(".json")),
                    str(ROOT / "templates" / "deck.pptx"), str(out / "bare.pptx")]
        ours, bare = [], []
        for _ in range(11):
            deck_path.unlink(missing_ok=True)
            (out / ".ccrl-cache.json").unlink(missing_ok=True)
            ours.append(timed(cmd, cpu=True))
            bare.append(timed(bare_cmd, cpu=True))
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    report(f"deck: ccrl build ({n} slides) / bare python-pptx, CPU", f"{ours_s / bare_s:.2f}x "
           f"({ours_s:.2f} s vs {bare_s:.2f} s)", "1.3x", ours_s / bare_s <= 1.3)


def _synthetic(ws: Path, sections: int) -> None:
    shutil.copytree(ROOT / "templates", ws / "templates")
    (ws / "modules").mkdir(parents=True)
    (ws / "audiences").mkdir()
    (ws / "courses").mkdir()
    (ws / "audiences" / "all.yaml").write_text(
        "id: all\nname: Everyone\nparticipants: Everyone.\nneeds: [Practice.]\n")
    body = "\n".join(
        f"  - id: s{i}\n    title: Section {i}\n    minutes: 1\n    bullets:\n"
        + "".join(f"      - Point {j} of section {i}, a short line of text for the slide.\n"
                  for j in range(4))
        + "    facilitator:\n      say: [Say something about this section.]"
        for i in range(sections))
    (ws / "modules" / "big.yaml").write_text(
        f"id: big\ntitle: Big\nsummary: A synthetic module.\nminutes: {sections}\n"
        "objectives: [Read.]\nkey_messages: [Read.]\nsources:\n  - id: s\n    kind: report\n"
        "    citation: Synthetic.\nsections:\n" + body + "\n")
    (ws / "courses" / "big.yaml").write_text(
        "id: big\ntitle: Big\norganiser: Bench\naudiences: [all]\n"
        "days:\n  - start: '00:00'\n    sessions:\n      - module: big\n")


def linear() -> None:
    figures = {}
    for slides in (100, 1000):
        with tempfile.TemporaryDirectory() as tmp:
            ws = Path(tmp)
            _synthetic(ws, slides - 6)  # title, agenda, divider, objectives, messages, sources...
            cmd = [*CCRL, "-C", str(ws), "build", "-f", "pptx", "-j", "1"]
            runs = []
            for _ in range(3 if slides == 100 else 1):
                shutil.rmtree(ws / "output", ignore_errors=True)
                runs.append(timed(cmd, cpu=True))
            figures[slides] = statistics.median(runs)
    ratio = figures[1000] / figures[100]
    report("linear: 1,000-slide deck / 100-slide deck, CPU",
           f"{ratio:.1f}x ({figures[100]:.2f} s, {figures[1000]:.2f} s)", "12x", ratio <= 12)


CERTIFICATES = textwrap.dedent('''
    import json, resource, sys, time
    from pathlib import Path
    from ccrl_kit.content.workspace import load_workspace
    from ccrl_kit.plan.certificates import plan_certificates
    from ccrl_kit.render.typst import render_pdf
    from ccrl_kit.resolve.labels import Labels
    from ccrl_kit.resolve.resolver import resolve
    from ccrl_kit.settings import BUILTIN_TEMPLATES, build_timestamp
    root, n = Path(sys.argv[1]), int(sys.argv[2])
    course = resolve(load_workspace(root), "ccrl-kazakhstan", "educators", "en")
    names = tuple(f"Participant {i} Nurlanqyzy" if i % 2 else f"Айгерім Нұрланқызы {i}"
                  for i in range(n))
    start = time.process_time()
    pdf = render_pdf(plan_certificates(course, names, Labels("en")), [BUILTIN_TEMPLATES],
                     build_timestamp())
    print(json.dumps({"cpu": time.process_time() - start, "pages": pdf.count(b"/Type/Page"),
                      "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
''')


def certificates() -> None:
    """Planning and typesetting certificates, one page per name: CPU and the process's peak
    memory, for 1,000 and 10,000 names side by side."""
    figures = {}
    for n in (1000, 10000):
        out = subprocess.run([PY, "-c", CERTIFICATES, str(ROOT), str(n)], capture_output=True,
                             text=True, check=True).stdout
        figures[n] = json.loads(out.strip().splitlines()[-1])
        assert figures[n]["pages"] >= n, figures[n]
    big, small = figures[10000], figures[1000]
    mib = big["peak"] / 2**20
    report("certificates: 10,000 names, CPU and peak memory",
           f"{big['cpu']:.1f} s, {mib:.0f} MiB (1,000: {small['cpu']:.1f} s, "
           f"{small['peak'] / 2**20:.0f} MiB)", "10 s, 300 MiB",
           big["cpu"] <= 10 and mib <= 300)


def _spread(times: list[float]) -> str:
    return f"{statistics.median(times):.1f} s (runs {min(times):.1f}-{max(times):.1f} s)"


def _copy_workspace(dest: Path) -> Path:
    for part in ("modules", "audiences", "courses", "templates", "images"):
        if (ROOT / part).is_dir():
            shutil.copytree(ROOT / part, dest / part)
    if (ROOT / "ccrl.yaml").is_file():
        shutil.copy(ROOT / "ccrl.yaml", dest / "ccrl.yaml")
    return dest


def cold() -> None:
    """The default course, four audiences and every format, into an empty output folder."""
    with tempfile.TemporaryDirectory() as tmp:
        times = []
        for n in range(3):
            out = Path(tmp) / str(n)
            times.append(timed([*CCRL, "-C", str(ROOT), "build", "-o", str(out)]))
    report("cold build: default course, every format, wall", _spread(times), "10 s",
           statistics.median(times) <= 10)


def edit() -> None:
    """A trainer's loop: change a sentence of one module, rebuild everything it touches."""
    with tempfile.TemporaryDirectory() as tmp:
        ws = _copy_workspace(Path(tmp) / "ws")
        build = [*CCRL, "-C", str(ws), "build"]
        timed(build)
        module = ws / "modules" / "historical-context.yaml"
        text = module.read_text(encoding="utf-8")
        times = []
        for n in range(3):
            edited = text.replace("profound spiritual vacuum", f"profound spiritual vacuum ({n})")
            assert edited != text
            module.write_text(edited, encoding="utf-8")
            times.append(timed(build))
    report("one-module edit: rebuild of all it touches, wall", _spread(times), "10 s",
           statistics.median(times) <= 10)


def preview() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from preview import measure  # type: ignore[import-not-found]

    times = measure(ROOT)
    report("preview: save to the page's new HTML, wall", f"{statistics.median(times):.2f} s "
           f"(runs {min(times):.2f}-{max(times):.2f} s)", "1 s", statistics.median(times) <= 1)


def incremental() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = _copy_workspace(Path(tmp) / "ws")
        out = ws / "output"
        build = [*CCRL, "-C", str(ws), "build"]
        cold = timed(build)
        stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        warm = timed(build, runs=3)
        rewritten = [p for p in stamps if p.stat().st_mtime_ns != stamps[p]]
        report("incremental: no-change rebuild / cold build",
               f"{warm / cold:.1%} ({warm:.2f} s vs {cold:.0f} s)", "10%", warm / cold <= 0.10)
        report("incremental: files rewritten by a no-change rebuild", str(len(rewritten)), "0",
               not rewritten)
        def summary(*args: str) -> str:
            done = subprocess.run([*build, *args], capture_output=True, text=True, check=True)
            return done.stdout.strip().splitlines()[-1].split(";")[0]

        summary("law-enforcement-briefing")
        module = ws / "modules" / "historical-context.yaml"
        module.write_text(module.read_text() + "\n# edited\n")
        line = summary("law-enforcement-briefing")
        report("incremental: briefing after editing a module it lacks", line, "0 built",
               line.startswith("0 built"))
        line = summary()
        report("incremental: default course after editing that module", line,
               "all built, 0 up to date", line.endswith(" 0 up to date (skipped)"))
        template = ws / "templates" / "certificates.typ"
        template.write_text(template.read_text() + "\n")
        line = summary()
        # a document's template may include any file of the template folders: every task
        # writes a document (the deck task writes the facilitator guide) and is rebuilt
        report("incremental: after editing the certificate template", line,
               "all built, 0 up to date", line.endswith(" 0 up to date (skipped)"))


def _tree_memory(pid: int) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their proportional
    set sizes (PSS), so pages that forked workers share with the parent count once."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
            total += int(next(ln.split()[1] for ln in rollup.splitlines()
                              if ln.startswith("Pss:"))) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, StopIteration):
            continue
    return total


def memory() -> None:
    if not Path("/proc/self/status").exists():
        report("memory: full default build, peak", "n/a (no /proc)", "300 MiB", True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([*CCRL, "-C", str(ROOT), "build", "-o", tmp],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_memory(proc.pid))
            time.sleep(0.05)
    mib = peak / 2**20
    report("memory: full default build, peak PSS of all processes", f"{mib:.0f} MiB", "300 MiB",
           mib <= 300)


# single-process CPU figures first, then the wall-clock ones
TARGETS = {"startup": startup, "deck": deck, "linear": linear, "certificates": certificates,
           "cold": cold, "edit": edit, "preview": preview, "incremental": incremental,
           "memory": memory}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"{cores} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def main() -> int:
    chosen = sys.argv[1:] or list(TARGETS)
    unknown = [name for name in chosen if name not in TARGETS]
    if unknown:
        print(f"unknown target(s): {', '.join(unknown)}; the targets: {', '.join(TARGETS)}")
        return 2
    print(f"ccrl-kit benchmarks on {machine()}")
    for name in chosen:
        TARGETS[name]()
    print("\nside by side:")
    for name, figure, limit, ok in results:
        print(f"  {'ok ' if ok else 'NO '} {name:<52} {figure:<34} limit {limit}")
    failed = [r for r in results if not r[3]]
    print(json.dumps({"failed": [r[0] for r in failed]}))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
