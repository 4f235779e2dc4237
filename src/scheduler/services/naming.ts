import type { SeededRandom } from "../../core/random.js";

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function pickChars(random: SeededRandom, alphabet: string, n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}

/** `ecs-svc/<19 digits>`: the id of a deployment or a task set. */
export function deploymentId(random: SeededRandom): string {
  return `ecs-svc/${random.digits(19)}`;
}

/** The random part of a service deployment ARN, e.g. `NCWGC2ZR-taawPAYrIaU5`. */
export function serviceDeploymentId(random: SeededRandom): string {
  return `${pickChars(random, UPPER_ALNUM, 8)}-${pickChars(random, ALNUM, 12)}`;
}

/** The numeric id of a service revision ARN. */
export function serviceRevisionId(random: SeededRandom): string {
  return random.digits(19);
}

export function taskIdOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}
