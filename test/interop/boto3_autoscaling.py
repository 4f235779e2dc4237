"""Application Auto Scaling and CloudWatch through boto3, unchanged, against ecs-sim.

Whatever protocol this botocore speaks to CloudWatch (query before 1.34 or so, Smithy RPC v2
CBOR in current versions) is the one exercised. Prints one JSON document for the test to check.
"""
import json
import sys
import urllib.request
from datetime import datetime, timedelta, timezone

import boto3
import botocore

endpoint = sys.argv[1]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret")
ecs = boto3.client("ecs", **kw)
aas = boto3.client("application-autoscaling", **kw)
cw = boto3.client("cloudwatch", **kw)


def admin(path, body):
    req = urllib.request.Request(endpoint + path, method="POST", data=json.dumps(body).encode(), headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as res:
        return json.load(res)


out = {"botocore": botocore.__version__, "protocol": cw.meta.service_model.protocol}
ecs.create_cluster(clusterName="py")
ecs.register_task_definition(
    family="worker", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="256", memory="512",
    containerDefinitions=[{"name": "w", "image": "busybox"}],
)
ecs.create_service(
    cluster="py", serviceName="worker", taskDefinition="worker", desiredCount=1, launchType="FARGATE",
    networkConfiguration={"awsvpcConfiguration": {"subnets": ["subnet-12345678"]}},
)
target = dict(ServiceNamespace="ecs", ResourceId="service/py/worker", ScalableDimension="ecs:service:DesiredCount")
try:
    aas.put_scaling_policy(PolicyName="early", PolicyType="StepScaling", StepScalingPolicyConfiguration={}, **target)
except aas.exceptions.ObjectNotFoundException as e:
    out["notFound"] = e.response["Error"]["Message"]
aas.register_scalable_target(MinCapacity=1, MaxCapacity=8, **target)
policy = aas.put_scaling_policy(
    PolicyName="depth", PolicyType="StepScaling",
    StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity", "Cooldown": 60,
                                    "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 2}]},
    **target,
)
cw.put_metric_alarm(
    AlarmName="py-depth", Namespace="App", MetricName="Depth", Statistic="Average", Period=60,
    EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold", AlarmActions=[policy["PolicyARN"]],
    Dimensions=[{"Name": "Queue", "Value": "jobs"}],
)
now = datetime(2026, 1, 1, tzinfo=timezone.utc)
cw.put_metric_data(Namespace="App", MetricData=[
    {"MetricName": "Depth", "Dimensions": [{"Name": "Queue", "Value": "jobs"}], "Timestamp": now, "Values": [40, 60], "Counts": [1, 1]},
])
stats = cw.get_metric_statistics(
    Namespace="App", MetricName="Depth", Dimensions=[{"Name": "Queue", "Value": "jobs"}],
    StartTime=now - timedelta(minutes=1), EndTime=now + timedelta(minutes=1), Period=60, Statistics=["Average", "Maximum"],
)
out["datapoints"] = [{"Average": d["Average"], "Maximum": d["Maximum"], "Timestamp": d["Timestamp"].isoformat()} for d in stats["Datapoints"]]
data = cw.get_metric_data(
    StartTime=now - timedelta(minutes=1), EndTime=now + timedelta(minutes=1),
    MetricDataQueries=[{"Id": "d", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Depth", "Dimensions": [{"Name": "Queue", "Value": "jobs"}]}, "Period": 60, "Stat": "Sum"}}],
)
out["sum"] = data["MetricDataResults"][0]["Values"]
admin("/_sim/clock/advance", {"ms": 60000})
out["alarm"] = cw.describe_alarms(AlarmNames=["py-depth"])["MetricAlarms"][0]["StateValue"]
out["desired"] = ecs.describe_services(cluster="py", services=["worker"])["services"][0]["desiredCount"]
out["activity"] = aas.describe_scaling_activities(ServiceNamespace="ecs")["ScalingActivities"][0]["Description"]
try:
    cw.delete_alarms(AlarmNames=["nope"])
except botocore.exceptions.ClientError as e:
    out["deleteMissing"] = e.response["Error"]["Code"]
try:
    cw.get_metric_statistics(Namespace="App", MetricName="Depth", StartTime=now, EndTime=now, Period=60, Statistics=["Median"])
except botocore.exceptions.ClientError as e:
    out["badPeriod"] = e.response["Error"]["Code"]
print(json.dumps(out))
