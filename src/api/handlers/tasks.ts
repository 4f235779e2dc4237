import type { RunTaskRequest, StartTaskRequest } from "@aws-sdk/client-ecs";
import { ecsOperation, type OperationTable } from "../operation.js";
import {
  DescribeTasksSchema,
  GetTaskProtectionSchema,
  ListTasksSchema,
  RunTaskSchema,
  StartTaskSchema,
  StopTaskSchema,
  UpdateTaskProtectionSchema,
} from "../schemas/tasks.js";
import type { Domain } from "./domain.js";

export function taskOperations(d: Domain): OperationTable {
  return {
    RunTask: ecsOperation("RunTask", RunTaskSchema, (input, req) =>
      d.tasks.runTask(req.scope, input as RunTaskRequest, { requestId: req.requestId, operation: req.operation }),
    ),
    StartTask: ecsOperation("StartTask", StartTaskSchema, (input, req) => {
      const { tasks, failures } = d.tasks.startTask(req.scope, input as StartTaskRequest, { requestId: req.requestId, operation: req.operation });
      return { tasks, failures };
    }),
    StopTask: ecsOperation("StopTask", StopTaskSchema, (input, req) => ({
      task: d.tasks.stopTask(req.scope, input.cluster, input.task, input.reason),
    })),
    DescribeTasks: ecsOperation("DescribeTasks", DescribeTasksSchema, (input, req) =>
      d.tasks.describeTasks(req.scope, input.cluster, input.tasks, input.include?.includes("TAGS") ?? false),
    ),
    ListTasks: ecsOperation("ListTasks", ListTasksSchema, (input, req) => d.tasks.listTasks(req.scope, input)),
    UpdateTaskProtection: ecsOperation("UpdateTaskProtection", UpdateTaskProtectionSchema, (input, req) =>
      d.tasks.updateProtection(req.scope, input.cluster, input.tasks, input.protectionEnabled, input.expiresInMinutes),
    ),
    GetTaskProtection: ecsOperation("GetTaskProtection", GetTaskProtectionSchema, (input, req) => d.tasks.getProtection(req.scope, input.cluster, input.tasks)),
  };
}
