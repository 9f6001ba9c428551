import dns from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type Socket } from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import { isReservedAddress, type DownloadPolicy } from "./download-guard.js";

/*
 * Evidence downloads through an operator's proxy (ZALO_DOWNLOAD_PROXY), for networks whose only way out is one. An
 * ordinary proxied request would let the proxy resolve the name, out of the guard's sight; here the service resolves
 * it, applies the guard to every address, and asks the proxy to CONNECT to the checked address itself — so a name
 * that changes its address between check and use gains nothing. TLS runs end to end inside the tunnel, with the
 * host name for SNI and certificate checks. Only http:// proxies (CONNECT over plain TCP) are supported.
 */

/** How long the proxy may take to open a tunnel. */
export const PROXY_ANSWER_TIMEOUT_MS = 20_000;

type Callback = (error: Error | null, socket?: Duplex) => void;

interface ConnectOptions {
  readonly host?: string | null;
  readonly hostname?: string | null;
  readonly port?: number | string | null;
  readonly servername?: string;
}

/** The address to connect to for `host`, or an error when the guard refuses it. */
async function checkedAddress(host: string, policy: DownloadPolicy): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = isIP(bare) !== 0 ? [bare] : (await dns.lookup(bare, { all: true })).map((a) => a.address);
  if (!policy.allowPrivateNetwork && addresses.some((address) => isReservedAddress(address))) {
    throw Object.assign(new Error(`${bare} resolves to a private address`), { code: "EREFUSED_PRIVATE" });
  }
  const first = addresses[0];
  if (first === undefined) throw Object.assign(new Error(`${bare} has no address`), { code: "ENOTFOUND" });
  return first;
}

/** A tunnel to `address:port` through the proxy; resolves with the raw socket once the proxy answered 200. */
function tunnel(proxy: URL, address: string, port: number): Promise<Socket> {
  const target = `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
  const auth = proxy.username === "" ? {} : { "proxy-authorization": `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString("base64")}` };
  return new Promise((resolve, reject) => {
    const request = http.request({ host: proxy.hostname, port: Number(proxy.port || 80), method: "CONNECT", path: target, headers: { host: target, ...auth }, agent: false });
    request.once("connect", (response, socket) => {
      if (response.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(Object.assign(new Error(`proxy refused CONNECT ${target}: HTTP ${response.statusCode ?? "?"}`), { code: "EPROXY" }));
    });
    request.once("error", reject);
    // A proxy that never answers must not hold the download: the download's own deadline cannot reach this request.
    request.setTimeout(PROXY_ANSWER_TIMEOUT_MS, () => request.destroy(Object.assign(new Error("proxy did not answer CONNECT"), { code: "EPROXY" })));
    request.end();
  });
}

function connectThrough(proxy: URL, policy: DownloadPolicy, options: ConnectOptions, secure: boolean, callback: Callback): void {
  const host = options.hostname ?? options.host ?? "";
  const port = Number(options.port ?? (secure ? 443 : 80));
  checkedAddress(host, policy)
    .then((address) => tunnel(proxy, address, port))
    .then((socket) => {
      if (!secure) return callback(null, socket);
      const servername = isIP(host) === 0 ? host : undefined;
      const secured = tls.connect({ socket, ...(servername === undefined ? {} : { servername }) });
      secured.once("secureConnect", () => callback(null, secured));
      secured.once("error", (error) => callback(error));
    })
    .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
}

/** HTTP agents that reach every download through `proxy`, guarded as direct downloads are (see download-guard.ts). */
export function tunnelAgents(proxy: URL, policy: DownloadPolicy): { httpAgent: http.Agent; httpsAgent: https.Agent } {
  const httpAgent = new http.Agent();
  const httpsAgent = new https.Agent();
  // Node's agents take a socket from createConnection's callback as well as from its return value.
  Object.assign(httpAgent, { createConnection: (options: ConnectOptions, callback: Callback) => void connectThrough(proxy, policy, options, false, callback) });
  Object.assign(httpsAgent, { createConnection: (options: ConnectOptions, callback: Callback) => void connectThrough(proxy, policy, options, true, callback) });
  return { httpAgent, httpsAgent };
}
