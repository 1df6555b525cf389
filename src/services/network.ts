import * as vscode from 'vscode';
import type { ProxySettingsInput } from '../gitlab/network';
import { SECTION, trustedGet } from './config';

/** VS Code's proxy settings the extension honours (its own proxy support patches Node's http, not undici). */
export const PROXY_SETTINGS = ['http.proxy', 'http.proxyAuthorization', 'http.proxyStrictSSL', 'http.noProxy', 'http.proxySupport'];
export const CA_SETTING = `${SECTION}.caCertificates`;

/** What the client pool needs to build transport options; plain values, read fresh on every rebuild. */
export interface NetworkSettings {
  proxy: ProxySettingsInput;
  /** `http.proxySupport: off` turns every proxy off, the environment's included. */
  proxyOff: boolean;
  /** PEM files to trust besides Node's and the system's roots. */
  caFiles: string[];
  env: Record<string, string | undefined>;
}

export function readNetworkSettings(): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  const files = trustedGet<unknown[]>(vscode.workspace.getConfiguration(SECTION), 'caCertificates', []);
  const noProxy = http.get<unknown[]>('noProxy') ?? [];
  return {
    proxy: {
      proxy: http.get<string>('proxy') || undefined,
      proxyAuthorization: http.get<string | null>('proxyAuthorization') || undefined,
      proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
      noProxy: noProxy.filter((v): v is string => typeof v === 'string'),
    },
    proxyOff: http.get<string>('proxySupport') === 'off',
    caFiles: files.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((f) => expandHome(f.trim())),
    env: process.env,
  };
}

function expandHome(file: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home && (file === '~' || file.startsWith('~/')) ? home + file.slice(1) : file;
}

/** True when a configuration change means the clients must be rebuilt with other transport options. */
export function affectsNetwork(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(CA_SETTING) || PROXY_SETTINGS.some((key) => e.affectsConfiguration(key));
}
