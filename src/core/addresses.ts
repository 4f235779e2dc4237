import { networkInterfaces } from "node:os";

/** Loopback literals and `localhost`: binds that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  return h === "localhost" || h === "::1" || /^127\./.test(h) || /^::ffff:127\./.test(h);
}

export function isWildcardHost(host: string): boolean {
  return host === "0.0.0.0" || host === "::" || host === "[::]";
}

/** The addresses a listener on `host` answers on: every interface's for a wildcard bind. */
export function reachableAddresses(host: string): string[] {
  if (!isWildcardHost(host)) return [host];
  const ipv4Only = host === "0.0.0.0";
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal || (ipv4Only && a.family !== "IPv4")) continue;
      out.push(a.family === "IPv6" ? `[${a.address}]` : a.address);
    }
  }
  return out;
}

/** Every address of this machine's interfaces that are up. */
export function localAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address);
  return out;
}
