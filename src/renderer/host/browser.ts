import { DEFAULT_SETTINGS, parseBackgroundEntries, parseSettingsPatch, type AppSettings } from '../../common/contract';
import { TOKEN_PATTERN } from '../../common/wire';
import type { EngineTransport } from '../transport/transport';
import { webSocketTransport } from '../transport/websocket';
import { HostError, type Host } from './host';

export interface BridgeAddress {
  port: number;
  token: string;
}

/** `?ws=<port>&token=<token>` as printed by scripts/serve-renderer.ts. */
export function bridgeAddressFromSearch(search: string): BridgeAddress {
  const params = new URLSearchParams(search);
  const port = Number(params.get('ws'));
  const token = params.get('token') ?? '';
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new HostError('This page needs ?ws=<port>&token=<token>: open the URL that scripts/serve-renderer.ts prints.');
  }
  if (!TOKEN_PATTERN.test(token)) throw new HostError('The token in the page URL is missing or malformed.');
  return { port, token };
}

/**
 * The host for the page outside Electron. Settings live for the page's lifetime only (there is no main
 * process to keep them); the background list comes from the bridge, which reads resources/backgrounds.
 * No data folder, tray or global hotkeys here, so it offers none of them.
 */
export function browserHost(address: BridgeAddress): Host {
  let settings: AppSettings = DEFAULT_SETTINGS;
  return {
    kind: 'browser',
    loadSettings: async () => settings,
    updateSettings: async (patch) => (settings = { ...settings, ...parseSettingsPatch(patch) }),
    onSettingsChanged: () => () => undefined,
    async listBackgrounds() {
      const res = await fetch(`http://127.0.0.1:${address.port}/backgrounds.json`, {
        headers: { authorization: `Bearer ${address.token}` },
      });
      if (!res.ok) throw new HostError(`the bridge refused the background list (HTTP ${res.status})`);
      return parseBackgroundEntries(await res.json());
    },
    connectEngine(onTransport) {
      const transport: EngineTransport = webSocketTransport(`ws://127.0.0.1:${address.port}/engine`, address.token);
      onTransport(transport, false);
      return () => transport.close();
    },
  };
}
