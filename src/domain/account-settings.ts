import type { Setting, SettingName } from "@aws-sdk/client-ecs";
import type { SimContext } from "../context.js";
import { InvalidParameterException } from "../errors/aws-errors.js";
import type { Scope } from "./scope.js";

/** Defaults a new account sees today (long ARN formats have been mandatory since 2021). */
const AWS_DEFAULTS: Record<string, string> = {
  serviceLongArnFormat: "enabled",
  taskLongArnFormat: "enabled",
  containerInstanceLongArnFormat: "enabled",
  awsvpcTrunking: "disabled",
  containerInsights: "disabled",
  dualStackIPv6: "disabled",
  fargateFIPSMode: "disabled",
  tagResourceAuthorization: "on",
  fargateTaskRetirementWaitPeriod: "7",
  guardDutyActivate: "off",
  defaultLogDriverMode: "non-blocking",
  fargateEventWindows: "disabled",
};

export class AccountSettingsService {
  constructor(private readonly ctx: SimContext) {}

  private rootArn(scope: Scope): string {
    return `arn:aws:iam::${scope.account}:root`;
  }

  put(scope: Scope, name: string, value: string, principalArn?: string): Setting {
    this.checkName(name);
    const principal = principalArn || this.rootArn(scope);
    const setting: Setting = { name: name as SettingName, value, principalArn: principal, type: "user" };
    this.state(scope).settings.set(`${principal}|${name}`, setting);
    return setting;
  }

  putDefault(scope: Scope, name: string, value: string): Setting {
    this.checkName(name);
    const setting: Setting = { name: name as SettingName, value, principalArn: this.rootArn(scope), type: "user" };
    this.state(scope).defaultSettings.set(name, setting);
    return setting;
  }

  delete(scope: Scope, name: string, principalArn?: string): Setting {
    this.checkName(name);
    const principal = principalArn || this.rootArn(scope);
    const key = `${principal}|${name}`;
    const state = this.state(scope);
    const existing = state.settings.get(key);
    state.settings.delete(key);
    return existing ?? { name: name as SettingName, value: this.effectiveDefault(scope, name), principalArn: principal };
  }

  list(
    scope: Scope,
    filter: { name?: string; value?: string; principalArn?: string; effectiveSettings?: boolean },
  ): Setting[] {
    const principal = filter.principalArn || this.rootArn(scope);
    const state = this.state(scope);
    const names = filter.name ? [filter.name] : Object.keys(AWS_DEFAULTS);
    const out: Setting[] = [];
    for (const name of names) {
      const own = state.settings.get(`${principal}|${name}`);
      if (own) out.push(own);
      else if (filter.effectiveSettings) {
        out.push({
          name: name as SettingName,
          value: this.effectiveDefault(scope, name),
          principalArn: principal,
          type: state.defaultSettings.has(name) ? "user" : "aws_managed",
        });
      }
    }
    return filter.value ? out.filter((s) => s.value === filter.value) : out;
  }

  private effectiveDefault(scope: Scope, name: string): string {
    return this.state(scope).defaultSettings.get(name)?.value ?? AWS_DEFAULTS[name] ?? "disabled";
  }

  private checkName(name: string): void {
    if (!(name in AWS_DEFAULTS)) throw new InvalidParameterException(`Invalid setting name: ${name}.`);
  }

  private state(scope: Scope) {
    return this.ctx.store.region(scope.account, scope.region);
  }
}
