"""Parsers of the proxy and TypeScript documents: positions, comments, includes/imports,
`extends` chains, cycles, and parse errors."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mcp_lint.documents.base import ParseError
from mcp_lint.documents.caddyfile import CaddyfileDocument, walk
from mcp_lint.documents.jsonc import parse_jsonc
from mcp_lint.documents.nginx import NginxDocument
from mcp_lint.documents.packagejson import PackageJsonDocument
from mcp_lint.documents.tsconfig import TsconfigDocument


def on_disk(cls, root: Path, rel: str, files: dict):
    """A document read from a small project on disk (as the engine builds it)."""
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    document = cls(rel, (root / rel).read_text(encoding="utf-8"))
    document.disk_path = root / rel
    document.parse()
    return document


# -- Caddyfile --------------------------------------------------------------------------


def caddy(text: str) -> CaddyfileDocument:
    document = CaddyfileDocument("Caddyfile", textwrap.dedent(text).lstrip("\n"))
    document.parse()
    return document


def test_caddy_blocks_positions_and_comments():
    doc = caddy(
        """
        # site
        example.com {
            @mcp path /mcp /mcp/*  # matcher
            reverse_proxy @mcp "app:8000" {
                header_up Host {host}
            }
            respond "a # not a comment" 200
        }
        """
    )
    [site] = doc.sites()
    names = [(d.name, d.args, d.line, d.column, d.end_column) for d in walk(site.block)]
    assert names[0] == ("@mcp", ["path", "/mcp", "/mcp/*"], 3, 5, 9)
    assert names[1][:3] == ("reverse_proxy", ["@mcp", "app:8000"], 4)
    assert names[2][:2] == ("header_up", ["Host", "{host}"])
    assert names[3][1] == ["a # not a comment", "200"]
    comments = [(c.line, c.column, c.text, c.own_line) for c in doc.comments()]
    assert comments == [(1, 1, " site", True), (3, 28, " matcher", False)]


def test_caddy_snippet_import_and_global_options():
    doc = caddy(
        """
        {
            admin off
        }
        example.com {
            import common
        }
        (common) {
            encode gzip
        }
        """
    )
    [site] = doc.sites()
    [spliced] = site.block
    assert (spliced.name, spliced.line, spliced.via.line) == ("encode", 8, 5)


def test_caddy_site_without_braces_and_continuation():
    doc = caddy(
        """
        localhost:8080

        reverse_proxy /mcp* \\
            app:8000
        """
    )
    [site] = doc.sites()
    assert site.name == "localhost:8080"
    assert [(d.name, d.args) for d in site.block] == [("reverse_proxy", ["/mcp*", "app:8000"])]


def test_caddy_file_import_cycle(tmp_path):
    doc = on_disk(
        CaddyfileDocument,
        tmp_path,
        "Caddyfile",
        {"Caddyfile": "example.com {\n    import sites/*.caddy\n}\n", "sites/a.caddy": "import ../Caddyfile\nrespond ok\n"},
    )
    [site] = doc.sites()
    respond = [d for d in walk(site.block) if d.name == "respond"]
    assert respond and respond[0].path == "sites/a.caddy" and respond[0].via.line == 2


@pytest.mark.parametrize(
    "text, line",
    [("example.com {\n    respond ok\n", 1), ("respond ok\n}\n", 2), ('respond "open\n', 1), ("x <<EOF\nbody\n", 1)],
)
def test_caddy_parse_errors(text, line):
    with pytest.raises(ParseError) as error:
        CaddyfileDocument("Caddyfile", text).parse()
    assert error.value.line == line


# -- nginx ------------------------------------------------------------------------------


def test_nginx_columns_nested_locations_and_comments(tmp_path):
    doc = on_disk(
        NginxDocument,
        tmp_path,
        "nginx.conf",
        {
            "nginx.conf": """
                server {
                    location /mcp { proxy_pass http://a; proxy_buffering off; # inline
                        location /mcp/admin { deny all; }
                    }
                }
            """
        },
    )
    found = {d.name: (d.line, d.column, d.end_column) for d in doc.walk()}
    assert found["proxy_pass"] == (2, 21, 31)
    assert found["proxy_buffering"] == (2, 42, 57)
    assert found["deny"][0] == 3
    locations = [d.args for d in doc.walk() if d.name == "location"]
    assert locations == [["/mcp"], ["/mcp/admin"]]
    [comment] = doc.comments()
    assert (comment.line, comment.text, comment.own_line) == (2, " inline", False)


def test_nginx_includes_relative_and_self_include(tmp_path):
    doc = on_disk(
        NginxDocument,
        tmp_path,
        "deploy/nginx.conf",
        {
            "deploy/nginx.conf": "server {\n    include snippets/*.conf;\n    include nginx.conf;\n    include /nonexistent/params;\n}\n",
            "deploy/snippets/a.conf": "proxy_buffering off;\ninclude snippets/a.conf;\n",
        },
    )
    spliced = [d for d in doc.walk() if d.name == "proxy_buffering"]
    assert len(spliced) == 1
    assert spliced[0].path == "deploy/snippets/a.conf" and spliced[0].via.line == 2
    assert doc.unresolved_includes


def test_nginx_text_without_file_and_errors():
    doc = NginxDocument("site.conf", "server { listen 80; }\n")
    doc.parse()
    assert [d.name for d in doc.walk()] == ["server", "listen"]
    with pytest.raises(ParseError) as error:
        NginxDocument("site.conf", "server {\n    listen 80;\n").parse()
    assert "unexpected end of file" in error.value.message


# -- JSONC, tsconfig, package.json ----------------------------------------------------------


def test_jsonc_positions_comments_and_trailing_commas():
    root, comments = parse_jsonc('{\n  // lead\n  "a": [1, 2.5e1, true, null,],\n  "b": {"c": "x\\u0041"}, /* tail */\n}\n')
    key, value = root.member("a")
    assert (key.line, key.column, key.end_column) == (3, 3, 6)
    assert [e.value for e in value.elements] == [1, 25.0, True, None]
    assert root.get("b").get("c").value == "xA"
    assert [(c.line, c.text, c.own_line) for c in comments] == [(2, " lead", True), (4, " tail ", False)]


