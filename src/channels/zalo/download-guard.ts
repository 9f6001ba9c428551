import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

/*
 * Evidence downloads fetch a URL that arrived in a webhook. The webhook is authenticated, but the URL is whatever the
 * platform (or whoever holds the secret) put there, so the service must not become a way into its own network:
 * addresses on loopback, private, link-local and other reserved ranges are refused unless the operator allows them
 * (a mirror on the local network, the tests' fake servers), and an optional host list narrows downloads further.
 * Node has no library-free way to pin this at connection time other than a custom DNS lookup, which also covers every
 * redirect and a name that changes its address between check and use.
 */

const RESERVED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) RESERVED.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [["::", 127], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8]] as const) RESERVED.addSubnet(network, prefix, "ipv6");

/** Whether an IP address is on loopback, a private network or another range no public image host uses. */
export function isReservedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped !== undefined) return RESERVED.check(mapped, "ipv4");
  const family = isIP(address);
  return family === 0 ? true : RESERVED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export interface DownloadPolicy {
  /** Host names downloads may come from (each also allows its subdomains); empty: any public host. */
  readonly allowHosts?: readonly string[];
  /** Allow loopback and private addresses (a mirror on the local network, tests). Default false. */
  readonly allowPrivateNetwork?: boolean;
}

/** Why a URL is refused by the policy before any connection, or null when it may be fetched. */
export function refusal(url: URL, policy: DownloadPolicy): string | null {
  if (url.protocol !== "http:" && url.protocol !== "https:") return `unsupported protocol ${url.protocol}`;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const hosts = policy.allowHosts ?? [];
  if (hosts.length > 0 && !hosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) return `host ${host} is not allowed`;
  if (isIP(host) !== 0 && !policy.allowPrivateNetwork && isReservedAddress(host)) return "a private address";
  return null;
}

/** HTTP agents whose DNS look-ups refuse reserved addresses (unless the policy allows them). */
export function guardedAgents(policy: DownloadPolicy): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const lookup: LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const refused = !policy.allowPrivateNetwork && addresses.some((a) => isReservedAddress(a.address));
      if (refused) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: "EREFUSED_PRIVATE" }), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      return callback(null, first.address, first.family);
    });
  };
  return { httpAgent: new http.Agent({ lookup }), httpsAgent: new https.Agent({ lookup }) };
}
