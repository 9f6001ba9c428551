import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/*
 * Evidence downloads fetch a URL that arrived in a webhook. The webhook is authenticated, but the URL is whatever the
 * platform (or whoever holds the secret) put there, so the service must not become a way into its own network:
 * addresses on loopback, private, link-local and other reserved ranges are refused unless the operator allows them
 * (a mirror on the local network, the tests' fake servers), and an optional host list narrows downloads further.
 * The check runs in a custom DNS lookup, the one way Node offers to pin it at connection time; it also covers every
 * redirect and a name that changes its address between check and use.
 */

/** IANA's global unicast block (2000::/3): every other IPv6 prefix is reserved, local or not yet allocated. */
const IPV6_GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");

/**
 * Whether an IP address is anything but global unicast: loopback, private, link-local, documentation, NAT64, 6to4,
 * Teredo and every other special-purpose range, decided by address class (ipaddr.js keeps the IANA registries)
 * rather than a hand-kept list. An IPv4-mapped IPv6 address is judged as the IPv4 address it carries.
 */
export function isReservedAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv4") return parsed.range() !== "unicast";
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() !== "unicast";
  return v6.range() !== "unicast" || !v6.match(IPV6_GLOBAL_UNICAST);
}

export interface DownloadPolicy {
  /** Host names downloads may come from (each also allows its subdomains); empty: any public host. */
  readonly allowHosts?: readonly string[];
  /** Allow loopback and private addresses (a mirror on the local network, tests). Default false. */
  readonly allowPrivateNetwork?: boolean;
  /** An http:// proxy every download goes through (ZALO_DOWNLOAD_PROXY), still guarded (see download-tunnel.ts). */
  readonly proxy?: URL;
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
