"""Where a node sits inside a function: the chain of nodes from the function down to it.

libcst trees have no parent links and the shared traversal keeps none; the few questions that
need a node's ancestors (which branch of an `if` or `try` a call is in) walk down once from
the enclosing function, which is small.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from mcp_lint.python import walk


def path_to(root: cst.CSTNode, target: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """The nodes from `root` down to `target` (both included), or () when it is not inside."""
    stack = [(root, (root,))]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        stack.extend((child, path + (child,)) for child in walk.children(node))
    return ()