@pytest.mark.parametrize("text, line", [('{"a": }', 1), ('{\n  "a": 1\n  "b": 2\n}', 3), ("{'a': 1}", 1), ('{"a": "x', 1), ("/* open", 1), ("", 1)])
def test_jsonc_errors(text, line):
    with pytest.raises(ParseError) as error:
        parse_jsonc(text)
    assert error.value.line == line


def test_tsconfig_extends_chain_packages_and_cycles(tmp_path):
    doc = on_disk(
        TsconfigDocument,
        tmp_path,
        "app/tsconfig.json",
        {
            "app/tsconfig.json": '{ "extends": ["@acme/tsconfig", "../base.json"], "compilerOptions": { "outDir": "dist" } }',
            "base.json": '{ "extends": "./app/tsconfig.json", "compilerOptions": { "strict": true } }',
            "node_modules/@acme/tsconfig/tsconfig.json": '{ "compilerOptions": { "strict": false, "sourceMap": true } }',
        },
    )
    options = doc.compiler_options()
    assert options.complete
    assert options.value("strict") is True and options.settings["strict"].location.path == "base.json"
    assert options.settings["sourceMap"].inherited
    assert not options.settings["outDir"].inherited


def test_tsconfig_unresolved_base_is_incomplete(tmp_path):
    doc = on_disk(TsconfigDocument, tmp_path, "tsconfig.json", {"tsconfig.json": '{ "extends": "@tsconfig/node22" }'})
    options = doc.compiler_options()
    assert not options.complete and options.unresolved == ["@tsconfig/node22"]


def test_tsconfig_root_must_be_an_object():
    with pytest.raises(ParseError):
        TsconfigDocument("tsconfig.json", "[]").parse()


def test_packagejson_scripts():
    doc = PackageJsonDocument("package.json", '{"scripts": {"start": "node dist/index.js", "x": 1}}')
    doc.parse()
    assert {k: v.value for k, v in doc.scripts().items()} == {"start": "node dist/index.js"}
