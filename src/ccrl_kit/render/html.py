"""Stage 5b, render the handouts as HTML: a handout plan -> HTML text, through Jinja2.

Templates may come from a trainer, so they run in Jinja2's sandbox with ``StrictUndefined``
(a typo in a template is an error, not a silent blank) and autoescaping (content is data,
never markup or template code).
"""

from __future__ import annotations

from pathlib import Path

from ccrl_kit.errors import BuildError
from ccrl_kit.plan.documents import CertificatePlan, HandoutPlan

PAPER = {"a4": "A4", "letter": "letter"}


def make_environment(search_path: list[Path]):
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FileSystemLoader([str(p) for p in search_path]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def stylesheet(env, paper: str) -> str:
    source, _, _ = env.loader.get_source(env, "handout.css")
    return source + f"\n@page {{ size: {PAPER[paper]}; }}\n"


def render_html(plan: HandoutPlan | CertificatePlan, env, paper: str = "a4") -> str:
    from jinja2 import TemplateError
    from markupsafe import Markup

    name = f"{plan.kind}.html.j2"
    labels = plan.labels
    try:
        template = env.get_template(name)
        return template.render(
            doc=plan,
            L=labels.strings(),
            minutes=labels.minutes,
            css=Markup(stylesheet(env, paper)),  # the template's own file, not content
            paper=PAPER[paper],
        )
    except TemplateError as exc:
        where, line = _template_position(exc, name)
        at = f":{line}" if line else ""
        raise BuildError(f"template {Path(where).name}{at}: {exc}") from None


def _template_position(exc: Exception, name: str) -> tuple[str, int | None]:
    """Where in a template an error happened: syntax errors carry it; errors while rendering
    are found in the traceback, which Jinja rewrites to template lines."""
    if getattr(exc, "lineno", None):
        return getattr(exc, "filename", None) or name, exc.lineno
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    if frames:
        return frames[-1].filename, frames[-1].lineno
    return name, None
