"""JSON Schema of each kind of workspace file, generated from the model (for editors)."""

from __future__ import annotations

from typing import Any


def schema_for(kind: str) -> dict[str, Any]:
    from ccrl_kit.content.model import Audience, Course, Module

    model = {"module": Module, "audience": Audience, "course": Course}[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"ccrl-kit {kind}"
    return schema
