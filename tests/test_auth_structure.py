"""mcp_lint/python/auth.py: auth layers are recognised by what they do, whatever their name."""

import textwrap

import libcst as cst

from mcp_lint.python import auth
from mcp_lint.python.names import ImportTable


def _imports(module: cst.Module) -> ImportTable:
    imports = ImportTable()
    for node in module.body:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    imports.add(small)
    return imports


def _definitions(source: str):
    module = cst.parse_module(textwrap.dedent(source))
    found = {n.name.value: n for n in module.body if isinstance(n, (cst.ClassDef, cst.FunctionDef))}
    return found, _imports(module).qualify


def test_layers_are_judged_by_behaviour_not_by_name():
    found, qualify = _definitions(
        """
        import jwt

        class OAuthWrapper:
            async def __call__(self, scope, receive, send):
                token = dict(scope["headers"]).get(b"authorization")
                if not valid(token):
                    return await deny(send, status=401)
                await self.app(scope, receive, send)

        class RequestIdMiddleware:
            async def __call__(self, scope, receive, send):
                scope["state"]["request_id"] = new_id()
                await self.app(scope, receive, send)

        def require_key(x_api_key: str = Header(default="")):
            if x_api_key not in KEYS:
                raise HTTPException(status_code=403)

        def decode_user(request):
            return jwt.decode(request.cookies["session"], KEY, algorithms=["HS256"])

        def log_headers(request):
            logger.info("auth header present: %s", "authorization" in request.headers)

        async def fetch_news(url):
            headers = get_http_headers("news")
            response = await client.get(url, headers=headers)
            if response.status_code in (401, 403) or response.status_code == 429:
                return {"error": "the news service refused"}
            return response.json()
        """
    )
    verdicts = {name: auth.is_auth_layer(node, qualify) for name, node in found.items()}
    assert verdicts == {
        "OAuthWrapper": True,
        "RequestIdMiddleware": False,
        "require_key": True,
        "decode_user": True,
        "log_headers": False,
        "fetch_news": False,  # an upstream's 401/403 read, not answered (nfl_mcp)
    }


def test_fail_open_shapes():
    found, _ = _definitions(
        """
        async def open_when_unset(request, call_next):
            if not API_KEY:
                return await call_next(request)
            if request.headers.get("x-api-key") != API_KEY:
                return deny(401)
            return await call_next(request)

        def checks_only_when_set(request):
            if settings.token and request.headers.get("authorization") != settings.token:
                raise HTTPException(status_code=401)

        async def closed(request, call_next):
            if not API_KEY or request.headers.get("x-api-key") != API_KEY:
                return deny(401)
            return await call_next(request)
        """
    )
    open_checks = {name: len(list(auth.fail_open_checks(node))) for name, node in found.items()}
    assert open_checks == {"open_when_unset": 1, "checks_only_when_set": 1, "closed": 0}


def test_shared_answers_match_the_definition_for_nested_code():
    """AuthLayers (one pass per file, nested definitions remembered) answers as is_auth_layer
    does: a class is a layer through its methods, a closure's checks count for its function,
    and a method asked first does not change its class's answer."""
    source = textwrap.dedent(
        """
        import jwt
        from fastapi import Header, HTTPException

        class Outer:
            def helper(self):
                return 1

            class Inner:
                async def dispatch(self, request, call_next):
                    if request.cookies.get("session") is None:
                        raise PermissionError("no session")
                    return await call_next(request)

        def factory():
            def verify(token):
                return jwt.decode(token, "k", algorithms=["HS256"])
            return verify

        def reads_only(authorization: str = Header(...)):
            return authorization

        def denies_only():
            raise HTTPException(status_code=403)

        def split(request):
            key = request.headers.get("x-api-key")
            def refuse():
                return 401
            return key, refuse

        def upstream(request):
            response = forward(request.headers.get("authorization"))
            if response.status_code == 403:
                return None
            return response
        """
    )
    module = cst.parse_module(source)
    imports = _imports(module)
    definitions = [n for n in auth.walk.walk(module) if isinstance(n, (cst.ClassDef, cst.FunctionDef))]
    expected = {n.name.value: auth.is_auth_layer(n, imports.qualify) for n in definitions}
    assert expected == {
        "Outer": True, "helper": False, "Inner": True, "dispatch": True, "factory": True, "verify": True,
        "reads_only": False, "denies_only": False, "split": True, "refuse": False, "upstream": False,
    }
    for order in (definitions, list(reversed(definitions))):  # innermost first, then outermost first
        layers = auth.AuthLayers(imports.qualify)
        assert {n.name.value: layers.is_auth_layer(n) for n in order} == expected
