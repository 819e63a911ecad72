"""package.json: the npm manifest, parsed with positions (its `scripts` tell how the server starts)."""

from __future__ import annotations

from typing import Dict

from mcp_lint.documents.jsonc import JsonNode
from mcp_lint.documents.tsconfig import JsonDocument


class PackageJsonDocument(JsonDocument):
    kind = "packagejson"

    def scripts(self) -> Dict[str, JsonNode]:
        """Script name -> its command's string node (non-string entries are skipped)."""
        assert self.root is not None
        scripts = self.root.get("scripts")
        if scripts is None or scripts.kind != "object":
            return {}
        return {key.value: value for key, value in scripts.members if value.kind == "string"}
