/**
 * Addresses a webhook must not reach unless `events.allowUnsafeWebhookTargets` says so: link-local
 * and instance-metadata addresses (a simulator on an EC2 runner or in a task would otherwise POST
 * into the instance's credentials service), and the simulator's own API, whose admin routes an
 * event body could drive.
 */
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { isLoopbackHost, isWildcardHost, localAddresses } from "../core/addresses.js";

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet("169.254.0.0", 16, "ipv4");
LINK_LOCAL.addSubnet("fe80::", 10, "ipv6");
LINK_LOCAL.addAddress("fd00:ec2::254", "ipv6");

export const UNSAFE_TARGETS_SETTING = "events.allowUnsafeWebhookTargets";

export function isLinkLocal(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return LINK_LOCAL.check(address, family === 4 ? "ipv4" : "ipv6");
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "");
}

/** Startup check of a literal address: a reason to refuse, or undefined. */
export function literalTargetRefusal(rawUrl: string): string | undefined {
  const host = hostOf(new URL(rawUrl));
  return isLinkLocal(host) ? linkLocalReason(rawUrl, host) : undefined;
}

function linkLocalReason(url: string, address: string): string {
  return `webhook ${url} refused: ${address} is a link-local or instance-metadata address; set ${UNSAFE_TARGETS_SETTING} to allow it`;
}

export interface TargetGuardOptions {
  /** The port the simulator's API listens on, once it does. */
  ownPort: () => number | undefined;
  /** Name resolution; injectable for tests. */
  resolve?: (hostname: string) => Promise<string[]>;
}

/**
 * Checked before every attempt, on the addresses the name resolves to then: a name that resolves
 * to a metadata address, or a spelling of the simulator's own address, is refused like a literal.
 */
export function createTargetGuard(opts: TargetGuardOptions): (url: string) => Promise<string | undefined> {
  const resolve = opts.resolve ?? (async (h: string) => (await lookup(h, { all: true })).map((a) => a.address));
  return async (rawUrl) => {
    const url = new URL(rawUrl);
    const host = hostOf(url);
    let addresses: string[];
    try {
      addresses = isIP(host) ? [host] : await resolve(host);
    } catch {
      return undefined; // unresolvable: the attempt fails and is retried like any network error
    }
    const metadata = addresses.find(isLinkLocal);
    if (metadata) return linkLocalReason(rawUrl, metadata);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const own = opts.ownPort();
    if (own !== undefined && port === own && addresses.some((a) => isLoopbackHost(a) || isWildcardHost(a) || localAddresses().has(a))) {
      return `webhook ${rawUrl} refused: it is this simulator's own API (port ${own}); set ${UNSAFE_TARGETS_SETTING} to allow it`;
    }
    return undefined;
  };
}
