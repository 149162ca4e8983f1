"""GraphQL multipart requests (the jaydenseric spec): files as variables of an operation.

A phone records a visit with its photos in one request: form field
``operations`` holds the usual JSON parameters with ``null`` where files go,
``map`` says which file goes where (``{"0": ["variables.photos.0"]}``), and
the files follow. The whole body is read under its own limit first, so a
request cannot stream more than that; only single operations are accepted.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from schema.errors import BadRequest
from schema.http._params import GraphQLParams, read_body


def is_multipart(content_type: str | None) -> bool:
    return (content_type or "").split(";")[0].strip().lower() == "multipart/form-data"


async def multipart_params(request: Request, *, max_bytes: int, max_files: int) -> GraphQLParams:
    """The operation's parameters with each mapped file put in place as an ``UploadFile``."""
    body = await read_body(request, max_bytes)
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=max_files, max_fields=8)
    except Exception as exc:  # starlette raises HTTPException or MultiPartException
        raise BadRequest(f"unreadable multipart body: {getattr(exc, 'detail', exc)}") from None
    operations = _json(form.get("operations"), "operations")
    mapping = _json(form.get("map"), "map")
    if isinstance(operations, list):
        raise BadRequest("batched operations are not accepted with files")
    params = GraphQLParams.from_json(operations)
    if not isinstance(mapping, dict):
        raise BadRequest("`map` must be an object of file names to lists of paths")
    variables: dict[str, Any] = dict(params.variables or {})
    for name, paths in mapping.items():
        upload = form.get(name)
        if not isinstance(upload, UploadFile):
            raise BadRequest(f"`map` names file {name!r}, which was not sent")
        if not isinstance(paths, list) or not paths:
            raise BadRequest(f"`map` entry {name!r} must be a non-empty list of paths")
        for path in paths:
            _place(variables, str(path), upload)
    return GraphQLParams(
        query=params.query,
        operation_name=params.operation_name,
        variables=variables,
        extensions=params.extensions,
        document_id=params.document_id,
    )


def _json(value: Any, field: str) -> Any:
    if not isinstance(value, str):
        raise BadRequest(f"a multipart GraphQL request needs the `{field}` field (JSON)")
    try:
        return json.loads(value)
    except ValueError:
        raise BadRequest(f"`{field}` is not valid JSON") from None


def _place(variables: dict[str, Any], path: str, upload: UploadFile) -> None:
    """Put ``upload`` at ``variables.a.0.b``: every step must exist (a ``null`` to fill)."""
    steps = path.split(".")
    if steps[0] != "variables" or len(steps) < 2:
        raise BadRequest(f"file path {path!r} must start with `variables.`")
    target: Any = variables
    for i, step in enumerate(steps[1:], start=1):
        last = i == len(steps) - 1
        if isinstance(target, list):
            if not step.isdigit() or int(step) >= len(target):
                raise BadRequest(f"file path {path!r} does not match the variables")
            if last:
                target[int(step)] = upload
            else:
                target = target[int(step)]
        elif isinstance(target, dict):
            if step not in target:
                raise BadRequest(f"file path {path!r} does not match the variables")
            if last:
                target[step] = upload
            else:
                target = target[step]
        else:
            raise BadRequest(f"file path {path!r} does not match the variables")
