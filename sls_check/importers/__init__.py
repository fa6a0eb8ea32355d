"""Import CloudFormation/SAM templates (YAML or JSON, so CDK output too) and serverless.yml files.

    kind_of(data)                       -> "spec" | "cloudformation" | "serverless"
    import_files(paths, overlay=, ...)  -> Imported (a spec Document whose positions are template lines)

The result is an ordinary spec (checked by the same schema, graph, rules, pricing and limits);
every key of it remembers the template file, line and column it came from. This package is
imported only when an input is not a spec, so a plain spec run does not pay for it.
"""

from __future__ import annotations

from typing import Any

from sls_check.importers.assemble import Imported, import_documents, import_files

__all__ = ["Imported", "import_documents", "import_files", "kind_of"]


def kind_of(data: Any) -> str:
    """What a loaded document is, from its content (never from the file name)."""
    if not isinstance(data, dict) or "slscheck" in data:
        return "spec"
    if isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data:
        return "cloudformation"
    transform = data.get("Transform")
    if isinstance(transform, str) and transform.startswith("AWS::Serverless"):
        return "cloudformation"
    if "service" in data and ("provider" in data or "functions" in data):
        return "serverless"
    return "spec"
