"""Project error classes whose messages the project writes itself (mcp_lint/typescript/error_classes.py)."""

from __future__ import annotations

import pytest

from mcp_lint.typescript.error_classes import authored_error_classes, classes_tested

PASSES = "export class LockError extends Error {\n  constructor(message: string, public readonly holder: Holder | null) {\n    super(message);\n  }\n}\n"
COMPOSES = 'export class InvalidRegexError extends Error {\n  constructor(source: string) {\n    super(`Invalid regex for code search: ${source}`);\n    this.name = "InvalidRegexError";\n  }\n}\n'
NO_CONSTRUCTOR = "export class QuotaError extends BaseError {}\n"
CODED = "export class TrainError extends Error {\n  constructor(\n    public code: string,\n    message: string,\n  ) {\n    super(message);\n  }\n}\n"


@pytest.mark.parametrize("files, expected", [
    # literal and template messages written here: the class's text is the project's
    ({"a.ts": PASSES, "b.ts": 'throw new LockError(`Lock held by pid=${holder.pid} (${holder.op})`, holder);\n'
                              'throw new LockError("lock " + path + " is stale", null);\n'}, ("LockError",)),
    # a class that writes its own message takes any value but foreign text
    ({"a.ts": COMPOSES, "b.ts": "throw new InvalidRegexError(pattern);\n"}, ("InvalidRegexError",)),
    ({"a.ts": NO_CONSTRUCTOR, "b.ts": "throw new QuotaError('daily quota reached');\n"}, ("QuotaError",)),
    # the words of literal text are the project's too ("returned a non-JSON response": legislation-mcp-ts)
    ({"a.ts": PASSES, "b.ts": 'throw new LockError("The API returned a non-JSON response. " + "It may be an error page.", null);\n'}, ("LockError",)),
    # one construction with a caught error's text, an upstream response or a variable disqualifies it
    ({"a.ts": PASSES, "b.ts": 'throw new LockError("held", null);\nthrow new LockError(`failed: ${err.message}`, null);\n'}, ()),
    ({"a.ts": PASSES, "b.ts": "throw new LockError(`Request failed: ${await res.text()}`, null);\n"}, ()),
    ({"a.ts": PASSES, "b.ts": "throw new LockError(message, null);\n"}, ()),
    ({"a.ts": PASSES, "b.ts": 'throw new LockError(`response: ${`status ${body}`}`, null);\n'}, ()),
    # two substitutions side by side are two names (`${e}${suffix}` is not one word `esuffix`)
    ({"a.ts": PASSES, "b.ts": "throw new LockError(`failed: ${e}${suffix}`, null);\n"}, ()),
    ({"a.ts": PASSES, "b.ts": "throw new LockError(`${path}${suffix} is locked`, null);\n"}, ("LockError",)),
    ({"a.ts": COMPOSES, "b.ts": "throw new InvalidRegexError(err instanceof Error ? err.message : String(err));\n"}, ()),
    # a choice between two messages written here (red-mcp-server's ClaimConnectionError), not of foreign text
    ({"a.ts": PASSES, "b.ts": 'throw new LockError(failed.length > 0 ? "some failed" : `claim again: ${GUIDANCE}`, null);\n'}, ("LockError",)),
    ({"a.ts": PASSES, "b.ts": 'throw new LockError(failed.length > 0 ? "some failed" : body, null);\n'}, ()),
    ({"a.ts": PASSES, "b.ts": 'throw new LockError(res.ok ? "fine" : `failed: ${err.message}`, null);\n'}, ()),
    # a constructor that adds the cause's text; a class nothing constructs; two classes of one name
    ({"a.ts": "class WrapError extends Error {\n  constructor(what: string, cause: unknown) { super(`${what}: ${String(cause)}`); }\n}\n",
      "b.ts": 'throw new WrapError("save", e);\n'}, ()),
    ({"a.ts": PASSES}, ()),
    ({"a.ts": PASSES, "c.ts": PASSES, "b.ts": 'throw new LockError("held", null);\n'}, ()),
    # the message after a code (`constructor(public code: string, message: string)`): that argument decides
    ({"a.ts": CODED, "b.ts": 'throw new TrainError(err.code, "Adapter label already exists");\n'}, ("TrainError",)),
    ({"a.ts": CODED, "b.ts": 'throw new TrainError("DUPLICATE", err.message);\n'}, ()),
    # not an error class
    ({"a.ts": "class Lock extends Base {}\n", "b.ts": 'new Lock("x");\n'}, ()),
])
def test_authored_error_classes(files, expected):
    assert authored_error_classes(files) == expected


def test_tested_classes_are_those_an_instanceof_names():
    text = "if (e instanceof LockError) return e.message;\nif (e instanceof errors.QuotaError) {}\n"
    assert classes_tested(text, ("LockError", "QuotaError", "OtherError")) == ("LockError", "QuotaError")


def test_an_unbalanced_call_is_unreadable_and_disqualifies():
    assert authored_error_classes({"a.ts": PASSES, "b.ts": 'throw new LockError("held", null;\n' + "x" * 5000}) == ()


def test_a_class_body_too_long_to_read_is_not_judged():
    body = "export class BigError extends Error {\n" + "  // padding\n  x = 1;\n" * 400 + "  constructor(e: Error) { super(e.message); }\n}\n"
    assert authored_error_classes({"a.ts": body, "b.ts": 'throw new BigError("x");\n'}) == ()
