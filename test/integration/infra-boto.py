# A boto3 worker for test/integration/infra.test.ts: the Node SDK of this project has no CloudFormation, IAM,
# Lambda, SQS or S3 clients, and boto3 is already in .venv (moto depends on it). Reads one JSON call per line
# ({"service", "op", "params"}) and answers one JSON line ({"ok": result} or {"error": "Code: message"}).
# A parameter {"$file": path} is replaced by that file's bytes.
import ast
import json
import os
import sys

import boto3

endpoint = os.environ["MOTO_ENDPOINT"]
clients = {}


def client(service):
    if service not in clients:
        clients[service] = boto3.client(service, endpoint_url=endpoint, region_name=os.environ.get("AWS_REGION", "us-east-1"))
    return clients[service]


def files(value):
    if isinstance(value, dict):
        if set(value) == {"$file"}:
            with open(value["$file"], "rb") as f:
                return f.read()
        return {k: files(v) for k, v in value.items()}
    if isinstance(value, list):
        return [files(v) for v in value]
    return value


for line in sys.stdin:
    call = json.loads(line)
    try:
        result = getattr(client(call["service"]), call["op"])(**files(call.get("params", {})))
        result.pop("ResponseMetadata", None)
        # moto keeps a policy that CloudFormation created as Python's text of a dict: decode it as AWS would answer it.
        if isinstance(result.get("PolicyDocument"), str):
            try:
                result["PolicyDocument"] = json.loads(result["PolicyDocument"])
            except ValueError:
                result["PolicyDocument"] = ast.literal_eval(result["PolicyDocument"])
        answer = {"ok": result}
    except Exception as e:  # noqa: BLE001 - every failure goes back to the test as text
        code = getattr(e, "response", {}).get("Error", {}).get("Code", type(e).__name__)
        answer = {"error": f"{code}: {e}"}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    sys.stdout.flush()
