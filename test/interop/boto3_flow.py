"""The issue's acceptance flow through boto3 (botocore's own parsers, retries and waiters).

Usage: python3 boto3_flow.py <endpoint>. Prints one JSON object with what it observed.
"""
import json
import sys

import boto3
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
ecs = boto3.client(
    "ecs",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="AKIDEXAMPLE",
    aws_secret_access_key="secret",
)
out = {}
out["clusterArn"] = ecs.create_cluster(clusterName="boto3")["cluster"]["clusterArn"]
base = {
    "family": "boto3",
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "containerDefinitions": [{"name": "app", "image": "busybox"}],
}
try:
    ecs.register_task_definition(cpu="512", memory="8192", **base)
    out["invalidPair"] = None
except ClientError as err:
    out["invalidPair"] = {"code": err.response["Error"]["Code"], "message": err.response["Error"]["Message"],
                          "status": err.response["ResponseMetadata"]["HTTPStatusCode"]}
td = ecs.register_task_definition(cpu="1 vCPU", memory="2 GB", **base)["taskDefinition"]
out["cpu"], out["memory"] = td["cpu"], td["memory"]
run = ecs.run_task(cluster="boto3", taskDefinition=td["taskDefinitionArn"], launchType="FARGATE",
                   networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-1"]}})
out["failures"] = run["failures"]
arn = run["tasks"][0]["taskArn"]
ecs.get_waiter("tasks_running").wait(cluster="boto3", tasks=[arn], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
ecs.stop_task(cluster="boto3", task=arn)
ecs.get_waiter("tasks_stopped").wait(cluster="boto3", tasks=[arn], WaiterConfig={"Delay": 1, "MaxAttempts": 30})
task = ecs.describe_tasks(cluster="boto3", tasks=[arn])["tasks"][0]
out["lastStatus"], out["stopCode"], out["stoppedReason"] = task["lastStatus"], task["stopCode"], task["stoppedReason"]
out["stoppedAtIsDatetime"] = type(task["stoppedAt"]).__name__ == "datetime"
print(json.dumps(out))
