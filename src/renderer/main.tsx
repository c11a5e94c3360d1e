import { createRoot } from 'react-dom/client';
import { App } from './App';
import { bridgeAddressFromSearch, browserHost } from './host/browser';
import { electronHost } from './host/electron';
import type { Host } from './host/host';
import './styles.css';

/** Inside Electron the preload exposes window.backdrop; anywhere else the page talks to the loopback bridge. */
function pickHost(): Host {
  if (window.backdrop) return electronHost(window.backdrop);
  const address = bridgeAddressFromSearch(location.search);
  // The token has been read; keep it out of the address bar and of anything that copies the URL.
  history.replaceState(null, '', location.pathname);
  return browserHost(address);
}

function showFatal(root: HTMLElement, message: string): void {
  const p = document.createElement('p');
  p.className = 'fatal';
  p.setAttribute('role', 'alert');
  p.dataset.testid = 'fatal';
  p.textContent = message;
  root.replaceChildren(p);
}

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html lacks #root');
  try {
    const host = pickHost();
    const settings = await host.loadSettings();
    createRoot(root).render(<App host={host} initialSettings={settings} />);
  } catch (error) {
    showFatal(root, (error as Error).message);
  }
}

void boot();
