"""JSON Schema of each kind of workspace file, generated from the model (for editors)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

KINDS = ("module", "audience", "course", "workspace")


def schema_for(kind: str) -> dict[str, Any]:
    from ccrl_kit.content.model import TEXT_SCHEMA, Audience, Course, Module, WorkspaceConfig

    models: dict[str, type[BaseModel]] = {"module": Module, "audience": Audience,
                                          "course": Course, "workspace": WorkspaceConfig}
    model = models[kind]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"ccrl-kit {kind}" if kind != "workspace" else "ccrl-kit ccrl.yaml"
    case = schema.get("$defs", {}).get("CaseStudy")
    if case:  # a decision point may be written as plain text, or one mapping, for everyone
        listed = case["properties"]["decision_point"]
        one = listed["items"]
        case["properties"]["decision_point"] = {
            "anyOf": [*TEXT_SCHEMA["anyOf"], one, {k: v for k, v in listed.items()
                                                   if k != "title"}],
            "title": listed.get("title", "Decision Point")}
    return schema
